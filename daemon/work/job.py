"""What the job loop hands a handler and gets back, and what a handler must offer.

A job kind is served by one `Handler` (STYLE.md item 9: a small step contract, easy to add
to): `analyse` does the slow part in a thread and writes nothing to the register;
`conclude` commits the result and the job's end in one transaction; `fail` ends the job
when it cannot be done. The loop is the only caller of the three, and the only place that
decides between retrying and failing (daemon.work.triage).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from daemon.register.models import Job

R = TypeVar("R")

RETRY = "retry"  # an Outcome state: the job waits for another attempt


@dataclass(frozen=True)
class Ticket:
    """A claimed job, detached from its session so it can cross threads."""

    id: int
    kind: str
    sha256: str | None  # the staged bytes in the spool (None for jobs that carry none)
    name: str  # the original file name, for messages and failed/
    source: str
    payload: dict[str, Any]
    attempts: int  # this one included
    staged_at: dt.datetime
    worker: str | None  # who claimed it: finishing checks the claim still holds
    last_error: str | None = None  # why the attempt before this one ended
    interruptions: int = 0  # times the service stopped with it in hand

    @classmethod
    def of(cls, job: Job) -> Ticket:
        return cls(
            job.id,
            job.kind,
            job.sha256,
            job.original_name,
            job.source,
            dict(job.payload),
            job.attempts,
            job.created_at,
            job.claimed_by,
            job.last_error,
            job.interruptions,
        )

    @property
    def provenance(self) -> dict[str, Any]:
        """Where the bytes came from, as the source recorded it."""
        return dict(self.payload.get("provenance") or {})


@dataclass(frozen=True)
class Outcome:
    job_id: int
    state: str  # a final JobState, or RETRY
    reason: str | None = None
    number: tuple[str, int, int] | None = None  # (book, year, seq) of a registered entry
    status: str | None = None  # the entry's status


class Handler(Protocol[R]):
    """Serves one job kind. The loop runs the kind with the lowest `priority` number that has
    ready jobs first (urgent deliveries 0, registering documents 10, ..., full text 90).
    Optional attributes: `concurrency` (analyses at a time; default one per reading process)
    and `max_attempts` (default `[service] max_attempts`)."""

    kind: str
    priority: int

    def analyse(self, ticket: Ticket) -> R:
        """The slow part (reading, checking, sending): runs in a thread; may raise."""
        ...

    def conclude(self, ticket: Ticket, result: R) -> Outcome:
        """Commit `result` and the job's end in one transaction; may raise."""
        ...

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        """End the job as failed with `reason` (a staged file goes to failed/)."""
        ...


def by_priority(handlers: Sequence[Handler[Any]]) -> list[Handler[Any]]:
    """Most urgent first; equal priorities keep the order they were given in."""
    return sorted(handlers, key=lambda handler: handler.priority)
