"""`vanthu restore`: a backup folder -> a working install in a new, empty folder.

What a scheduled (nightly or weekly) or `vanthu backup now` backup holds
(daemon/schedule/jobs/backup.py): the register (a SQLite copy or a `pg_dump`), the manifest of
the originals that register knows, the settings as they were; the originals themselves are
shared by every backup in `backups/archive/`. A restore lays out an install as `vanthu init`
does, with the current install's vanthu.toml pointed inside it (daemon/restore_settings.py) and
its rules, puts the register back (SQLite: the copy, checked by `PRAGMA integrity_check`;
PostgreSQL: `pg_restore` into an empty database), copies each original the manifest lists,
checked against its SHA-256, brings the schema to this vanthu's revision, records the restore
in the audit trail, and runs `vanthu verify`'s checks.

Nothing outside the backup set is read: a manifest line that is not a file of the archive
(`..`, an absolute path, another name) is refused before anything is copied. A file whose
content does not match its hash stops the restore and is named. A restore that stops leaves the
target folder as it found it (empty); a PostgreSQL database it wrote into must be emptied by
hand before trying again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from daemon.archive import Archive
from daemon.config import Settings, load
from daemon.errors import PermanentError
from daemon.install import lay_out
from daemon.restore_settings import SQLITE_DEFAULT, check_inside, repoint
from daemon.rules import shipped_rules_dir
from daemon.schedule import backup_folders as backups
from daemon.schedule import pgdump

PG_RESTORE = "pg_restore"
RESTORE_TIMEOUT = 6 * 3600.0  # as long as a dump may take
_SHA256 = re.compile(r"[0-9a-f]{64}")

Progress = Callable[[int, int], None]  # (files copied, files in all)


class RestoreError(PermanentError):
    """A backup could not be restored; the message names the file or folder and why."""


@dataclass(frozen=True)
class Original:
    sha256: str
    size: int
    path: PurePosixPath  # relative to the archive, e.g. ab/ab12....pdf


@dataclass(frozen=True)
class Restored:
    root: Path
    config: Path
    engine: str  # sqlite | postgresql
    entries: int
    originals: int
    problems: list[str]  # `vanthu verify`'s findings on the restored install; none is good
    notes: list[str]  # settings pointed elsewhere than the old install had them


def read_manifest(backup: Path) -> list[Original]:
    """The manifest's originals; refuses a line that names anything but a file of the archive."""
    manifest = backup / backups.MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != "sha256\tsize\tpath":
        raise RestoreError(f"{manifest}: not a backup manifest (no sha256/size/path heading)")
    found = []
    for number, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != 3 or not _SHA256.fullmatch(fields[0]) or not fields[1].isdigit():
            raise RestoreError(f"{manifest}: line {number} is not sha256, size, path: {line!r}")
        sha256, size, name = fields[0], int(fields[1]), fields[2]
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name:
            raise RestoreError(
                f"{manifest}: line {number}: {name!r} points outside the backup: refused"
            )
        if len(path.parts) != 2 or path.parts[0] != sha256[:2] or path.stem != sha256:
            raise RestoreError(f"{manifest}: line {number}: {name!r} is not where {sha256} lives")
        found.append(Original(sha256, size, path))
    return found


def restore(
    current: Settings | None,
    backup: Path,
    target: Path,
    *,
    database_url: str | None = None,
    progress: Progress | None = None,
) -> Restored:
    """Restore `backup` into the empty folder `target`, with `current`'s settings (or those the
    backup kept, on a machine without an install)."""
    backup, target = backup.resolve(), target.resolve()
    reason = backups.unwhole(backup)
    if reason is not None:
        raise RestoreError(f"{backup}: not a whole backup: {reason}")
    originals = read_manifest(backup)
    engine = "sqlite" if (backup / backups.SQLITE_COPY).is_file() else "postgresql"
    if engine == "postgresql" and database_url is None:
        raise RestoreError(
            f"{backup}: a PostgreSQL backup: give --database-url of an empty database for it"
        )
    if engine == "sqlite" and database_url is not None:
        raise RestoreError(f"{backup}: a SQLite backup restores into SQLite: no --database-url")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise RestoreError(f"{target}: not an empty folder: a restore makes a new install")
    old = current if current is not None else _kept_settings(backup)
    if engine == "sqlite" and make_url(old.database.url).get_backend_name() != "sqlite":
        database_url = SQLITE_DEFAULT
    made = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        return _restore_into(old, backup, target, originals, engine, database_url, progress)
    except BaseException:
        _empty(target, remove=made)
        raise


