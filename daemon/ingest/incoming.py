"""The incoming handler: a staged document -> read -> extract -> rules -> register | set aside.

`analyse` runs in a thread of the job loop (no database; OCR goes to the reading processes);
`conclude` files the document into the sổ đăng ký văn bản đến with the next số đến, or sets
it aside when the law says it must stay out of the networked register. Errors travel to the
job loop, which retries or fails (daemon.work.loop).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from daemon.alerts import alert
from daemon.ingest import INCOMING, authenticity, fulltext, mailledger
from daemon.logs import event
from daemon.ocr.fields import extract_fields
from daemon.ocr.model import KEY_FIELDS, Fields, Reading, unsure
from daemon.register import clock, follow, jobs, registry
from daemon.register.models import DONE, DUPLICATE, NEEDS_REVIEW, REGISTERED, Entry
from daemon.signatures import SignatureVerdict
from daemon.work.job import Outcome, Ticket
from daemon.work.parts import Parts

log = logging.getLogger("vanthu.incoming")


@dataclass(frozen=True)
class Analysis:
    reading: Reading
    fields: Fields
    signatures: tuple[SignatureVerdict, ...] = ()
    signature_error: str | None = None


def needs_review(fields: Fields, threshold: float, provenance: dict[str, Any]) -> list[str]:
    """Why a clerk should look at this entry's fields or origin (empty: nothing to review)."""
    reasons = unsure([n for n in KEY_FIELDS if fields.confidence.get(n, 0.0) < threshold])
    if provenance.get("sender_allowed") is False:
        reasons.append("người gửi không có trong danh sách được phép")
    return reasons


class IncomingHandler:
    kind = INCOMING
    priority = 10  # a document received is registered the same day, before anything slow

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.settings = parts.settings
        self.sessions = parts.sessions
        self.rules = parts.rules
        self.tz = ZoneInfo(parts.settings.register.timezone)

    def analyse(self, ticket: Ticket) -> Analysis:
        """Read, extract, check signatures."""
        assert ticket.sha256 is not None
        path = self.parts.spool.path(ticket.sha256)
        reading = self.parts.reader.read(path)
        fields = extract_fields(reading, self.rules.doc_types)
        verdicts, sig_error = authenticity.check_file(
            self.parts.reader, path, reading.media_type, self.parts.trust_roots
        )
        return Analysis(reading, authenticity.confirm_issuer(fields, verdicts), verdicts, sig_error)

    def conclude(self, ticket: Ticket, analysis: Analysis) -> Outcome:
        reason = self.rules.set_aside_reason(analysis.fields) or self._unsure_secrecy(
            ticket, analysis.fields
        )
        if reason is not None:
            return self.parts.setaside.set_aside(
                ticket,
                reason,
                forget=lambda s: mailledger.forget_subjects(
                    s, ticket.id, ticket.staged_at, ticket.provenance
                ),
            )
        return self._register(ticket, analysis)

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        return self.parts.setaside.fail(ticket, reason)

    def _unsure_secrecy(self, ticket: Ticket, fields: Fields) -> str | None:
        """Fail closed: when the header was not read well enough to know whether it carries a
        secrecy mark, the document is held in quarantine for the clerk (not registered, not
        archived, its body not read), unless the clerk has said it is not secret."""
        if ticket.provenance.get("not_secret"):
            return None
        sure = fields.confidence.get("secrecy", 0.0)
        if sure >= self.settings.reading.review_threshold:
            return None
        return (
            f"held for the clerk: whether it is secret could not be read (độ mật at {sure:.2f}); "
            "if it is not, register it with `vanthu ingest --not-secret FILE`"
        )

    def _register(self, ticket: Ticket, analysis: Analysis) -> Outcome:
        reading, fields = analysis.reading, analysis.fields
        assert ticket.sha256 is not None
        spooled = self.parts.spool.path(ticket.sha256)
        self.parts.archive.store(spooled, ticket.sha256, reading.media_type)
        provenance = ticket.provenance
        signature_problems = authenticity.problems(analysis.signatures, analysis.signature_error)
        review = needs_review(fields, self.settings.reading.review_threshold, provenance)
        review += signature_problems
        status = NEEDS_REVIEW if review else REGISTERED
        received = ticket.staged_at.astimezone(self.tz)
        number: tuple[str, int, int] = ("den", 0, 0)
        with self.sessions.begin() as session:
            try:
                entry = self._new_entry(session, ticket, analysis, status, received)
            except registry.AlreadyRegistered as already:  # staged twice by two processes
                jobs.finish(session, ticket.id, DUPLICATE, error=str(already), worker=ticket.worker)
                duplicate_of = already.label
            else:
                duplicate_of = None
                entry.note = "; ".join(review + authenticity.remarks(analysis.signatures)) or None
                follow.route(session, entry, self.rules.unit_for(fields), at=clock.now())
                registry.record_signatures(session, entry.document_id, analysis.signatures)
                if reading.text_source == "ocr":  # the body of a scan is read later
                    fulltext.enqueue(session, entry.document)
                jobs.finish(
                    session, ticket.id, DONE, document_id=entry.document_id, worker=ticket.worker
                )
                number = (entry.book, entry.year, entry.seq)
        self.parts.spool.discard(ticket.sha256)
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
        assert ticket.sha256 is not None
        due = self.rules.due(received, fields.urgency, reading.text)
        return registry.register_document(
            session,
            sha256=ticket.sha256,
            original_name=ticket.name,
            media_type=reading.media_type,
            size=int(ticket.payload.get("size", 0)),
            pages=len(reading.pages),
            source=ticket.source,
            provenance=ticket.provenance,
            text=reading.text,
            text_source=reading.text_source,
            fields=fields,
            status=status,
            book="den",
            received_at=received,
            due_date=due.date if due else None,
            due_at=due.at if due else None,
            due_basis=due.basis if due else None,
            tz=self.settings.register.timezone,
        )
