"""The later, low-priority pass: the full text of a registered scan, for search.

Registration needs only the regions that hold the fields; the body of a scan is OCR'd
afterwards, from the archived original, when no incoming document is waiting. A `fulltext`
job carries the document's id (never content) and replaces the document's text when done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from daemon.archive import Archive
from daemon.config import ServiceSettings
from daemon.logs import event
from daemon.ocr.model import Reading, UnreadableDocument
from daemon.register import jobs
from daemon.register.models import DONE, FAILED, Document, Job

log = logging.getLogger("vanthu.fulltext")

KIND = "fulltext"


class BodyReader(Protocol):
    def read_body(self, path: Path) -> Reading: ...


def enqueue(session: Session, document: Document) -> Job:
    """Ask for the full text of `document` (in the registering transaction)."""
    return jobs.enqueue(
        session,
        KIND,
        sha256=None,
        original_name=document.original_name,
        source=document.source,
        payload={
            "document_id": document.id,
            "sha256": document.sha256,
            "media_type": document.media_type,
        },
    )


@dataclass(frozen=True)
class FullTextTicket:
    id: int
    payload: dict[str, Any]
    attempts: int
    worker: str | None

    @classmethod
    def of(cls, job: Job) -> FullTextTicket:
        return cls(job.id, dict(job.payload), job.attempts, job.claimed_by)


class FullText:
    def __init__(
        self, sessions: sessionmaker[Session], archive: Archive, retries: ServiceSettings
    ) -> None:
        self.sessions = sessions
        self.archive = archive
        self.retries = retries

    def claim(self, worker: str, lease_seconds: float, limit: int) -> list[FullTextTicket]:
        with self.sessions.begin() as session:
            claimed = jobs.claim(
                session, worker, kinds=(KIND,), lease_seconds=lease_seconds, limit=limit
            )
            return [FullTextTicket.of(job) for job in claimed]

    def read(self, reader: BodyReader, ticket: FullTextTicket) -> Reading | BaseException:
        """Runs in a reading thread; the exception travels back as the result."""
        p = ticket.payload
        try:
            return reader.read_body(self.archive.path(p["sha256"], p["media_type"]))
        except Exception as exc:  # noqa: BLE001 - conclude() decides
            return exc

    def conclude(self, ticket: FullTextTicket, result: Reading | BaseException) -> str:
        with self.sessions.begin() as session:
            job = session.get_one(Job, ticket.id)
            if isinstance(result, Reading):
                document = session.get_one(Document, ticket.payload["document_id"])
                document.text = result.text
                jobs.finish(session, job, DONE, document_id=document.id, worker=ticket.worker)
                state = DONE
            elif (
                isinstance(result, UnreadableDocument)
                or ticket.attempts >= self.retries.max_attempts
            ):
                jobs.finish(session, job, FAILED, error=str(result), worker=ticket.worker)
                state = FAILED
            else:
                delay = self.retries.retry_delay(ticket.attempts)
                jobs.retry_later(
                    session, job, f"{type(result).__name__}: {result}", delay, worker=ticket.worker
                )
                state = "retry"
        event(log, "full-text", document=ticket.payload["document_id"], state=state)
        return state
