"""One scheduled run, through the ledger: claim the (job, period), do it, record how it ended.

This is the one boundary where a job's exception becomes an outcome: the error is kept in the
ledger, the clerk is alerted, and the caller (the service's scheduler, or the command line)
carries on. A run someone else holds, or already did, is refused with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from daemon.alerts import alert
from daemon.config import Settings
from daemon.logs import event
from daemon.schedule import ledger
from daemon.schedule.context import Context
from daemon.schedule.jobs import JOBS
from daemon.work.triage import describe

log = logging.getLogger("vanthu.schedule")


@dataclass(frozen=True)
class RunOutcome:
    job: str
    period: str
    state: str  # done | failed | refused
    detail: str  # the summary, the error, or why it was refused

    @property
    def ok(self) -> bool:
        return self.state == "done"


def run_job(
    sessions: sessionmaker[Session],
    settings: Settings,
    job: str,
    now: dt.datetime,
    *,
    owner: str,
    force: bool = False,
    context: Context | None = None,
) -> RunOutcome:
    """Run `job` for the period `now` falls in, once (unless `force`)."""
    ctx = context or Context.of(settings)
    slot = ctx.slot(job, now)
    held = ledger.claim(sessions, job, slot.period, slot.at, owner, force=force)
    if isinstance(held, ledger.Refusal):
        return RunOutcome(job, slot.period, "refused", held.reason)
    event(log, "schedule-start", job=job, period=slot.period, attempt=held.attempts)
    try:
        summary = JOBS[job](sessions, settings, now)
    except Exception as exc:  # noqa: BLE001 - recorded and alerted; the service carries on
        error = describe(exc)
        _finish(sessions, held, error=error)
        alert("schedule-failed", job=job, period=slot.period, error=error)
        return RunOutcome(job, slot.period, "failed", error)
    _finish(sessions, held, summary=summary)
    event(log, "schedule-done", job=job, period=slot.period, summary=summary)
    return RunOutcome(job, slot.period, "done", summary)


def _finish(
    sessions: sessionmaker[Session],
    held: ledger.Claim,
    *,
    error: str | None = None,
    summary: str | None = None,
) -> None:
    try:
        kept = ledger.finish(sessions, held, error=error, summary=summary)
    except Exception as exc:  # noqa: BLE001 - the database went away: the lease runs out
        event(log, "schedule-ledger-error", logging.ERROR, job=held.job, error=describe(exc))
        return
    if not kept:
        event(log, "schedule-claim-lost", logging.WARNING, job=held.job, period=held.period)
