"""The incoming pipeline: a staged job -> read -> extract -> rules -> register | failed | set aside.

Two halves so reading can run in parallel while numbering stays in order:
`analyse` (no database, runs in a thread, farms OCR out to the process pool) and `conclude`
(the one boundary that turns an analysis or its exception into an outcome, STYLE.md item 4:
registered, failed with a reason, set aside, or retried later).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from daemon.alerts import alert
from daemon.archive import Archive
from daemon.config import Settings
from daemon.ingest import authenticity, fulltext
from daemon.ingest.setaside import place, write_reason
from daemon.ingest.stage import Spool
from daemon.logs import event
from daemon.ocr.fields import extract_fields
from daemon.ocr.model import KEY_FIELDS, Fields, Reading, UnreadableDocument
from daemon.register import jobs, mailstate, registry
from daemon.register.models import (
    DONE,
    DUPLICATE,
    FAILED,
    NEEDS_REVIEW,
    REGISTERED,
    SET_ASIDE,
    Entry,
    Job,
)
from daemon.rules import Rules
from daemon.signatures import SignatureVerdict, load_trust_roots

log = logging.getLogger("vanthu.pipeline")


class DocumentReader(Protocol):
    def read(self, path: Path) -> Reading: ...  # the field regions (fast)

    def read_body(self, path: Path) -> Reading: ...  # every page in full (for search, later)


@dataclass(frozen=True)
class Ticket:
    """A claimed job, detached from its session so it can cross threads."""

    id: int
    sha256: str
    name: str
    source: str
    payload: dict[str, Any]
    attempts: int
    staged_at: dt.datetime
    worker: str | None  # who claimed it: finishing checks the claim still holds

    @classmethod
    def of(cls, job: Job) -> Ticket:
        assert job.sha256 is not None
        return cls(
            job.id,
            job.sha256,
            job.original_name,
            job.source,
            dict(job.payload),
            job.attempts,
            job.created_at,
            job.claimed_by,
        )


@dataclass(frozen=True)
class Analysis:
    reading: Reading | None = None
    fields: Fields | None = None
    error: BaseException | None = None
    signatures: tuple[SignatureVerdict, ...] = ()
    signature_error: str | None = None


@dataclass(frozen=True)
class Outcome:
    job_id: int
    state: str  # done | failed | set_aside | retry
    reason: str | None = None
    number: tuple[str, int, int] | None = None  # (book, year, seq)
    status: str | None = None


def analyse(reader: DocumentReader, rules: Rules, path: Path, roots: list[object]) -> Analysis:
    """Read, extract, check signatures; never raises (the exception travels in the Analysis)."""
    try:
        reading = reader.read(path)
        fields = extract_fields(reading, rules.doc_types)
        verdicts, sig_error = authenticity.check_file(path, reading.media_type, roots)
        return Analysis(
            reading, authenticity.confirm_issuer(fields, verdicts), None, verdicts, sig_error
        )
    except BaseException as exc:  # noqa: BLE001 - conclude() decides what each error means
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return Analysis(error=exc)


def needs_review(fields: Fields, threshold: float, provenance: dict[str, Any]) -> list[str]:
    """Why a clerk should look at this entry's fields or origin (empty: nothing to review)."""
    reasons = [
        f"low confidence: {name}"
        for name in KEY_FIELDS
        if fields.confidence.get(name, 0.0) < threshold
    ]
    if provenance.get("sender_allowed") is False:
        reasons.append("sender not on the allow-list")
    return reasons


