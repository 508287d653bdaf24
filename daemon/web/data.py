"""What the desk's pages read from the register: one page of a book with its filters, the review
queue, an entry's audit trail, open failures, and the numbers for /healthz and /metrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, defer

from daemon.register.models import (
    ACTIVE_STATES,
    FAILED,
    NEEDS_REVIEW,
    AuditEvent,
    Delivery,
    Document,
    Entry,
    Job,
)

PAGE = 100  # lines of a book per page
_DOC = cast(Any, Document)  # the field columns are set from FIELDS, unseen by mypy


@dataclass(frozen=True)
class BookFilter:
    book: str = "den"
    year: int | None = None
    status: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    unit: str | None = None
    overdue: bool = False
    query: str | None = None  # search words (the register's search, when installed)
    page: int = 1


def book_page(
    session: Session, wanted: BookFilter, today: dt.date
) -> tuple[list[tuple[Entry, Document]], int]:
    """One page of the book, newest number first, and how many lines match in all."""
    criteria: list[ColumnElement[bool]] = [Entry.book == wanted.book]
    if wanted.year:
        criteria.append(Entry.year == wanted.year)
    if wanted.overdue:
        criteria += [Entry.closed_at.is_(None), Entry.due_date < today]
    # Counting and skipping pages on the entries alone keeps to their (book, year, seq)
    # index: joining every skipped line's document cost 75-90 ms at 50,000 entries.
    on_documents = bool(wanted.status or wanted.doc_type or wanted.issuer or wanted.query)
    if wanted.status:
        criteria.append(Document.status == wanted.status)
    if wanted.doc_type:
        criteria.append(_DOC.doc_type == wanted.doc_type)
    if wanted.issuer:
        criteria.append(_DOC.issuer.contains(wanted.issuer, autoescape=True))
    if wanted.unit:
        criteria.append(Entry.recipient_unit.contains(wanted.unit, autoescape=True))
    if wanted.query:
        criteria.append(_matching(session, wanted))
    lines = select(Entry.id).select_from(Entry)
    if on_documents:
        lines = lines.join(Document, Entry.document_id == Document.id)
    lines = lines.where(*criteria)
    total = session.scalar(select(func.count()).select_from(lines.subquery()))
    newest_first = (Entry.year.desc(), Entry.seq.desc())
    shown = lines.order_by(*newest_first).offset((max(wanted.page, 1) - 1) * PAGE).limit(PAGE)
    query = (
        select(Entry, Document)
        .join(Document, Entry.document_id == Document.id)
        .where(Entry.id.in_(shown.scalar_subquery()))
        .order_by(*newest_first)
        .options(defer(Document.text))
    )
    return [(e, d) for e, d in session.execute(query)], int(total or 0)


def _matching(session: Session, wanted: BookFilter) -> ColumnElement[bool]:
    """Entries the search finds for the words; a plain match on number, subject and issuer
    where the register has no search index."""
    text = wanted.query or ""
    try:
        from daemon.register import search
    except ImportError:  # pragma: no cover - search ships with the register
        search = None  # type: ignore[assignment]
    if search is not None:
        try:
            hits = search.search(session, text, book=wanted.book, year=wanted.year, limit=500)
        except search.QueryError:
            hits = []
        pairs = [(h.year, h.seq) for h in hits]
        if not pairs:
            return Entry.id < 0
        return or_(*[(Entry.year == y) & (Entry.seq == s) for y, s in pairs])
    like = [
        _DOC.number.contains(text, autoescape=True),
        _DOC.subject.contains(text, autoescape=True),
        _DOC.issuer.contains(text, autoescape=True),
    ]
    return or_(*like)


def review_queue(session: Session, limit: int = 200) -> list[tuple[Entry, Document]]:
    """Entries waiting for a clerk's look, oldest first (both books)."""
    query = (
        select(Entry, Document)
        .join(Document, Entry.document_id == Document.id)
        .where(Document.status == NEEDS_REVIEW)
        .order_by(Entry.received_at, Entry.id)
        .limit(limit)
        .options(defer(Document.text))
    )
    return [(e, d) for e, d in session.execute(query)]


def find(session: Session, book: str, year: int, seq: int) -> tuple[Entry, Document] | None:
    found = session.execute(
        select(Entry, Document)
        .join(Document, Entry.document_id == Document.id)
        .where(Entry.book == book, Entry.year == year, Entry.seq == seq)
        .options(defer(Document.text))
    ).first()
    return (found[0], found[1]) if found else None


def trail(session: Session, label: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.subject == label).order_by(AuditEvent.id)
    return list(session.scalars(query))


def counts(session: Session) -> dict[str, Any]:
    """The numbers /healthz and /metrics report (no document content)."""
    by_status = dict(
        session.execute(select(Document.status, func.count()).group_by(Document.status)).all()
    )
    jobs = dict(session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    deliveries = dict(
        session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all()
    )
    waiting = sum(int(jobs.get(state, 0)) for state in ACTIVE_STATES)
    return {
        "documents": {str(k): int(v) for k, v in by_status.items()},
        "jobs": {str(k): int(v) for k, v in jobs.items()},
        "jobs_waiting": waiting,
        "failed": int(jobs.get(FAILED, 0)),
        "deliveries": {str(k): int(v) for k, v in deliveries.items()},
    }
