"""Report periods on the office's calendar: a month, a quarter (quý) or a year, and the steps
a chart walks through them (weeks of a month, months of a quarter or a year).

Bounds are local midnights in the register's timezone (Asia/Ho_Chi_Minh): a document that
arrived at 23:30 on 31/3 belongs to March, though that instant is 16:30 UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

Kind = Literal["month", "quarter", "year"]
KINDS: tuple[Kind, ...] = ("month", "quarter", "year")
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Span:
    """Days from `start` to `end` (exclusive), with how a reader names them."""

    label: str
    start: dt.date
    end: dt.date

    def bounds(self, tz: str) -> tuple[dt.datetime, dt.datetime]:
        """The span as aware instants: local midnight of `start` to local midnight of `end`."""
        zone = ZoneInfo(tz)
        return _midnight(self.start, zone), _midnight(self.end, zone)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period(Span):
    kind: Kind = "month"

    @property
    def slug(self) -> str:
        """For file names: 2026-03, 2026-Q1, 2026."""
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def steps(self) -> list[Span]:
        """A month in weeks (Monday to Sunday, cut at the month's ends), else in months."""
        if self.kind == "month":
            return _weeks(self.start, self.end)
        return [_month(self.start.year, m) for m in range(self.start.month, self.end_month + 1)]

    @property
    def end_month(self) -> int:
        return self.last_day.month


def period_of(kind: Kind, day: dt.date) -> Period:
    """The month, quarter or year that holds `day`."""
    year = day.year
    if kind == "month":
        month = _month(year, day.month)
        return Period(f"tháng {day.month}/{year}", month.start, month.end, kind)
    if kind == "quarter":
        q = (day.month - 1) // 3
        start = dt.date(year, 3 * q + 1, 1)
        return Period(f"quý {_ROMAN[q]}/{year}", start, _month(year, 3 * q + 3).end, kind)
    if kind == "year":
        return Period(f"năm {year}", dt.date(year, 1, 1), dt.date(year + 1, 1, 1), kind)
    raise ValueError(f"report period must be one of {', '.join(KINDS)}, got {kind!r}")


def iso_week(day: dt.date) -> Span:
    """The ISO week (Monday to Sunday) that holds `day`, labelled 2026-W10."""
    year, week, weekday = day.isocalendar()
    start = day - dt.timedelta(days=weekday - 1)
    return Span(f"{year}-W{week:02d}", start, start + dt.timedelta(days=7))


def _month(year: int, month: int) -> Span:
    start = dt.date(year, month, 1)
    end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return Span(f"{month}/{year}", start, end)


def _weeks(start: dt.date, end: dt.date) -> list[Span]:
    spans, day = [], start
    while day < end:
        stop = min(end, day + dt.timedelta(days=7 - day.weekday()))
        last = stop - dt.timedelta(days=1)
        label = f"{day.day}–{last.day}/{day.month}" if last != day else f"{day.day}/{day.month}"
        spans.append(Span(label, day, stop))
        day = stop
    return spans


def _midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)
