"""The job loop: claim, lease, run the handler registered for the job's kind, conclude.

Handlers have a priority (a lower number is more urgent). A step takes the most urgent kind
with ready jobs and runs it as a pipeline, not in batches: a job is claimed as soon as a
slot frees up, its handler's `analyse` runs in a thread (handing heavy work to the reading
processes), and results are concluded strictly in claim order, so numbers follow the order in
which documents were staged. One slot more than there are reading processes keeps every
process busy while the loop concludes (database, archive, fsync); a slow job at the head
does not stop the ones behind it from being analysed, up to a bounded number claimed ahead
(their leases are running). A less urgent kind stops claiming as soon as a more urgent job is
ready.

This is the one boundary that turns a job's exception into an outcome (STYLE.md item 4):
transient errors are retried with backoff, permanent ones, bugs and jobs out of attempts go
to the handler's `fail`. Leases that run out while the service runs (a stuck thread, a
database error mid-job) are reclaimed here too, every so often.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from daemon.alerts import alert
from daemon.config import ServiceSettings
from daemon.logs import event
from daemon.register import jobs
from daemon.work.job import RETRY, Handler, Outcome, Ticket, by_priority
from daemon.work.triage import OutOfAttempts, describe, is_bug, is_transient

log = logging.getLogger("vanthu.jobs")

AHEAD_PER_WORKER = 4  # jobs claimed but not yet concluded, per reading process
# Restarts of the service with the same job in hand before that job is blamed for them: a
# power cut or a kill is not the job's fault, a job the service dies on every time is.
MAX_INTERRUPTIONS = 10

Claimed = deque[tuple[Ticket, "Future[Any]"]]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobLoop:
    def __init__(
        self,
        handlers: Sequence[Handler[Any]],
        sessions: sessionmaker[Session],
        settings: ServiceSettings,
        *,
        workers: int,
    ) -> None:
        kinds = [h.kind for h in handlers]
        if len(set(kinds)) != len(kinds):
            raise ValueError(f"one handler per job kind, got {kinds}")
        self.handlers = tuple(by_priority(handlers))
        self.sessions = sessions
        self.settings = settings
        self.workers = max(1, workers)  # reading processes the handlers share
        self.slots = self.workers + 1  # one queued in the pool while we conclude
        self.ahead = self.workers * AHEAD_PER_WORKER
        self.name = worker_name()
        threads = max([self.slots, *(self._slots(h) for h in self.handlers)])
        self._threads = ThreadPoolExecutor(threads, thread_name_prefix="job")
        self._next_reclaim = 0.0
        self._analysed: dict[int, float] = {}  # job id -> seconds its analysis took

    # -- running ---------------------------------------------------------------------------

    def step(self, stop: threading.Event | None = None) -> list[Outcome]:
        """Run the most urgent kind that has ready jobs until none is ready (or `stop`, or a
        more urgent job arrives); [] when there was nothing to do."""
        self._reclaim_expired()
        for rank, handler in enumerate(self.handlers):
            urgent = [h.kind for h in self.handlers[:rank]]
            outcomes = self._run(handler, stop, urgent)
            if outcomes:
                return outcomes
        return []

    def drain(self, stop: threading.Event | None = None) -> list[Outcome]:
        """Process every ready job until none is left (or `stop`)."""
        done: list[Outcome] = []
        while stop is None or not stop.is_set():
            outcomes = self.step(stop)
            if not outcomes:
                break
            done += outcomes
        return done

    def run(self, stop: threading.Event, wake: threading.Event) -> None:
        while not stop.is_set():
            if not self.step(stop):
                wake.wait(1.0)
                wake.clear()

    def close(self) -> None:
        self._threads.shutdown(wait=True)

    # -- leases ----------------------------------------------------------------------------

    def recover(self) -> int:
        """At start: give back what a crash left running. On SQLite one process owns the
        database, so whatever is running was ours: given back without spending an attempt,
        the interruption counted apart (MAX_INTERRUPTIONS). On PostgreSQL other processes may
        be at work: only expired leases are released, and those attempts stay counted."""
        with self.sessions.begin() as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            return jobs.release_all(session) if sqlite else jobs.release_expired(session)

    def release_mine(self) -> int:
        """At shutdown: give back what this process still holds, so another takes it now."""
        with self.sessions.begin() as session:
            return jobs.release_mine(session, self.name)

    def _reclaim_expired(self) -> None:
        now = time.monotonic()
        if now < self._next_reclaim:
            return
        self._next_reclaim = now + min(60.0, self.settings.job_lease_seconds / 4)
        try:
            with self.sessions.begin() as session:
                released = jobs.release_expired(session)
        except Exception as exc:  # noqa: BLE001 - the database is away: next time
            event(log, "reclaim-error", logging.WARNING, error=describe(exc))
            return
        if released:
            event(log, "leases-expired", logging.WARNING, jobs=released)

    # -- one kind as a pipeline --------------------------------------------------------------

    def _run(
        self, handler: Handler[Any], stop: threading.Event | None, urgent: list[str]
    ) -> list[Outcome]:
        claimed: Claimed = deque()
        outcomes: list[Outcome] = []
        yielding = False  # a more urgent job is ready: finish what is claimed, take no more
        slots = self._slots(handler)
        ahead = max(self.ahead, 2 * slots)
        while True:
            # One look at what is still running, used both to size the claim and to wait (with
            # what is claimed now): looking twice could miss an analysis that ended in between,
            # and then wait for the slow head alone while slots stand free.
            running = [future for _, future in claimed if not future.done()]
            room = min(slots - len(running), ahead - len(claimed))
            if room > 0 and not yielding and not (stop is not None and stop.is_set()):
                yielding = bool(urgent) and self._ready(urgent)
                for ticket in [] if yielding else self._claim(handler, room):
                    future = self._start(handler, ticket)
                    claimed.append((ticket, future))
                    running.append(future)
            if not claimed:
                return outcomes
            head, future = claimed[0]
            if future.done() or len(claimed) >= ahead:
                claimed.popleft()
                outcome = self._settle(handler, head, future)
                if outcome is not None:
                    outcomes.append(outcome)
            elif running:  # wait for one of them to end: then a slot is free or the head is ready
                wait(running, return_when=FIRST_COMPLETED)

    def _ready(self, kinds: list[str]) -> bool:
        with self.sessions() as session:
            return jobs.has_ready(session, kinds)

    def _claim(self, handler: Handler[Any], limit: int) -> list[Ticket]:
        with self.sessions.begin() as session:
            claimed = jobs.claim(
                session,
                self.name,
                kinds=(handler.kind,),
                lease_seconds=self.settings.job_lease_seconds,
                limit=limit,
            )
            return [Ticket.of(job) for job in claimed]

    def _slots(self, handler: Handler[Any]) -> int:
        """Analyses of one kind at a time: by default one per reading process (and one more);
        a kind that mostly waits on the network (mail delivery) may ask for more."""
        return getattr(handler, "concurrency", None) or self.slots

    def _attempts(self, handler: Handler[Any]) -> int:
        """A kind may keep its own count (deliveries retry for days, by time, not by count)."""
        return getattr(handler, "max_attempts", None) or self.settings.max_attempts

    def _start(self, handler: Handler[Any], ticket: Ticket) -> Future[Any]:
        reason = None
        if ticket.attempts > self._attempts(handler):  # it keeps killing or hanging us
            used = ticket.attempts - 1
            reason = f"gave up after {used} attempts: {ticket.last_error or 'unknown'}"
        elif ticket.interruptions >= MAX_INTERRUPTIONS:  # the service dies on it, it seems
            reason = f"the service stopped {ticket.interruptions} times while handling it"
        if reason is None:
            return self._threads.submit(self._analyse, handler, ticket)
        gave_up: Future[Any] = Future()
        gave_up.set_exception(OutOfAttempts(reason))
        return gave_up

    def _analyse(self, handler: Handler[Any], ticket: Ticket) -> Any:
        """The handler's analysis, timed (kept on the job when it ends: OCR seconds)."""
        started = time.monotonic()
        try:
            return handler.analyse(ticket)
        finally:
            self._analysed[ticket.id] = time.monotonic() - started

    # -- the boundary --------------------------------------------------------------------------

    def _settle(self, handler: Handler[Any], ticket: Ticket, future: Future[Any]) -> Outcome | None:
        with jobs.analysed_in(ticket.id, self._analysed.pop(ticket.id, None)):
            try:
                return handler.conclude(ticket, future.result())
            except jobs.LeaseLost:  # another worker took it over after our lease ran out
                event(log, "lease-lost", logging.WARNING, job=ticket.id, file=ticket.name)
                return None
            except Exception as exc:  # noqa: BLE001 - every error becomes an outcome here
                return self._failed(handler, ticket, exc)

    def _failed(self, handler: Handler[Any], ticket: Ticket, exc: Exception) -> Outcome | None:
        reason = describe(exc)
        if is_bug(exc):
            log.error("job %s (%s): %s", ticket.id, ticket.kind, reason, exc_info=exc)
        if is_transient(exc):
            if ticket.attempts < self._attempts(handler):
                return self._retry(ticket, reason)
            reason = f"gave up after {ticket.attempts} attempts: {reason}"
        if is_transient(exc) or isinstance(exc, OutOfAttempts) or is_bug(exc):
            # Not the document's plain verdict: something kept failing. The clerk must know.
            alert(
                "job-gave-up", job=ticket.id, job_kind=ticket.kind, file=ticket.name, reason=reason
            )
        try:
            return handler.fail(ticket, reason)
        except jobs.LeaseLost:
            return None
        except Exception as cannot:  # noqa: BLE001 - failed/ unwritable, database away
            # Never end a job whose file has nowhere to go: try again later (the delay grows
            # with the attempts, so a lasting fault costs a few rows an hour, not a loop).
            event(
                log,
                "fail-error",
                logging.ERROR,
                job=ticket.id,
                file=ticket.name,
                reason=reason,
                error=describe(cannot),
            )
            return self._retry(ticket, f"{reason} (and could not be set aside: {describe(cannot)})")

    def _retry(self, ticket: Ticket, reason: str) -> Outcome | None:
        delay = self.settings.retry_delay(ticket.attempts)
        try:
            with self.sessions.begin() as session:
                jobs.retry_later(session, ticket.id, reason, delay, worker=ticket.worker)
        except jobs.LeaseLost:
            return None
        except Exception as exc:  # noqa: BLE001 - the lease runs out and the job is reclaimed
            event(log, "retry-error", logging.ERROR, job=ticket.id, error=describe(exc))
            return None
        event(log, "retry", logging.WARNING, file=ticket.name, reason=reason, in_seconds=delay)
        return Outcome(ticket.id, RETRY, reason=reason)
