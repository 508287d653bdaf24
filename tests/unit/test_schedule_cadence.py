"""When each job is due and for which period, on the office's calendar (Vietnam's holidays from
the `holidays` package: Tết 2026 is 14-22/02 off, 22/08/2026 a make-up working Saturday, 31/08
and 1-2/09 off), and what runs after the service was down: the latest slot only, once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from daemon.config import ScheduleSettings
from daemon.schedule import JOB_IDS
from daemon.schedule.cadence import due_slots, latest_slot, next_slot
from daemon.schedule.context import cadences
from daemon.schedule.jobs import describe
from daemon.workdays import Calendar

TZ = "Asia/Ho_Chi_Minh"
HCM = ZoneInfo(TZ)
CAL = Calendar()
JOBS = cadences(ScheduleSettings())


def at(y: int, m: int, d: int, h: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=HCM)


def period(job: str, moment: dt.datetime) -> str | None:
    slot = latest_slot(job, JOBS[job], moment, CAL, TZ)
    return slot.period if slot else None


def test_the_jobs_have_stable_ids_in_order() -> None:
    assert tuple(JOBS) == JOB_IDS


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 12, 4, 7, 30), "2026-12-04"),  # a Friday, at the minute
        (at(2026, 12, 4, 7, 29), "2026-12-03"),  # a minute early: yesterday's
        (at(2026, 12, 5, 10), "2026-12-04"),  # Saturday: Friday's
        (at(2026, 12, 7, 6), "2026-12-04"),  # Monday before 07:30: still Friday's
        (at(2026, 2, 20, 9), "2026-02-13"),  # mùng bốn Tết: the last working day before Tết
        (at(2026, 2, 23, 8), "2026-02-23"),  # the first working day after Tết
        (at(2026, 8, 22, 8), "2026-08-22"),  # a make-up Saturday is a working morning
        (at(2026, 9, 2, 8), "2026-08-28"),  # 31/8, 1/9, 2/9 off (the swap for 22/8)
        (dt.datetime(2026, 12, 4, 0, 30, tzinfo=dt.UTC), "2026-12-04"),  # 07:30 in Hà Nội
    ],
)
def test_the_digest_period_is_the_last_working_morning(moment: dt.datetime, expected: str) -> None:
    assert period("digest", moment) == expected


def test_the_weekly_export_on_monday_is_for_the_week_before() -> None:
    assert period("weekly_export", at(2026, 12, 7, 7)) == "2026-W49"
    assert period("weekly_export", at(2026, 12, 7, 6, 59)) == "2026-W48"
    assert period("weekly_export", at(2027, 1, 4, 8)) == "2026-W53"  # ISO week of the year end


def test_the_monthly_report_is_on_the_first_working_day_for_the_month_before() -> None:
    slot = latest_slot("monthly_report", JOBS["monthly_report"], at(2026, 2, 10), CAL, TZ)
    assert slot is not None and slot.period == "2026-01" and slot.day == dt.date(2026, 2, 2)
    # 1/1/2026 is a holiday: December's report waits for Friday 2/1
    slot = latest_slot("monthly_report", JOBS["monthly_report"], at(2026, 1, 2, 8), CAL, TZ)
    assert slot is not None and (slot.day, slot.period) == (dt.date(2026, 1, 2), "2025-12")
    assert period("monthly_report", at(2026, 1, 1, 12)) == "2025-11"


def test_the_backup_is_nightly_for_its_date_weekends_too() -> None:
    assert period("backup", at(2026, 12, 4, 2)) == "2026-12-04"  # Friday 02:00
    assert period("backup", at(2026, 12, 4, 1, 59)) == "2026-12-03"
    assert period("backup", at(2026, 12, 5, 3)) == "2026-12-05"  # Saturday
    assert period("backup", at(2026, 2, 17, 3)) == "2026-02-17"  # Tết
    coming = next_slot("backup", JOBS["backup"], at(2026, 12, 5, 3), CAL, TZ)
    assert coming is not None and coming.at == at(2026, 12, 6, 2)  # Sunday night


def test_a_backup_missed_over_a_weekend_runs_once_for_the_latest_night() -> None:
    """Down from Friday 4/12 evening to Monday 7/12 09:00: one backup, of Monday's night."""
    done = {("backup", "2026-12-04")}
    due = due_slots({"backup": JOBS["backup"]}, at(2026, 12, 7, 9), CAL, TZ, done)
    assert [(s.job, s.period, s.at) for s in due] == [("backup", "2026-12-07", at(2026, 12, 7, 2))]
    again = {("backup", "2026-12-07")} | done
    assert due_slots({"backup": JOBS["backup"]}, at(2026, 12, 7, 9, 5), CAL, TZ, again) == []


