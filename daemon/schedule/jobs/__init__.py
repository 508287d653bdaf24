"""The schedule's jobs, by their stable ids: each a function (sessions, settings, now) -> a
one-line summary, that works out from `now` which period it is for (context.Context.slot)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from daemon.config import ScheduleSettings, Settings
from daemon.schedule.jobs import backup, digest, exports, reminders

JobFunction = Callable[[sessionmaker[Session], Settings, dt.datetime], str]

JOBS: dict[str, JobFunction] = {
    "digest": digest.run,
    "reminders": reminders.run,
    "weekly_export": exports.weekly_export,
    "monthly_report": exports.monthly_report,
    "backup": backup.run,
}

DESCRIPTIONS = {
    "digest": "each working morning: the digest to [schedule] digest_to",
    "reminders": "each working morning: due and overdue entries to their units and the clerk",
    "weekly_export": "each Monday: both books of the week before to exports/",
    "monthly_report": "a month's first working day: the month's report (quarter, year at ends)",
    "backup": "each night: the database and the archive into [schedule] backup_dir",
}


def describe(job: str, schedule: ScheduleSettings) -> str:
    """What `job` does and when, as `vanthu schedule list` shows it (the backup's per setting)."""
    if job == "backup" and schedule.backup_every == "week":
        return DESCRIPTIONS[job].replace("each night", "each week", 1)
    return DESCRIPTIONS[job]
