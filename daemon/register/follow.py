"""Following an incoming document up: to whom it went, and when it was handled.

The sổ đăng ký văn bản đến (Nghị định 30/2020, Phụ lục IV) has the columns "đơn vị hoặc người
nhận" and "ngày chuyển": once the leader has given the document out, the clerk writes the unit
(and the person) it went to and the date it was handed over. When the unit has handled it the
entry is closed, with a note of how (e.g. "Đã trả lời bằng Công văn số 45/UBND-VP").

These are plain register operations in the caller's transaction, for the command line, the
clerk's web desk and the scheduler alike. Each one is an audit event carrying the old and the
new values and who acted. Reassigning is allowed (a document passed on to another unit);
closing twice is refused, and so is assigning a closed entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from daemon.config import RegisterSettings
from daemon.errors import PermanentError
from daemon.register import audit, clock, search
from daemon.register.deadline import deadline_in
from daemon.register.models import Entry, clean_text
from daemon.register.registry import entry_label

_NAME_MAX = 300  # recipient_unit and assignee columns
_TZ = RegisterSettings().timezone  # dates in messages are the office's


class FollowUpError(PermanentError):
    """An entry cannot be assigned or closed; the reason names the entry and why."""


def find_entry(session: Session, year: int, seq: int, *, book: str = "den") -> Entry:
    """The entry `seq`/`year` of `book`, locked for update (PostgreSQL) so two clerks acting on
    it at once take turns."""
    entry = session.scalar(
        select(Entry)
        .where(Entry.book == book, Entry.year == year, Entry.seq == seq)
        .with_for_update()
    )
    if entry is None:
        raise FollowUpError(f"no entry {seq}/{year} in the sổ {'đến' if book == 'den' else 'đi'}")
    return entry


def assign(
    session: Session,
    entry: Entry,
    *,
    unit: str,
    person: str | None = None,
    actor: str | None = None,
    at: dt.datetime | None = None,
) -> Entry:
    """Give the entry to `unit` (and `person`): fills đơn vị hoặc người nhận and ngày chuyển."""
    label = entry_label(entry)
    if entry.book != "den":
        raise FollowUpError(f"{label}: only incoming documents (sổ đến) are assigned")
    if entry.closed_at is not None:
        raise FollowUpError(f"{label} was closed on {_day(entry.closed_at)}: it is handled")
    unit_name = _name(unit, "unit", label)
    person_name = _name(person, "person", label) if person is not None else None
    before = _assignment(entry)
    entry.recipient_unit, entry.assignee = unit_name, person_name
    entry.transferred_at = at or clock.now()
    session.flush()
    audit.append(session, "assigned", label, {"old": before, "new": _assignment(entry)}, actor)
    search.reindex(session, entry.document_id)  # the unit and the person are searchable
    return entry


def route(session: Session, entry: Entry, unit: str | None, at: dt.datetime) -> None:
    """At registration: the unit the routing rules name, if any, is the entry's recipient,
    handed over when it is registered (an automatic assignment, audited like the clerk's)."""
    if unit and unit.strip():
        assign(session, entry, unit=unit, at=at, actor=None)


def close(
    session: Session,
    entry: Entry,
    *,
    note: str | None = None,
    actor: str | None = None,
    at: dt.datetime | None = None,
) -> Entry:
    """Mark the entry handled (closed_at, closing_note). A second close is refused."""
    label = entry_label(entry)
    if entry.closed_at is not None:
        raise FollowUpError(
            f"{label} is already closed (on {_day(entry.closed_at)}"
            + (f": {entry.closing_note}" if entry.closing_note else "")
            + ")"
        )
    before = _closing(entry)
    entry.closed_at = at or clock.now()
    entry.closing_note = (clean_text(note).strip() or None) if note is not None else None
    session.flush()
    audit.append(session, "closed", label, {"old": before, "new": _closing(entry)}, actor)
    search.reindex(session, entry.document_id)  # the closing note is searchable
    return entry


def due_from_text(
    session: Session, entry: Entry, text: str, tz: dt.tzinfo, actor: str | None = None
) -> bool:
    """Give an open incoming entry the deadline its document writes ("báo cáo về Sở Nội vụ
    trước ngày 15/12/2026"), when one is found in `text` read after registration (a scan's
    body comes with the full-text pass); audited. A deadline already taken from the
    document stands. Whether the hạn giải quyết changed."""
    if entry.book != "den" or entry.closed_at is not None or entry.due_basis == "document":
        return False
    written = deadline_in(text, entry.received_at.astimezone(tz).date())
    if written is None or written == entry.due_date and entry.due_at is None:
        return False
    before = _due(entry)
    entry.due_date, entry.due_at, entry.due_basis = written, None, "document"
    session.flush()
    audit.append(
        session, "due_from_document", entry_label(entry), {"old": before, "new": _due(entry)}, actor
    )
    return True


def _due(entry: Entry) -> dict[str, Any]:
    return {
        "due_date": entry.due_date.isoformat() if entry.due_date else None,
        "due_at": _when(entry.due_at),
        "due_basis": entry.due_basis,
    }


def _name(value: str | None, what: str, label: str) -> str:
    text = " ".join(clean_text(value or "").split())
    if not text:
        raise FollowUpError(f"{label}: the {what} must not be empty")
    if len(text) > _NAME_MAX:
        raise FollowUpError(f"{label}: the {what} is longer than {_NAME_MAX} characters")
    return text


def _assignment(entry: Entry) -> dict[str, Any]:
    return {
        "recipient_unit": entry.recipient_unit,
        "assignee": entry.assignee,
        "transferred_at": _when(entry.transferred_at),
    }


def _closing(entry: Entry) -> dict[str, Any]:
    return {"closed_at": _when(entry.closed_at), "closing_note": entry.closing_note}


def _when(value: dt.datetime | None) -> str | None:
    return clock.iso_utc(value) if value is not None else None


def _day(value: dt.datetime) -> str:
    return clock.local(value, _TZ).date().isoformat()