class Pipeline:
    def __init__(self, settings: Settings, sessions: sessionmaker[Session], rules: Rules) -> None:
        self.settings = settings
        self.sessions = sessions
        self.rules = rules
        self.spool = Spool(settings.paths.spool)
        self.archive = Archive(settings.paths.archive)
        self.tz = ZoneInfo(settings.register.timezone)
        roots = settings.trust.roots_dir
        self.trust_roots: list[object] = list(load_trust_roots(roots)) if roots.is_dir() else []

    def conclude(self, ticket: Ticket, analysis: Analysis) -> Outcome:
        error = analysis.error
        if isinstance(error, UnreadableDocument):
            return self._fail(ticket, error.reason)
        if error is not None:
            return self._retry_or_fail(ticket, error)
        assert analysis.reading is not None and analysis.fields is not None
        reason = self.rules.set_aside_reason(analysis.fields)
        if reason is not None:
            return self._set_aside(ticket, reason)
        return self._register(ticket, analysis)

    # -- outcomes ----------------------------------------------------------------------------

    def _register(self, ticket: Ticket, analysis: Analysis) -> Outcome:
        reading, fields = analysis.reading, analysis.fields
        assert reading is not None and fields is not None
        spooled = self.spool.path(ticket.sha256)
        self.archive.store(spooled, ticket.sha256, reading.media_type)
        provenance = ticket.payload.get("provenance", {})
        signature_problems = authenticity.problems(analysis.signatures, analysis.signature_error)
        review = needs_review(fields, self.settings.reading.review_threshold, provenance)
        review += signature_problems
        status = NEEDS_REVIEW if review else REGISTERED
        received = ticket.staged_at.astimezone(self.tz)
        number: tuple[str, int, int] = ("den", 0, 0)
        with self.sessions.begin() as session:
            job = session.get_one(Job, ticket.id)
            try:
                entry = self._new_entry(session, ticket, analysis, status, received)
            except registry.AlreadyRegistered as already:  # staged twice by two processes
                jobs.finish(session, job, DUPLICATE, error=str(already), worker=ticket.worker)
                duplicate_of = already.label
            else:
                duplicate_of = None
                entry.note = "; ".join(review + authenticity.remarks(analysis.signatures)) or None
                entry.recipient_unit = self.rules.unit_for(fields)
                authenticity.record(session, entry.document_id, analysis.signatures)
                if reading.text_source == "ocr":  # the body of a scan is read later
                    fulltext.enqueue(session, entry.document)
                jobs.finish(session, job, DONE, document_id=entry.document_id, worker=ticket.worker)
                number = (entry.book, entry.year, entry.seq)
        self.spool.discard(ticket.sha256)
        if duplicate_of is not None:
            event(log, "duplicate", file=ticket.name, of=duplicate_of, job=ticket.id)
            return Outcome(ticket.id, DUPLICATE, reason=f"already registered as {duplicate_of}")
        event(
            log,
            "registered",
            file=ticket.name,
            so_den=f"{number[2]}/{number[1]}",
            status=status,
            job=ticket.id,
        )
        if signature_problems:
            alert(
                "signature",
                file=ticket.name,
                so_den=f"{number[2]}/{number[1]}",
                problems="; ".join(signature_problems),
            )
        return Outcome(ticket.id, DONE, number=number, status=status)

    def _new_entry(
        self,
        session: Session,
        ticket: Ticket,
        analysis: Analysis,
        status: str,
        received: dt.datetime,
    ) -> Entry:
        reading, fields = analysis.reading, analysis.fields
        assert reading is not None and fields is not None
        return registry.register_document(
            session,
            sha256=ticket.sha256,
            original_name=ticket.name,
            media_type=reading.media_type,
            size=int(ticket.payload.get("size", 0)),
            pages=len(reading.pages),
            source=ticket.source,
            provenance=ticket.payload.get("provenance", {}),
            text=reading.text,
            text_source=reading.text_source,
            fields=fields,
            status=status,
            book="den",
            received_at=received,
            due_date=self.rules.due_date(received.date(), fields.urgency),
            tz=self.settings.register.timezone,
        )

    def _fail(self, ticket: Ticket, reason: str) -> Outcome:
        target = place(self._best_copy(ticket), self.settings.paths.failed, ticket.name)
        write_reason(target, reason, ticket.name)
        with self.sessions.begin() as session:
            jobs.finish(
                session, session.get_one(Job, ticket.id), FAILED, error=reason, worker=ticket.worker
            )
        self._remove_processed_copy(ticket)
        self.spool.discard(ticket.sha256)
        event(log, "failed", logging.WARNING, file=ticket.name, reason=reason, moved_to=str(target))
        return Outcome(ticket.id, FAILED, reason=reason)

    def _set_aside(self, ticket: Ticket, reason: str) -> Outcome:
        """Quarantine: keep the file name and the fact, nothing of the content, anywhere."""
        target = place(
            self._best_copy(ticket), self.settings.paths.quarantine, ticket.name, mode=0o600
        )
        with self.sessions.begin() as session:
            job = session.get_one(Job, ticket.id)
            job.sha256 = None
            job.payload = {}
            mailstate.forget_subject(session, ticket.payload.get("provenance", {}))
            jobs.finish(session, job, SET_ASIDE, error=reason, worker=ticket.worker)
        self._remove_processed_copy(ticket)
        self.spool.discard(ticket.sha256)
        alert("set-aside", file=ticket.name, reason=reason, moved_to=str(target))
        return Outcome(ticket.id, SET_ASIDE, reason=reason)

    def _retry_or_fail(self, ticket: Ticket, error: BaseException) -> Outcome:
        reason = f"{type(error).__name__}: {error}"
        if ticket.attempts >= self.settings.service.max_attempts:
            return self._fail(ticket, f"gave up after {ticket.attempts} attempts: {reason}")
        delay = self.settings.service.retry_delay(ticket.attempts)
        with self.sessions.begin() as session:
            jobs.retry_later(
                session, session.get_one(Job, ticket.id), reason, delay, worker=ticket.worker
            )
        event(log, "retry", logging.WARNING, file=ticket.name, reason=reason, in_seconds=delay)
        return Outcome(ticket.id, "retry", reason=reason)

    # -- files -------------------------------------------------------------------------------

    def _processed_copy(self, ticket: Ticket) -> Path | None:
        where = ticket.payload.get("provenance", {}).get("processed_path")
        return Path(where) if where else None

    def _best_copy(self, ticket: Ticket) -> Path:
        """The staged bytes (the spool copy; the processed copy if the spool lost it)."""
        spooled = self.spool.path(ticket.sha256)
        copy = self._processed_copy(ticket)
        if not spooled.exists() and copy is not None and copy.exists():
            return copy
        return spooled

    def _remove_processed_copy(self, ticket: Ticket) -> None:
        """A secret or failed file must end in one place only: drop the processed/ copy."""
        copy = self._processed_copy(ticket)
        if copy is not None:
            copy.unlink(missing_ok=True)
