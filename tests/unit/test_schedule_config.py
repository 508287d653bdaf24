"""[schedule] settings and rules/units.toml: defaults, and errors that name the key and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from daemon.config import ConfigError, load
from daemon.rules import RulesError
from daemon.schedule.units import load_units


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vanthu.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_schedule_defaults_and_the_register_zone(tmp_path: Path) -> None:
    settings = load(config(tmp_path, '[register]\ntimezone = "Asia/Bangkok"\n'))
    schedule = settings.schedule
    assert schedule.enabled and schedule.digest_at == "07:30"
    assert (schedule.backup_every, schedule.keep_daily, schedule.keep_weekly) == ("day", 7, 8)
    assert schedule.backup_dir == tmp_path / "backups"
    assert schedule.zone(settings.register) == "Asia/Bangkok"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('digest_at = "7h30"', "[schedule] digest_at: not a time like \"07:30\": '7h30'"),
        ('backup_day = "cn"', "[schedule] backup_day: must be one of 'mon'"),
        ("keep_backups = 0", "[schedule] keep_backups: must be at least 1"),
        ("keep_weekly = 0", "[schedule] keep_weekly: must be at least 1"),
        ("keep_daily = 0", "[schedule] keep_daily: must be at least 1"),
        ('backup_every = "month"', "[schedule] backup_every: must be one of 'day', 'week'"),
        (
            "keep_backups = 4\nkeep_weekly = 6",
            "[schedule] keep_backups and keep_weekly: give only keep_weekly "
            "(keep_backups is its old name)",
        ),
        ('timezone = "Asia/Hanoi"', "[schedule] timezone: unknown time zone 'Asia/Hanoi'"),
        ('digest_to = "a@b.vn"', "[schedule] digest_to: must be a list of strings"),
    ],
)
def test_a_bad_schedule_setting_is_named(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(config(tmp_path, f"[schedule]\n{table}\n"))
    assert message in str(caught.value)


def test_keep_backups_is_the_old_name_of_keep_weekly(tmp_path: Path) -> None:
    """An office's vanthu.toml from when backups were weekly only loads, meaning the same."""
    text = '[schedule]\nbackup_every = "week"\nkeep_backups = 12\n'
    schedule = load(config(tmp_path, text)).schedule
    assert (schedule.backup_every, schedule.keep_weekly, schedule.keep_daily) == ("week", 12, 7)


def test_units_give_addresses_by_name_ignoring_marks_and_case(tmp_path: Path) -> None:
    (tmp_path / "units.toml").write_text(
        '[[unit]]\nname = "Văn phòng"\nemail = "vp@x.vn"\n'
        '[[unit]]\nname = "Phòng Tài chính – Kế hoạch"\nemail = ["a@x.vn", "b@x.vn"]\n'
        '[[unit]]\nname = "Phòng Nội vụ"\n',
        encoding="utf-8",
    )
    units = load_units(tmp_path)
    assert units.address_of("VĂN PHÒNG") == ("vp@x.vn",)
    assert units.address_of("Phòng Tài chính – Kế hoạch") == ("a@x.vn", "b@x.vn")
    assert units.address_of("Phòng Nội vụ") == () and units.address_of(None) == ()
    assert load_units(tmp_path / "missing").address_of("Văn phòng") == ()


def test_a_bad_unit_is_named(tmp_path: Path) -> None:
    (tmp_path / "units.toml").write_text(
        '[[unit]]\nname = "Văn phòng"\nemail = "not an address"\n', encoding="utf-8"
    )
    with pytest.raises(RulesError, match=r"unit #1 \(Văn phòng\): email"):
        load_units(tmp_path)


def test_the_shipped_units_file_loads() -> None:
    shipped = Path(__file__).resolve().parents[2] / "rules"
    assert load_units(shipped).addresses == {}
