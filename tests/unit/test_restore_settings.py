"""The restored install's vanthu.toml: data folders inside the new install, secrets where they
were, the office's comments kept; and keep_manual_backups checked like keep_backups."""

from __future__ import annotations

from pathlib import Path

import pytest

from daemon.config import ConfigError, load
from daemon.restore_settings import SettingsError, check_inside, repoint, set_value

OLD_CONFIG = """\
# the office's own notes stay
[paths]
inbox = "/mnt/scanner-share"   # a network share: not the restored install's
archive = "{old}/archive"      # inside the old install
failed = "failed"

[database]
url = "sqlite:///{old}/var/vanthu.db"
password_file = "secrets/db"   # not a data folder: kept where it is

[schedule]
backup_dir = "/mnt/backups/vanthu"
"""


def _old(tmp_path: Path) -> Path:
    old = tmp_path / "old"
    old.mkdir()
    config = old / "vanthu.toml"
    config.write_text(OLD_CONFIG.format(old=old), encoding="utf-8")
    return config


def test_data_folders_point_inside_the_new_install(tmp_path: Path) -> None:
    old, new = _old(tmp_path), tmp_path / "new"
    new.mkdir()
    done = repoint(load(old), new)
    (new / "vanthu.toml").write_text(done.text, encoding="utf-8")
    settings = check_inside(new / "vanthu.toml", new)
    assert settings.paths.inbox == new / "inbox"
    assert settings.paths.archive == new / "archive"
    assert settings.paths.failed == new / "failed"
    assert settings.schedule.backup_dir == new / "backups"
    assert settings.database.url == "sqlite:///var/vanthu.db"
    assert settings.database.password_file == old.parent / "secrets" / "db"
    assert "# the office's own notes stay" in done.text
    assert [note.split(" was ")[0] for note in done.notes] == [
        "[paths] inbox",
        "[schedule] backup_dir",
    ]
    assert "/mnt/scanner-share" in done.notes[0] and str(new / "inbox") in done.notes[0]


def test_a_postgresql_url_given_replaces_the_old_one(tmp_path: Path) -> None:
    new, old = tmp_path / "new", load(_old(tmp_path))
    url = "postgresql+psycopg://vanthu@db/vanthu_restored"
    done = repoint(old, new, database_url=url)
    assert f'url = "{url}"' in done.text and done.notes[-1].startswith("[schedule] backup_dir")
    secret = "postgresql+psycopg://vanthu:hunter2@db/vanthu_restored"
    said = repoint(old, new, database_url=secret).notes
    assert said[-1].startswith("[database] url holds a password")


def test_a_folder_left_outside_is_refused_by_name(tmp_path: Path) -> None:
    new = tmp_path / "new"
    new.mkdir()
    (new / "vanthu.toml").write_text('[paths]\nspool = "/var/spool/x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\[paths\] spool is /var/spool/x, outside"):
        check_inside(new / "vanthu.toml", new)


def test_a_key_is_replaced_added_under_its_table_or_with_its_table() -> None:
    text = '[paths]\ninbox = "a"  # note\n\n[web]\nenabled = true\n'
    assert (
        set_value(text, "paths", "inbox", "b") == '[paths]\ninbox = "b"\n\n[web]\nenabled = true\n'
    )
    assert 'page_cache = "c"' in set_value(text, "web", "page_cache", "c").split("[web]")[1]
    assert set_value(text, "rules", "dir", "r").endswith('\n[rules]\ndir = "r"\n')


def test_keep_manual_backups_must_be_at_least_one(tmp_path: Path) -> None:
    config = tmp_path / "vanthu.toml"
    config.write_text("[schedule]\nkeep_manual_backups = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[schedule\] keep_manual_backups: must be at least 1"):
        load(config)
    config.write_text("", encoding="utf-8")
    assert load(config).schedule.keep_manual_backups == 4
