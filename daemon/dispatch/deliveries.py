"""Deliveries: one row per outgoing document and recipient agency, planned when the document is
registered, each with its Message-ID fixed before the first attempt, and a `deliver` job for
every one that is to be emailed (urgent ones as a kind of their own, which the loop runs first).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from daemon.dispatch import DELIVER, DELIVER_URGENT
from daemon.dispatch.message import new_message_id
from daemon.dispatch.recipients import Resolution
from daemon.register import audit, clock, jobs
from daemon.register.models import (
    ACTIVE_STATES,
    PENDING,
    Delivery,
    DeliveryStatus,
    Job,
)

S = DeliveryStatus
#: Deliveries that still wait for an email to go out.
WAITING = (S.QUEUED, S.DEFERRED)
#: Deliveries the clerk may send again (`vanthu dispatch retry`): the same Message-ID goes out.
RESENDABLE = (S.QUEUED, S.DEFERRED, S.UNCERTAIN, S.FAILED, S.BOUNCED, S.HELD)
#: The longest note a clerk may give when resolving a delivery (it goes into the audit trail).
NOTE_MAX = 1000


def plan(
    session: Session,
    document_id: int,
    resolution: Resolution,
    *,
    urgent: bool,
    held: bool,
    domain: str,
    send: bool,
) -> list[Delivery]:
    """A delivery for every recipient agency; jobs for those to email now (`send`: an
    [smtp] server is configured; otherwise they wait as queued)."""
    now = clock.now()
    planned = []
    for recipient in resolution.recipients:
        agency = recipient.agency
        status = S.EOFFICE if agency.eoffice else S.HELD if held else S.QUEUED
        delivery = Delivery(
            document_id=document_id,
            recipient=agency.name,
            line=recipient.line,
            email=agency.email,
            status=status,
            urgent=urgent,
            attempts=0,
            message_id=new_message_id(domain),
            created_at=now,
            updated_at=now,
        )
        session.add(delivery)
        planned.append(delivery)
    session.flush()
    for delivery in planned:
        if send and delivery.status == S.QUEUED:
            enqueue(session, delivery)
    return planned


def enqueue(session: Session, delivery: Delivery) -> Job | None:
    """A job to send `delivery` now, unless one is already running; one waiting for a later
    retry is brought forward instead."""
    kind = DELIVER_URGENT if delivery.urgent else DELIVER
    active = session.scalar(
        select(Job).where(
            Job.kind.in_((DELIVER, DELIVER_URGENT)),
            Job.state.in_(ACTIVE_STATES),
            Job.original_name == _job_name(delivery),
        )
    )
    if active is not None:
        if active.state == PENDING:
            active.not_before = clock.now()
        return None
    return jobs.enqueue(
        session,
        kind,
        sha256=None,
        original_name=_job_name(delivery),
        source="dispatch",
        payload={"delivery_id": delivery.id},
    )


def _job_name(delivery: Delivery) -> str:
    return f"delivery/{delivery.id}"


def requeue_waiting(session: Session) -> int:
    """Jobs for deliveries left waiting without one (say [smtp] was configured since)."""
    waiting = session.scalars(select(Delivery).where(Delivery.status.in_(WAITING))).all()
    return sum(enqueue(session, delivery) is not None for delivery in waiting)


def resend(session: Session, delivery_id: int, actor: str) -> Delivery:
    """The clerk's `retry`: send again now, with the same Message-ID (so a recipient whose
    server did take an `uncertain` one can recognise the copy)."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise LookupError(f"no delivery {delivery_id}")
    if delivery.status not in RESENDABLE:
        raise ValueError(f"delivery {delivery_id} is {delivery.status}: nothing to send again")
    if not delivery.email:
        raise ValueError(f"delivery {delivery_id} ({delivery.recipient}) has no email address")
    before = delivery.status
    delivery.status, delivery.next_attempt_at = S.QUEUED, None
    delivery.updated_at = clock.now()
    session.flush()
    enqueue(session, delivery)
    audit.append(
        session,
        "delivery_resend",
        f"delivery/{delivery.id}",
        {"from": before, "message_id": delivery.message_id},
        actor=actor,
    )
    return delivery


def resolve(
    session: Session, delivery_id: int, arrived: bool, note: str | None, actor: str
) -> Delivery:
    """The clerk's answer for an `uncertain` delivery, after asking the recipient (by phone,
    say): it arrived (-> sent, from the attempt that was cut off) or it did not (-> sent again
    now, as `resend`, with the same Message-ID). Only an uncertain delivery can be resolved."""
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX:
        raise ValueError(f"the note is longer than {NOTE_MAX} characters")
    # Locked: two clerks answering at once must not both act on the same delivery.
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None:
        raise LookupError(f"no delivery {delivery_id}")
    if delivery.status != S.UNCERTAIN:
        raise ValueError(
            f"delivery {delivery_id} is {delivery.status}: only an uncertain one can be resolved"
        )
    error = delivery.last_error
    if arrived:
        # The recipient has the copy handed over when the connection dropped: sent since then.
        delivery.status, delivery.sent_at = S.SENT, delivery.updated_at
        delivery.last_error, delivery.next_attempt_at = None, None
        delivery.updated_at = clock.now()
        session.flush()
    else:
        resend(session, delivery_id, actor)  # its own event records the resend
    audit.append(
        session,
        "delivery_resolved",
        f"delivery/{delivery.id}",
        {
            "from": S.UNCERTAIN,
            "to": delivery.status,
            "arrived": arrived,
            "note": note,
            "error": error,
            "attempt": delivery.attempts,
            "message_id": delivery.message_id,
        },
        actor=actor,
    )
    return delivery
