"""The weekly export and the periodic reports, written under [paths] exports.

Each Monday morning: both register books of the ISO week before (so-dang-ky-2026-W48.xlsx).
On a month's first working day: the report of the month before (bao-cao-2026-11.xlsx and its
chart); after a quarter's last month also the quarter's, after December also the year's.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from daemon.config import Settings
from daemon.ocr.turns import TURNS
from daemon.reports.period import Kind
from daemon.schedule.context import Context


def weekly_export(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime) -> str:
    ctx = Context.of(settings)
    slot = ctx.slot("weekly_export", now)
    # openpyxl (with NumPy, PIL and lxml, which it imports) loads in a process of its own, as
    # the report's chart does: in the service's it stayed for good (+35 MB measured).
    with TURNS.alone(), _one_process() as pool:
        return pool.submit(_write_week, settings, slot.day - dt.timedelta(days=7), ctx.tz).result()


def _one_process() -> ProcessPoolExecutor:
    """A fresh process for one big job; it ends with the job. Run while the service's readers
    wait (TURNS.alone), so that their memory and the job's never add up."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def _write_week(settings: Settings, day: dt.date, tz: str) -> str:
    """The workbook of the week holding `day` (in the export process)."""
    from daemon.register.db import make_engine, session_factory
    from daemon.reports.weekly import export_week

    engine = make_engine(settings.database_url())
    try:
        with session_factory(engine)() as session:
            done = export_week(session, settings.paths.exports, day, tz=tz)
    finally:
        engine.dispose()
    return f"{done.path.name}: {done.entries.get('den', 0)} đến, {done.entries.get('di', 0)} đi"


def periods_ending(last_day: dt.date) -> list[Kind]:
    """The reports due once the month of `last_day` is over: the month, and the quarter and the
    year when it closes them."""
    kinds: list[Kind] = ["month"]
    if last_day.month % 3 == 0:
        kinds.append("quarter")
    if last_day.month == 12:
        kinds.append("year")
    return kinds


def monthly_report(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime) -> str:
    ctx = Context.of(settings)
    slot = ctx.slot("monthly_report", now)
    last_day = slot.day.replace(day=1) - dt.timedelta(days=1)
    kinds = periods_ending(last_day)
    # The chart needs matplotlib (and NumPy): they load in a process of their own, which ends
    # with the report, never in the service's (measured: +110 MB for the rest of its life).
    with TURNS.alone(), _one_process() as pool:
        written = pool.submit(_write_reports, settings, kinds, last_day, ctx.tz, now).result()
    return ", ".join(written)


def _write_reports(
    settings: Settings, kinds: list[Kind], last_day: dt.date, tz: str, now: dt.datetime
) -> list[str]:
    """The reports of `kinds` ending on `last_day` (in the report process)."""
    from daemon.register.db import make_engine, session_factory
    from daemon.reports.outputs import write_report

    engine = make_engine(settings.database_url())
    try:
        with session_factory(engine)() as session:
            return [
                write_report(
                    session, kind, last_day, tz=tz, now=now, folder=settings.paths.exports
                ).workbook.name
                for kind in kinds
            ]
    finally:
        engine.dispose()