def test_a_weekly_backup_is_for_its_own_week() -> None:
    weekly = cadences(ScheduleSettings(backup_every="week"))["backup"]
    for moment, expected in (
        (at(2026, 12, 6, 2), "2026-W49"),
        (at(2026, 12, 6, 1, 59), "2026-W48"),
    ):
        slot = latest_slot("backup", weekly, moment, CAL, TZ)  # Sunday 02:00
        assert slot is not None and slot.period == expected
    on_friday = cadences(ScheduleSettings(backup_every="week", backup_day="fri"))["backup"]
    slot = latest_slot("backup", on_friday, at(2026, 12, 6, 9), CAL, TZ)
    assert slot is not None and (slot.day, slot.period) == (dt.date(2026, 12, 4), "2026-W49")


def test_schedule_list_says_how_often_the_backup_runs() -> None:
    assert describe("backup", ScheduleSettings()).startswith("each night: ")
    assert describe("backup", ScheduleSettings(backup_every="week")).startswith("each week: ")
    assert describe("digest", ScheduleSettings(backup_every="week")).startswith("each working")


def test_the_next_run_skips_weekends_and_tet() -> None:
    coming = next_slot("digest", JOBS["digest"], at(2026, 2, 13, 8), CAL, TZ)
    assert coming is not None and coming.at == at(2026, 2, 23, 7, 30)
    coming = next_slot("digest", JOBS["digest"], at(2026, 8, 21, 8), CAL, TZ)
    assert coming is not None and coming.day == dt.date(2026, 8, 22)


def test_a_service_down_over_tet_runs_each_job_once_on_start() -> None:
    """Stopped on Friday 13/2 evening, started Monday 23/2 at 09:00: one digest (for 23/2),
    not one per missed day; jobs whose latest period is in the ledger do not run."""
    done = {("digest", "2026-02-13"), ("reminders", "2026-02-13"), ("backup", "2026-02-13")}
    due = due_slots(JOBS, at(2026, 2, 23, 9), CAL, TZ, done)
    assert {(s.job, s.period) for s in due} == {
        ("digest", "2026-02-23"),
        ("reminders", "2026-02-23"),
        ("weekly_export", "2026-W08"),
        ("monthly_report", "2026-01"),
        ("backup", "2026-02-23"),
    }
    again = due_slots(JOBS, at(2026, 2, 23, 9, 5), CAL, TZ, done | {(s.job, s.period) for s in due})
    assert again == []


def test_the_office_own_days_move_the_slots() -> None:
    """rules/holidays.toml: an extra day off and an extra make-up Saturday."""
    calendar = Calendar(
        extra_days_off={dt.date(2026, 12, 4): "Nghỉ của cơ quan"},
        extra_working_days=frozenset({dt.date(2026, 12, 12)}),
    )
    slot = latest_slot("digest", JOBS["digest"], at(2026, 12, 4, 10), calendar, TZ)
    assert slot is not None and slot.period == "2026-12-03"
    slot = latest_slot("digest", JOBS["digest"], at(2026, 12, 12, 10), calendar, TZ)
    assert slot is not None and slot.period == "2026-12-12"
