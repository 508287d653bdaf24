"""The outgoing handler: a signed document from the outbox -> checked, signed by the agency,
registered in the sổ đi, and a delivery planned for every recipient agency.

`analyse` (a thread of the job loop; no register writes) reads the document with the same
reader as incoming, sets a secret one aside before anything else, checks every signature
against the trust roots, applies the agency's signature when the office has configured its
certificate, and matches "Nơi nhận" and "Kính gửi" to the directory. `conclude` registers it
and plans the deliveries in one transaction. A document that may not be sent (unsigned,
untrusted, modified after signing, a duplicate issue, no number) ends in failed/ with the
reason; nothing of it is sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from daemon.alerts import alert
from daemon.dispatch import OUTGOING, deliveries
from daemon.dispatch.recipients import Directory, Resolution, resolve
from daemon.errors import PermanentError
from daemon.logs import event
from daemon.ocr.fields import extract_fields
from daemon.ocr.model import Fields, Reading, unsure
from daemon.register import clock, issuance, jobs, registry
from daemon.register.models import DONE, DUPLICATE, NEEDS_REVIEW, REGISTERED, Entry
from daemon.signatures import SignatureVerdict
from daemon.work.job import Outcome, Ticket
from daemon.work.parts import Parts

if TYPE_CHECKING:
    from daemon.dispatch.signing import AgencySigner

log = logging.getLogger("vanthu.outgoing")

PDF = "application/pdf"


class Refused(PermanentError):
    """The document may not be issued as it is; the reason says why."""


@dataclass(frozen=True)
class Issue:
    """What analysing an outgoing document found."""

    reading: Reading
    fields: Fields
    secret: str | None = None  # why it must be set aside (then nothing else was done)
    signatures: tuple[SignatureVerdict, ...] = ()
    signed: bytes | None = None  # with the agency's signature, when one is configured
    resolution: Resolution | None = None


def signature_refusal(verdicts: tuple[SignatureVerdict, ...], *, required: bool) -> str | None:
    """Why the signatures forbid sending (None when they allow it)."""
    for v in verdicts:
        if v.verdict in ("invalid", "modified"):
            return f"signature {v.field_name} is {v.verdict}: {v.problem or 'see the PDF'}"
    if not required:
        return None
    if not verdicts:
        return "unsigned: an outgoing document must carry its signer's digital signature"
    if not any(v.verdict == "valid" for v in verdicts):
        problems = "; ".join(f"{v.field_name}: {v.problem}" for v in verdicts)
        return f"no trusted signature ({problems}); install the CA root in [trust] roots_dir"
    return None


class OutgoingHandler:
    kind = OUTGOING
    priority = 10  # issued the same day, with incoming documents

    def __init__(self, parts: Parts, directory: Directory, signer: AgencySigner | None) -> None:
        self.parts = parts
        self.settings = parts.settings
        self.directory = directory
        self.signer = signer
        self.tz = ZoneInfo(parts.settings.register.timezone)

    def analyse(self, ticket: Ticket) -> Issue:
        assert ticket.sha256 is not None
        path = self.parts.spool.path(ticket.sha256)
        reading = self.parts.reader.read(path)
        fields = extract_fields(reading, self.parts.rules.doc_types)
        secret = self.parts.rules.set_aside_reason(fields)
        if secret is not None:  # the law first: never checked further, never sent
            return Issue(reading, fields, secret=secret)
        if reading.media_type != PDF:
            raise Refused(f"an outgoing document must be a signed PDF, not {reading.media_type}")
        verdicts = self.parts.reader.signatures(path, self.parts.trust_roots)
        refusal = signature_refusal(verdicts, required=self.settings.dispatch.require_signature)
        if refusal is not None:
            raise Refused(refusal)
        signed = self._sign(path.read_bytes())
        wanted = ticket.provenance
        resolution = resolve(
            fields.recipients,
            fields.addressees,
            reading.text,
            self.directory,
            extra=tuple(wanted.get("to") or ()),
            replace=bool(wanted.get("only")),
        )
        return Issue(reading, fields, None, verdicts, signed, resolution)

    def _sign(self, data: bytes) -> bytes | None:
        if self.signer is None:
            return None
        from daemon.dispatch.signing import docmdp_forbids_signing  # pyHanko: only to sign

        forbidden = docmdp_forbids_signing(data)
        if forbidden is not None:
            raise Refused(f"the agency's signature would break the document: {forbidden}")
        return self.signer.sign(data)

    def conclude(self, ticket: Ticket, issue: Issue) -> Outcome:
        if issue.secret is not None:
            return self.parts.setaside.set_aside(ticket, issue.secret)
        assert issue.resolution is not None and ticket.sha256 is not None
        number = issuance.issued_number(issue.fields.number)
        if number is None or issue.fields.number is None:
            raise Refused("no số và ký hiệu could be read: an outgoing document is issued numbered")
        sha, size = self._archive(ticket.sha256, issue.signed)
        now = clock.now()
        year = issue.fields.date.year if issue.fields.date else now.astimezone(self.tz).year
        holds = self._holds(issue.resolution)
        review = holds + self._unsure(issue.fields)
        urgent = bool(ticket.provenance.get("urgent")) or issue.fields.urgency is not None
        with self.parts.sessions.begin() as session:
            review += issuance.issue_check(session, year, number, issue.fields.number)
            status = NEEDS_REVIEW if review else REGISTERED
            duplicate: str | None = None
            try:
                entry = self._register(session, ticket, issue, sha, size, status, (year, number))
            except registry.AlreadyRegistered as already:
                jobs.finish(session, ticket.id, DUPLICATE, error=str(already), worker=ticket.worker)
                duplicate = str(already)
            else:
                self._fill_entry(entry, issue.resolution, review, now)
                registry.record_signatures(session, entry.document_id, issue.signatures)
                planned = deliveries.plan(
                    session,
                    entry.document_id,
                    issue.resolution,
                    urgent=urgent,
                    held=bool(holds),
                    domain=self._domain(),
                    send=self.settings.smtp is not None,
                )
                jobs.finish(
                    session, ticket.id, DONE, document_id=entry.document_id, worker=ticket.worker
                )
                label = registry.entry_label(entry)
        self.parts.spool.discard(ticket.sha256)
        if duplicate is not None:
            return Outcome(ticket.id, DUPLICATE, reason=duplicate)
        self._report(ticket, label, status, planned, review)
        return Outcome(ticket.id, DONE, number=("di", year, number), status=status)

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        return self.parts.setaside.fail(ticket, reason)

    # -- parts of concluding ------------------------------------------------------------------

    def _archive(self, staged: str, signed: bytes | None) -> tuple[str, int]:
        """The bytes that are sent go to the archive: the agency-signed PDF when there is one."""
        if signed is None:
            path = self.parts.spool.path(staged)
            self.parts.archive.store(path, staged, PDF)
            return staged, path.stat().st_size
        sha, size = self.parts.spool.write([signed], len(signed))
        try:
            self.parts.archive.store(self.parts.spool.path(sha), sha, PDF)
        finally:
            self.parts.spool.discard(sha)
        return sha, size

    @staticmethod
    def _holds(resolution: Resolution) -> list[str]:
        """Why nothing may be sent before the clerk looks: a recipient nobody can name."""
        reasons = [f"Nơi nhận not in the directory: {line!r}" for line in resolution.unmatched]
        if not resolution.recipients:
            reasons.append("no recipient agency found")
        return reasons

    def _unsure(self, fields: Fields) -> list[str]:
        """Register fields the clerk should check (the sending goes on: the PDF is what goes)."""
        threshold = self.settings.reading.review_threshold
        doubtful = [
            k for k in ("number", "date", "subject") if fields.confidence.get(k, 0) < threshold
        ]
        return unsure(doubtful)

    def _register(
        self,
        session: Any,
        ticket: Ticket,
        issue: Issue,
        sha: str,
        size: int,
        status: str,
        issued: tuple[int, int],
    ) -> Entry:
        provenance = {**ticket.provenance, "staged_sha256": ticket.sha256}
        provenance["agency_signed"] = issue.signed is not None
        return registry.register_document(
            session,
            sha256=sha,
            original_name=ticket.name,
            media_type=PDF,
            size=size,
            pages=len(issue.reading.pages),
            source=ticket.source,
            provenance=provenance,
            text=issue.reading.text,
            text_source=issue.reading.text_source,
            fields=issue.fields,
            status=status,
            book="di",
            received_at=clock.now(),
            tz=self.settings.register.timezone,
            issued=issued,
        )

    @staticmethod
    def _fill_entry(
        entry: Entry, resolution: Resolution, review: list[str], now: dt.datetime
    ) -> None:
        """The sổ đi's own columns: the file copies, how many copies, when it went out."""
        own = [line.split(":", 1)[-1].strip() for line in resolution.own_copy]
        entry.recipient_unit = ", ".join(o for o in own if o) or None  # đơn vị, người nhận bản lưu
        entry.copies = len(resolution.recipients) + len(resolution.own_copy)  # số lượng bản
        entry.transferred_at = now  # ngày chuyển
        entry.note = "; ".join(review) or None

    def _domain(self) -> str:
        smtp = self.settings.smtp
        if smtp is not None and "@" in smtp.from_address:
            return smtp.from_address.rsplit("@", 1)[1]
        return "vanthu.invalid"

    def _report(
        self, ticket: Ticket, label: str, status: str, planned: list[Any], review: list[str]
    ) -> None:
        counts: dict[str, int] = {}
        for delivery in planned:
            counts[delivery.status] = counts.get(delivery.status, 0) + 1
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none"
        event(log, "issued", file=ticket.name, so_di=label, status=status, deliveries=summary)
        if review:
            alert("dispatch-review", file=ticket.name, so_di=label, reasons="; ".join(review))
