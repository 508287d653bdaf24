"""What the digest and the reminders read from the register: entries with the fields a notice
names (số, số và ký hiệu, cơ quan ban hành, trích yếu, độ khẩn, hạn, đơn vị nhận), outgoing
deliveries in trouble, and the numbers missing from the sổ đi."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from sqlalchemy import ColumnElement, Table, and_, func, select
from sqlalchemy.orm import Session

from daemon.register import clock
from daemon.register.models import NEEDS_REVIEW, Delivery, DeliveryStatus, Document, Entry

_documents = cast(Table, Document.__table__)  # the field columns are made from Fields at import
TROUBLE = (DeliveryStatus.FAILED, DeliveryStatus.BOUNCED, DeliveryStatus.UNCERTAIN)


@dataclass(frozen=True)
class Item:
    """One register entry as a notice lists it."""

    book: str
    year: int
    seq: int
    received_at: dt.datetime  # aware UTC
    number: str | None
    issuer: str | None
    subject: str | None
    urgency: str | None
    status: str
    due_date: dt.date | None
    unit: str | None
    assignee: str | None

    @property
    def urgent(self) -> bool:
        return bool(self.urgency and self.urgency.strip())


@dataclass(frozen=True)
class Trouble:
    """An outgoing delivery that failed, bounced or is uncertain."""

    number: str | None
    recipient: str
    email: str | None
    status: str
    reason: str | None


def _items(session: Session, *criteria: ColumnElement[bool]) -> list[Item]:
    rows = session.execute(
        select(
            Entry.book,
            Entry.year,
            Entry.seq,
            Entry.received_at,
            _documents.c.number,
            _documents.c.issuer,
            _documents.c.subject,
            _documents.c.urgency,
            Document.status,
            Entry.due_date,
            Entry.recipient_unit,
            Entry.assignee,
        )
        .join(Document, Entry.document_id == Document.id)
        .where(*criteria)
        .order_by(Entry.book, Entry.year, Entry.seq)
    )
    return [Item(*row) for row in rows]


def arrived(session: Session, since: dt.datetime, until: dt.datetime) -> list[Item]:
    """Incoming entries received in [since, until)."""
    return _items(
        session,
        Entry.book == "den",
        Entry.received_at >= clock.to_db(since),
        Entry.received_at < clock.to_db(until),
    )


def open_due_by(session: Session, last_day: dt.date) -> list[Item]:
    """Incoming entries not closed whose hạn giải quyết is on or before `last_day`."""
    return _items(
        session,
        Entry.book == "den",
        Entry.closed_at.is_(None),
        Entry.due_date.is_not(None),
        Entry.due_date <= last_day,
    )


def open_urgent(session: Session) -> list[Item]:
    """Incoming entries not closed that carry a độ khẩn (Khẩn, Thượng khẩn, Hỏa tốc)."""
    return _items(
        session,
        Entry.book == "den",
        Entry.closed_at.is_(None),
        and_(_documents.c.urgency.is_not(None), _documents.c.urgency != ""),
    )


def needing_review(session: Session) -> list[Item]:
    return _items(session, Document.status == NEEDS_REVIEW)


def deliveries_in_trouble(session: Session) -> list[Trouble]:
    rows = session.execute(
        select(
            _documents.c.number,
            Delivery.recipient,
            Delivery.email,
            Delivery.status,
            func.coalesce(Delivery.last_error, Delivery.reply),
        )
        .join(Document, Delivery.document_id == Document.id)
        .where(Delivery.status.in_([s.value for s in TROUBLE]))
        .order_by(Delivery.id)
    )
    return [Trouble(*row) for row in rows]


def outgoing_gaps(session: Session, year: int) -> list[tuple[int, int]]:
    """Runs of numbers missing from the sổ đi of `year`, below its highest: [(5, 7), (12, 12)]."""
    seqs = sorted(session.scalars(select(Entry.seq).where(Entry.book == "di", Entry.year == year)))
    gaps, expected = [], 1
    for seq in seqs:
        if seq > expected:
            gaps.append((expected, seq - 1))
        expected = max(expected, seq + 1)
    return gaps
