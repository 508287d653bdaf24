"""The worker: claims ready jobs from the database, reads them in parallel, concludes in order.

Reading a batch runs concurrently (threads hand pages to the OCR process pool); results are
concluded in job order, so số đến follow the order in which documents were staged.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from daemon.ingest.fulltext import FullText
from daemon.ingest.pipeline import DocumentReader, Outcome, Pipeline, Ticket, analyse
from daemon.logs import event
from daemon.register import jobs

log = logging.getLogger("vanthu.worker")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    def __init__(
        self,
        pipeline: Pipeline,
        reader: DocumentReader,
        sessions: sessionmaker[Session],
        *,
        batch: int,
        lease_seconds: float,
    ) -> None:
        self.pipeline = pipeline
        self.reader = reader
        self.sessions = sessions
        self.batch = max(1, batch)
        self.lease_seconds = lease_seconds
        self.name = worker_name()
        self._threads = ThreadPoolExecutor(self.batch, thread_name_prefix="read")
        self.full_text = FullText(sessions, pipeline.archive, pipeline.settings.service)

    def _claim(self) -> list[Ticket]:
        with self.sessions.begin() as session:
            claimed = jobs.claim(
                session,
                self.name,
                kinds=("ingest",),
                lease_seconds=self.lease_seconds,
                limit=self.batch,
            )
            return [Ticket.of(job) for job in claimed]

    def step(self) -> list[Outcome]:
        """Claim one batch and see it through; [] when nothing is ready.

        Incoming documents come first; only when none waits are scans' bodies read for search.
        """
        tickets = self._claim()
        if not tickets:
            return self._full_text()
        futures = [
            self._threads.submit(
                analyse,
                self.reader,
                self.pipeline.rules,
                self.pipeline.spool.path(t.sha256),
                self.pipeline.trust_roots,
            )
            for t in tickets
        ]
        outcomes = []
        for ticket, future in zip(tickets, futures, strict=True):
            try:
                outcomes.append(self.pipeline.conclude(ticket, future.result()))
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
        return outcomes

    def _full_text(self) -> list[Outcome]:
        tickets = self.full_text.claim(self.name, self.lease_seconds, self.batch)
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
        """Process every ready job, batch by batch, until none is left (or `stop`)."""
        done: list[Outcome] = []
        while stop is None or not stop.is_set():
            outcomes = self.step()
            if not outcomes:
                break
            done += outcomes
        return done

    def run(self, stop: threading.Event, wake: threading.Event) -> None:
        while not stop.is_set():
            if not self.step():
                wake.wait(1.0)
                wake.clear()

    def close(self) -> None:
        self._threads.shutdown(wait=True)
