"""What is in [schedule] backup_dir (daemon/schedule/jobs/backup.py makes it): the names of a
backup's parts, the kinds of backup folder, which folders are whole, which scheduled ones are
kept, and their listing.

A backup is written under a temporary name (`.vanthu-2026-W49.part`) and renamed when complete,
so a folder under its final name is whole by design; one still under its temporary name is
being written, or was left by a backup that stopped, and is not a backup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterable
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

# A folder's name says which kind of backup it is. Scheduled and hand-taken backups have their
# own retention, so backups taken by hand never push the scheduled ones out (nor the other way).
DAILY = re.compile(rf"{PREFIX}(\d{{4}}-\d{{2}}-\d{{2}})")  # vanthu-2026-12-04
WEEKLY = re.compile(rf"{PREFIX}(\d{{4}})-W(\d{{2}})")  # vanthu-2026-W49
BY_HAND = re.compile(rf"{PREFIX}\d{{4}}-\d{{2}}-\d{{2}}T\d{{4}}(-\d+)?")  # vanthu-2026-12-04T0312


def scheduled_kept(names: Iterable[str], keep_daily: int, keep_weekly: int) -> set[str]:
    """Which scheduled backup folders retention keeps: the newest `keep_daily` daily ones, and
    the newest folder of each of the newest `keep_weekly` ISO weeks, counting daily and weekly
    folders alike (an office that took weekly backups before keeps them). Other names are not
    scheduled backups and are not in the answer."""
    dated = sorted((day, name) for name in names if (day := _scheduled_day(name)) is not None)
    daily = [name for _day, name in dated if DAILY.fullmatch(name)]
    newest_of_week: dict[tuple[int, int], str] = {}
    for day, name in dated:  # oldest first: the last one of a week stays
        newest_of_week[day.isocalendar()[:2]] = name
    weeks = sorted(newest_of_week)[-keep_weekly:]
    return set(daily[-keep_daily:]) | {newest_of_week[week] for week in weeks}


def _scheduled_day(name: str) -> dt.date | None:
    """A daily folder's date; a weekly folder's Sunday (the default backup_day: it is newer than
    the daily ones of its week); None for any other name."""
    if found := DAILY.fullmatch(name):
        try:
            return dt.date.fromisoformat(found[1])
        except ValueError:
            return None
    if found := WEEKLY.fullmatch(name):
        try:
            return dt.date.fromisocalendar(int(found[1]), int(found[2]), 7)
        except ValueError:
            return None
    return None


def kind_of(name: str) -> str:
    """daily | weekly | by hand, by a (whole) folder's name."""
    if DAILY.fullmatch(name):
        return "daily"
    return "weekly" if WEEKLY.fullmatch(name) else "by hand"


def sqlite_entries(copy: Path) -> int:
    with closing(sqlite3.connect(copy)) as conn:
        return int(conn.execute(ENTRIES).fetchone()[0])


@dataclass(frozen=True)
class Listed:
    """A folder in backup_dir, as `vanthu backup list` shows it."""

    folder: Path
    kind: str  # daily | weekly | by hand | incomplete
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
        kind = kind_of(folder.name)
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
