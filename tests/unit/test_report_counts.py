"""The periodic report's counting: periods on Vietnamese time, and how each incoming document
stands (on time, late, open not yet due, overdue, no deadline) as of the report's moment."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from daemon.reports.counts import NO_UNIT, Item, Outcome, count, outcome
from daemon.reports.period import iso_week, period_of

TZ = "Asia/Ho_Chi_Minh"
HCM = ZoneInfo(TZ)
UTC = dt.UTC


def at(y: int, m: int, d: int, h: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=HCM)


def incoming(received: dt.datetime, **kw: object) -> Item:
    return Item(book="den", received_at=received, **kw)  # type: ignore[arg-type]


# --- periods ---------------------------------------------------------------------------------


def test_a_month_runs_from_local_midnight_to_local_midnight() -> None:
    march = period_of("month", dt.date(2026, 3, 17))
    start, end = march.bounds(TZ)
    assert (march.start, march.end, march.label, march.slug) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 1),
        "tháng 3/2026",
        "2026-03",
    )
    assert start.astimezone(UTC) == dt.datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == dt.datetime(2026, 3, 31, 17, 0, tzinfo=UTC)


def test_quarters_and_years_are_named_as_the_office_names_them() -> None:
    q4 = period_of("quarter", dt.date(2026, 11, 2))
    assert (q4.start, q4.end, q4.label, q4.slug) == (
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
        "quý IV/2026",
        "2026-Q4",
    )
    assert [s.label for s in q4.steps()] == ["10/2026", "11/2026", "12/2026"]
    year = period_of("year", dt.date(2026, 2, 17))
    assert (year.start, year.end, year.label, len(year.steps())) == (
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
        "năm 2026",
        12,
    )


def test_a_month_is_cut_into_monday_to_sunday_weeks_within_the_month() -> None:
    # 1/3/2026 is a Sunday; 31/3 a Tuesday.
    weeks = period_of("month", dt.date(2026, 3, 1)).steps()
    assert [w.label for w in weeks] == ["1/3", "2–8/3", "9–15/3", "16–22/3", "23–29/3", "30–31/3"]
    assert weeks[0].end == dt.date(2026, 3, 2) and weeks[-1].end == dt.date(2026, 4, 1)


def test_an_unknown_period_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="month, quarter, year"):
        period_of("week", dt.date(2026, 3, 1))  # type: ignore[arg-type]


def test_the_iso_week_starts_on_monday_and_crosses_the_year() -> None:
    week = iso_week(dt.date(2027, 1, 1))  # a Friday in week 53 of 2026
    assert (week.label, week.start, week.end) == (
        "2026-W53",
        dt.date(2026, 12, 28),
        dt.date(2027, 1, 4),
    )


def test_a_document_at_2330_on_the_last_evening_belongs_to_that_month() -> None:
    march = period_of("month", dt.date(2026, 3, 1))
    late_evening = incoming(at(2026, 3, 31, 23, 30))  # 16:30 UTC on 31/3
    next_morning = incoming(at(2026, 4, 1, 0, 10))  # still 31/3 in UTC
    early = incoming(at(2026, 3, 1, 0, 5))  # 28/2 in UTC
    report = count([late_evening, next_morning, early], march, now=at(2026, 5, 1), tz=TZ)
    assert report.total.received == 2
    assert [t.received for _s, t in report.steps] == [1, 0, 0, 0, 0, 1]


# --- outcomes --------------------------------------------------------------------------------

AS_OF = at(2026, 3, 20, 10)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # closed the day it was due: on time; the day after: late
        (incoming(at(2026, 3, 2), due_date=dt.date(2026, 3, 9), closed_at=at(2026, 3, 9, 16)),
         Outcome.ON_TIME),
        (incoming(at(2026, 3, 2), due_date=dt.date(2026, 3, 9), closed_at=at(2026, 3, 10, 8)),
         Outcome.LATE),
        # closed at 06:00 the day after is late, though in UTC it is still the due day
        (incoming(at(2026, 3, 2), due_date=dt.date(2026, 3, 9), closed_at=at(2026, 3, 10, 6)),
         Outcome.LATE),
        # no deadline: on time once closed, "no deadline" while open
        (incoming(at(2026, 3, 2), closed_at=at(2026, 3, 19)), Outcome.ON_TIME),
        (incoming(at(2026, 3, 2)), Outcome.OPEN_NO_DEADLINE),
        # open: due today is not yet overdue; due yesterday is
        (incoming(at(2026, 3, 2), due_date=dt.date(2026, 3, 20)), Outcome.OPEN_NOT_DUE),
        (incoming(at(2026, 3, 2), due_date=dt.date(2026, 3, 19)), Outcome.OPEN_OVERDUE),
        # closed after the report's moment: still open as of then
        (incoming(at(2026, 3, 2), due_date=dt.date(2026, 3, 19), closed_at=at(2026, 3, 25)),
         Outcome.OPEN_OVERDUE),
        # a deadline in working hours (Hỏa tốc) is kept to the minute
        (incoming(at(2026, 3, 20, 8), due_date=dt.date(2026, 3, 20), due_at=at(2026, 3, 20, 9, 30)),
         Outcome.OPEN_OVERDUE),
        (incoming(at(2026, 3, 20, 8), due_date=dt.date(2026, 3, 20), due_at=at(2026, 3, 20, 9, 30),
                  closed_at=at(2026, 3, 20, 9, 45)),
         Outcome.LATE),
        (incoming(at(2026, 3, 20, 8), due_date=dt.date(2026, 3, 20), due_at=at(2026, 3, 20, 11),
                  closed_at=at(2026, 3, 20, 9, 45)),
         Outcome.ON_TIME),
    ],
)  # fmt: skip
def test_how_an_incoming_document_stands(item: Item, expected: Outcome) -> None:
    assert outcome(item, AS_OF, TZ) is expected


def test_a_past_month_counts_as_of_its_end_whenever_the_report_is_made() -> None:
    march = period_of("month", dt.date(2026, 3, 1))
    items = [
        incoming(at(2026, 3, 25), due_date=dt.date(2026, 3, 31), closed_at=at(2026, 4, 2)),
        incoming(at(2026, 3, 26), due_date=dt.date(2026, 4, 3)),
    ]
    in_april = count(items, march, now=at(2026, 4, 10), tz=TZ)
    in_june = count(items, march, now=at(2026, 6, 1), tz=TZ)
    assert in_april.total.outcomes == in_june.total.outcomes
    assert in_april.as_of == dt.datetime(2026, 4, 1, tzinfo=HCM)
    assert in_april.total[Outcome.OPEN_OVERDUE] == 1  # due 31/3, open at the month's end
    assert in_april.total[Outcome.OPEN_NOT_DUE] == 1


def test_a_running_month_counts_as_of_now() -> None:
    march = period_of("month", dt.date(2026, 3, 1))
    item = incoming(at(2026, 3, 2), due_date=dt.date(2026, 3, 9), closed_at=at(2026, 3, 9))
    report = count([item], march, now=at(2026, 3, 5), tz=TZ)
    # not closed yet on the 5th, and the closing on the 9th is in the future
    assert report.as_of == at(2026, 3, 5)
    assert report.total[Outcome.OPEN_NOT_DUE] == 1 and report.total.handled == 0


def test_outgoing_documents_are_counted_as_sent_and_never_as_handled() -> None:
    march = period_of("month", dt.date(2026, 3, 1))
    sent = Item(book="di", received_at=at(2026, 3, 3), doc_type="Công văn", unit="Phòng Nội vụ")
    got = incoming(at(2026, 3, 3), doc_type="Công văn", closed_at=at(2026, 3, 4))
    report = count([sent, got], march, now=at(2026, 4, 2), tz=TZ)
    assert (report.total.received, report.total.sent, report.total.handled) == (1, 1, 1)
    assert report.by_type["Công văn"].sent == 1 and report.by_type["Công văn"].received == 1
    assert report.by_unit["Phòng Nội vụ"].sent == 1
    assert report.by_unit[NO_UNIT].received == 1


def test_groups_are_by_type_issuer_and_unit_largest_first_unknown_last() -> None:
    march = period_of("month", dt.date(2026, 3, 1))
    items = [
        incoming(at(2026, 3, 2), doc_type="Quyết định", issuer="UBND tỉnh Khánh Hòa", unit="A"),
        incoming(at(2026, 3, 3), doc_type="Công văn", issuer="Sở Tài chính", unit="B"),
        incoming(at(2026, 3, 4), doc_type="Công văn", issuer="Sở Tài chính", unit="B"),
        incoming(at(2026, 3, 5), doc_type=None, issuer="  Sở  Tài chính ", unit=None),
    ]
    report = count(items, march, now=at(2026, 4, 2), tz=TZ)
    assert list(report.by_type) == ["Công văn", "Quyết định", "(không rõ loại)"]
    assert report.by_issuer["Sở Tài chính"].received == 3  # spacing does not split a group
    assert list(report.by_unit) == ["B", "A", NO_UNIT]


def test_every_incoming_document_is_in_exactly_one_outcome() -> None:
    march = period_of("month", dt.date(2026, 3, 1))
    items = [
        incoming(at(2026, 3, day), due_date=dt.date(2026, 3, min(31, day + 5)) if day % 3 else None,
                 closed_at=at(2026, 3, day + 4) if day % 2 else None)
        for day in range(1, 27)
    ]  # fmt: skip
    total = count(items, march, now=at(2026, 3, 20), tz=TZ).total
    assert sum(total.outcomes.values()) == total.received == 20  # received by the 20th
    assert total.handled + total.open == total.received
