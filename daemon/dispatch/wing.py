"""The outgoing wing as the service sees it: the outbox, and the handlers of its job kinds."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from daemon.dispatch import OUTGOING, deliveries
from daemon.dispatch.bounces import ReportHandler
from daemon.dispatch.deliver import DeliveryHandler
from daemon.dispatch.mailer import Mailer
from daemon.dispatch.outgoing import OutgoingHandler
from daemon.dispatch.recipients import Directory
from daemon.logs import event
from daemon.work.folder import FolderSource
from daemon.work.job import Handler
from daemon.work.parts import Parts, Wing
from daemon.work.source import Source

if TYPE_CHECKING:
    from daemon.config import SigningSettings
    from daemon.dispatch.signing import AgencySigner

log = logging.getLogger("vanthu.dispatch")

AGENCIES = "agencies.toml"  # the office's directory, in [rules] dir


def agency_signer(signing: SigningSettings | None) -> AgencySigner | None:
    """The agency's own signer, when the office signs. pyHanko and PKCS#11 (~60 MB) are
    loaded only then: an office that does not sign never carries them in its service."""
    if signing is None:
        return None
    from daemon.dispatch.signing import AgencySigner

    return AgencySigner.from_settings(signing)


def outgoing(parts: Parts) -> Wing:
    settings, paths = parts.settings, parts.settings.paths
    directory = Directory.load(settings.rules.dir / AGENCIES)
    signer = agency_signer(settings.signing)
    mailer = Mailer(settings.smtp) if settings.smtp else None
    sources: list[Source] = []
    if settings.dispatch.enabled:
        sources.append(
            FolderSource(
                paths.outbox,
                processed=paths.sent,
                failed=paths.failed,
                settings=settings.scanner,
                stager=parts.stager,
                source="outbox",
                kind=OUTGOING,
                on_staged=parts.wake,
            )
        )
    if mailer is not None:  # deliveries that waited for [smtp] to be configured
        with parts.sessions.begin() as session:
            waiting = deliveries.requeue_waiting(session)
        if waiting:
            event(log, "deliveries-requeued", deliveries=waiting)
    handlers: list[Handler[Any]] = [
        OutgoingHandler(parts, directory, signer),
        DeliveryHandler(parts, mailer, urgent=True),
        DeliveryHandler(parts, mailer, urgent=False),
        ReportHandler(parts),
    ]
    return Wing("outgoing", sources, handlers)
