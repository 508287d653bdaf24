"""Registering a document: the Document row, its Entry with the next number, the audit event.

Everything happens in the caller's transaction, so the pipeline can commit the entry and the
job's end together (DESIGN principle 1) and a rollback returns the number (principle 3).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from daemon.ocr.model import Fields
from daemon.register import audit, clock, search
from daemon.register.models import (
    BOOKS,
    NEEDS_REVIEW,
    REGISTERED,
    Document,
    Entry,
    SignatureCheck,
    clean_text,
    fit,
    store_fields,
)
from daemon.register.numbering import next_number, take_number
from daemon.register.record import entry_digest

_SHA256 = re.compile(r"[0-9a-f]{64}")
STATUSES = (REGISTERED, NEEDS_REVIEW)


class AlreadyRegistered(Exception):
    """The same bytes already have an entry in this book. The transaction stays usable, so
    the caller can record the job as a duplicate in it."""

    def __init__(self, book: str, sha256: str, label: str | None) -> None:
        where = f" as {label}" if label else ""
        super().__init__(f"{sha256[:12]}… is already registered in book {book!r}{where}")
        self.book, self.sha256, self.label = book, sha256, label


def entry_label(entry: Entry) -> str:
    """How an entry is named in the audit trail and in messages: `den/2026/17`."""
    return f"{entry.book}/{entry.year}/{entry.seq}"


def register_document(
    session: Session,
    *,
    sha256: str,
    original_name: str,
    media_type: str,
    size: int,
    pages: int,
    source: str,
    provenance: Mapping[str, Any],
    text: str,
    text_source: str,
    fields: Fields,
    status: str,
    book: str = "den",
    received_at: dt.datetime,
    due_date: dt.date | None = None,
    due_at: dt.datetime | None = None,
    due_basis: str | None = None,
    tz: str,
    issued: tuple[int, int] | None = None,
) -> Entry:
    """File a document into `book` with the next number of the year it arrived (in `tz`), or,
    for an outgoing document, with the (year, number) it was `issued` with."""
    _check(sha256, book, status, size, pages)
    received_utc = clock.to_db(received_at)
    year = issued[0] if issued else received_at.astimezone(ZoneInfo(tz)).year
    document = _existing_document(session, sha256, book)
    try:
        # A savepoint: when another worker files the same bytes at the same moment, the
        # unique keys say so here, the number goes back, and the outer transaction survives
        # to record the duplicate.
        with session.begin_nested():
            if document is None:
                document = Document(
                    sha256=sha256,
                    original_name=fit(clean_text(original_name), 500),
                    media_type=media_type,
                    size=size,
                    pages=pages,
                    source=source,
                    status=status,
                    provenance=audit.jsonable(dict(provenance)),
                    text_source=text_source,
                    text=clean_text(text),
                    created_at=clock.now(),
                )
                store_fields(document, fields)
                session.add(document)
                session.flush()
            entry = Entry(
                book=book,
                year=year,
                seq=take_number(session, book, year, issued[1])
                if issued
                else next_number(session, book, year),
                document=document,
                received_at=received_utc,
                due_date=due_date,
                due_at=due_at,
                due_basis=due_basis if due_date else None,
            )
            session.add(entry)
    except IntegrityError as exc:
        try:
            _existing_document(session, sha256, book)
        except AlreadyRegistered as duplicate:
            raise duplicate from exc
        raise
    session.flush()
    search.reindex(session, document.id)  # searchable once this transaction commits
    audit.append(
        session,
        "registered",
        entry_label(entry),
        {
            "sha256": sha256,
            "document_id": document.id,
            "original_name": document.original_name,
            "source": source,
            "status": document.status,
            "received_at": received_utc,
            "number": fields.number,
            "due_date": due_date,
            "due_basis": entry.due_basis,
            "digest": entry_digest(entry, document),
        },
    )
    return entry


def _check(sha256: str, book: str, status: str, size: int, pages: int) -> None:
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"sha256 must be 64 lowercase hex digits, got {sha256!r}")
    if book not in BOOKS:
        raise ValueError(f"unknown register book {book!r} (known: {', '.join(BOOKS)})")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
    if size < 0 or pages < 0:
        raise ValueError("size and pages must not be negative")


def _existing_document(session: Session, sha256: str, book: str) -> Document | None:
    """The document with these bytes, if known; refuses a second entry in the same book.
    (One document may be in both books: an outgoing one that comes back to us.)"""
    document = session.scalar(select(Document).where(Document.sha256 == sha256))
    if document is None:
        return None
    entry = session.scalar(
        select(Entry).where(Entry.document_id == document.id, Entry.book == book)
    )
    if entry is not None:
        raise AlreadyRegistered(book, sha256, entry_label(entry))
    return document


def record_signatures(session: Session, document_id: int, verdicts: Iterable[Any]) -> None:
    """Keep the verdicts on a document's digital signatures (daemon.signatures.SignatureVerdict,
    as checked on arrival or before dispatch) with its entry."""
    now = clock.now()
    for v in verdicts:
        session.add(
            SignatureCheck(
                document_id=document_id,
                field_name=v.field_name,
                verdict=v.verdict,
                signer_name=v.signer_name,
                organisation=v.organisation,
                signing_time=v.signing_time if isinstance(v.signing_time, dt.datetime) else None,
                coverage=v.coverage,
                modification_level=v.modification_level,
                problem=v.problem,
                issuer=v.issuer,
                certificate_sha256=v.certificate_sha256,
                checked_at=now,
            )
        )
