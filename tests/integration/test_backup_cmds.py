"""`vanthu backup now | list` and `vanthu restore` (issue 12): a backup at once through the weekly
job's code, listed with the weekly ones, and made back into a working install that passes
`vanthu verify` and lists the same entries; a backup that is damaged, tampered with, half
written or pointing outside itself is refused and the culprit named."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from daemon.cli import main
from tests.fixtures.backups import (
    assert_restored_as_at_the_backup,
    documents,
    ingest_and_back_up,
    restore,
)
from tests.fixtures.install import VANTHU, Install
from tests.fixtures.postgres import PgServer


def _by_hand(install: Install) -> Path:
    out = install.vanthu("backup", "now", "--json").stdout
    return Path(json.loads(out)["folder"])


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@dataclass
class Office:
    install: Install
    backup: Path  # a backup by hand, holding two registered documents
    taken: dict[str, Any]  # what `backup now --json` said of it


def _office(root: Path, database_url: str | None = None) -> Office:
    install = Install.create(root / "office")
    install.set("schedule", "enabled", "false")
    install.set("web", "enabled", "false")
    if database_url is not None:
        install.set("database", "url", f'"{database_url}"')
    files = []
    for name, data in documents(root, seed=131, pdfs=2):
        (root / name).write_bytes(data)
        files.append(str(root / name))
    install.vanthu("ingest", *files)
    out = install.vanthu("backup", "now", "--json").stdout
    taken = json.loads(out)
    return Office(install, Path(taken["folder"]), taken)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    return _office(tmp_path_factory.mktemp("backups"))


def _copy_of_backups(office: Office, tmp: Path) -> Path:
    """The backup set (its folders and the shared archive mirror) copied, to be damaged."""
    copy = tmp / "backups"
    shutil.copytree(office.backup.parent, copy)
    return copy / office.backup.name


def _refused(office: Office, backup: Path, to: Path, *extra: str) -> str:
    done = office.install.vanthu("restore", str(backup), "--to", str(to), *extra, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "restore refused" in done.stderr
    return done.stderr


def test_backup_now_says_what_it_took_and_writes_no_ledger_row(office: Office) -> None:
    taken = office.taken
    assert office.backup.name.startswith("vanthu-20") and "T" in office.backup.name
    assert (taken["engine"], taken["entries"], taken["originals"]) == ("sqlite", 2, 2)
    assert taken["copied"] == 2 and taken["size"] > 0 and taken["seconds"] >= 0
    assert (office.backup / "settings" / "vanthu.toml").is_file()
    ledger = _json_lines(office.install.vanthu("schedule", "list", "--json").stdout)
    assert [job["last"] for job in ledger if job["job"] == "backup"] == [None]


def test_a_second_backup_copies_no_original_again(office: Office, tmp_path: Path) -> None:
    again = json.loads(
        office.install.vanthu("backup", "now", "--to", str(tmp_path / "b"), "--json").stdout
    )
    assert again["copied"] == 2, "a new backup folder elsewhere has its own mirror"
    twice = json.loads(
        office.install.vanthu("backup", "now", "--to", str(tmp_path / "b"), "--json").stdout
    )
    assert twice["copied"] == 0 and twice["originals"] == 2
    assert twice["folder"] != again["folder"], "two backups in one minute get two folders"


def test_two_backups_at_once_both_end_whole(office: Office, tmp_path: Path) -> None:
    """Two clerks (or a clerk and the weekly job) at the same moment: one waits for the other,
    each gets its own folder, and both restore."""
    command = [*VANTHU, "backup", "now", "--json", "--to", str(tmp_path / "b")]
    procs = [
        subprocess.Popen(command, env=office.install.env(), stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0]
    folders = {Path(json.loads(out)["folder"]) for out in outs}
    assert len(folders) == 2
    for n, folder in enumerate(sorted(folders)):
        restore(office.install, folder, tmp_path / f"r{n}")
        assert Install(tmp_path / f"r{n}").entries() == office.install.entries()


def test_the_restored_install_verifies_and_lists_the_same_entries(
    office: Office, tmp_path: Path
) -> None:
    done = office.install.vanthu("restore", str(office.backup), "--to", str(tmp_path / "r"))
    assert "verify: archive and audit chain intact" in done.stdout
    assert f"vanthu run --config {tmp_path / 'r' / 'vanthu.toml'}" in done.stdout
    restored = Install(tmp_path / "r")
    assert restored.vanthu("verify").returncode == 0
    assert restored.entries() == office.install.entries()
    assert len(list((tmp_path / "r" / "archive").glob("??/*"))) == 2
    log = sqlite3.connect(tmp_path / "r" / "var" / "vanthu.db")
    with log:
        (event,) = log.execute("SELECT data FROM audit_log WHERE event = 'restored'").fetchone()
    assert json.loads(event)["backup"] == office.backup.name


def test_on_a_machine_without_an_install_the_backups_own_settings_are_used(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VANTHU_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no vanthu.toml here
    assert main(["restore", str(office.backup), "--to", str(tmp_path / "r")]) == 0
    restored = Install(tmp_path / "r")
    assert restored.entries() == office.install.entries()
    assert (tmp_path / "r" / "rules" / "holidays.toml").is_file()


def test_an_original_altered_in_the_backup_is_refused_and_named(
    office: Office, tmp_path: Path
) -> None:
    backup = _copy_of_backups(office, tmp_path)
    altered = next((backup.parent / "archive").glob("??/*"))
    altered.chmod(0o644)
    altered.write_bytes(altered.read_bytes() + b"%tampered")
    err = _refused(office, backup, tmp_path / "r")
    assert str(altered) in err and "does not match" in err
    assert not (tmp_path / "r").exists(), "a restore that stops leaves nothing behind"


@pytest.mark.parametrize("line", ["../x", "/etc/passwd", "ab/../../x"])
def test_a_manifest_line_leading_outside_the_backup_is_refused(
    office: Office, tmp_path: Path, line: str
) -> None:
    backup = _copy_of_backups(office, tmp_path)
    manifest = backup / "archive-manifest.tsv"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + f"{'ab' * 32}\t1\t{line}\n", encoding="utf-8"
    )
    err = _refused(office, backup, tmp_path / "r")
    assert repr(line) in err and "archive-manifest.tsv: line 4" in err
    assert not (tmp_path / "r").exists()


def test_a_folder_that_is_not_empty_is_refused(office: Office, tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "notes.txt").write_text("the clerk's", encoding="utf-8")
    err = _refused(office, office.backup, tmp_path / "r")
    assert "not an empty folder" in err
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["notes.txt"]


def test_a_half_written_backup_is_refused_and_listed_as_incomplete(
    office: Office, tmp_path: Path
) -> None:
    backup = _copy_of_backups(office, tmp_path)
    partial = backup.with_name(f".{backup.name}.part")  # as a backup that was interrupted
    backup.rename(partial)
    assert "temporary name" in _refused(office, partial, tmp_path / "r")
    without_register = partial.rename(backup)
    (without_register / "register.db").unlink()
    assert "register.db" in _refused(office, without_register, tmp_path / "r")
    listed = _json_lines(
        office.install.vanthu(
            "backup", "list", "--json", "--config", str(_config_for(office, backup.parent))
        ).stdout
    )
    assert [(b["kind"], b["whole"]) for b in listed] == [("incomplete", False)]


def _config_for(office: Office, backup_dir: Path) -> Path:
    """The office's vanthu.toml with its backups elsewhere (for `backup list`)."""
    config = backup_dir.parent / "vanthu.toml"
    text = office.install.config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('backup_dir = "backups"', f'backup_dir = "{backup_dir}"'), encoding="utf-8"
    )
    return config


