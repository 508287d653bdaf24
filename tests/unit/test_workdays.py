"""The working calendar: days off from the `holidays` package and rules/holidays.toml, office
hours, and counting working days and hours across Tết, 30/4-1/5, 2/9, weekends and make-up
Saturdays. Dates checked against the Government's announcements (NOTES.md, "Calendars")."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from daemon.cli import main
from daemon.rules import RulesError, load_rules
from daemon.workdays import AFTERNOON, MORNING, OFFICE_DAY_OFF, Calendar, Period

RULES = Path(__file__).resolve().parents[2] / "rules"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = Calendar()
D = dt.date


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)


# --- working days ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 13), True),  # Friday before Tết
        (D(2026, 2, 16), False),  # Giao thừa
        (D(2026, 2, 17), False),  # mùng 1 Tết Bính Ngọ
        (D(2026, 2, 20), False),  # mùng 4
        (D(2026, 2, 23), True),  # back at work
        (D(2026, 4, 27), False),  # Giỗ Tổ fell on a Sunday: the Monday is off
        (D(2026, 4, 30), False),
        (D(2026, 5, 1), False),
        (D(2026, 8, 22), True),  # a make-up working Saturday (for 31/8)
        (D(2026, 8, 31), False),
        (D(2026, 9, 1), False),
        (D(2026, 9, 2), False),
        (D(2026, 9, 3), True),
        (D(2026, 12, 5), False),  # an ordinary Saturday
        (D(2026, 12, 6), False),  # Sunday
        (D(2027, 2, 5), False),  # Giao thừa Tết Đinh Mùi
        (D(2027, 2, 10), False),  # mùng 5, moved off for the Saturday mùng 1
        (D(2027, 2, 11), True),
        (D(2025, 1, 27), False),  # Tết Ất Tỵ began with 29 Tết
        (D(2025, 2, 3), True),
    ],
)
def test_which_days_are_worked(day: dt.date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_one_working_day_after_the_friday_before_tet_2026_is_the_monday_after() -> None:
    assert CAL.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_working_days_skip_tet_2027() -> None:
    # Thursday 4/2/2027 is 29 Tết: off. Wednesday 3/2 + 1 = Thursday 11/2.
    assert CAL.add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)
    # Monday 1/2 + 5: 2/2, 3/2, then 11/2, 12/2 and Monday 15/2.
    assert CAL.add_working_days(D(2027, 2, 1), 5) == D(2027, 2, 15)


def test_working_days_skip_30_4_and_1_5() -> None:
    # 2026: Wed 29/4 -> (30/4, 1/5, weekend) -> Mon 4/5.
    assert CAL.add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)
    # 2027: 1/5 is a Saturday, so Monday 3/5 is off in its place.
    assert CAL.add_working_days(D(2027, 4, 29), 1) == D(2027, 5, 4)


def test_working_days_skip_quoc_khanh() -> None:
    assert CAL.add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)
    assert CAL.add_working_days(D(2027, 9, 1), 1) == D(2027, 9, 6)  # 2/9 Thu and 3/9 Fri


def test_a_make_up_saturday_counts() -> None:
    assert CAL.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert CAL.add_working_days(D(2026, 8, 21), 2) == D(2026, 8, 24)


def test_weekends_are_skipped_and_the_start_is_not_counted() -> None:
    assert CAL.add_working_days(D(2026, 12, 4), 1) == D(2026, 12, 7)
    assert CAL.add_working_days(D(2026, 12, 5), 1) == D(2026, 12, 7)  # received on a Saturday
    assert CAL.add_working_days(D(2026, 12, 4), 0) == D(2026, 12, 4)
    assert CAL.add_working_days(D(2026, 12, 3), 5) == D(2026, 12, 10)
    with pytest.raises(ValueError, match="must be >= 0"):
        CAL.add_working_days(D(2026, 12, 3), -1)


def test_the_office_can_add_a_day_off_and_a_make_up_saturday() -> None:
    cal = Calendar(
        extra_days_off={D(2026, 12, 7): "Nghỉ bù Hội nghị"},
        extra_working_days=frozenset({D(2026, 12, 12)}),
    )
    assert not cal.is_working_day(D(2026, 12, 7))
    assert cal.is_working_day(D(2026, 12, 12))
    assert cal.add_working_days(D(2026, 12, 4), 1) == D(2026, 12, 8)
    assert cal.add_working_days(D(2026, 12, 11), 1) == D(2026, 12, 12)
    assert (D(2026, 12, 7), "Nghỉ bù Hội nghị") in cal.days_off(2026)
    assert cal.weekend_working_days(2026) == [D(2026, 8, 22), D(2026, 12, 12)]


def test_the_office_wins_over_the_library() -> None:
    # The office works on a public holiday and takes the library's make-up Saturday off.
    cal = Calendar(
        extra_days_off={D(2026, 8, 22): OFFICE_DAY_OFF},
        extra_working_days=frozenset({D(2026, 11, 24)}),
    )
    assert not cal.is_working_day(D(2026, 8, 22))
    assert cal.is_working_day(D(2026, 11, 24))


def test_days_off_are_named_in_vietnamese_in_date_order() -> None:
    off = CAL.days_off(2026)
    assert [d for d, _ in off] == sorted(d for d, _ in off)
    named = dict(off)
    assert named[D(2026, 2, 17)] == "Tết Nguyên Đán"
    assert named[D(2026, 4, 30)] == "Ngày Chiến thắng"
    assert named[D(2026, 9, 2)] == "Quốc khánh"
    assert "Giỗ Tổ" in named[D(2026, 4, 27)]
    assert D(2026, 8, 22) not in named  # worked
    assert CAL.weekend_working_days(2026) == [D(2026, 8, 22)]


def test_without_national_holidays_only_weekends_and_the_office_list_count() -> None:
    cal = Calendar(yearly_off={(1, 1): OFFICE_DAY_OFF}, national=False)
    assert cal.is_working_day(D(2026, 2, 17))
    assert not cal.is_working_day(D(2027, 1, 1))
    assert cal.days_off(2027) == [(D(2027, 1, 1), OFFICE_DAY_OFF)]


# --- working hours --------------------------------------------------------------------


def test_hours_within_the_morning() -> None:
    assert CAL.add_working_hours(at(2026, 12, 3, 8, 0), 2) == at(2026, 12, 3, 10, 0)


def test_hours_run_across_lunch() -> None:
    # 10:30 + 4h: one hour to 11:30, then 13:30 + 3h.
    assert CAL.add_working_hours(at(2026, 12, 3, 10, 30), 4) == at(2026, 12, 3, 16, 30)
    # Ending exactly at the lunch break ends at 11:30, not at 13:30.
    assert CAL.add_working_hours(at(2026, 12, 3, 9, 30), 2) == at(2026, 12, 3, 11, 30)


def test_a_moment_at_lunch_or_in_the_evening_starts_at_the_next_opening() -> None:
    assert CAL.add_working_hours(at(2026, 12, 3, 12, 0), 1) == at(2026, 12, 3, 14, 30)
    assert CAL.add_working_hours(at(2026, 12, 3, 19, 45), 1) == at(2026, 12, 4, 8, 30)
    assert CAL.add_working_hours(at(2026, 12, 3, 6, 0), 0.5) == at(2026, 12, 3, 8, 0)
    assert CAL.add_working_hours(at(2026, 12, 3, 19, 45), 0) == at(2026, 12, 4, 7, 30)


def test_hours_run_over_the_evening_and_the_weekend() -> None:
    # Friday 16:00 + 4h: one hour on Friday, three on Monday morning.
    assert CAL.add_working_hours(at(2026, 12, 4, 16, 0), 4) == at(2026, 12, 7, 10, 30)
    # Saturday: counting starts on Monday at 07:30; a working day holds 7.5 office hours.
    assert CAL.add_working_hours(at(2026, 12, 5, 10, 0), 7.5) == at(2026, 12, 7, 17, 0)
    assert CAL.add_working_hours(at(2026, 12, 5, 10, 0), 8) == at(2026, 12, 8, 8, 0)


def test_hours_skip_holidays_and_count_a_make_up_saturday() -> None:
    # Friday 13/2/2026 16:00 + 4h: Tết runs to 22/2, so Monday 23/2 10:30.
    assert CAL.add_working_hours(at(2026, 2, 13, 16, 0), 4) == at(2026, 2, 23, 10, 30)
    # Friday 21/8/2026 16:00 + 2h: the make-up Saturday 22/8 is worked.
    assert CAL.add_working_hours(at(2026, 8, 21, 16, 0), 2) == at(2026, 8, 22, 8, 30)
    # Wednesday 29/4/2026 15:00 + 8h: 2h that day; after 30/4, 1/5 and the weekend, 4h on
    # Monday morning and 2h after lunch.
    assert CAL.add_working_hours(at(2026, 4, 29, 15, 0), 8) == at(2026, 5, 4, 15, 30)


def test_an_aware_moment_in_another_zone_is_counted_in_office_time() -> None:
    utc = dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hà Nội
    due = CAL.add_working_hours(utc, 1)
    assert due == at(2026, 12, 3, 9, 0) and due.tzinfo == HCM


def test_hours_need_an_aware_moment_and_a_count_of_zero_or_more() -> None:
    with pytest.raises(ValueError, match="aware"):
        CAL.add_working_hours(dt.datetime(2026, 12, 3, 8, 0), 1)
    with pytest.raises(ValueError, match=">= 0"):
        CAL.add_working_hours(at(2026, 12, 3, 8), -1)


def test_periods_parse_and_refuse_nonsense() -> None:
    assert Period.parse("07:30-11:30") == MORNING
    assert str(AFTERNOON) == "13:30-17:00"
    for bad in ("7h30-11h30", "11:30-07:30", "07:30"):
        with pytest.raises(ValueError, match="07:30-11:30|must end after"):
            Period.parse(bad)
    with pytest.raises(ValueError, match="overlap"):
        Calendar(periods=(Period.parse("07:00-12:00"), Period.parse("11:00-17:00")))


# --- rules/holidays.toml --------------------------------------------------------------


def _rules_with(tmp_path: Path, holidays_toml: str) -> Path:
    for name in ("doc_types.toml", "routing.toml"):
        (tmp_path / name).write_text((RULES / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "holidays.toml").write_text(holidays_toml, encoding="utf-8")
    return tmp_path


def test_the_shipped_holidays_toml_gives_the_default_hours_and_national_holidays() -> None:
    cal = load_rules(RULES).calendar
    assert cal.periods == (MORNING, AFTERNOON) and cal.timezone == "Asia/Ho_Chi_Minh"
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_holidays_toml_adds_named_days_off_working_saturdays_and_hours(tmp_path: Path) -> None:
    text = (
        'days_off = ["2026-12-07", { date = "2026-12-08", name = "Nghỉ bù" }, 2026-12-09]\n'
        'working_days = ["2026-12-12"]\n'
        '[hours]\nmorning = "08:00-12:00"\nafternoon = "13:00-17:00"\n'
    )
    cal = load_rules(_rules_with(tmp_path, text)).calendar
    assert cal.add_working_days(D(2026, 12, 4), 1) == D(2026, 12, 10)
    assert cal.is_working_day(D(2026, 12, 12))
    assert dict(cal.days_off(2026))[D(2026, 12, 8)] == "Nghỉ bù"
    assert dict(cal.days_off(2026))[D(2026, 12, 7)] == OFFICE_DAY_OFF
    assert cal.add_working_hours(at(2026, 12, 10, 11, 0), 2) == at(2026, 12, 10, 14, 0)


def test_an_old_install_s_recurring_and_dates_keys_still_count(tmp_path: Path) -> None:
    text = 'recurring = ["01-01", "04-30", "12-22"]\ndates = ["2026-12-23"]\n'
    cal = load_rules(_rules_with(tmp_path, text)).calendar
    assert not cal.is_working_day(D(2026, 12, 22))  # every year, from `recurring`
    assert not cal.is_working_day(D(2027, 12, 22))
    assert not cal.is_working_day(D(2026, 12, 23))
    assert not cal.is_working_day(D(2026, 2, 17))  # the library's holidays still apply
    assert cal.periods == (MORNING, AFTERNOON)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('days_off = ["2026-13-01"]\n', "holidays.toml: bad date"),
        ("working_days = [12]\n", "holidays.toml: bad date"),
        ('days_off = [{ name = "x" }]\n', "days_off #1: needs a date"),
        ('recurring = ["02-30"]\n', "holidays.toml: bad date"),
        ('[hours]\nmorning = "7h-11h"\n', r"holidays.toml: \[hours\]"),
        ('[hours]\ntimezone = "Asia/Sai_Gon"\n', r"holidays.toml: \[hours\]"),
    ],
)
def test_a_bad_holidays_toml_is_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        load_rules(_rules_with(tmp_path, text))


# --- vanthu calendar ------------------------------------------------------------------


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """An install whose holidays.toml adds a day off and a make-up Saturday in 2027."""
    assert main(["init", str(tmp_path / "office")]) == 0
    (tmp_path / "office" / "rules" / "holidays.toml").write_text(
        'days_off = [{ date = "2027-02-11", name = "Nghỉ thêm sau Tết" }]\n'
        'working_days = ["2027-02-20"]\n',
        encoding="utf-8",
    )
    return tmp_path / "office" / "vanthu.toml"


def _vanthu(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def test_calendar_add_prints_the_iso_date(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = ("--config", str(office))
    assert _vanthu(capsys, "calendar", "add", "2026-02-13", "1", *config) == (0, "2026-02-23\n")
    assert _vanthu(capsys, "calendar", "add", "13/02/2026", "1", *config) == (0, "2026-02-23\n")
    # The office's own day off after Tết 2027 counts too: Wednesday 3/2 + 1 = Friday 12/2.
    code, out = _vanthu(capsys, "calendar", "add", "2027-02-03", "1", "--json", *config)
    assert code == 0
    assert json.loads(out) == {"from": "2027-02-03", "working_days": 1, "date": "2027-02-12"}


def test_calendar_show_lists_named_days_off_and_make_up_days(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _vanthu(capsys, "calendar", "show", "2027", "--config", str(office))
    assert code == 0
    assert "2027-02-06  Thứ bảy   Tết Nguyên Đán" in out
    assert "2027-02-11  Thứ năm   Nghỉ thêm sau Tết" in out
    assert "2027-02-20  Thứ bảy   Ngày làm bù" in out
    code, out = _vanthu(capsys, "calendar", "show", "2026", "--json", "--config", str(office))
    rows = [json.loads(line) for line in out.splitlines()]
    assert {"date": "2026-09-02", "name": "Quốc khánh", "working": False} in rows
    assert {"date": "2026-08-22", "name": "Ngày làm bù", "working": True} in rows
    assert [r["date"] for r in rows if not r["working"]] == sorted(
        r["date"] for r in rows if not r["working"]
    )


@pytest.mark.parametrize("args", [["2026-02-30", "1"], ["2026-02-13", "-1"], ["2026-02-13", "x"]])
def test_calendar_add_refuses_a_bad_date_or_count(
    office: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["calendar", "add", *args, "--config", str(office)])
    assert exited.value.code == 2
    assert "is not a" in capsys.readouterr().err


def test_a_broken_holidays_toml_is_a_configuration_error(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (office.parent / "rules" / "holidays.toml").write_text('days_off = ["2027-02-31"]\n')
    assert main(["calendar", "show", "2027", "--config", str(office)]) == 2
    assert "holidays.toml: bad date" in capsys.readouterr().err
