"""A backup taken while documents are being registered restores to a working install: `vanthu
verify` passes on it, and it lists the same entries as the original did when the backup was
taken (issue 12).

The service runs; files keep arriving in its inbox; `vanthu schedule run backup --force` runs
beside it (a separate process, as cron or a clerk would run it), twice, the second replacing the
first (one folder per ISO week). The restore follows the README's steps into a fresh install.

What "the entries at the moment of the backup" were cannot be read off a clock, so the check
brackets it: every entry listed just before the backup began is in the restored register, and
the restored register is exactly the original's entries up to its highest số đến, as listed just
after the backup returned. Files dropped after the last backup make sure the backup holds fewer
entries than the original, and it was started only once one entry was there, so it holds some.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.docgen.scan import save_as, scan
from tests.fixtures.install import Install, stop
from tests.fixtures.postgres import PgServer

pytestmark = pytest.mark.slow


def _documents(tmp: Path, seed: int, pdfs: int, scans: int = 0) -> list[tuple[str, bytes]]:
    """Born-digital PDFs (quick to read) and a few scans (OCR: slower), made ahead of time."""
    specs = make_specs(pdfs + scans, seed=seed)
    made = [(f"s{seed}-digital-{i}.pdf", render_pdf(spec)) for i, spec in enumerate(specs[:pdfs])]
    for i, spec in enumerate(specs[pdfs:]):
        out = tmp / f"s{seed}-scan-{i}.png"
        save_as(scan(render_pdf(spec), dpi=300, grey=True, seed=i)[:1], out, "png")
        made.append((out.name, out.read_bytes()))
    return made


def _drop(inbox: Path, documents: list[tuple[str, bytes]], pause: float = 0.0) -> None:
    """Each file written beside the inbox and moved in whole, as a copier's finished file."""
    for name, data in documents:
        part = inbox.parent / f".{name}.part"
        part.write_bytes(data)
        part.rename(inbox / name)
        time.sleep(pause)


def _backup(install: Install) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The original's entries just before and just after one backup run."""
    before = install.entries()
    install.vanthu("schedule", "run", "backup", "--force")
    return before, install.entries()


@dataclass
class Ingested:
    """What the original looked like around its last backup, and at the end."""

    backup: Path  # the backup folder (backups/vanthu-YYYY-Www)
    before: list[dict[str, Any]]  # entries listed just before the last backup began
    after: list[dict[str, Any]]  # ... and just after it returned
    original: list[dict[str, Any]]  # all entries, once every dropped file was registered


def _ingest_and_back_up(install: Install, tmp: Path) -> Ingested:
    inbox = install.folder("inbox")
    first = _documents(tmp, seed=121, pdfs=3)
    stream = _documents(tmp, seed=122, pdfs=30, scans=2)
    last = _documents(tmp, seed=123, pdfs=3)
    total = len(first) + len(stream) + len(last)
    _drop(inbox, first)
    proc = install.start()
    try:
        install.wait_for_entries(1, timeout=300, proc=proc)
        # A stream of arrivals while the backups run: registering goes on during them.
        dropping = threading.Thread(target=_drop, args=(inbox, stream, 0.3))
        dropping.start()
        try:
            _backup(install)  # replaced by the second: same ISO week, same folder
            before, after = _backup(install)
        finally:
            dropping.join()
        _drop(inbox, last)  # after the last backup: the original has more than the backup
        original = install.wait_for_entries(total, timeout=600, proc=proc)
    finally:
        assert stop(proc) == 0
    assert len(original) == total, "each dropped file is one entry"
    (backup,) = install.folder("backups").glob("vanthu-*")
    return Ingested(backup, before, after, original)


def _fresh_install_with_archive(backup: Path, to: Path) -> Install:
    """A new install with the backup's originals copied into its archive."""
    restored = Install.create(to)
    shutil.copytree(backup.parent / "archive", restored.folder("archive"), dirs_exist_ok=True)
    return restored


def _restore_sqlite(backup: Path, to: Path) -> Install:
    """The README's steps for SQLite, into a fresh install."""
    restored = _fresh_install_with_archive(backup, to)
    shutil.copyfile(backup / "register.db", restored.folder("var") / "vanthu.db")
    for leftover in ("vanthu.db-wal", "vanthu.db-shm"):
        (restored.folder("var") / leftover).unlink(missing_ok=True)
    return restored


def _restore_postgresql(backup: Path, to: Path, pg_server: PgServer) -> Install:
    """The README's steps for PostgreSQL: pg_restore into a new database, the archive copied."""
    restored = _fresh_install_with_archive(backup, to)
    url = pg_server.url(pg_server.create_database("vanthu_restored"))
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={conninfo}", str(backup / "register.dump")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    restored.set("database", "url", f'"{url}"')
    return restored


def _assert_restored_as_at_the_backup(restored: Install, ingested: Ingested) -> None:
    checked = restored.vanthu("verify", check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    rows = restored.entries()
    assert rows, "the backup was taken after the first entry was registered"
    assert len(rows) < len(ingested.original), "files were dropped after the backup"
    held = max(row["seq"] for row in rows)
    assert [row["seq"] for row in rows] == list(range(1, held + 1)), "no gaps in the số đến"
    seqs = {row["seq"] for row in rows}
    assert {row["seq"] for row in ingested.before} <= seqs, "entries older than the backup"
    assert held <= max(row["seq"] for row in ingested.after), "nothing newer than its end"
    expected = [row for row in ingested.after if row["seq"] <= held]
    assert rows == expected
    # The original still has them all, unchanged by the backups.
    assert [row for row in ingested.original if row["seq"] <= held] == expected


def test_a_backup_taken_during_ingestion_restores_to_the_register_of_its_moment(
    install: Install, tmp_path: Path
) -> None:
    ingested = _ingest_and_back_up(install, tmp_path)
    restored = _restore_sqlite(ingested.backup, tmp_path / "restored")
    _assert_restored_as_at_the_backup(restored, ingested)


@pytest.mark.postgres
def test_a_postgresql_backup_taken_during_ingestion_restores_with_pg_restore(
    install: Install, pg_server: PgServer, tmp_path: Path
) -> None:
    name = pg_server.create_database()
    install.set("database", "url", f'"{pg_server.url(name)}"')
    ingested = _ingest_and_back_up(install, tmp_path)
    restored = _restore_postgresql(ingested.backup, tmp_path / "restored", pg_server)
    _assert_restored_as_at_the_backup(restored, ingested)
