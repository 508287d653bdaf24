"""The weekly backup (Hiệp Hòa quy chế Điều 9: data backed up every week).

Into [schedule] backup_dir, one folder per ISO week, written under a temporary name and renamed
when complete, so a folder that exists is a whole backup:

    backups/vanthu-2026-W49/register.db          SQLite: the online backup API (a consistent
                                                 copy while the service writes)
    backups/vanthu-2026-W49/register.dump        PostgreSQL: pg_dump -Fc
    backups/vanthu-2026-W49/archive-manifest.tsv every original in the archive: sha256, size, path
    backups/archive/                             the archive's files, copied once each

The archive is content-addressed and read-only (a file's name is its hash, and it never
changes), so like rsync only files not yet copied are copied, each checked against its name.
The newest [schedule] keep_backups folders are kept.

A backup holds the register, not the work in hand. Secret documents never enter the register
or the archive, but one being read at the moment of the backup still has its job row (with its
hash) and its mail's subject, until it is set aside and they are scrubbed: a backup keeps
neither. The SQLite copy has the work in hand taken out of it (and is vacuumed, so nothing of
it stays in free pages); PostgreSQL is dumped from a snapshot in which nothing is in hand,
waited for a little if need be. Like documents received after a backup, documents being read
during it are not in it: after a restore, what came in since is fetched or dropped again.

The archive's files are mirrored after the database is copied, while the service goes on
registering: only the originals the copy registers (read from the copy, or in the dump's
snapshot) go into the mirror and the manifest, so that a restored install holds no original
its register does not know, which `vanthu verify` would report.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import time
from collections.abc import Collection
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from daemon.archive import Archive, file_sha256
from daemon.config import Settings
from daemon.durable import copy_durably, fsync_dir
from daemon.errors import PermanentError
from daemon.schedule import pgdump
from daemon.schedule.context import Context

PREFIX = "vanthu-"
ARCHIVE = "archive"
MANIFEST = "archive-manifest.tsv"


class BackupError(PermanentError):
    """A backup could not be made; the message says what failed."""


def sqlite_copy(database: Path, out: Path) -> Path:
    """A consistent copy of a live SQLite database (sqlite3's online backup API)."""
    if not database.is_file():
        raise BackupError(f"{database}: the register database is not there")
    source = sqlite3.connect(database, timeout=30)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
        _without_work_in_hand(target)
        checked = target.execute("PRAGMA quick_check").fetchone()[0]
        if checked != "ok":
            raise BackupError(f"{out}: the copy fails SQLite's check: {checked}")
    finally:
        target.close()
        source.close()
    return out


# Rows of the work in hand (see the module's docstring); states as in register.models.JobState.
_IN_HAND = "('pending', 'running')"
_SCRUB = (
    f"""UPDATE mail_messages SET subject = '', sender = '' WHERE EXISTS (
        SELECT 1 FROM json_each(mail_messages.attachments) AS a JOIN jobs AS j
        ON j.id = json_extract(a.value, '$.job_id') WHERE j.state IN {_IN_HAND})""",
    "DELETE FROM mail_attempts",
    f"DELETE FROM jobs WHERE state IN {_IN_HAND}",
)
_WAIT_QUIET = 120.0  # seconds a PostgreSQL backup waits for the work in hand to be done
_POLL = 5.0


def _without_work_in_hand(copy: sqlite3.Connection) -> None:
    """Take the work in hand out of a fresh copy of the register, leaving no trace of it."""
    copy.execute("PRAGMA secure_delete = ON")
    for statement in _SCRUB:
        copy.execute(statement)
    copy.commit()
    copy.execute("VACUUM")


_ORIGINALS = "SELECT sha256, media_type FROM documents"


def registered_files(copy: Path) -> set[str]:
    """The archive's file names (e.g. `ab/ab12....pdf`) of the originals a SQLite copy registers."""
    with closing(sqlite3.connect(copy)) as conn:
        rows = conn.execute(_ORIGINALS).fetchall()
    return _file_names(rows)


def _file_names(rows: Collection[tuple[str, str]]) -> set[str]:
    names = Archive(Path())
    return {names.path(sha256, media_type).as_posix() for sha256, media_type in rows}


def postgres_dump(database_url: str, out: Path, *, wait: float = _WAIT_QUIET) -> Path:
    """`pg_dump` of a snapshot in which no job is in hand; waits up to `wait` seconds."""
    return postgres_backup(database_url, out, wait=wait)[0]


def postgres_backup(
    database_url: str, out: Path, *, wait: float = _WAIT_QUIET
) -> tuple[Path, set[str]]:
    """`postgres_dump`, and the archive's file names of the originals in the dumped snapshot."""
    engine = create_engine(database_url, isolation_level="REPEATABLE READ")
    deadline = time.monotonic() + wait
    try:
        while True:
            with engine.connect() as conn:
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                busy = conn.execute(
                    text(f"SELECT count(*) FROM jobs WHERE state IN {_IN_HAND}")
                ).scalar_one()
                if not busy:
                    # Same transaction, same snapshot as the dump.
                    rows = conn.execute(text(_ORIGINALS)).tuples().all()
                    dumped = pgdump.dump(database_url, out, snapshot=str(snapshot))
                    return dumped, _file_names(rows)
            if time.monotonic() >= deadline:
                raise BackupError(
                    f"{busy} document(s) still being read after {wait:g} s: the backup is not "
                    "taken with work in hand; run it again (vanthu schedule run backup --force)"
                )
            time.sleep(_POLL)
    finally:
        engine.dispose()


def mirror_archive(
    archive: Path, mirror: Path, manifest: Path, registered: Collection[str] | None = None
) -> tuple[int, int]:
    """Copy the archive's files not yet in `mirror`, each checked against its hash, and list
    them all in `manifest`; only those `registered` (names relative to the archive) if given.
    Returns (files listed, files copied now)."""
    lines, copied = ["sha256\tsize\tpath"], 0
    files = sorted(
        p
        for p in archive.glob("??/*")
        if p.is_file()
        and not p.name.startswith(".")
        and (registered is None or p.relative_to(archive).as_posix() in registered)
    )
    for path in files:
        relative = path.relative_to(archive)
        sha256 = path.name.split(".", 1)[0]
        target = mirror / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            copy_durably(path, target, mode=0o444)
            if file_sha256(target) != sha256:
                target.unlink()
                raise BackupError(f"{path}: its content does not match its name (the hash)")
            copied += 1
        lines.append(f"{sha256}\t{path.stat().st_size}\t{relative.as_posix()}")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(files), copied


def prune(root: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backup folders (their names sort by week)."""
    found = sorted(p for p in root.glob(f"{PREFIX}*") if p.is_dir())
    removed = found[:-keep] if len(found) > keep else []
    for old in removed:
        shutil.rmtree(old)
    return removed


def take(settings: Settings, period: str) -> Path:
    """Make the backup folder of `period` (replacing one made before for it)."""
    root = settings.schedule.backup_dir
    root.mkdir(parents=True, exist_ok=True)
    final, partial = root / f"{PREFIX}{period}", root / f".{PREFIX}{period}.part"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    url = make_url(settings.database_url())
    if url.get_backend_name() == "sqlite":
        copy = sqlite_copy(Path(url.database or ""), partial / "register.db")
        registered = registered_files(copy)
    else:
        _dump, registered = postgres_backup(settings.database_url(), partial / "register.dump")
    mirror_archive(settings.paths.archive, root / ARCHIVE, partial / MANIFEST, registered)
    if final.exists():
        shutil.rmtree(final)
    partial.rename(final)
    fsync_dir(root)
    return final


def run(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime) -> str:
    ctx = Context.of(settings)
    slot = ctx.slot("backup", now)
    made = take(settings, slot.period)
    removed = prune(settings.schedule.backup_dir, settings.schedule.keep_backups)
    size = sum(p.stat().st_size for p in made.iterdir()) // 1024
    return f"{made.name} ({size} KiB); {len(removed)} old backup(s) removed"
