"""The later, low-priority pass: the full text of a registered scan, for search.

Registration needs only the regions that hold the fields; the body of a scan is OCR'd
afterwards, from the archived original, when no incoming document is waiting (its handler
comes after the incoming one). A `fulltext` job carries the document's id (never content)
and replaces the document's text when done.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from daemon.alerts import alert
from daemon.ingest import FULLTEXT
from daemon.logs import event
from daemon.ocr.fields import extract_fields
from daemon.ocr.model import Reading
from daemon.register import follow, jobs, search
from daemon.register.models import DONE, FAILED, NEEDS_REVIEW, Document, Job
from daemon.work.job import Outcome, Ticket
from daemon.work.parts import Parts

log = logging.getLogger("vanthu.fulltext")


def enqueue(session: Session, document: Document) -> Job:
    """Ask for the full text of `document` (in the registering transaction)."""
    return jobs.enqueue(
        session,
        FULLTEXT,
        sha256=None,
        original_name=document.original_name,
        source=document.source,
        payload={
            "document_id": document.id,
            "sha256": document.sha256,
            "media_type": document.media_type,
        },
    )


class FullTextHandler:
    kind = FULLTEXT
    priority = 90  # only when nothing else waits

    def __init__(self, parts: Parts) -> None:
        self.parts = parts

    def analyse(self, ticket: Ticket) -> Reading:
        p = ticket.payload
        return self.parts.reader.read_body(self.parts.archive.path(p["sha256"], p["media_type"]))

    def conclude(self, ticket: Ticket, reading: Reading) -> Outcome:
        # A second look before the body is kept: a secrecy mark the fields' regions missed.
        fields = extract_fields(reading, self.parts.rules.doc_types)
        secret = self.parts.rules.set_aside_reason(fields)
        with self.parts.sessions.begin() as session:
            document = session.get_one(Document, ticket.payload["document_id"])
            if secret is None:
                document.text = reading.text
                for entry in document.entries:  # a deadline the fields' regions did not hold
                    follow.due_from_text(session, entry, reading.text, self.parts.rules.calendar.tz)
            else:  # registered already (numbers are never taken back): not its body, and say so
                document.status = NEEDS_REVIEW
                for entry in document.entries:
                    entry.note = "; ".join(filter(None, [entry.note, f"full text: {secret}"]))
            search.reindex(session, document.id)  # the whole text, or the note, is searchable
            jobs.finish(session, ticket.id, DONE, document_id=document.id, worker=ticket.worker)
        event(log, "full-text", document=ticket.payload["document_id"], state=DONE)
        if secret is not None:
            alert("secret-registered", document=ticket.payload["document_id"], reason=secret)
        return Outcome(ticket.id, DONE)

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        """The entry stands; only its search text stays the fields' regions."""
        with self.parts.sessions.begin() as session:
            jobs.finish(session, ticket.id, FAILED, error=reason, worker=ticket.worker)
        event(
            log,
            "full-text",
            logging.WARNING,
            document=ticket.payload["document_id"],
            state=FAILED,
            reason=reason,
        )
        return Outcome(ticket.id, FAILED, reason=reason)