def _restore_into(
    old: Settings,
    backup: Path,
    target: Path,
    originals: list[Original],
    engine: str,
    database_url: str | None,
    progress: Progress | None,
) -> Restored:
    repointed = repoint(old, target, database_url=database_url)
    config = target / "vanthu.toml"
    config.write_text(repointed.text, encoding="utf-8")
    os.chmod(config, 0o640)
    settings = check_inside(config, target)
    lay_out(settings)
    _copy_tree(old.rules.dir if old.rules.dir.is_dir() else shipped_rules_dir(), settings.rules.dir)
    _copy_tree(old.trust.roots_dir, settings.trust.roots_dir)
    copy_originals(backup.parent / backups.ARCHIVE, originals, settings.paths.archive, progress)
    if engine == "sqlite":
        restore_sqlite(backup / backups.SQLITE_COPY, settings)
    else:
        restore_postgresql(backup / backups.POSTGRES_DUMP, settings.database_url())
    entries, problems = _bring_up(settings, backup)
    return Restored(target, config, engine, entries, len(originals), problems, repointed.notes)


def copy_originals(
    mirror: Path, originals: list[Original], archive: Path, progress: Progress | None = None
) -> None:
    """Each original from the backups' mirror into the new archive, checked against its hash."""
    root = mirror.resolve()
    for done, original in enumerate(originals, 1):
        source = mirror / original.path
        if not source.resolve().is_relative_to(root):  # a symlink planted in the mirror
            raise RestoreError(f"{source}: leads outside {mirror}: refused")
        if not source.is_file():
            raise RestoreError(f"{source}: listed in the manifest but missing from the backup")
        target = archive / original.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if _copy_hashing(source, target) != original.sha256:
            target.unlink()
            raise RestoreError(
                f"{source}: its content does not match the manifest's sha256 (altered or "
                "damaged): not restored"
            )
        os.chmod(target, 0o444)
        if progress is not None:
            progress(done, len(originals))


def restore_sqlite(copy: Path, settings: Settings) -> None:
    """The backup's register.db as the install's database, whole by SQLite's own check."""
    database = Path(make_url(settings.database_url()).database or "")
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(copy, database)
    with closing(sqlite3.connect(database)) as conn:
        checked = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if checked != ["ok"]:
        raise RestoreError(f"{copy}: fails SQLite's integrity check: {'; '.join(checked[:5])}")


def restore_postgresql(dump: Path, database_url: str) -> None:
    """`pg_restore` of the dump into an empty database, in one transaction."""
    from daemon.register.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text(
                    "SELECT count(*) FROM information_schema.tables "
                    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    url = make_url(database_url)
    if tables:
        raise RestoreError(
            f"database {url.database}: not empty ({tables} tables): restore into a new one "
            f"(createdb)"
        )
    _pg_restore(dump, database_url)


def _pg_restore(dump: Path, database_url: str) -> None:
    options = ["--no-owner", "--single-transaction", "--exit-on-error", str(dump)]
    pgdump.run_client(
        PG_RESTORE,
        database_url,
        options,
        timeout=RESTORE_TIMEOUT,
        error=RestoreError,
        label=f"{PG_RESTORE} of {dump}",
    )


def _bring_up(settings: Settings, backup: Path) -> tuple[int, list[str]]:
    """The schema at this vanthu's revision, the restore in the audit trail, then verify."""
    from daemon.register import audit, migrate
    from daemon.register.db import make_engine, session_factory
    from daemon.register.models import Entry
    from daemon.verify import problems

    engine = make_engine(settings.database_url())
    try:
        _before, after = migrate.upgrade(engine)
        with session_factory(engine)() as session, session.begin():
            entries = session.scalar(select(func.count()).select_from(Entry)) or 0
            data = {"backup": backup.name, "entries": entries, "schema": after.current}
            audit.append(session, "restored", "register/restore", data)
        with session_factory(engine)() as session:
            found = problems(session, Archive(settings.paths.archive))
    finally:
        engine.dispose()
    return entries, found


def _kept_settings(backup: Path) -> Settings:
    kept = backup / backups.SETTINGS / "vanthu.toml"
    if not kept.is_file():
        raise RestoreError(
            f"{backup}: holds no settings (an older backup): run the restore with --config "
            "pointing at an install's vanthu.toml"
        )
    return load(kept)


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


def _copy_hashing(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _empty(target: Path, *, remove: bool) -> None:
    """Undo a restore that stopped: the folder as it was (absent, or empty)."""
    if remove:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