def test_backups_by_hand_never_push_the_weekly_ones_out(tmp_path: Path) -> None:
    install = Install.create(tmp_path / "office")
    install.set("schedule", "backup_every", '"week"')
    install.set("schedule", "keep_weekly", "1")
    install.set("schedule", "keep_manual_backups", "1")
    install.vanthu("schedule", "run", "backup", "--at", "2026-12-06T03:00")
    first = _by_hand(install)
    second = _by_hand(install)
    install.vanthu("schedule", "run", "backup", "--at", "2026-12-13T03:00")
    kept = sorted(p.name for p in install.folder("backups").glob("vanthu-*"))
    assert kept == sorted([second.name, "vanthu-2026-W50"]) and first.name not in kept
    listed = _json_lines(install.vanthu("backup", "list", "--json").stdout)
    assert {(Path(b["folder"]).name, b["kind"], b["whole"]) for b in listed} == {
        (second.name, "by hand", True),
        ("vanthu-2026-W50", "weekly", True),
    }
    times = [b["taken_at"] for b in listed]
    assert times == sorted(times, reverse=True), "newest first"


def test_nightly_backups_are_listed_as_daily_beside_those_by_hand(tmp_path: Path) -> None:
    install = Install.create(tmp_path / "office")
    install.vanthu("schedule", "run", "backup", "--at", "2026-12-05T03:00")  # a Saturday night
    by_hand = _by_hand(install)
    listed = _json_lines(install.vanthu("backup", "list", "--json").stdout)
    assert {(Path(b["folder"]).name, b["kind"], b["whole"]) for b in listed} == {
        (by_hand.name, "by hand", True),
        ("vanthu-2026-12-05", "daily", True),
    }


@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_an_empty_database_only(
    pg_server: PgServer, tmp_path: Path
) -> None:
    office = _office(tmp_path, pg_server.url(pg_server.create_database()))
    assert office.taken["engine"] == "postgresql" and office.taken["entries"] == 2
    assert "--database-url" in _refused(office, office.backup, tmp_path / "r")
    into = pg_server.url(pg_server.create_database())
    restored = restore(office.install, office.backup, tmp_path / "r", "--database-url", into)
    assert restored.vanthu("verify").returncode == 0
    assert restored.entries() == office.install.entries()
    err = _refused(office, office.backup, tmp_path / "r2", "--database-url", into)
    assert "not empty" in err


@pytest.mark.slow
def test_a_backup_taken_now_during_ingestion_restores_to_the_register_of_its_moment(
    install: Install, tmp_path: Path
) -> None:
    ingested = ingest_and_back_up(install, tmp_path, _by_hand, stream=16, scans=0)
    restored = restore(install, ingested.backup, tmp_path / "restored")
    assert_restored_as_at_the_backup(restored, ingested)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_postgresql_backup_taken_now_during_ingestion_restores(
    install: Install, pg_server: PgServer, tmp_path: Path
) -> None:
    install.set("database", "url", f'"{pg_server.url(pg_server.create_database())}"')
    ingested = ingest_and_back_up(install, tmp_path, _by_hand, stream=16, scans=0)
    into = pg_server.url(pg_server.create_database())
    restored = restore(install, ingested.backup, tmp_path / "restored", "--database-url", into)
    assert_restored_as_at_the_backup(restored, ingested)
