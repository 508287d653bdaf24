"""A nightly backup taken while documents are being registered restores to a working install:
`vanthu verify` passes on it, and it lists the same entries as the original did when the backup
was taken (issue 12).

The service runs; files keep arriving in its inbox; `vanthu schedule run backup --force` runs
beside it (a separate process, as cron or a clerk would run it), twice, the second replacing the
first (one folder per night). `vanthu restore` makes a fresh install of it
(tests/fixtures/backups.py says how "the entries of the backup's moment" are checked).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from daemon.schedule.backup_folders import DAILY
from tests.fixtures.backups import (
    assert_restored_as_at_the_backup,
    ingest_and_back_up,
    restore,
)
from tests.fixtures.install import Install
from tests.fixtures.postgres import PgServer

pytestmark = pytest.mark.slow


def _nightly(install: Install) -> Path:
    """The nightly job, run again for this night: it replaces the night's folder."""
    install.vanthu("schedule", "run", "backup", "--force")
    nights = [p for p in install.folder("backups").glob("vanthu-*") if DAILY.fullmatch(p.name)]
    return max(nights)  # the newest: the second run may fall after midnight


def test_a_backup_taken_during_ingestion_restores_to_the_register_of_its_moment(
    install: Install, tmp_path: Path
) -> None:
    ingested = ingest_and_back_up(install, tmp_path, _nightly)
    restored = restore(install, ingested.backup, tmp_path / "restored")
    assert_restored_as_at_the_backup(restored, ingested)


@pytest.mark.postgres
def test_a_postgresql_backup_taken_during_ingestion_restores_with_pg_restore(
    install: Install, pg_server: PgServer, tmp_path: Path
) -> None:
    install.set("database", "url", f'"{pg_server.url(pg_server.create_database())}"')
    ingested = ingest_and_back_up(install, tmp_path, _nightly)
    into = pg_server.url(pg_server.create_database("vanthu_restored"))
    restored = restore(install, ingested.backup, tmp_path / "restored", "--database-url", into)
    assert_restored_as_at_the_backup(restored, ingested)
