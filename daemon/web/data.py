"""What the desk's pages read from the register: one page of a book with its filters, the review
queue, an entry's audit trail, open failures, and the numbers for /healthz and /metrics."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, TypeVar, cast

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

PAGE = 50  # lines of a book per page: a screen or two; 100 doubled the HTML and its rendering
T = TypeVar("T")
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


def book_page(session: Session, wanted: BookFilter, today: dt.date) -> tuple[list[Line], int]:
    """One page of the book, newest number first, and how many lines match in all.

    Each line holds the columns the book shows (`Line`), not the entry and
    document objects: building 100 of each with their JSON columns decoded cost more than
    the query itself.
    """
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
    count = select(func.count()).select_from(lines.subquery())
    key = ("count", replace(wanted, page=1), today)
    total = KEPT.get(session, key, lambda: int(session.scalar(count) or 0))
    newest_first = (Entry.year.desc(), Entry.seq.desc())
    shown = lines.order_by(*newest_first).offset((max(wanted.page, 1) - 1) * PAGE).limit(PAGE)
    query = (
        select(*LINE_COLUMNS)
        .join(Document, Entry.document_id == Document.id)
        .where(Entry.id.in_(shown.scalar_subquery()))
        .order_by(*newest_first)
    )
    return [Line(*row) for row in session.execute(query)], total


class Line(NamedTuple):
    """What a line of either book shows (Phụ lục IV), and what marks it. A plain tuple:
    Jinja reads a SQLAlchemy row's attributes about ten times slower."""

    book: str
    year: int
    seq: int
    received_at: dt.datetime
    recipient_unit: str | None
    transferred_at: dt.datetime | None
    receipt_signature: str | None
    note: str | None
    due_date: dt.date | None
    closed_at: dt.datetime | None
    copies: int | None
    status: str
    issuer: str | None
    number: str | None
    doc_date: dt.date | None
    doc_type: str | None
    subject: str | None
    signer: str | None
    recipients: list[str] | None


LINE_COLUMNS = (
    Entry.book,
    Entry.year,
    Entry.seq,
    Entry.received_at,
    Entry.recipient_unit,
    Entry.transferred_at,
    Entry.receipt_signature,
    Entry.note,
    Entry.due_date,
    Entry.closed_at,
    Entry.copies,
    Document.status,
    _DOC.issuer,
    _DOC.number,
    _DOC.doc_date,
    _DOC.doc_type,
    _DOC.subject,
    _DOC.signer,
    _DOC.recipients,
)


Mark = tuple[int, int]
MISSING: Any = object()


