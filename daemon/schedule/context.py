"""What every job needs from the settings: the working calendar, the schedule's time zone and
each job's cadence ([schedule] times), made once per run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from daemon.config import ScheduleSettings, Settings
from daemon.errors import PermanentError
from daemon.rules import load_rules
from daemon.schedule.cadence import (
    Cadence,
    Slot,
    every_day,
    first_working_day_of_month,
    latest_slot,
    weekly,
    working_days,
)
from daemon.workdays import Calendar


class ScheduleError(PermanentError):
    """A job cannot run: unknown, or without a slot before the moment asked."""


def cadences(schedule: ScheduleSettings) -> dict[str, Cadence]:
    """Every job's clock, by job id (the ids are stable: the ledger and APScheduler key on them)."""

    def time(text: str) -> dt.time:
        return dt.time.fromisoformat(text)

    return {
        "digest": working_days(time(schedule.digest_at)),
        "reminders": working_days(time(schedule.reminders_at)),
        "weekly_export": weekly(time(schedule.exports_at), "mon", previous_week=True),
        "monthly_report": first_working_day_of_month(time(schedule.exports_at)),
        "backup": backup_cadence(schedule),
    }


def backup_cadence(schedule: ScheduleSettings) -> Cadence:
    """Nightly for that date ("2026-12-04"), or each backup_day for its own week ("2026-W49")."""
    at = dt.time.fromisoformat(schedule.backup_at)
    if schedule.backup_every == "week":
        return weekly(at, schedule.backup_day, previous_week=False)
    return every_day(at)


@dataclass(frozen=True)
class Context:
    calendar: Calendar
    tz: str
    cadences: dict[str, Cadence]

    @classmethod
    def of(cls, settings: Settings) -> Context:
        calendar = load_rules(settings.rules.dir).calendar
        return cls(calendar, settings.schedule.zone(settings.register), cadences(settings.schedule))

    def cadence(self, job: str) -> Cadence:
        try:
            return self.cadences[job]
        except KeyError:
            known = ", ".join(self.cadences)
            raise ScheduleError(f"no job {job!r} in the schedule (jobs: {known})") from None

    def slot(self, job: str, now: dt.datetime) -> Slot:
        """The job's latest slot at or before `now`: the run `now` stands for."""
        found = latest_slot(job, self.cadence(job), now, self.calendar, self.tz)
        if found is None:
            raise ScheduleError(f"{job}: no slot before {now.isoformat()}")
        return found
