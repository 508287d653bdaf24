"""The durable work queue: jobs are rows (DESIGN principle 2, "the database is the queue").

A worker claims ready jobs under a lease, does the work, and finishes the job in the same
transaction that commits the result. A worker that dies leaves a running job whose lease
runs out; `release_expired` hands it back. On PostgreSQL several processes claim with
`FOR UPDATE SKIP LOCKED`; on SQLite the IMMEDIATE transaction serialises claimers.

Every state change appends an audit event (subject `job/ID`). Enqueueing does not: the caller
records why the work exists (the stager's "staged" event, for instance).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from daemon.register import audit, clock
from daemon.register.models import DONE, DUPLICATE, FAILED, PENDING, RUNNING, SET_ASIDE, Job

FINAL_STATES = (DONE, FAILED, SET_ASIDE, DUPLICATE)
_ERROR_MAX = 4000

# (job id, seconds) of the analysis being concluded: the job loop knows the time, the handler
# calls `finish` inside its own transaction; this carries the one to the other (`analysed_in`).
_ANALYSED: ContextVar[tuple[int, float] | None] = ContextVar("vanthu_analysed", default=None)


class LeaseLost(Exception):
    """The job is no longer ours: its lease ran out and it was released or claimed again.
    The caller must roll back, so the result is not committed twice."""

    def __init__(self, job_id: int, detail: str) -> None:
        super().__init__(f"job {job_id}: lease lost ({detail})")
        self.job_id = job_id


def enqueue(
    session: Session,
    kind: str,
    *,
    sha256: str | None,
    original_name: str,
    source: str,
    payload: Mapping[str, Any],
    not_before: dt.datetime | None = None,
) -> Job:
    """Add a pending job; flushed, so `job.id` is set."""
    now = clock.now()
    job = Job(
        kind=kind,
        state=PENDING,
        sha256=sha256,
        original_name=unicodedata.normalize("NFC", original_name)[:500],
        source=source,
        payload=audit.jsonable(dict(payload)),
        attempts=0,
        not_before=clock.to_db(not_before) if not_before else now,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    return job


def claim(
    session: Session,
    worker: str,
    *,
    kinds: Iterable[str],
    lease_seconds: float,
    limit: int = 1,
) -> list[Job]:
    """Take up to `limit` ready jobs (pending, due), oldest first, leased to `worker`."""
    if lease_seconds <= 0 or limit < 1:
        raise ValueError("claim: lease_seconds must be > 0 and limit >= 1")
    now = clock.now()
    ready = session.scalars(
        select(Job)
        .where(Job.state == PENDING, Job.kind.in_(tuple(kinds)), Job.not_before <= now)
        .order_by(Job.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    lease_until = now + dt.timedelta(seconds=lease_seconds)
    for job in ready:
        job.state, job.claimed_by, job.lease_until = RUNNING, worker, lease_until
        job.attempts += 1
        job.updated_at = now
    session.flush()
    for job in ready:
        audit.append(
            session,
            "job_claimed",
            f"job/{job.id}",
            {"worker": worker, "attempt": job.attempts, "kind": job.kind},
        )
    return list(ready)


def has_ready(session: Session, kinds: Iterable[str]) -> bool:
    """Whether a job of one of `kinds` is waiting and due (a cheap look, no lock)."""
    found = session.scalar(
        select(Job.id)
        .where(Job.state == PENDING, Job.kind.in_(tuple(kinds)), Job.not_before <= clock.now())
        .limit(1)
    )
    return found is not None


def release_expired(session: Session) -> int:
    """Hand running jobs whose lease ran out back to the queue; the number released.

    The attempt that ran out stays counted, so a job that keeps killing or hanging its worker
    runs out of attempts and is failed by the job loop (its file to failed/), never retried
    for ever.
    """
    now = clock.now()
    expired = session.scalars(
        select(Job)
        .where(Job.state == RUNNING, Job.lease_until < now)
        .order_by(Job.id)
        .with_for_update(skip_locked=True)
    ).all()
    for job in expired:
        worker = job.claimed_by
        _set_pending(job, now, job.not_before)
        job.last_error = _clip(f"the lease ran out: {worker or 'a worker'} did not finish")
        session.flush()
        audit.append(
            session,
            "job_lease_expired",
            f"job/{job.id}",
            {"worker": worker, "attempt": job.attempts, "state": job.state},
        )
    return len(expired)


def release_mine(session: Session, worker: str) -> int:
    """Give back every job `worker` holds (graceful shutdown); the number released.
    The interrupted attempt is not counted against the job."""
    now = clock.now()
    mine = session.scalars(
        select(Job).where(Job.state == RUNNING, Job.claimed_by == worker).with_for_update()
    ).all()
    for job in mine:
        job.attempts = max(0, job.attempts - 1)
        _set_pending(job, now, job.not_before)
    session.flush()
    for job in mine:
        audit.append(session, "job_released", f"job/{job.id}", {"worker": worker})
    return len(mine)


def release_all(session: Session) -> int:
    """Hand back every running job whatever its lease (start-up when one process owns the
    database, as with SQLite: anything still running was left by a crash); the number.

    The service stopping is not the job's fault (documents are read in other processes, which
    have their own count): the attempt is given back and the interruption counted apart."""
    now = clock.now()
    orphans = session.scalars(select(Job).where(Job.state == RUNNING).with_for_update()).all()
    for job in orphans:
        worker = job.claimed_by
        job.attempts = max(0, job.attempts - 1)
        job.interruptions += 1
        _set_pending(job, now, job.not_before)
        session.flush()
        audit.append(
            session,
            "job_released",
            f"job/{job.id}",
            {"worker": worker, "reason": "restart", "interruptions": job.interruptions},
        )
    return len(orphans)


@contextmanager
def analysed_in(job_id: int, seconds: float | None) -> Iterator[None]:
    """Within this block, `finish` of job `job_id` keeps `seconds` as its analysis time (the
    job loop wraps a handler's `conclude` and `fail` in it)."""
    token = _ANALYSED.set(None if seconds is None else (job_id, seconds))
    try:
        yield
    finally:
        _ANALYSED.reset(token)


def finish(
    session: Session,
    job: Job | int,
    state: str,
    *,
    error: str | None = None,
    document_id: int | None = None,
    worker: str | None = None,
) -> Job:
    """Close a claimed job (a Job, or its id with `worker`) as done, failed, set aside or
    duplicate; returns this session's instance. Raises `LeaseLost` if the job is no longer
    held by `worker` (default: the claimer recorded on the Job that `claim` returned)."""
    if state not in FINAL_STATES:
        raise ValueError(f"finish: {state!r} is not a final state ({', '.join(FINAL_STATES)})")
    current = _lock_mine(session, job, worker)
    _set_final(current, state, error, document_id, clock.now())
    analysed = _ANALYSED.get()
    if analysed is not None and analysed[0] == current.id:
        current.analysis_seconds = round(analysed[1], 3)
    session.flush()
    data: dict[str, Any] = {"state": state, "attempt": current.attempts}
    if error:
        data["reason"] = current.last_error
    if document_id is not None:
        data["document_id"] = document_id
    audit.append(session, f"job_{state}", f"job/{current.id}", data)
    return current


def retry_later(
    session: Session,
    job: Job | int,
    error: str,
    delay_seconds: float,
    *,
    worker: str | None = None,
) -> Job:
    """Put a claimed job back to wait `delay_seconds`, remembering why it failed this time.
    Ownership is checked as in `finish`."""
    if delay_seconds < 0:
        raise ValueError("retry_later: delay_seconds must be >= 0")
    current = _lock_mine(session, job, worker)
    now = clock.now()
    _set_pending(current, now, now + dt.timedelta(seconds=delay_seconds))
    current.last_error = _clip(error)
    session.flush()
    audit.append(
        session,
        "job_retry",
        f"job/{current.id}",
        {
            "attempt": current.attempts,
            "reason": current.last_error,
            "not_before": current.not_before,
        },
    )
    return current


def _lock_mine(session: Session, job: Job | int, worker: str | None) -> Job:
    """The job locked in this session, checked to be still running under our claim. Pending
    changes the caller made to `job` are kept (flushed, never reloaded over)."""
    expected: str | None = worker
    if isinstance(job, int):
        if worker is None:
            raise ValueError("a job given by its id needs the worker that claimed it")
        job_id = job
    else:
        job_id = job.id
        expected = worker if worker is not None else job.claimed_by
    session.flush()
    locked = session.execute(
        select(Job.state, Job.claimed_by).where(Job.id == job_id).with_for_update()
    ).one_or_none()
    if locked is None:
        raise LeaseLost(job_id, "the job row is gone")
    if locked.state != RUNNING or locked.claimed_by != expected:
        raise LeaseLost(job_id, f"now {locked.state}, held by {locked.claimed_by or 'nobody'}")
    return job if isinstance(job, Job) and job in session else session.get_one(Job, job_id)


def _set_pending(job: Job, now: dt.datetime, not_before: dt.datetime) -> None:
    job.state, job.claimed_by, job.lease_until = PENDING, None, None
    job.not_before = clock.to_db(clock.from_db(not_before))
    job.updated_at = now


def _set_final(
    job: Job, state: str, error: str | None, document_id: int | None, now: dt.datetime
) -> None:
    job.state, job.lease_until = state, None
    job.last_error = _clip(error) if error else None
    if document_id is not None:
        job.document_id = document_id
    if state == SET_ASIDE:
        # A secret document leaves no trace of its content, not even its hash.
        job.sha256 = None
    job.updated_at = now


def _clip(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    return text if len(text) <= _ERROR_MAX else text[: _ERROR_MAX - 1] + "…"
