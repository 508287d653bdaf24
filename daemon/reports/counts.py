"""Counting a period's documents: received (sổ đến), sent (sổ đi), and how the incoming ones
were handled — on time, late, or still open (not yet due, overdue, or with no deadline).

An incoming document is *handled* when its entry was closed (`vanthu register close`). It was
handled *on time* when it was closed on or before its due date (or, when a rule counted in
working hours, its due moment); one without a deadline counts as on time once closed. The
counts are taken *as of* a moment: the end of the period, or now while the period runs. A
document closed after that moment is still open in the report, so a report of a past month
says the same thing whenever it is made. Pure logic: the rows come from `daemon.reports.rows`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from daemon.reports.period import Period, Span

NO_TYPE, NO_ISSUER, NO_UNIT = "(không rõ loại)", "(không rõ cơ quan)", "(chưa giao đơn vị)"


@dataclass(frozen=True)
class Item:
    """What a report needs of one register entry."""

    book: str  # den | di
    received_at: dt.datetime  # aware: ngày đến, or when an outgoing one was registered
    doc_type: str | None = None  # tên loại
    issuer: str | None = None  # cơ quan ban hành
    unit: str | None = None  # đơn vị nhận (recipient_unit)
    due_date: dt.date | None = None  # hạn giải quyết
    due_at: dt.datetime | None = None  # aware, when a rule counted in working hours
    closed_at: dt.datetime | None = None  # aware, when handled


class Outcome(StrEnum):
    """Where an incoming document stands, as of the report's moment."""

    ON_TIME = "on_time"
    LATE = "late"
    OPEN_NOT_DUE = "open_not_due"
    OPEN_OVERDUE = "open_overdue"
    OPEN_NO_DEADLINE = "open_no_deadline"


def outcome(item: Item, as_of: dt.datetime, tz: str) -> Outcome:
    """How `item` (incoming) stands at `as_of`: closed on time or late, or open and how."""
    zone = ZoneInfo(tz)
    if item.closed_at is not None and item.closed_at <= as_of:
        if item.due_at is not None:
            return Outcome.ON_TIME if item.closed_at <= item.due_at else Outcome.LATE
        if item.due_date is None or item.closed_at.astimezone(zone).date() <= item.due_date:
            return Outcome.ON_TIME
        return Outcome.LATE
    if item.due_at is not None:
        return Outcome.OPEN_OVERDUE if as_of > item.due_at else Outcome.OPEN_NOT_DUE
    if item.due_date is None:
        return Outcome.OPEN_NO_DEADLINE
    # Due "on" a day means until that day's end: overdue from the next local midnight.
    overdue = as_of.astimezone(zone).date() > item.due_date
    return Outcome.OPEN_OVERDUE if overdue else Outcome.OPEN_NOT_DUE


@dataclass
class Tally:
    """Counts for one group (the whole period, one unit, one week...)."""

    received: int = 0
    sent: int = 0
    outcomes: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))

    def add(self, item: Item, result: Outcome | None) -> None:
        if item.book == "di":
            self.sent += 1
            return
        self.received += 1
        if result is not None:
            self.outcomes[result] += 1

    def __getitem__(self, result: Outcome) -> int:
        return self.outcomes[result]

    @property
    def handled(self) -> int:
        return self[Outcome.ON_TIME] + self[Outcome.LATE]

    @property
    def open(self) -> int:
        return self.received - self.handled

    @property
    def on_time_share(self) -> float | None:
        """On time among the handled, 0..1; None when none was handled."""
        return self[Outcome.ON_TIME] / self.handled if self.handled else None


@dataclass(frozen=True)
class Report:
    """A period's counts: in total, by tên loại, cơ quan ban hành and đơn vị nhận, and per
    step of the period (weeks of a month, months of a quarter or year)."""

    period: Period
    as_of: dt.datetime
    tz: str
    total: Tally
    by_type: dict[str, Tally]
    by_issuer: dict[str, Tally]
    by_unit: dict[str, Tally]
    steps: list[tuple[Span, Tally]]


def as_of_moment(period: Period, now: dt.datetime, tz: str) -> dt.datetime:
    """The moment a report counts at: the period's end, or `now` while it runs."""
    return min(now, period.bounds(tz)[1])


def count(items: Iterable[Item], period: Period, *, now: dt.datetime, tz: str) -> Report:
    """The report of `period` from `items` (others outside the period are ignored)."""
    start, end = period.bounds(tz)
    as_of = as_of_moment(period, now, tz)
    steps = [(span, span.bounds(tz), Tally()) for span in period.steps()]
    total = Tally()
    groups: dict[str, dict[str, Tally]] = {"type": {}, "issuer": {}, "unit": {}}
    for item in items:
        if not start <= item.received_at < end or item.received_at > as_of:
            continue
        result = outcome(item, as_of, tz) if item.book == "den" else None
        total.add(item, result)
        for name, key in (("type", _type), ("issuer", _issuer), ("unit", _unit)):
            groups[name].setdefault(key(item), Tally()).add(item, result)
        for _span, (lo, hi), tally in steps:
            if lo <= item.received_at < hi:
                tally.add(item, result)
    return Report(
        period=period,
        as_of=as_of,
        tz=tz,
        total=total,
        by_type=_ranked(groups["type"]),
        by_issuer=_ranked(groups["issuer"]),
        by_unit=_ranked(groups["unit"]),
        steps=[(span, tally) for span, _bounds, tally in steps],
    )


def _name(value: str | None, missing: str) -> str:
    text = " ".join((value or "").split())
    return text or missing


def _type(item: Item) -> str:
    return _name(item.doc_type, NO_TYPE)


def _issuer(item: Item) -> str:
    return _name(item.issuer, NO_ISSUER)


def _unit(item: Item) -> str:
    return _name(item.unit, NO_UNIT)


def _ranked(groups: dict[str, Tally]) -> dict[str, Tally]:
    """Largest groups first (received + sent), then by name; the "unknown" group last."""

    def key(pair: tuple[str, Tally]) -> tuple[bool, int, str]:
        name, tally = pair
        return name.startswith("("), -(tally.received + tally.sent), name

    return dict(sorted(groups.items(), key=key))
