"""The register rows a report counts, read straight from the entries and their documents
(only the columns a report needs; never the documents' full text)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from daemon.register import clock
from daemon.register.models import Document, Entry
from daemon.reports.counts import Item


def report_items(session: Session, start: dt.datetime, end: dt.datetime) -> list[Item]:
    """Entries of both books registered from `start` to `end` (aware instants, end excluded)."""
    # The field columns are made from daemon.ocr.model.FIELDS, so the ORM class does not
    # declare them to a type checker: the table does.
    documents = cast(Table, Document.__table__)
    query = (
        select(
            Entry.book,
            Entry.received_at,
            documents.c.doc_type,
            documents.c.issuer,
            Entry.recipient_unit,
            Entry.due_date,
            Entry.due_at,
            Entry.closed_at,
        )
        .join(documents, Entry.document_id == documents.c.id)
        .where(Entry.received_at >= clock.to_db(start), Entry.received_at < clock.to_db(end))
        .order_by(Entry.book, Entry.year, Entry.seq)
    )
    return [
        Item(
            book=row.book,
            received_at=clock.from_db(row.received_at),
            doc_type=row.doc_type,
            issuer=row.issuer,
            unit=row.recipient_unit,
            due_date=row.due_date,
            due_at=clock.from_db(row.due_at) if row.due_at else None,
            closed_at=clock.from_db(row.closed_at) if row.closed_at else None,
        )
        for row in session.execute(query)
    ]
