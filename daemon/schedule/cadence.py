"""When each job is due, and for which period: pure functions of a moment and the calendar.

A job's *slots* are moments on the office's clock: the digest at 07:30 of every working day,
the weekly export at 07:00 each Monday, the monthly report at 07:00 of the first working day of
a month, the backup at 02:00 every night (or each Sunday). Each slot is *for a period*, named by
a key that the run ledger keeps unique: the digest of "2026-12-04", the export of the week
before, "2026-W48", the report of the month before, "2026-11", the backup of "2026-12-04" (a
weekly one of "2026-W49").

Only the latest slot at or before a moment counts (`latest_slot`): a service that was down
over a weekend runs Monday's digest once on start, not Friday's, Saturday's and Monday's.
That is APScheduler's `coalesce`, made exact and independent of what the process remembers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from daemon.reports.period import iso_week
from daemon.workdays import Calendar

LOOKBACK_DAYS = 400  # a yearly slot is always found within this (a month's first working day)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Cadence:
    """A job's clock: the time of day, which days have a slot, and the period of a slot day."""

    at: dt.time
    on_day: Callable[[dt.date, Calendar], bool]
    period: Callable[[dt.date, Calendar], str]
    cron_days: str = "*"  # APScheduler's day_of_week: "*", or "mon" for a weekly job


@dataclass(frozen=True)
class Slot:
    job: str
    day: dt.date
    at: dt.datetime  # aware, in the schedule's zone
    period: str


def working_days(at: dt.time) -> Cadence:
    """Every working morning, for that day (the digest, the reminders)."""
    return Cadence(at, lambda day, cal: cal.is_working_day(day), lambda day, _cal: day.isoformat())


def every_day(at: dt.time) -> Cadence:
    """Every calendar day, weekends and holidays too, for that day (the nightly backup: it runs
    unattended, and mail may be registered on any day)."""
    return Cadence(at, lambda _day, _cal: True, lambda day, _cal: day.isoformat())


def weekly(at: dt.time, weekday: str, *, previous_week: bool) -> Cadence:
    """Each `weekday` ("mon"), for its own ISO week or the one before."""
    number = WEEKDAYS.index(weekday)

    def period(day: dt.date, _cal: Calendar) -> str:
        return iso_week(day - dt.timedelta(days=7) if previous_week else day).label

    return Cadence(at, lambda day, _cal: day.weekday() == number, period, cron_days=weekday)


def first_working_day_of_month(at: dt.time) -> Cadence:
    """The month's first working day, for the month before ("2026-11")."""

    def on_day(day: dt.date, cal: Calendar) -> bool:
        return cal.is_working_day(day) and first_working_day(day.year, day.month, cal) == day

    def period(day: dt.date, _cal: Calendar) -> str:
        last = day.replace(day=1) - dt.timedelta(days=1)
        return f"{last.year}-{last.month:02d}"

    return Cadence(at, on_day, period)


def first_working_day(year: int, month: int, calendar: Calendar) -> dt.date:
    day = dt.date(year, month, 1)
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


def latest_slot(
    job: str, cadence: Cadence, moment: dt.datetime, calendar: Calendar, tz: str
) -> Slot | None:
    """The job's last slot at or before `moment` (aware), or None within LOOKBACK_DAYS."""
    zone = ZoneInfo(tz)
    local = moment.astimezone(zone)
    for back in range(LOOKBACK_DAYS):
        day = local.date() - dt.timedelta(days=back)
        at = dt.datetime.combine(day, cadence.at, tzinfo=zone)
        if at <= local and cadence.on_day(day, calendar):
            return Slot(job, day, at, cadence.period(day, calendar))
    return None


def next_slot(
    job: str, cadence: Cadence, moment: dt.datetime, calendar: Calendar, tz: str
) -> Slot | None:
    """The job's first slot after `moment` (aware), or None within LOOKBACK_DAYS."""
    zone = ZoneInfo(tz)
    local = moment.astimezone(zone)
    for ahead in range(LOOKBACK_DAYS):
        day = local.date() + dt.timedelta(days=ahead)
        at = dt.datetime.combine(day, cadence.at, tzinfo=zone)
        if at > local and cadence.on_day(day, calendar):
            return Slot(job, day, at, cadence.period(day, calendar))
    return None


def due_slots(
    cadences: dict[str, Cadence],
    moment: dt.datetime,
    calendar: Calendar,
    tz: str,
    done: Iterable[tuple[str, str]],
) -> list[Slot]:
    """What should run at `moment`: each job's latest slot whose (job, period) is not in
    `done` (the ledger). However many slots were missed, a job runs at most once."""
    recorded = set(done)
    due = []
    for job, cadence in cadences.items():
        slot = latest_slot(job, cadence, moment, calendar, tz)
        if slot is not None and (job, slot.period) not in recorded:
            due.append(slot)
    return due
