"""The worker: claims ready jobs from the database, reads them in parallel, concludes in order.

Intake is a pipeline, not a series of batches: a document is claimed as soon as a reading
slot frees up (threads hand its pages to the OCR process pool), and results are concluded
strictly in job order, so số đến follow the order in which documents were staged. One
reading more than the pool has workers keeps every worker busy while the service concludes
(database, archive, fsync); a slow document at the head does not stop the ones behind it
from being read, up to a bounded number claimed ahead (their leases are running).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from sqlalchemy.orm import Session, sessionmaker

from daemon.ingest.fulltext import FullText
from daemon.ingest.pipeline import Analysis, DocumentReader, Outcome, Pipeline, Ticket, analyse
from daemon.logs import event
from daemon.register import jobs

log = logging.getLogger("vanthu.worker")

_AHEAD_PER_WORKER = 4  # documents claimed but not yet concluded, per reading worker


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    def __init__(
        self,
        pipeline: Pipeline,
        reader: DocumentReader,
        sessions: sessionmaker[Session],
        *,
        workers: int,
        lease_seconds: float,
    ) -> None:
        self.pipeline = pipeline
        self.reader = reader
        self.sessions = sessions
        self.workers = max(1, workers)  # reading processes in the pool
        self.lease_seconds = lease_seconds
        self.name = worker_name()
        self.reading_slots = self.workers + 1  # one queued in the pool while we conclude
        self.ahead = self.workers * _AHEAD_PER_WORKER
        self._threads = ThreadPoolExecutor(self.reading_slots, thread_name_prefix="read")
        self.full_text = FullText(sessions, pipeline.archive, pipeline.settings.service)

    def _claim(self, limit: int) -> list[Ticket]:
        with self.sessions.begin() as session:
            claimed = jobs.claim(
                session,
                self.name,
                kinds=("ingest",),
                lease_seconds=self.lease_seconds,
                limit=limit,
            )
            return [Ticket.of(job) for job in claimed]

    def step(self, stop: threading.Event | None = None) -> list[Outcome]:
        """Take in every ready document (until none is ready, or `stop`); [] when there was
        nothing to do.

        Incoming documents come first; only when none waits are scans' bodies read for search
        (one batch per call).
        """
        return self._intake(stop) or self._full_text()

    def _intake(self, stop: threading.Event | None) -> list[Outcome]:
        claimed: deque[tuple[Ticket, Future[Analysis]]] = deque()
        outcomes: list[Outcome] = []
        while True:
            reading = sum(not future.done() for _, future in claimed)
            room = min(self.reading_slots - reading, self.ahead - len(claimed))
            if room > 0 and not (stop is not None and stop.is_set()):
                claimed.extend((t, self._read(t)) for t in self._claim(room))
            if not claimed:
                return outcomes
            head, future = claimed[0]
            if future.done() or len(claimed) >= self.ahead:
                claimed.popleft()
                outcome = self._conclude(head, future)
                if outcome is not None:
                    outcomes.append(outcome)
            else:  # wait for any reading to end: then a slot is free or the head is ready
                wait([f for _, f in claimed if not f.done()], return_when=FIRST_COMPLETED)

    def _read(self, ticket: Ticket) -> Future[Analysis]:
        path = self.pipeline.spool.path(ticket.sha256)
        rules, roots = self.pipeline.rules, self.pipeline.trust_roots
        return self._threads.submit(analyse, self.reader, rules, path, roots)

    def _conclude(self, ticket: Ticket, future: Future[Analysis]) -> Outcome | None:
        try:
            return self.pipeline.conclude(ticket, future.result())
        except jobs.LeaseLost:  # another worker took it over after our lease ran out
            event(log, "lease-lost", logging.WARNING, job=ticket.id, file=ticket.name)
        except Exception as exc:  # a bug or the database: leave the job to its lease
            event(
                log,
                "conclude-error",
                logging.ERROR,
                job=ticket.id,
                file=ticket.name,
                error=f"{type(exc).__name__}: {exc}",
            )
            self._release(ticket, exc)
        return None

    def _full_text(self) -> list[Outcome]:
        tickets = self.full_text.claim(self.name, self.lease_seconds, self.workers)
        futures = [self._threads.submit(self.full_text.read, self.reader, t) for t in tickets]
        outcomes = []
        for ticket, future in zip(tickets, futures, strict=True):
            try:
                state = self.full_text.conclude(ticket, future.result())
                outcomes.append(Outcome(ticket.id, state))
            except jobs.LeaseLost:
                event(log, "lease-lost", logging.WARNING, job=ticket.id)
        return outcomes

    def _release(self, ticket: Ticket, exc: Exception) -> None:
        try:
            with self.sessions.begin() as session:
                jobs.release_ids(session, [ticket.id], f"{type(exc).__name__}: {exc}")
        except Exception:  # noqa: BLE001 - the lease expires and the job is retried anyway
            log.exception("release failed")

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
