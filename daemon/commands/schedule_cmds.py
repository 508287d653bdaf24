"""`vanthu schedule list | run`: the service's jobs, when they run next, how they last ended;
and one job run now, for the period of a given moment, through the run ledger."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
from typing import Any

from daemon.cli import emit, settings_of


def iso_moment(text: str) -> dt.datetime:
    """An argparse type: an ISO date-time (YYYY-MM-DDTHH:MM, with or without a zone offset)."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO date-time (2026-12-04T08:00): {text!r}"
        ) from None


def _sessions(settings: Any) -> Any:
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register

    engine = open_register(settings.database_url())
    return engine, session_factory(engine)


def list_(args: argparse.Namespace) -> int:
    from daemon.register import clock
    from daemon.schedule import ledger
    from daemon.schedule.cadence import next_slot
    from daemon.schedule.context import Context
    from daemon.schedule.jobs import describe

    settings = settings_of(args)
    ctx = Context.of(settings)
    engine, sessions = _sessions(settings)
    try:
        last = ledger.last_runs(sessions)
    finally:
        engine.dispose()
    now = clock.now()
    for job, cadence in ctx.cadences.items():
        coming = next_slot(job, cadence, now, ctx.calendar, ctx.tz)
        row = last.get(job)
        obj: dict[str, Any] = {
            "job": job,
            "what": describe(job, settings.schedule),
            "next_run": coming.at.isoformat() if coming else None,
            "next_period": coming.period if coming else None,
            "enabled": settings.schedule.enabled,
            "last": None,
        }
        if row is not None:
            obj["last"] = {
                "period": row.period,
                "state": row.state,
                "claimed_by": row.claimed_by,
                "started_at": row.started_at.isoformat(),
                "finished_at": row.finished_at.isoformat() if row.finished_at else None,
                "error": row.error,
                "summary": row.summary,
            }
        nxt = f"{coming.at:%Y-%m-%d %H:%M} ({coming.period})" if coming else "-"
        was = f"{row.period} {row.state}: {row.error or row.summary or ''}" if row else "never run"
        emit(args, obj, f"{job:<15} next {nxt:<30} last {was.strip()}")
    return 0


def run(args: argparse.Namespace) -> int:
    import sys
    from zoneinfo import ZoneInfo

    from daemon.register import clock
    from daemon.schedule.context import Context
    from daemon.schedule.runner import run_job

    settings = settings_of(args)
    ctx = Context.of(settings)
    now = args.at or clock.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(ctx.tz))
    engine, sessions = _sessions(settings)
    try:
        outcome = run_job(
            sessions,
            settings,
            args.job,
            now,
            owner=f"cli:{getpass.getuser()}",
            force=args.force,
            context=ctx,
        )
    finally:
        engine.dispose()
    obj = {"job": outcome.job, "period": outcome.period, "state": outcome.state}
    obj["detail"] = outcome.detail
    if outcome.state == "refused" and not args.json:
        print(f"vanthu: {outcome.detail}", file=sys.stderr)
        return 1
    emit(args, obj, f"{outcome.job} {outcome.period}: {outcome.state}: {outcome.detail}")
    return 0 if outcome.ok else 1


def add_run_options(p: argparse.ArgumentParser) -> None:
    from daemon.schedule import JOB_IDS

    p.add_argument("job", choices=JOB_IDS, metavar="JOB", help=f"one of: {', '.join(JOB_IDS)}")
    p.add_argument(
        "--at",
        type=iso_moment,
        metavar="ISO-DATETIME",
        help="run for the period of this moment (default: now; the office's zone if none given)",
    )
    p.add_argument(
        "--force", action="store_true", help="run again a period that was done or failed"
    )
