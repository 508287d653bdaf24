"""What is in [schedule] backup_dir (daemon/schedule/jobs/backup.py makes it): the names of a
backup's parts, the two kinds of backup folder, which folders are whole, and their listing.

A backup is written under a temporary name (`.vanthu-2026-W49.part`) and renamed when complete,
so a folder under its final name is whole by design; one still under its temporary name is
being written, or was left by a backup that stopped, and is not a backup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

PREFIX = "vanthu-"
ARCHIVE = "archive"  # backup_dir/archive: the originals, shared by every backup
MANIFEST = "archive-manifest.tsv"
ABOUT = "backup.json"
SETTINGS = "settings"
SQLITE_COPY, POSTGRES_DUMP = "register.db", "register.dump"
ENTRIES = "SELECT count(*) FROM register_entries"

# A folder's name says which kind of backup it is; each kind has its own retention, so backups
# taken by hand never push the weekly ones out (nor the other way round).
WEEKLY = re.compile(rf"{PREFIX}\d{{4}}-W\d{{2}}")  # vanthu-2026-W49
BY_HAND = re.compile(rf"{PREFIX}\d{{4}}-\d{{2}}-\d{{2}}T\d{{4}}(-\d+)?")  # vanthu-2026-12-04T0312


def sqlite_entries(copy: Path) -> int:
    with closing(sqlite3.connect(copy)) as conn:
        return int(conn.execute(ENTRIES).fetchone()[0])


@dataclass(frozen=True)
class Listed:
    """A folder in backup_dir, as `vanthu backup list` shows it."""

    folder: Path
    kind: str  # weekly | by hand | incomplete
    taken_at: str  # ISO, UTC (the folder's time for backups made before backup.json)
    engine: str  # sqlite | postgresql | ?
    entries: int | None
    size: int  # bytes of the folder itself (the originals are shared in backups/archive)

    @property
    def whole(self) -> bool:
        return self.kind != "incomplete"


def listing(root: Path) -> list[Listed]:
    """The backups in `root`, newest first; a folder still under its temporary name (being
    written, or left by an interrupted backup) is listed as incomplete."""
    found = []
    for folder in root.glob(f"*{PREFIX}*") if root.is_dir() else ():
        if not folder.is_dir():
            continue
        kind = "weekly" if WEEKLY.fullmatch(folder.name) else "by hand"
        if folder.name.startswith(".") or unwhole(folder) is not None:
            kind = "incomplete"
        about = _about(folder)
        engine = "sqlite" if (folder / SQLITE_COPY).exists() else "?"
        engine = "postgresql" if (folder / POSTGRES_DUMP).exists() else engine
        recorded = about.get("entries")
        entries = recorded if isinstance(recorded, int) else None
        if entries is None and engine == "sqlite" and kind != "incomplete":
            entries = sqlite_entries(folder / SQLITE_COPY)
        stamp = dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        when = str(about.get("taken_at") or stamp.isoformat(timespec="seconds"))
        found.append(Listed(folder, kind, when, str(about.get("engine", engine)), entries, size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def unwhole(folder: Path) -> str | None:
    """Why `folder` is not a whole backup, or None when it is (for restores)."""
    if not folder.is_dir():
        return "no such folder"
    if folder.name.startswith(".") or folder.name.endswith(".part"):
        return (
            "it is still under its temporary name: being written, or left by a backup that stopped"
        )
    if not folder.name.startswith(PREFIX):
        return f"not a backup folder (their names begin with {PREFIX})"
    if not (folder / MANIFEST).is_file():
        return f"{MANIFEST} is missing"
    if (folder / SQLITE_COPY).is_file() == (folder / POSTGRES_DUMP).is_file():
        return f"it must hold one of {SQLITE_COPY} (SQLite) or {POSTGRES_DUMP} (PostgreSQL)"
    return None


def _about(folder: Path) -> dict[str, object]:
    try:
        found = json.loads((folder / ABOUT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}
