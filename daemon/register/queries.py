"""Reading the register: entries as plain values for the CLI, reports and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.orm import Session, defer

from daemon.ocr.model import Fields
from daemon.register import clock
from daemon.register.models import (
    FAILED,
    SET_ASIDE,
    Delivery,
    Document,
    Entry,
    Job,
    SignatureCheck,
    document_fields,
)

_IN_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class SignatureRow:
    """One embedded digital signature of a document, as checked on arrival."""

    field_name: str
    verdict: str  # valid | untrusted | invalid | modified
    signer_name: str | None = None
    organisation: str | None = None
    signing_time: dt.datetime | None = None  # aware UTC
    coverage: str | None = None
    modification_level: str | None = None
    problem: str | None = None
    issuer: str | None = None
    certificate_sha256: str | None = None
    checked_at: dt.datetime | None = None  # aware UTC

    @classmethod
    def of(cls, check: SignatureCheck) -> SignatureRow:
        return cls(
            field_name=check.field_name,
            verdict=check.verdict,
            signer_name=check.signer_name,
            organisation=check.organisation,
            signing_time=clock.from_db(check.signing_time) if check.signing_time else None,
            coverage=check.coverage,
            modification_level=check.modification_level,
            problem=check.problem,
            issuer=check.issuer,
            certificate_sha256=check.certificate_sha256,
            checked_at=clock.from_db(check.checked_at),
        )

    def as_json(self) -> dict[str, Any]:
        return {name: _iso(getattr(self, name)) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class DeliveryRow:
    """One outgoing document to one recipient agency: where it stands."""

    id: int
    document_id: int
    number: str | None  # the document's số và ký hiệu
    recipient: str
    email: str | None
    status: str
    attempts: int
    message_id: str
    reply: str | None = None
    queue_id: str | None = None
    line: str = ""  # the Nơi nhận line it was read from
    last_error: str | None = None
    next_attempt_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    @classmethod
    def of(cls, delivery: Delivery, number: str | None) -> DeliveryRow:
        return cls(
            delivery.id,
            delivery.document_id,
            number,
            delivery.recipient,
            delivery.email,
            delivery.status,
            delivery.attempts,
            delivery.message_id,
            delivery.reply,
            delivery.queue_id,
            delivery.line,
            delivery.last_error,
            delivery.next_attempt_at,
            delivery.sent_at,
            delivery.updated_at,
        )

    def as_json(self) -> dict[str, Any]:
        return {name: _iso(getattr(self, name)) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class EntryRow:
    """One line of a register book with its document's extracted fields."""

    book: str
    year: int
    seq: int
    received_at: dt.datetime  # aware UTC
    sha256: str
    source: str
    status: str
    original_name: str
    pages: int
    media_type: str
    text_source: str
    size: int = 0
    due_date: dt.date | None = None
    note: str | None = None
    recipient_unit: str | None = None  # đơn vị hoặc người nhận
    transferred_at: dt.datetime | None = None  # ngày chuyển, aware UTC
    receipt_signature: str | None = None  # ký nhận
    due_at: dt.datetime | None = None  # the moment, when the rule counts office hours
    due_basis: str | None = None  # rule | urgency | document
    assignee: str | None = None  # the person, beside the unit
    closed_at: dt.datetime | None = None  # handled, aware UTC
    closing_note: str | None = None
    fields: Fields = field(default_factory=Fields)  # the fields read from the document
    # Where it came from (mail: mailbox, UID, Message-ID, From, Date, Subject...) and the
    # verdicts on its digital signatures, in the order they were checked.
    provenance: dict[str, Any] = field(default_factory=dict)
    signatures: tuple[SignatureRow, ...] = ()
    copies: int | None = None  # số lượng bản (sổ đi)
    deliveries: tuple[DeliveryRow, ...] = ()  # sổ đi: to whom it went, and how it stands

    @property
    def label(self) -> str:
        return f"{self.book}/{self.year}/{self.seq}"

    def as_json(self) -> dict[str, Any]:
        """Plain JSON data; times ISO 8601 in UTC, dates ISO, fields under `Fields` keys."""
        out: dict[str, Any] = {
            "book": self.book,
            "year": self.year,
            "seq": self.seq,
            "received_at": clock.from_db(self.received_at).isoformat(),
            "sha256": self.sha256,
            "source": self.source,
            "status": self.status,
            "original_name": self.original_name,
            "pages": self.pages,
            "size": self.size,
            "media_type": self.media_type,
            "text_source": self.text_source,
            "due_date": _iso(self.due_date),
            "due_at": _iso(self.due_at),
            "due_basis": self.due_basis,
            "note": self.note,
            "recipient_unit": self.recipient_unit,
            "transferred_at": _iso(self.transferred_at),
            "receipt_signature": self.receipt_signature,
            "assignee": self.assignee,
            "closed_at": _iso(self.closed_at),
            "closing_note": self.closing_note,
        }
        out.update(self.fields.as_json())  # every field under its name, then "confidence"
        out["provenance"] = dict(self.provenance)
        out["signatures"] = [sig.as_json() for sig in self.signatures]
        if self.book == "di":
            out["copies"] = self.copies
            out["recipients_matched"] = [
                {"recipient": d.recipient, "email": d.email, "status": d.status, "id": d.id}
                for d in self.deliveries
            ]
        return out


