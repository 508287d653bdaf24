"""The long-running service: wires sources, the worker and (later) the scheduler; signals.

Threads: one per source (scanner folder, mailbox) that only stage; the main thread runs the
worker, which alone writes the register. SIGTERM/SIGINT stop the sources, let the batch in
hand finish, release anything claimed, and exit 0.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from daemon.config import Settings
from daemon.ingest.folder import FolderSource
from daemon.ingest.mailsource import MailSource
from daemon.ingest.pipeline import Outcome, Pipeline
from daemon.ingest.stage import Spool, Stager
from daemon.ingest.worker import Worker
from daemon.logs import event
from daemon.ocr.reader import Reader
from daemon.register import jobs
from daemon.register.db import create_schema, make_engine, session_factory
from daemon.register.models import PENDING, RUNNING, Job
from daemon.rules import load_rules

log = logging.getLogger("vanthu.service")


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def reading_workers(settings: Settings) -> int:
    return settings.reading.workers or len(os.sched_getaffinity(0))


@dataclass
class Runtime:
    """Everything a command needs to stage and process documents, built from the settings."""

    settings: Settings
    sessions: sessionmaker[Session]
    stager: Stager
    pipeline: Pipeline
    worker: Worker
    reader: Reader
    closers: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        engine = make_engine(settings.database_url())
        create_schema(engine)
        sessions = session_factory(engine)
        rules = load_rules(settings.rules.dir)
        spool = Spool(settings.paths.spool)
        stager = Stager(spool, sessions, int(settings.reading.max_file_mb * 1_000_000))
        reader = Reader(settings.reading)
        pipeline = Pipeline(settings, sessions, rules)
        worker = Worker(
            pipeline,
            reader,
            sessions,
            workers=reading_workers(settings),
            lease_seconds=settings.service.job_lease_seconds,
        )
        return cls(
            settings,
            sessions,
            stager,
            pipeline,
            worker,
            reader,
            [worker.close, reader.close, engine.dispose],
        )

    def recover(self) -> None:
        """After a crash: give back jobs nobody is working on, and clear the spool of leftovers.

        On SQLite one process runs everything, so whatever is running or half-written was ours.
        On PostgreSQL other processes may be mid-way: only expired leases are released, and
        only spool files older than a lease are treated as leftovers.
        """
        with self.sessions.begin() as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            released = jobs.release_all(session) if sqlite else jobs.release_expired(session)
            active = set(
                session.scalars(select(Job.sha256).where(Job.state.in_((PENDING, RUNNING))))
            )
        min_age = 0.0 if sqlite else self.settings.service.job_lease_seconds
        stale = [p for p in self.stager.spool.orphans(active) if _age(p) >= min_age]
        for path in stale:
            path.unlink(missing_ok=True)
        if released or stale:
            event(log, "recovered", released_jobs=released, spool_cleared=len(stale))

    def close(self) -> None:
        for close in self.closers:
            close()


class Service:
    def __init__(self, settings: Settings, stop: threading.Event, wake: threading.Event) -> None:
        self.settings = settings
        self.runtime = Runtime.build(settings)
        self.stop = stop
        self.wake = wake
        paths = settings.paths
        self.folder = (
            FolderSource(
                paths.inbox,
                processed=paths.processed,
                failed=paths.failed,
                settings=settings.scanner,
                stager=self.runtime.stager,
                on_staged=self.wake,
            )
            if settings.scanner.enabled
            else None
        )
        self.mail = self._mail_source()

    def _mail_source(self) -> MailSource | None:
        if self.settings.mailbox is None:
            return None
        return MailSource.from_settings(
            self.settings, self.runtime.stager, self.runtime.sessions, on_staged=self.wake
        )

    def _sources(self) -> list[tuple[str, Callable[[threading.Event], None]]]:
        found: list[tuple[str, Callable[[threading.Event], None]]] = []
        if self.folder is not None:
            found.append(("folder", self.folder.run))
        if self.mail is not None:
            found.append(("mailbox", self.mail.run))
        return found

    def run_once(self) -> list[Outcome]:
        """Take everything waiting in every source, process it all, return."""
        self.runtime.recover()
        if self.folder is not None:
            self.folder.run_once()
        if self.mail is not None:
            self.mail.run_once()
        return self.runtime.worker.drain()

    def run_forever(self) -> None:
        self.runtime.recover()
        threads = [
            threading.Thread(target=self._guard, args=(name, run), name=name, daemon=True)
            for name, run in self._sources()
        ]
        for thread in threads:
            thread.start()
        event(
            log,
            "started",
            inbox=str(self.settings.paths.inbox),
            workers=self.runtime.worker.workers,
        )
        backoff = 1.0
        while not self.stop.is_set():
            try:
                self.runtime.worker.run(self.stop, self.wake)
                backoff = 1.0
            except Exception as exc:  # the database went away: wait and try again
                event(log, "worker-error", logging.ERROR, error=f"{type(exc).__name__}: {exc}")
                self.stop.wait(backoff)
                backoff = min(backoff * 2, 60.0)
        for thread in threads:
            thread.join(timeout=30)
        self._release_claims()
        event(log, "stopped")

    def _release_claims(self) -> None:
        """Give back anything still claimed by this process, so another can take it at once."""
        try:
            with self.runtime.sessions.begin() as session:
                released = jobs.release_mine(session, self.runtime.worker.name)
            if released:
                event(log, "released", jobs=released)
        except Exception as exc:  # noqa: BLE001 - leases expire anyway
            event(log, "release-error", logging.WARNING, error=f"{type(exc).__name__}: {exc}")

    def _guard(self, name: str, run: Callable[[threading.Event], None]) -> None:
        """Keep a source running: a crash is logged and the source restarted after a pause."""
        while not self.stop.is_set():
            try:
                run(self.stop)
            except Exception as exc:
                event(
                    log,
                    "source-error",
                    logging.ERROR,
                    source=name,
                    error=f"{type(exc).__name__}: {exc}",
                )
                self.stop.wait(5.0)

    def close(self) -> None:
        self.runtime.close()


def run_service(
    settings: Settings, *, once: bool, stop: threading.Event, wake: threading.Event
) -> int:
    """Run until `stop` is set (the caller wires SIGTERM/SIGINT to it before anything slow)."""
    started = time.monotonic()
    service = Service(settings, stop, wake)
    try:
        if once:
            outcomes = service.run_once()
            seconds = round(time.monotonic() - started, 1)
            event(log, "once-done", jobs=len(outcomes), seconds=seconds)
        elif not stop.is_set():
            service.run_forever()
    finally:
        service.close()
    return 0
