"""The scheduled backup: nightly by default (issue 12), or weekly ([schedule] backup_every =
"week"; Hiệp Hòa quy chế Điều 9: data backed up at least every week).

Into [schedule] backup_dir, one folder per night (vanthu-2026-12-04) or per ISO week
(vanthu-2026-W49), written under a temporary name and renamed when complete, so a folder that
exists under its final name is a whole backup:

    backups/vanthu-2026-12-04/register.db          SQLite: the online backup API (a consistent
                                                   copy while the service writes)
    backups/vanthu-2026-12-04/register.dump        PostgreSQL: pg_dump -Fc
    backups/vanthu-2026-12-04/archive-manifest.tsv every original in the archive: sha256, size,
                                                   path
    backups/vanthu-2026-12-04/backup.json          when, which engine, how many entries and files
    backups/vanthu-2026-12-04/settings/            vanthu.toml and rules/ as they were
    backups/archive/                               the archive's files, copied once each

The archive is content-addressed and read-only (a file's name is its hash, and it never
changes), so like rsync only files not yet copied are copied, each checked against its name.

After each scheduled backup, the scheduled folders kept are the newest keep_daily nightly ones
and the newest one of each of the newest keep_weekly ISO weeks (weekly folders count too:
an office that backed up weekly keeps those); the others are removed.
`vanthu backup now` takes the same backup at once, named by its minute (vanthu-2026-12-04T0312),
and keeps its own newest keep_manual_backups, so backups taken by hand never push the scheduled
ones out.

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
import fcntl
import json
import shutil
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from daemon import __version__
from daemon.archive import Archive, file_sha256
from daemon.config import Settings
from daemon.durable import copy_durably, fsync_dir
from daemon.errors import PermanentError
from daemon.schedule import pgdump
from daemon.schedule.backup_folders import (
    ABOUT,
    ARCHIVE,
    BY_HAND,
    ENTRIES,
    MANIFEST,
    POSTGRES_DUMP,
    PREFIX,
    SETTINGS,
    SQLITE_COPY,
    kind_of,
    scheduled_kept,
    sqlite_entries,
)
from daemon.schedule.context import Context

LOCK = ".lock"

Progress = Callable[[int, int], None]  # (files done, files in all), for long copies


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
    return postgres_snapshot(database_url, out, wait=wait).dump


@dataclass(frozen=True)
class Dumped:
    dump: Path
    files: set[str]  # the archive's file names of the originals in the dumped snapshot
    entries: int  # register entries in it


def postgres_snapshot(database_url: str, out: Path, *, wait: float = _WAIT_QUIET) -> Dumped:
    """`postgres_dump`, with what the dumped snapshot registers."""
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
                    rows = [(r[0], r[1]) for r in conn.execute(text(_ORIGINALS))]
                    entries = conn.execute(text(ENTRIES)).scalar_one()
                    dumped = pgdump.dump(database_url, out, snapshot=str(snapshot))
                    return Dumped(dumped, _file_names(rows), int(entries))
            if time.monotonic() >= deadline:
                raise BackupError(
                    f"{busy} document(s) still being read after {wait:g} s: the backup is not "
                    "taken with work in hand; run it again in a few minutes"
                )
            time.sleep(_POLL)
    finally:
        engine.dispose()


def mirror_archive(
    archive: Path,
    mirror: Path,
    manifest: Path,
    registered: Collection[str] | None = None,
    progress: Progress | None = None,
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
    for done, path in enumerate(files, 1):
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
        if progress is not None:
            progress(done, len(files))
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(files), copied


def _keep_settings(settings: Settings, folder: Path) -> None:
    """vanthu.toml and rules/ beside the register: a restore on a new machine has them too."""
    kept = folder / SETTINGS
    kept.mkdir()
    shutil.copyfile(settings.config_file, kept / "vanthu.toml")
    if settings.rules.dir.is_dir():
        shutil.copytree(settings.rules.dir, kept / "rules")


def _describe(folder: Path, *, engine: str, entries: int, originals: int) -> None:
    about = {
        "taken_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "entries": entries,
        "originals": originals,
        "vanthu": __version__,
    }
    (folder / ABOUT).write_text(json.dumps(about, indent=2) + "\n", encoding="utf-8")


def prune_by_hand(root: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups taken by hand (their names sort by time)."""
    found = sorted(p for p in root.glob(f"{PREFIX}*") if p.is_dir() and BY_HAND.fullmatch(p.name))
    return _removed(found[:-keep] if len(found) > keep else [])


