"""The clerk's corrections: fixing what reading got wrong, confirming an entry, and dealing with
files that could not be registered.

Reading is sure of some fields and unsure of others; an entry with an unsure key field waits as
`needs_review` ("cần xem lại"). The clerk looks at the scan, corrects the fields (trích yếu,
số và ký hiệu, ngày tháng văn bản...) and confirms the entry (`registered`). A corrected field
is the clerk's reading, so its confidence becomes 1.

The số đến is never touched here: it was given when the document arrived (Nghị định 30/2020,
Điều 22) and a misread number or date of the document does not make it arrive again.

A file that could not be read sits in failed/ with a reason. The clerk either deals with it on
paper and marks it handled, or fixes the cause and re-queues it; both are audit events on the
failed job (`job/N`), which is how the desk knows which failures are still open.

All operations run in the caller's transaction and append an audit event per change, with
who acted, the old value and the new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from daemon.errors import PermanentError
from daemon.ocr.model import DOUBT, FIELDS, FieldInfo
from daemon.register import audit
from daemon.register.models import (
    FAILED,
    NEEDS_REVIEW,
    REGISTERED,
    AuditEvent,
    Document,
    Entry,
    Job,
    clean_text,
    fit,
)
from daemon.register.record import entry_digest
from daemon.register.registry import entry_label

#: Fields the clerk may correct. Độ mật is not among them: a secret document never belongs in
#: the networked register, so it is handled on paper and never "corrected" into or out of it.
CORRECTABLE: dict[str, FieldInfo] = {info.name: info for info in FIELDS if info.name != "secrecy"}
HANDLED_EVENTS = ("failure_handled", "failure_requeued")
_LIST_MAX = 50  # lines of Nơi nhận / Kính gửi


class CorrectionError(PermanentError):
    """A correction or confirmation was refused; the message names the entry and the reason."""


def find_entry(session: Session, book: str, year: int, seq: int) -> Entry:
    """The entry `seq`/`year` of `book` with its document, locked for update (PostgreSQL) so two
    clerks correcting it at once take turns."""
    entry = session.scalar(
        select(Entry)
        .where(Entry.book == book, Entry.year == year, Entry.seq == seq)
        .with_for_update()
    )
    if entry is None:
        raise CorrectionError(f"no entry {seq}/{year} in the sổ {'đến' if book == 'den' else 'đi'}")
    return entry


def parse_value(name: str, raw: str | list[str] | None) -> Any:
    """The stored form of a field the clerk typed: NFC text cut to the column, a date from
    YYYY-MM-DD or DD/MM/YYYY, a list of lines; empty means "not on the document" (None)."""
    info = CORRECTABLE.get(name)
    if info is None:
        raise CorrectionError(f"{name!r} is not a field that can be corrected")
    if info.kind == "list":
        lines = raw.splitlines() if isinstance(raw, str) else list(raw or [])
        cleaned = [" ".join(clean_text(line).split()) for line in lines]
        kept = [line for line in cleaned if line]
        if len(kept) > _LIST_MAX:
            raise CorrectionError(f"{info.label}: more than {_LIST_MAX} lines")
        return kept
    if isinstance(raw, list):
        raise CorrectionError(f"{info.label}: one value expected")
    text = " ".join(clean_text(raw or "").split())
    if not text:
        return None
    if info.kind == "date":
        return _parse_date(text, info.label)
    if info.length and len(text) > info.length:
        raise CorrectionError(f"{info.label}: longer than {info.length} characters")
    return fit(text, info.length)


def correct(
    session: Session,
    book: str,
    year: int,
    seq: int,
    changes: Mapping[str, str | list[str] | None],
    actor: str | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Set the fields in `changes` (field name -> what the clerk typed) on the entry's document.
    Returns {field: (old, new)} for the fields that really changed; each is one audit event
    `corrected`. Values equal to the stored ones are left alone and not audited."""
    if not changes:
        raise CorrectionError("nothing to correct: name at least one field")
    entry = find_entry(session, book, year, seq)
    label = entry_label(entry)
    parsed = {name: parse_value(name, raw) for name, raw in changes.items()}
    document = session.get_one(Document, entry.document_id)
    changed: dict[str, tuple[Any, Any]] = {}
    confidence = dict(document.confidence or {})
    for name, new in parsed.items():
        column = CORRECTABLE[name].column
        old = getattr(document, column)
        if _same(old, new):
            continue
        setattr(document, column, new)
        confidence[name] = 1.0  # the clerk read it
        changed[name] = (old, new)
    if not changed:
        return changed
    document.confidence = confidence
    session.flush()
    _reindex(session, document.id)
    # Each event vouches for the entry as it now stands, so `vanthu verify` checks the
    # corrected fields (the last such event counts; see daemon/register/record.py).
    vouch = {"sha256": document.sha256, "digest": entry_digest(entry, document)}
    for name, (old, new) in changed.items():
        data = {"field": name, "old": old, "new": new, **vouch}
        audit.append(session, "corrected", label, data, actor=actor)
    return changed


