"""Sending one delivery: one outgoing document to one recipient agency, by email.

The delivery is marked `sending` (committed) before any network traffic; the reply decides
what it becomes: `sent` (the server's reply and queue id kept), `deferred` (tried again after
[dispatch] retry_first_seconds, doubling up to about an hour, until retry_for_days have
passed, as mail servers do), `failed` (a permanent refusal), or `uncertain` (the connection
dropped after the message was handed over: the server may have it; the clerk decides, and a
resend carries the same Message-ID). A delivery found still `sending` was cut off mid-send by
a crash: it becomes `uncertain`, never sent twice on a guess.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

from daemon.alerts import alert
from daemon.dispatch import DELIVER, DELIVER_URGENT
from daemon.dispatch.mailer import Mailer, SendResult, SendState
from daemon.dispatch.message import Letter, build_message
from daemon.errors import VanthuError
from daemon.logs import event
from daemon.register import audit, clock, jobs
from daemon.register.models import (
    DONE,
    FAILED,
    Delivery,
    DeliveryStatus,
    Document,
    document_fields,
)
from daemon.work.job import RETRY, Outcome, Ticket
from daemon.work.parts import Parts

log = logging.getLogger("vanthu.deliver")

S = DeliveryStatus
MAX_BACKOFF_SECONDS = 4000.0  # Postfix's maximal_backoff_time: deferred mail is retried hourly


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to; `result` None when there was nothing to send."""

    delivery_id: int
    result: SendResult | None = None
    note: str | None = None  # why nothing was sent


