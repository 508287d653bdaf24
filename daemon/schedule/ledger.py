"""The run ledger: a scheduled run is done once per (job, period), across every process.

A run begins by *claiming* its row: an INSERT of (job, period) in its own short transaction.
The unique key decides between two processes that fire at the same moment: on PostgreSQL the
second INSERT waits for the first to commit and then fails with a unique violation, on SQLite
`BEGIN IMMEDIATE` serialises them; the loser reads the row and leaves the run alone. The winner
does the work outside any transaction and then records how it ended (done, or failed with the
error). A claim whose process died mid-run (still "running" after a lease) may be taken over;
a finished run is only done again when asked to (`force`, from `vanthu schedule run --force`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from daemon.register import clock
from daemon.register.models import RunState, ScheduleRun

LEASE = dt.timedelta(hours=2)  # a run still "running" after this was abandoned by its process
_ERROR_MAX = 4000


@dataclass(frozen=True)
class Claim:
    """The caller's claim on one run: it alone does this run now."""

    id: int
    job: str
    period: str
    owner: str
    attempts: int


@dataclass(frozen=True)
class Refusal:
    """Why a run is not the caller's: someone else has it, or it is already done."""

    job: str
    period: str
    state: str
    claimed_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None

    @property
    def reason(self) -> str:
        if self.state == RunState.RUNNING:
            since = clock.iso_utc(self.started_at)
            return f"{self.job} for {self.period} is running now ({self.claimed_by}, since {since})"
        ended = "was done" if self.state == RunState.DONE else "failed"
        when = clock.iso_utc(self.finished_at or self.started_at)
        return (
            f"{self.job} for {self.period} {ended} already ({self.claimed_by}, {when}); "
            "--force runs it again"
        )


def claim(
    sessions: sessionmaker[Session],
    job: str,
    period: str,
    slot_at: dt.datetime,
    owner: str,
    *,
    force: bool = False,
    now: dt.datetime | None = None,
    lease: dt.timedelta = LEASE,
) -> Claim | Refusal:
    """Claim the run of `job` for `period`. A Claim means: do it, then `finish` it."""
    now = now or clock.now()
    row = ScheduleRun(
        job=job,
        period=period,
        slot_at=slot_at,
        state=RunState.RUNNING,
        claimed_by=owner,
        attempts=1,
        started_at=now,
    )
    try:
        with sessions() as session, session.begin():
            session.add(row)
        return Claim(row.id, job, period, owner, 1)
    except IntegrityError:
        pass  # the row is there: someone claimed this run before
    with sessions() as session, session.begin():
        found = session.scalar(
            select(ScheduleRun)
            .where(ScheduleRun.job == job, ScheduleRun.period == period)
            .with_for_update()
        )
        if found is None:  # removed in between (by hand): let the next attempt insert it
            return Refusal(job, period, RunState.RUNNING, "?", now, None)
        abandoned = found.state == RunState.RUNNING and found.started_at < now - lease
        finished = found.state != RunState.RUNNING
        if not (abandoned or (force and finished)):
            return _refusal(found)
        found.state, found.claimed_by, found.started_at = RunState.RUNNING, owner, now
        found.finished_at, found.error, found.summary = None, None, None
        found.attempts += 1
        return Claim(found.id, job, period, owner, found.attempts)


def finish(
    sessions: sessionmaker[Session],
    held: Claim,
    *,
    error: str | None = None,
    summary: str | None = None,
) -> bool:
    """Record how the run ended; False when the claim was taken over meanwhile (too slow)."""
    with sessions() as session, session.begin():
        found = session.get(ScheduleRun, held.id, with_for_update=True)
        if found is None or found.claimed_by != held.owner or found.state != RunState.RUNNING:
            return False
        found.state = RunState.FAILED if error is not None else RunState.DONE
        found.finished_at = clock.now()
        found.error = error[:_ERROR_MAX] if error is not None else None
        found.summary = summary
        return True


def recorded(sessions: sessionmaker[Session], jobs: list[str]) -> set[tuple[str, str]]:
    """The (job, period) pairs with a row, whatever its state (for the catch-up)."""
    with sessions() as session:
        rows = session.execute(
            select(ScheduleRun.job, ScheduleRun.period).where(ScheduleRun.job.in_(jobs))
        )
        return {(job, period) for job, period in rows}


def last_runs(sessions: sessionmaker[Session]) -> dict[str, ScheduleRun]:
    """Each job's latest row (by the moment it was due)."""
    with sessions() as session:
        latest: dict[str, ScheduleRun] = {}
        for row in session.scalars(select(ScheduleRun).order_by(ScheduleRun.slot_at)):
            latest[row.job] = row
        return latest


def previous_done(
    sessions: sessionmaker[Session], job: str, before: dt.datetime
) -> ScheduleRun | None:
    """The latest finished run of `job` due before `before` (the digest's "since")."""
    with sessions() as session:
        return session.scalar(
            select(ScheduleRun)
            .where(
                ScheduleRun.job == job,
                ScheduleRun.state == RunState.DONE,
                ScheduleRun.slot_at < clock.to_db(before),
            )
            .order_by(ScheduleRun.slot_at.desc())
            .limit(1)
        )


def _refusal(row: ScheduleRun) -> Refusal:
    return Refusal(row.job, row.period, row.state, row.claimed_by, row.started_at, row.finished_at)
