"""The incoming wing as the service sees it: its sources and its handlers, most urgent first."""

from __future__ import annotations

from daemon.ingest import INCOMING
from daemon.ingest.fulltext import FullTextHandler
from daemon.ingest.incoming import IncomingHandler
from daemon.ingest.mailsource import MailSource
from daemon.work.folder import FolderSource
from daemon.work.parts import Parts, Wing
from daemon.work.source import Source


def incoming(parts: Parts) -> Wing:
    settings, paths = parts.settings, parts.settings.paths
    sources: list[Source] = []
    if settings.scanner.enabled:
        sources.append(
            FolderSource(
                paths.inbox,
                processed=paths.processed,
                failed=paths.failed,
                settings=settings.scanner,
                stager=parts.stager,
                source="folder",
                kind=INCOMING,
                on_staged=parts.wake,
            )
        )
    if settings.mailbox is not None:
        sources.append(
            MailSource.from_settings(settings, parts.stager, parts.sessions, on_staged=parts.wake)
        )
    return Wing("incoming", sources, [IncomingHandler(parts), FullTextHandler(parts)])