class DeliveryHandler:
    max_attempts = 10_000  # a delivery ends by time ([dispatch] retry_for_days), not by count
    concurrency = 8  # sends in flight: each mostly waits on the mail server, not on a core

    def __init__(self, parts: Parts, mailer: Mailer | None, *, urgent: bool) -> None:
        self.parts = parts
        self.settings = parts.settings
        self.mailer = mailer
        self.kind = DELIVER_URGENT if urgent else DELIVER
        self.priority = 0 if urgent else 20  # urgent documents go at once

    def analyse(self, ticket: Ticket) -> Attempt:
        delivery_id = int(ticket.payload["delivery_id"])
        with self.parts.sessions.begin() as session:
            delivery = session.get_one(Delivery, delivery_id)
            if delivery.status == S.SENDING:  # an attempt was cut off mid-send
                self._set(session, delivery, S.UNCERTAIN, error="the service stopped while sending")
                return Attempt(delivery_id, note="cut off mid-send: uncertain")
            if delivery.status not in (S.QUEUED, S.DEFERRED) or self.mailer is None:
                return Attempt(delivery_id, note=f"nothing to send ({delivery.status})")
            document = session.get_one(Document, delivery.document_id)
            message = self._message(delivery, document)
            self._set(session, delivery, S.SENDING)
            delivery.attempts += 1
            address = delivery.email or ""
        return Attempt(delivery_id, self._send(message, address))

    def _send(self, message: EmailMessage, address: str) -> SendResult:
        assert self.mailer is not None
        try:
            return self.mailer.send_blocking(message, address)
        except VanthuError as exc:  # nothing reached DATA: a password file gone, say
            return SendResult(SendState.DEFERRED, None, exc.reason, None)

    def _message(self, delivery: Delivery, document: Document) -> EmailMessage:
        smtp = self.settings.smtp
        assert smtp is not None
        fields = document_fields(document)
        letter = Letter(
            number=fields.number,
            date=fields.date,
            doc_type=fields.doc_type,
            subject=fields.subject,
            sender_office=smtp.from_name or fields.issuer or smtp.from_address,
            recipient=delivery.recipient,
        )
        pdf = self.parts.archive.path(document.sha256, document.media_type).read_bytes()
        return build_message(
            letter,
            pdf,
            from_address=smtp.from_address,
            from_name=smtp.from_name,
            to_address=delivery.email or "",
            to_name=delivery.recipient,
            message_id=delivery.message_id,
            when=clock.now(),
        )

    def conclude(self, ticket: Ticket, attempt: Attempt) -> Outcome:
        result = attempt.result
        state: str = DONE
        with self.parts.sessions.begin() as session:
            delivery = session.get_one(Delivery, attempt.delivery_id)
            if result is None:
                jobs.finish(session, ticket.id, DONE, worker=ticket.worker)
            elif result.state == SendState.DEFERRED and not self._expired(delivery):
                delay = self._delay(delivery.attempts)
                self._set(session, delivery, S.DEFERRED, reply=result.reply, delay=delay)
                jobs.retry_later(session, ticket.id, result.reply, delay, worker=ticket.worker)
                state = RETRY
            else:
                self._settle(session, delivery, result)
                jobs.finish(session, ticket.id, DONE, worker=ticket.worker)
            status, recipient = delivery.status, delivery.recipient
        event(log, "delivery", delivery=attempt.delivery_id, recipient=recipient, status=status)
        if status in (S.FAILED, S.UNCERTAIN):
            alert(f"delivery-{status}", delivery=attempt.delivery_id, recipient=recipient)
        return Outcome(ticket.id, state, reason=attempt.note or (result.reply if result else None))

    def _settle(self, session: Session, delivery: Delivery, result: SendResult) -> None:
        if result.state == SendState.SENT:
            self._set(session, delivery, S.SENT, reply=result.reply)
            delivery.queue_id, delivery.sent_at = result.queue_id, clock.now()
        elif result.state == SendState.UNCERTAIN:
            self._set(session, delivery, S.UNCERTAIN, reply=result.reply, error=result.reply)
        elif result.state == SendState.FAILED:
            self._set(session, delivery, S.FAILED, reply=result.reply, error=result.reply)
        else:  # deferred past the retry period
            days = self.settings.dispatch.retry_for_days
            self._set(
                session,
                delivery,
                S.FAILED,
                reply=result.reply,
                error=f"still deferred after {days:g} days",
            )

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        """A bug or a lost document: the delivery is failed, or uncertain if it was sending."""
        delivery_id = int(ticket.payload["delivery_id"])
        with self.parts.sessions.begin() as session:
            delivery = session.get_one(Delivery, delivery_id)
            if delivery.status == S.SENDING:
                self._set(session, delivery, S.UNCERTAIN, error=reason)
            elif delivery.status in (S.QUEUED, S.DEFERRED):
                self._set(session, delivery, S.FAILED, error=reason)
            jobs.finish(session, ticket.id, FAILED, error=reason, worker=ticket.worker)
        alert("delivery-failed", delivery=delivery_id, reason=reason)
        return Outcome(ticket.id, FAILED, reason=reason)

    # -- the row -----------------------------------------------------------------------------

    def _set(
        self,
        session: Session,
        delivery: Delivery,
        status: DeliveryStatus,
        *,
        reply: str | None = None,
        error: str | None = None,
        delay: float | None = None,
    ) -> None:
        now = clock.now()
        before = delivery.status
        delivery.status, delivery.updated_at = status, now
        if reply is not None:
            delivery.reply = reply[:2000]
        if error is not None:
            delivery.last_error = error[:2000]
        delivery.next_attempt_at = now + dt.timedelta(seconds=delay) if delay else None
        if status != S.SENDING:  # the attempt's end is the record; its start is in the job
            audit.append(
                session,
                f"delivery_{status}",
                f"delivery/{delivery.id}",
                {"from": before, "attempt": delivery.attempts, "reply": delivery.reply},
            )

    def _delay(self, attempts: int) -> float:
        first = self.settings.dispatch.retry_first_seconds
        return min(MAX_BACKOFF_SECONDS, first * 2 ** max(0, min(attempts - 1, 20)))

    def _expired(self, delivery: Delivery) -> bool:
        days = self.settings.dispatch.retry_for_days
        return clock.now() - clock.from_db(delivery.created_at) > dt.timedelta(days=days)