def confirm(session: Session, book: str, year: int, seq: int, actor: str | None = None) -> Entry:
    """The clerk has looked: `needs_review` becomes `registered` (one audit event)."""
    entry = find_entry(session, book, year, seq)
    label = entry_label(entry)
    document = session.get_one(Document, entry.document_id)
    if document.status != NEEDS_REVIEW:
        raise CorrectionError(f"{label} is {document.status}, not waiting for review")
    document.status = REGISTERED
    change: dict[str, Any] = {"old": NEEDS_REVIEW, "new": REGISTERED}
    note = _without_doubts(entry.note)
    if note != entry.note:  # the ghi chú no longer says a field is unsure: the clerk looked
        change |= {"note_old": entry.note, "note_new": note}
        entry.note = note
    session.flush()
    audit.append(session, "confirmed", label, change, actor=actor)
    return entry


def _without_doubts(note: str | None) -> str | None:
    """The ghi chú less the reader's "chưa chắc: ..." (other remarks, such as a signature's
    or the sender's, stay)."""
    if not note:
        return note
    kept = [part for part in note.split("; ") if not part.startswith(DOUBT)]
    return "; ".join(kept) or None


def failed_job(session: Session, job_id: int) -> Job:
    """A failed job that is still open (not yet handled or re-queued)."""
    job = session.scalar(select(Job).where(Job.id == job_id).with_for_update())
    if job is None:
        raise CorrectionError(f"no job {job_id}")
    if job.state != FAILED:
        raise CorrectionError(f"job {job_id} ({job.original_name}) is {job.state}, not failed")
    if job.id in handled_jobs(session, [job.id]):
        raise CorrectionError(f"job {job_id} ({job.original_name}) was already dealt with")
    return job


def mark_handled(
    session: Session, job_id: int, note: str | None = None, actor: str | None = None
) -> Job:
    """The clerk dealt with a failed file outside vanthu (registered it by hand, asked for a
    better scan...): it leaves the list of open failures. The file stays in failed/."""
    job = failed_job(session, job_id)
    text = " ".join(clean_text(note or "").split()) or None
    audit.append(
        session,
        "failure_handled",
        f"job/{job.id}",
        {"name": job.original_name, "reason": job.last_error, "note": text},
        actor=actor,
    )
    return job


def record_requeued(
    session: Session, job_id: int, new_job_id: int | None, actor: str | None = None
) -> None:
    """A failed file was staged again (`new_job_id`; None when the same bytes were already
    waiting or done): the failure is closed with a pointer to what follows."""
    job = failed_job(session, job_id)
    audit.append(
        session,
        "failure_requeued",
        f"job/{job.id}",
        {"name": job.original_name, "reason": job.last_error, "new_job": new_job_id},
        actor=actor,
    )


def handled_jobs(session: Session, job_ids: list[int] | None = None) -> set[int]:
    """The ids of failed jobs the clerk has marked handled or re-queued."""
    query = select(AuditEvent.subject).where(AuditEvent.event.in_(HANDLED_EVENTS))
    if job_ids is not None:
        query = query.where(AuditEvent.subject.in_([f"job/{i}" for i in job_ids]))
    return {int(subject.split("/", 1)[1]) for subject in session.scalars(query)}


def _parse_date(text: str, label: str) -> dt.date:
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise CorrectionError(f"{label}: {text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, list):
        return list(old or []) == new
    return bool(old == new)


def _reindex(session: Session, document_id: int) -> None:
    """Keep the search index in step with the corrected fields."""
    from daemon.register import search

    search.reindex(session, document_id)