@dataclass(frozen=True)
class FailureRow:
    """A job that did not end in the register. Set-aside rows (secret documents, complaint
    letters) carry the file name and the reason only."""

    job_id: int
    state: str  # failed | set_aside
    name: str
    reason: str
    when: dt.datetime  # aware UTC
    source: str | None = None
    sha256: str | None = None
    attempts: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "state": self.state,
            "name": self.name,
            "reason": self.reason,
            "when": self.when.isoformat(),
            "source": self.source,
            "sha256": self.sha256,
            "attempts": self.attempts,
        }


def list_entries(
    session: Session,
    *,
    book: str | None = None,
    year: int | None = None,
    status: str | None = None,
    received_from: dt.datetime | None = None,
    received_before: dt.datetime | None = None,
) -> list[EntryRow]:
    """Entries in register order (book, year, number), optionally filtered."""
    criteria: list[ColumnElement[bool]] = []
    if book is not None:
        criteria.append(Entry.book == book)
    if year is not None:
        criteria.append(Entry.year == year)
    if status is not None:
        criteria.append(Document.status == status)
    if received_from is not None:
        criteria.append(Entry.received_at >= clock.to_db(received_from))
    if received_before is not None:
        criteria.append(Entry.received_at < clock.to_db(received_before))
    return _fetch(session, criteria)


def get_entry(session: Session, book: str, year: int, seq: int) -> EntryRow | None:
    """One entry by its number, or None."""
    found = _fetch(session, [Entry.book == book, Entry.year == year, Entry.seq == seq])
    return found[0] if found else None


def failures(session: Session, *, since: dt.datetime | None = None) -> list[FailureRow]:
    """Failed and set-aside jobs, newest first."""
    query = select(Job).where(Job.state.in_((FAILED, SET_ASIDE)))
    if since is not None:
        query = query.where(Job.updated_at >= clock.to_db(since))
    rows = []
    for job in session.scalars(query.order_by(Job.updated_at.desc(), Job.id.desc())):
        reason = job.last_error or ("set aside" if job.state == SET_ASIDE else "failed")
        when = clock.from_db(job.updated_at)
        if job.state == SET_ASIDE:
            rows.append(FailureRow(job.id, job.state, job.original_name, reason, when))
        else:
            rows.append(
                FailureRow(
                    job.id,
                    job.state,
                    job.original_name,
                    reason,
                    when,
                    source=job.source,
                    sha256=job.sha256,
                    attempts=job.attempts,
                )
            )
    return rows


