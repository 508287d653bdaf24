"""The office's working calendar: which days are worked, and office hours within them.

A deadline in the regulations counts working days (ngày làm việc): Saturdays, Sundays and the
public holidays of Bộ luật Lao động 2019 Điều 112 are skipped. The holidays come from the
`holidays` package (its Vietnam calendar knows the lunar Tết on Vietnamese time, Giỗ Tổ Hùng
Vương, 30/4, 1/5, 2/9 with its second day, the days off moved by the Government's yearly
announcement and the Saturdays worked in exchange). The office adds its own on top
(rules/holidays.toml): extra days off, and make-up working Saturdays announced after the
library's release.

Urgent documents may be due in working hours ("Hỏa tốc" = "4h"): only office hours count
(default 07:30-11:30 and 13:30-17:00), and a document arriving outside them starts counting at
the next opening.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
OFFICE_DAY_OFF = "Ngày nghỉ của cơ quan"  # the name of an office-added day off without one
_MAX_DAYS = 3660  # a search for the next working day gives up after ten years (a bad config)


@dataclass(frozen=True)
class Period:
    """One stretch of office hours in a day, e.g. 07:30-11:30."""

    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, text: str) -> Period:
        """`"07:30-11:30"` -> Period; ValueError naming the text when it is not that."""
        try:
            start, end = (dt.time.fromisoformat(p.strip()) for p in text.split("-"))
        except ValueError as exc:
            raise ValueError(f'{text!r} is not a period like "07:30-11:30"') from exc
        if start >= end:
            raise ValueError(f"{text!r}: the period must end after it starts")
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


MORNING = Period(dt.time(7, 30), dt.time(11, 30))
AFTERNOON = Period(dt.time(13, 30), dt.time(17, 0))


@lru_cache(maxsize=64)
def _national(year: int) -> tuple[Mapping[dt.date, str], frozenset[dt.date]]:
    """Vietnam's public holidays of `year` (Vietnamese names) and its make-up working
    Saturdays, from the `holidays` package. Cached: building a year takes milliseconds."""
    days = holidays.Vietnam(years=year, language="vi")
    off = MappingProxyType(dict(sorted(days.items())))
    worked = frozenset(d for d in days.weekend_workdays if d.year == year)
    return off, worked


@dataclass(frozen=True)
class Calendar:
    """Working days and office hours. `national` adds Vietnam's public holidays from the
    `holidays` package; the office's own `extra_days_off` and `extra_working_days` win."""

    extra_days_off: Mapping[dt.date, str] = field(default_factory=dict)  # the office's, named
    extra_working_days: frozenset[dt.date] = frozenset()  # make-up Saturdays it works
    yearly_off: Mapping[tuple[int, int], str] = field(default_factory=dict)  # (month, day)
    periods: tuple[Period, ...] = (MORNING, AFTERNOON)
    timezone: str = DEFAULT_TIMEZONE
    national: bool = True

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.periods, key=lambda p: p.start))
        if not ordered:
            raise ValueError("office hours: at least one period is needed")
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start < before.end:
                raise ValueError(f"office hours: {before} and {after} overlap")
        object.__setattr__(self, "periods", ordered)
        ZoneInfo(self.timezone)  # an unknown zone fails here, at load, not at the first deadline

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: dt.date) -> bool:
        day = _as_date(day)
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off or (day.month, day.day) in self.yearly_off:
            return False
        if self.national:
            off, worked = _national(day.year)
            if day in worked:
                return True
            if day in off:
                return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (start itself is not counted)."""
        if days < 0:
            raise ValueError(f"cannot add {days} working days: the count must be >= 0")
        day = _as_date(start)
        while days > 0:
            day = self.next_working_day(day)
            days -= 1
        return day

    def next_working_day(self, after: dt.date) -> dt.date:
        """The first working day after `after`."""
        day = _as_date(after)
        for _ in range(_MAX_DAYS):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError(f"no working day within ten years after {after}: check holidays.toml")

    def add_working_hours(self, moment: dt.datetime, hours: float) -> dt.datetime:
        """The moment `hours` office hours after `moment` (aware), in the calendar's zone.
        Only office hours of working days count: lunch, evenings, weekends and holidays do
        not. A moment outside office hours starts counting from the next opening."""
        if moment.tzinfo is None:
            raise ValueError("add_working_hours needs an aware datetime (with its time zone)")
        if hours < 0:
            raise ValueError(f"cannot add {hours} working hours: the count must be >= 0")
        tz = self.tz
        now = moment.astimezone(tz)
        left = dt.timedelta(hours=hours)
        day = now.date()
        if not self.is_working_day(day):
            day, now = self._opening_after(day)
        while True:
            for period in self.periods:
                start = dt.datetime.combine(day, period.start, tzinfo=tz)
                end = dt.datetime.combine(day, period.end, tzinfo=tz)
                if now >= end:
                    continue
                begin = max(now, start)
                if begin + left <= end:
                    return begin + left
                left -= end - begin
                now = end
            day, now = self._opening_after(day)

    def _opening_after(self, day: dt.date) -> tuple[dt.date, dt.datetime]:
        """The next working day after `day` and its first opening moment."""
        nxt = self.next_working_day(day)
        return nxt, dt.datetime.combine(nxt, self.periods[0].start, tzinfo=self.tz)

    def days_off(self, year: int) -> list[tuple[dt.date, str]]:
        """The days of `year` not worked other than ordinary weekends, with their names,
        in date order: public holidays (and the days moved off) and the office's own."""
        named: dict[dt.date, str] = {}
        if self.national:
            named.update(_national(year)[0])
        for (month, day_of_month), name in self.yearly_off.items():
            try:
                named.setdefault(dt.date(year, month, day_of_month), name)
            except ValueError:  # 29/02 in a common year
                continue
        named.update({d: n for d, n in self.extra_days_off.items() if d.year == year})
        return [(d, n) for d, n in sorted(named.items()) if not self.is_working_day(d)]

    def weekend_working_days(self, year: int) -> list[dt.date]:
        """The Saturdays and Sundays of `year` that are worked (make-up days, ngày làm bù)."""
        found = set(self.extra_working_days)
        if self.national:
            found |= _national(year)[1]
        return sorted(d for d in found if d.year == year and d.weekday() >= 5)


def _as_date(value: dt.date) -> dt.date:
    """A date, also when handed a datetime (a subclass of date that compares badly with it)."""
    return value.date() if isinstance(value, dt.datetime) else value