def prune_scheduled(root: Path, keep_daily: int, keep_weekly: int) -> list[Path]:
    """Remove the scheduled (daily and weekly) folders that retention does not keep."""
    folders = [p for p in root.glob(f"{PREFIX}*") if p.is_dir()]
    scheduled = [p for p in folders if kind_of(p.name) != "by hand"]
    kept = scheduled_kept((p.name for p in scheduled), keep_daily, keep_weekly)
    return _removed(sorted(p for p in scheduled if p.name not in kept))


def _removed(folders: list[Path]) -> list[Path]:
    for old in folders:
        shutil.rmtree(old)
    return folders


@dataclass(frozen=True)
class Made:
    """A backup just taken, for the summary a clerk reads."""

    folder: Path
    engine: str  # sqlite | postgresql
    entries: int  # register entries (both books) in the copy
    originals: int  # archive files its manifest lists
    copied: int  # of which copied into the mirror now (the others were there already)
    size: int  # bytes of the folder (database copy, manifest, settings)
    seconds: float

    def summary(self) -> str:
        return (
            f"{self.folder.name}: {self.entries} entries, {self.originals} originals "
            f"({self.copied} copied now), {self.size // 1024} KiB, {self.seconds:.1f} s"
        )


@contextmanager
def _one_at_a_time(root: Path) -> Iterator[None]:
    """The scheduled job and `vanthu backup now` share the mirror and may share a name: one at a
    time (on this host; a shared backup_dir on NFS v4 is locked across hosts too)."""
    with open(root / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def take(settings: Settings, period: str, *, progress: Progress | None = None) -> Made:
    """Make the backup folder of `period` (replacing one made before for it)."""
    return _take(settings, lambda _root: f"{PREFIX}{period}", progress)


def _take(settings: Settings, name: Callable[[Path], str], progress: Progress | None) -> Made:
    """Make the backup folder `name(root)` names (picked while the backups are locked)."""
    root = settings.schedule.backup_dir
    root.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    with _one_at_a_time(root):
        folder = name(root)
        final, partial = root / folder, root / f".{folder}.part"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        url = make_url(settings.database_url())
        if url.get_backend_name() == "sqlite":
            copy = sqlite_copy(Path(url.database or ""), partial / SQLITE_COPY)
            registered, entries = registered_files(copy), sqlite_entries(copy)
        else:
            dumped = postgres_snapshot(settings.database_url(), partial / POSTGRES_DUMP)
            registered, entries = dumped.files, dumped.entries
        listed, copied = mirror_archive(
            settings.paths.archive, root / ARCHIVE, partial / MANIFEST, registered, progress
        )
        engine = url.get_backend_name()
        _keep_settings(settings, partial)
        _describe(partial, engine=engine, entries=entries, originals=listed)
        if final.exists():
            shutil.rmtree(final)
        partial.rename(final)
        fsync_dir(root)
    size = sum(p.stat().st_size for p in final.rglob("*") if p.is_file())
    return Made(final, engine, entries, listed, copied, size, time.monotonic() - began)


def take_now(settings: Settings, now: dt.datetime, *, progress: Progress | None = None) -> Made:
    """A backup by hand (`vanthu backup now`): named by its minute, kept by its own count."""
    stamp = f"{PREFIX}{now.astimezone(ZoneInfo(settings.register.timezone)):%Y-%m-%dT%H%M}"

    def free_name(root: Path) -> str:  # two in one minute: vanthu-...T0312-2
        taken = {p.name for p in root.iterdir()}
        return next(
            n for n in (stamp, *(f"{stamp}-{i}" for i in range(2, 10**6))) if n not in taken
        )

    made = _take(settings, free_name, progress)
    prune_by_hand(settings.schedule.backup_dir, settings.schedule.keep_manual_backups)
    return made


def run(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime) -> str:
    ctx = Context.of(settings)
    slot = ctx.slot("backup", now)
    made = take(settings, slot.period)
    schedule = settings.schedule
    removed = prune_scheduled(schedule.backup_dir, schedule.keep_daily, schedule.keep_weekly)
    return f"{made.summary()}; {len(removed)} old scheduled backup(s) removed"
