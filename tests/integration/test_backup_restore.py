"""A weekly backup taken while documents are being registered restores to a working install:
`vanthu verify` passes on it, and it lists the same entries as the original did when the backup
was taken (issue 12).

The service runs; files keep arriving in its inbox; `vanthu schedule run backup --force` runs
beside it (a separate process, as cron or a clerk would run it), twice, the second replacing the
first (one folder per ISO week). `vanthu restore` makes a fresh install of it
(tests/fixtures/backups.py says how "the entries of the backup's moment" are checked).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.backups import (
    assert_restored_as_at_the_backup,
    ingest_and_back_up,
    restore,
)
from tests.fixtures.install import Install
from tests.fixtures.postgres import PgServer

pytestmark = pytest.mark.slow


def _weekly(install: Install) -> Path:
    """The weekly job, run again for this week: it replaces the week's folder."""
    install.vanthu("schedule", "run", "backup", "--force")
    (folder,) = install.folder("backups").glob("vanthu-*-W*")
    return folder


def test_a_backup_taken_during_ingestion_restores_to_the_register_of_its_moment(
    install: Install, tmp_path: Path
) -> None:
    ingested = ingest_and_back_up(install, tmp_path, _weekly)
    restored = restore(install, ingested.backup, tmp_path / "restored")
    assert_restored_as_at_the_backup(restored, ingested)


@pytest.mark.postgres
def test_a_postgresql_backup_taken_during_ingestion_restores_with_pg_restore(
    install: Install, pg_server: PgServer, tmp_path: Path
) -> None:
    install.set("database", "url", f'"{pg_server.url(pg_server.create_database())}"')
    ingested = ingest_and_back_up(install, tmp_path, _weekly)
    into = pg_server.url(pg_server.create_database("vanthu_restored"))
    restored = restore(install, ingested.backup, tmp_path / "restored", "--database-url", into)
    assert_restored_as_at_the_backup(restored, ingested)