class UntilChanged:
    """Answers kept until the register changes: the book's total per filter, the review queue,
    and (daemon/web/fragments.py) the rendered lines of a book page.

    The book's COUNT walks every matching line (5-10 ms for a year of 50,000 on SQLite, more
    with a filter on the documents) and every page view asks for it; the review queue is
    the same list for every clerk. The register's change mark is the newest audit event
    (every change to an entry is audited) and the newest entry (for entries added without
    one, such as a bulk load): one statement on two primary keys. Keys name the register (one
    cache serves any), and whatever else the answer depends on ("overdue" moves with today).

    A mark must be read before the answer it keys: an answer newer than its mark is harmless
    (it is only served to requests that began before the change), an older one never is.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[Any, ...], tuple[Mark, Any]] = OrderedDict()
        # Locks by a key's hash (not one per key: keys come from requests' filters).
        self._computing = [threading.Lock() for _ in range(16)]

    def get(self, session: Session, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The answer kept for `key` in this register, else `compute()` kept."""
        key = (str(session.get_bind().engine.url), *key)
        return self.get_at(session_mark(session), key, compute)

    def get_at(self, mark: Mark, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The answer kept for `key` at `mark`, else `compute()` kept. One thread computes a
        key at a time: when the register changes, twenty clerks' next views of the same page
        wait for one computation instead of making twenty."""
        found = self.peek(key, mark)
        if found is not MISSING:
            return cast(T, found)
        with self._computing[hash(key) % len(self._computing)]:
            found = self.peek(key, mark)  # made meanwhile by the thread we waited for
            if found is MISSING:
                found = compute()
                self.keep(key, mark, found)
        return cast(T, found)

    def peek(self, key: tuple[Any, ...], mark: Mark) -> Any:
        """The answer kept for `key` at `mark`, or `MISSING`."""
        with self._lock:
            found = self._kept.get(key)
            if found is None or found[0] != mark:
                return MISSING
            self._kept.move_to_end(key)
            return found[1]

    def keep(self, key: tuple[Any, ...], mark: Mark, value: object) -> None:
        with self._lock:
            self._kept[key] = (mark, value)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


KEPT = UntilChanged()


def register_mark(session: Session) -> Mark:
    """The newest entry and the newest audit event: changes whenever the register does.
    Asked on every page view, so one plain statement on two primary keys, sent as it is: the
    ORM's compiling and caching of the same query cost three times the query (0.3 ms)."""
    newest = session.connection().exec_driver_sql(_MARK_SQL).one()
    return int(newest[0] or 0), int(newest[1] or 0)


_MARK_SQL = (
    f"SELECT (SELECT max(id) FROM {Entry.__tablename__}),"
    f" (SELECT max(id) FROM {AuditEvent.__tablename__})"
)


def session_mark(session: Session) -> Mark:
    """`register_mark` once per transaction: the answers it keys then share one mark."""
    transaction = session.get_transaction()
    found = session.info.get("register_mark")
    if found is not None and found[0] is transaction:
        return cast(Mark, found[1])
    mark = register_mark(session)
    # The query may have begun the transaction: ask for it again.
    session.info["register_mark"] = (session.get_transaction(), mark)
    return mark


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


class Resolution(NamedTuple):
    """A clerk's answer about an uncertain delivery, after asking the recipient: who, when,
    whether it had arrived, and the note they gave (user input: escaped where shown)."""

    actor: str
    at: dt.datetime
    arrived: bool
    note: str | None


def resolutions(session: Session) -> dict[int, Resolution]:
    """The last answer given for each delivery ever resolved, by delivery id. The answer is
    kept only in the audit trail (`delivery_resolved`), which has no index on the kind of
    event: read once, and kept until the register changes."""

    def read() -> dict[int, Resolution]:
        query = (
            select(AuditEvent.subject, AuditEvent.actor, AuditEvent.at, AuditEvent.data)
            .where(AuditEvent.event == "delivery_resolved")
            .order_by(AuditEvent.id)
        )
        found: dict[int, Resolution] = {}
        for subject, actor, at, payload in session.execute(query):
            kind, _, number = subject.partition("/")
            if kind == "delivery" and number.isdigit():
                note = payload.get("note")
                found[int(number)] = Resolution(
                    actor, at, bool(payload.get("arrived")), str(note) if note else None
                )
        return found

    return KEPT.get(session, ("resolutions",), read)


class Waiting(NamedTuple):
    """An entry of the review queue, as its list shows it (`id` is the entry's)."""

    id: int
    book: str
    year: int
    seq: int
    subject: str | None
    original_name: str


def review_queue(session: Session, limit: int = 200) -> list[Waiting]:
    """Entries waiting for a clerk's look, oldest first (both books): only what the queue's
    list shows (`id` is the entry's; `review_entry` loads the one being looked at). The same
    for every clerk, so kept until the register changes."""
    query = (
        select(
            Entry.id,
            Entry.book,
            Entry.year,
            Entry.seq,
            _DOC.subject,
            Document.original_name,
        )
        .join(Document, Entry.document_id == Document.id)
        .where(Document.status == NEEDS_REVIEW)
        .order_by(Entry.received_at, Entry.id)
        .limit(limit)
    )
    return KEPT.get(
        session, ("review", limit), lambda: [Waiting(*row) for row in session.execute(query)]
    )


def review_entry(session: Session, entry_id: int) -> tuple[Entry, Document] | None:
    """The entry of the review queue being looked at, with its document (every field)."""
    found = session.execute(
        select(Entry, Document)
        .join(Document, Entry.document_id == Document.id)
        .where(Entry.id == entry_id)
        .options(defer(Document.text))
    ).first()
    return (found[0], found[1]) if found else None


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
