"""`vanthu backup now | list` and `vanthu restore`: a backup at once, through the scheduled job's
own code (daemon/schedule/jobs/backup.py); the backups there are; one made back into a working
install (daemon/restore.py).

`backup now` writes no row in the run ledger (schedule_runs): the ledger says which scheduled
period was done, so that missed slots run once. A backup by hand is no night's backup (it has
its own name and its own retention): recording it as the night's would skip the nightly one, and
recording it under some other key would coalesce nothing. Its folder is its record.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path
from typing import Any

from daemon.cli import emit, settings_of
from daemon.config import CONFIG_ENV, Settings


class _Progress:
    """`label 120/3400 files` on stderr, at most every 2 s and at the end: long copies show
    they are moving, short ones print one line or none."""

    def __init__(self, label: str, every: float = 2.0) -> None:
        self.label, self.every, self.last = label, every, time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every or (done == total and self.shown):
            self.last, self.shown = now, True
            print(f"vanthu: {self.label} {done}/{total} files", file=sys.stderr, flush=True)


def now(args: argparse.Namespace) -> int:
    from daemon.register import clock
    from daemon.schedule.jobs.backup import BackupError, take_now

    settings = settings_of(args)
    if args.to is not None:
        into = dataclasses.replace(settings.schedule, backup_dir=args.to.expanduser().resolve())
        settings = dataclasses.replace(settings, schedule=into)
    try:
        made = take_now(settings, clock.now(), progress=_Progress("archive"))
    except (BackupError, OSError) as exc:
        print(f"vanthu: backup failed: {exc}", file=sys.stderr)
        return 1
    obj = {
        "folder": str(made.folder),
        "engine": made.engine,
        "entries": made.entries,
        "originals": made.originals,
        "copied": made.copied,
        "size": made.size,
        "seconds": round(made.seconds, 2),
    }
    emit(args, obj, f"vanthu: backup {made.folder}\n  {made.summary()}")
    return 0


def list_(args: argparse.Namespace) -> int:
    from daemon.schedule.backup_folders import listing

    root = settings_of(args).schedule.backup_dir
    found = listing(root)
    if not found and not args.json:
        print(f"vanthu: no backups in {root}")
    for b in found:
        obj = {
            "folder": str(b.folder),
            "kind": b.kind,
            "whole": b.whole,
            "taken_at": b.taken_at,
            "engine": b.engine,
            "entries": b.entries,
            "size": b.size,
        }
        entries = "?" if b.entries is None else str(b.entries)
        line = (
            f"{b.folder.name:<28} {b.taken_at:<26} {b.engine:<10} {entries:>7} entries "
            f"{b.size // 1024:>8} KiB  {b.kind}{'' if b.whole else ': not a backup'}"
        )
        emit(args, obj, line)
    return 0


def restore(args: argparse.Namespace) -> int:
    from daemon.restore import RestoreError, restore

    current = _current_settings(args)
    try:
        done = restore(
            current,
            args.backup,
            args.to.expanduser(),
            database_url=args.database_url,
            progress=_Progress("originals"),
        )
    except (RestoreError, OSError) as exc:
        print(f"vanthu: restore refused: {exc}", file=sys.stderr)
        return 1
    for note in done.notes:
        print(f"vanthu: note: {note}", file=sys.stderr)
    for problem in done.problems:
        emit(args, {"ok": False, "problem": problem}, f"FAIL  {problem}")
    obj: dict[str, Any] = {
        "ok": not done.problems,
        "root": str(done.root),
        "config": str(done.config),
        "engine": done.engine,
        "entries": done.entries,
        "originals": done.originals,
        "problems": len(done.problems),
        "start": f"vanthu run --config {done.config}",
    }
    verdict = "archive and audit chain intact" if not done.problems else "PROBLEMS (above)"
    emit(
        args,
        obj,
        f"vanthu: restored {args.backup} into {done.root}\n"
        f"  {done.entries} entries, {done.originals} originals ({done.engine})\n"
        f"  verify: {verdict}\n"
        f"start it with: vanthu run --config {done.config}",
    )
    return 0 if not done.problems else 1


def _current_settings(args: argparse.Namespace) -> Settings | None:
    """The install the restore copies its settings from; None on a machine without one (the
    backup's own copy is used then). A --config or $VANTHU_CONFIG that is wrong is an error."""
    if args.config is None and CONFIG_ENV not in os.environ and not Path("vanthu.toml").is_file():
        return None
    return settings_of(args)


def add_now_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--to", type=Path, metavar="DIR", help="into DIR instead of [schedule] backup_dir"
    )


def add_restore_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("backup", type=Path, metavar="BACKUP", help="a backup folder, backups/vanthu-…")
    p.add_argument("--to", type=Path, metavar="DIR", required=True, help="a new or empty folder")
    p.add_argument(
        "--database-url",
        metavar="URL",
        help="PostgreSQL backups: the new, empty database to pg_restore into",
    )
