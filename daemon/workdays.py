"""Working days: weekends and the office's holiday list (rules/holidays.toml) are skipped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Calendar:
    recurring: frozenset[tuple[int, int]] = frozenset()  # (month, day) every year
    dates: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5
            and (day.month, day.day) not in self.recurring
            and day not in self.dates
        )

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (start itself is not counted)."""
        day = start
        while days > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day