def _fetch(session: Session, criteria: list[ColumnElement[bool]]) -> list[EntryRow]:
    query = (
        select(Entry, Document)
        .join(Document, Entry.document_id == Document.id)
        .where(*criteria)
        .order_by(Entry.book, Entry.year, Entry.seq)
        # The full text can run to megabytes per document; listings never need it.
        .options(defer(Document.text))
    )
    found = [(entry, document) for entry, document in session.execute(query)]
    ids = [document.id for _entry, document in found]
    signatures = _signatures(session, ids)
    sent = _deliveries(session, [d.id for e, d in found if e.book == "di"])
    return [
        _row(entry, document, signatures.get(document.id, ()), sent.get(document.id, ()))
        for entry, document in found
    ]


def _deliveries(session: Session, document_ids: list[int]) -> dict[int, tuple[DeliveryRow, ...]]:
    found: dict[int, list[DeliveryRow]] = {}
    for start in range(0, len(document_ids), _IN_CHUNK):
        chunk = document_ids[start : start + _IN_CHUNK]
        for row in list_deliveries(session, document_ids=chunk):
            found.setdefault(row.document_id, []).append(row)
    return {doc_id: tuple(rows) for doc_id, rows in found.items()}


def list_deliveries(
    session: Session,
    *,
    status: str | None = None,
    document_ids: list[int] | None = None,
    delivery_id: int | None = None,
) -> list[DeliveryRow]:
    """Deliveries, oldest first, with their document's số và ký hiệu."""
    documents = cast(Table, Document.__table__)
    query = select(Delivery, documents.c.number).join(
        documents, Delivery.document_id == documents.c.id
    )
    if status is not None:
        query = query.where(Delivery.status == status)
    if document_ids is not None:
        query = query.where(Delivery.document_id.in_(document_ids))
    if delivery_id is not None:
        query = query.where(Delivery.id == delivery_id)
    return [DeliveryRow.of(d, number) for d, number in session.execute(query.order_by(Delivery.id))]


def _signatures(session: Session, document_ids: list[int]) -> dict[int, tuple[SignatureRow, ...]]:
    """The signature checks of these documents, in the order each was recorded."""
    found: dict[int, list[SignatureRow]] = {}
    unique = sorted(set(document_ids))
    for start in range(0, len(unique), _IN_CHUNK):
        query = (
            select(SignatureCheck)
            .where(SignatureCheck.document_id.in_(unique[start : start + _IN_CHUNK]))
            .order_by(SignatureCheck.document_id, SignatureCheck.id)
        )
        for check in session.scalars(query):
            found.setdefault(check.document_id, []).append(SignatureRow.of(check))
    return {doc_id: tuple(rows) for doc_id, rows in found.items()}


def _row(
    entry: Entry,
    document: Document,
    signatures: tuple[SignatureRow, ...],
    deliveries: tuple[DeliveryRow, ...],
) -> EntryRow:
    return EntryRow(
        book=entry.book,
        year=entry.year,
        seq=entry.seq,
        received_at=clock.from_db(entry.received_at),
        sha256=document.sha256,
        source=document.source,
        status=document.status,
        original_name=document.original_name,
        pages=document.pages,
        size=document.size,
        media_type=document.media_type,
        text_source=document.text_source,
        due_date=entry.due_date,
        note=entry.note,
        recipient_unit=entry.recipient_unit,
        transferred_at=clock.from_db(entry.transferred_at) if entry.transferred_at else None,
        receipt_signature=entry.receipt_signature,
        due_at=clock.from_db(entry.due_at) if entry.due_at else None,
        due_basis=entry.due_basis,
        assignee=entry.assignee,
        closed_at=clock.from_db(entry.closed_at) if entry.closed_at else None,
        closing_note=entry.closing_note,
        fields=document_fields(document),
        provenance=dict(document.provenance or {}),
        signatures=signatures,
        copies=entry.copies,
        deliveries=deliveries,
    )


def _iso(value: object) -> object:
    if isinstance(value, dt.datetime):
        return clock.from_db(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
