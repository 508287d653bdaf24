"""The shared parts, built once, and the Wing a package returns to plug into the service.

`Parts.build` opens the register, the spool, the archive, the office's rules and trust roots
and the reading processes, once; every source and handler gets them from here. A wing (the
incoming one in `daemon.ingest`, the outgoing one in `daemon.dispatch`, or a test's own) is
a function `Parts -> Wing`: its sources, and its handlers (each with a priority). The service
only loops over those lists.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from daemon.archive import Archive
from daemon.config import Settings
from daemon.ocr.model import Reading
from daemon.register.db import session_factory
from daemon.register.migrate import open_register
from daemon.rules import Rules, load_rules
from daemon.work.job import Handler
from daemon.work.setaside import SetAside
from daemon.work.source import Source
from daemon.work.spool import Spool
from daemon.work.stage import Stager


class DocumentReader(Protocol):
    """The reading processes (daemon.ocr.reader.Reader), as the wings use them."""

    def read(self, path: Path) -> Reading: ...  # the field regions (fast)

    def read_body(self, path: Path) -> Reading: ...  # every page in full (for search, later)

    def signatures(self, path: Path, roots_dir: Path) -> tuple[Any, ...]: ...  # pyHanko verdicts

    def close(self) -> None: ...


@dataclass
class Parts:
    settings: Settings
    sessions: sessionmaker[Session]
    spool: Spool
    stager: Stager
    archive: Archive
    setaside: SetAside
    rules: Rules
    trust_roots: Path  # [trust] roots_dir: read (and checked) by the reading processes
    reader: DocumentReader
    wake: threading.Event = field(default_factory=threading.Event)  # set when work is staged
    closers: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        reader: DocumentReader | None = None,
        wake: threading.Event | None = None,
    ) -> Parts:
        engine = open_register(settings.database_url())
        sessions = session_factory(engine)
        spool = Spool(settings.paths.spool)
        closers: list[Callable[[], None]] = [engine.dispose]
        if reader is None:
            from daemon.ocr.reader import Reader

            reader = Reader(settings.reading)
        closers.insert(0, reader.close)
        return cls(
            settings=settings,
            sessions=sessions,
            spool=spool,
            stager=Stager(spool, sessions, int(settings.reading.max_file_mb * 1_000_000)),
            archive=Archive(settings.paths.archive),
            setaside=SetAside(
                sessions,
                spool,
                failed=settings.paths.failed,
                quarantine=settings.paths.quarantine,
            ),
            rules=load_rules(settings.rules.dir),
            trust_roots=_checked_roots(settings.trust.roots_dir),
            reader=reader,
            wake=wake or threading.Event(),
            closers=closers,
        )

    def close(self) -> None:
        for close in self.closers:
            close()


@dataclass
class Wing:
    """What one package plugs in: sources that stage, and handlers for its job kinds."""

    name: str
    sources: list[Source] = field(default_factory=list)
    handlers: list[Handler[Any]] = field(default_factory=list)


WingFactory = Callable[[Parts], Wing]


def _checked_roots(folder: Path) -> Path:
    """The trust roots' folder, its certificates read once here to warn about them at start
    (expired, not a CA, none at all) and to refuse a folder of broken files."""
    from daemon.signatures import load_trust_roots

    if folder.is_dir():
        load_trust_roots(folder)
    return folder
