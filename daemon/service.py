"""The long-running service: the wings' sources and handlers, one job loop; signals.

Threads: one per source, which only stage; the main thread runs the job loop, which alone
writes the register. SIGTERM/SIGINT stop the sources, let the jobs in hand finish, give back
anything still claimed, and exit 0. What runs is a list of wings (`DEFAULT_WINGS`): each
brings its own sources and job handlers, and the service only loops over them.
"""

from __future__ import annotations

import logging
import os
import resource
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from daemon.config import Settings
from daemon.dispatch.wing import agency_signer, outgoing
from daemon.errors import VanthuError
from daemon.ingest.wing import incoming
from daemon.logs import event
from daemon.register import anchors
from daemon.register.models import ACTIVE_STATES, Job
from daemon.work.job import Outcome
from daemon.work.loop import JobLoop
from daemon.work.parts import Parts, WingFactory
from daemon.work.triage import describe

log = logging.getLogger("vanthu.service")

ANCHOR_SECONDS = 3600.0  # how often the audit chain's head is written outside the database

#: The wings the service runs (their handlers' priorities decide what runs first).
DEFAULT_WINGS: tuple[WingFactory, ...] = (incoming, outgoing)


def reading_workers(settings: Settings) -> int:
    return settings.reading.workers or len(os.sched_getaffinity(0))


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


class Service:
    def __init__(self, parts: Parts, wings: Sequence[WingFactory] = DEFAULT_WINGS) -> None:
        self.parts = parts
        signer = agency_signer(parts.settings.signing)  # it also signs the audit anchors
        self._sign = signer.sign_data if signer else None
        built = [make(parts) for make in wings]
        self.sources = [source for wing in built for source in wing.sources]
        self.loop = JobLoop(
            [handler for wing in built for handler in wing.handlers],
            parts.sessions,
            parts.settings.service,
            workers=reading_workers(parts.settings),
        )

    def recover(self) -> None:
        """After a crash: give back jobs nobody is working on, and clear the spool of
        leftovers (on PostgreSQL only files older than a lease: others may be staging)."""
        released = self.loop.recover()
        with self.parts.sessions() as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            active = set(session.scalars(select(Job.sha256).where(Job.state.in_(ACTIVE_STATES))))
        min_age = 0.0 if sqlite else self.parts.settings.service.job_lease_seconds
        stale = [p for p in self.parts.spool.orphans(active) if _age(p) >= min_age]
        for path in stale:
            path.unlink(missing_ok=True)
        if released or stale:
            event(log, "recovered", released_jobs=released, spool_cleared=len(stale))

    def run_once(self) -> list[Outcome]:
        """Take everything waiting in every source, process it all, return."""
        self.recover()
        for source in self.sources:
            source.run_once()
        return self.loop.drain()

    def run_forever(self, stop: threading.Event) -> None:
        self.recover()
        threads = [source.start(stop) for source in self.sources]
        event(
            log,
            "started",
            sources=",".join(s.name for s in self.sources) or "none",
            workers=self.loop.workers,
        )
        anchoring = threading.Thread(target=self._anchor_hourly, args=(stop,), daemon=True)
        anchoring.start()
        backoff = 1.0
        while not stop.is_set():
            try:
                self.loop.run(stop, self.parts.wake)
                backoff = 1.0
            except Exception as exc:  # the database went away: wait and try again
                event(log, "loop-error", logging.ERROR, error=describe(exc))
                stop.wait(backoff)
                backoff = min(backoff * 2, 60.0)
        for thread in threads:
            thread.join(timeout=30)
        self._release_claims()
        event(log, "stopped")

    def _anchor_hourly(self, stop: threading.Event) -> None:
        self.anchor()
        while not stop.wait(ANCHOR_SECONDS):
            self.anchor()

    def _release_claims(self) -> None:
        try:
            released = self.loop.release_mine()
        except Exception as exc:  # noqa: BLE001 - leases expire anyway
            event(log, "release-error", logging.WARNING, error=describe(exc))
            return
        if released:
            event(log, "released", jobs=released)

    def anchor(self) -> None:
        """Write the audit chain's head to the anchors file beside the archive (if it moved)."""
        path = self.parts.archive.root / anchors.FILE_NAME
        try:
            with self.parts.sessions() as session:
                try:
                    written = anchors.write(session, path, sign=self._sign)
                except VanthuError as exc:  # the token is away: anchor now, sign the next
                    event(log, "anchor-unsigned", logging.WARNING, error=describe(exc))
                    written = anchors.write(session, path)
        except Exception as exc:  # noqa: BLE001 - the next anchor will do
            event(log, "anchor-error", logging.WARNING, error=describe(exc))
            return
        if written is not None:
            event(log, "anchored", id=written.id, signed=written.signature is not None)

    def close(self) -> None:
        self.loop.close()
        self.anchor()
        self.parts.close()  # the reading processes are joined: their peaks are known
        event(log, "memory", **peak_memory_mb())


def peak_memory_mb() -> dict[str, int]:
    """Peak resident memory of the service process, and a bound on that of its largest
    reading process. The service's own comes from /proc (VmHWM, this process image only):
    `ru_maxrss` would count the memory of whatever process started it. The readers' is
    `ru_maxrss` of the joined children, which also counts the service as it was when they
    were started: an upper bound."""
    readers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # KiB on Linux
    try:
        status = Path("/proc/self/status").read_text()
        own = int(status.split("VmHWM:", 1)[1].split()[0]) // 1024
    except (OSError, IndexError, ValueError):
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {"peak_mb": own, "readers_peak_mb": readers}


def _start_web(settings: Settings, parts: Parts) -> Any:
    """The clerk's desk on its own thread ([web] enabled), or None."""
    if not settings.web.enabled:
        return None
    from daemon.web.server import WebServer

    web = WebServer(settings, parts.sessions)
    web.start()
    event(log, "web-started", listen=web.where)
    return web


def _start_schedule(settings: Settings, parts: Parts) -> Any:
    """The schedule on its own thread ([schedule] enabled), or None."""
    if not settings.schedule.enabled:
        return None
    from daemon.schedule.scheduler import Scheduler

    schedule = Scheduler(settings, parts.sessions)
    schedule.start()
    return schedule


def run_service(
    settings: Settings,
    *,
    once: bool,
    stop: threading.Event,
    wake: threading.Event,
    wings: Sequence[WingFactory] = DEFAULT_WINGS,
) -> int:
    """Run until `stop` is set (the caller wires SIGTERM/SIGINT to it before anything slow)."""
    started = time.monotonic()
    parts = Parts.build(settings, wake=wake)
    service = Service(parts, wings)
    try:
        if once:
            outcomes = service.run_once()
            seconds = round(time.monotonic() - started, 1)
            event(log, "once-done", jobs=len(outcomes), seconds=seconds)
        elif not stop.is_set():
            web = _start_web(settings, parts)
            schedule = _start_schedule(settings, parts)
            try:
                service.run_forever(stop)
            finally:
                if schedule is not None:
                    schedule.stop()
                if web is not None:
                    web.stop()
    finally:
        service.close()
    return 0
