"""Which scheduled backup folders are kept (issue 12): the newest keep_daily nightly folders, and
the newest folder of each of the newest keep_weekly ISO weeks, weekly folders of an office that
backed up weekly before counted alike; backups taken by hand are not this rule's business."""

from __future__ import annotations

import datetime as dt

from daemon.schedule.backup_folders import kind_of, scheduled_kept


def nights(first: dt.date, last: dt.date) -> list[str]:
    days = (last - first).days + 1
    return [f"vanthu-{first + dt.timedelta(days=n)}" for n in range(days)]


def test_ten_weeks_of_nights_keep_seven_nights_and_the_last_of_eight_weeks() -> None:
    """Nightly from Monday 2/11/2026 (W45) to Thursday 7/1/2027 (2027-W01; 2026 has a W53),
    after weekly backups W36 ... W44."""
    old_weekly = [f"vanthu-2026-W{week}" for week in range(36, 45)]
    names = old_weekly + nights(dt.date(2026, 11, 2), dt.date(2027, 1, 7))
    kept = scheduled_kept(names + ["vanthu-2026-12-04T0312"], keep_daily=7, keep_weekly=8)
    assert kept == {
        # the newest 7 nights (2027-W01, and Friday to Sunday of 2026-W53)
        *nights(dt.date(2027, 1, 1), dt.date(2027, 1, 7)),
        # the Sundays of 2026-W52 ... W47 (W53's Sunday 3/1 is among the nights already)
        "vanthu-2026-12-27",
        "vanthu-2026-12-20",
        "vanthu-2026-12-13",
        "vanthu-2026-12-06",
        "vanthu-2026-11-29",
        "vanthu-2026-11-22",
    }


def test_an_upgraded_office_keeps_its_weekly_backups_for_the_weeks_counted() -> None:
    """Weekly W40 ... W48, then nightly from Wednesday 2/12 to Friday 4/12 (W49)."""
    names = [f"vanthu-2026-W{week}" for week in range(40, 49)]
    names += nights(dt.date(2026, 12, 2), dt.date(2026, 12, 4))
    kept = scheduled_kept(names, keep_daily=2, keep_weekly=4)
    assert kept == {
        "vanthu-2026-12-03",
        "vanthu-2026-12-04",  # also W49's newest
        "vanthu-2026-W48",
        "vanthu-2026-W47",
        "vanthu-2026-W46",
    }


def test_a_weekly_folder_is_its_week_s_newest_and_weekly_only_keeps_keep_weekly() -> None:
    """A weekly folder is taken on Sunday by default: newer than the nights of its week. With
    weekly backups only, retention is the old one: the newest keep_weekly folders."""
    names = ["vanthu-2026-12-05", "vanthu-2026-W49", "vanthu-2026-W48", "vanthu-2026-W47"]
    assert scheduled_kept(names, keep_daily=1, keep_weekly=1) == {
        "vanthu-2026-12-05",
        "vanthu-2026-W49",
    }
    weekly = [f"vanthu-2026-W{week:02d}" for week in range(1, 12)]
    assert scheduled_kept(weekly, keep_daily=7, keep_weekly=8) == set(weekly[-8:])


def test_the_kind_of_a_backup_is_in_its_name() -> None:
    assert kind_of("vanthu-2026-12-04") == "daily"
    assert kind_of("vanthu-2026-W49") == "weekly"
    assert kind_of("vanthu-2026-12-04T0312") == "by hand"
    assert kind_of("vanthu-2026-12-04T0312-2") == "by hand"
