"""Bounces close the loop: a delivery status notification the mailbox saw is matched by the
original Message-ID to its delivery, which becomes `bounced` (the clerk is alerted). The
mailbox (incoming wing) only stages the report as a `delivery_report` job through the
register; this handler, on the outgoing side, reads it. Reports are never registered."""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from daemon.alerts import alert
from daemon.dispatch.reports import DeliveryReport, bounced, parse_report
from daemon.logs import event
from daemon.register import audit, clock, jobs
from daemon.register.models import DELIVERY_REPORT, DONE, Delivery, DeliveryStatus
from daemon.work.job import Outcome, Ticket
from daemon.work.parts import Parts

log = logging.getLogger("vanthu.bounces")


def _bare(message_id: str | None) -> str:
    return (message_id or "").strip().strip("<>").strip().lower()


class ReportHandler:
    kind = DELIVERY_REPORT
    priority = 30

    def __init__(self, parts: Parts) -> None:
        self.parts = parts

    def analyse(self, ticket: Ticket) -> list[DeliveryReport]:
        assert ticket.sha256 is not None
        return parse_report(self.parts.spool.path(ticket.sha256).read_bytes())

    def conclude(self, ticket: Ticket, reports: list[DeliveryReport]) -> Outcome:
        matched: list[tuple[int, str]] = []
        with self.parts.sessions.begin() as session:
            for report in reports:
                delivery = self._delivery(session, report)
                if delivery is None:
                    continue
                if bounced(report):
                    before = delivery.status
                    delivery.status = DeliveryStatus.BOUNCED
                    delivery.reply = f"{report.status or ''} {report.diagnostic or ''}".strip()
                    delivery.last_error = delivery.reply
                    delivery.updated_at = clock.now()
                    session.flush()
                    audit.append(
                        session,
                        "delivery_bounced",
                        f"delivery/{delivery.id}",
                        {"from": before, "status": report.status, "reporter": report.reporting_mta},
                    )
                    matched.append((delivery.id, delivery.recipient))
                elif report.action == "delayed":
                    delivery.last_error = (
                        f"delayed: {report.status or ''} {report.diagnostic or ''}"
                    )
            jobs.finish(session, ticket.id, DONE, worker=ticket.worker)
        self.parts.spool.discard(ticket.sha256)
        for delivery_id, recipient in matched:
            alert("delivery-bounced", delivery=delivery_id, recipient=recipient)
        event(log, "delivery-report", reports=len(reports), bounced=len(matched))
        return Outcome(ticket.id, DONE)

    def _delivery(self, session: Session, report: DeliveryReport) -> Delivery | None:
        wanted = _bare(report.original_message_id)
        if not wanted:
            return None
        return session.scalars(
            select(Delivery).where(func.lower(Delivery.message_id).in_((f"<{wanted}>", wanted)))
        ).first()

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        """A report that cannot be read waits in failed/ like any file that cannot be."""
        return self.parts.setaside.fail(ticket, reason)
