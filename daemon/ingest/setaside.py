"""Putting files where the clerk can see them: failed/ (with a reason) and quarantine/ (0600).

Placement is idempotent so a crash between placing and committing never leaves two copies:
the same bytes under the same name are recognised and kept once.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from daemon.archive import file_sha256
from daemon.durable import copy_durably


def safe_name(name: str) -> str:
    """A file name that is safe to create: no path parts, no control characters, valid UTF-8."""
    name = os.fsencode(name).decode("utf-8", "replace")
    name = name.replace("/", "_").replace("\\", "_").replace("\x00", "")
    name = "".join(ch if ch.isprintable() else "_" for ch in name).strip(" .")
    return name[:200] or "unnamed"


def _target(folder: Path, name: str, source: Path) -> tuple[Path, bool]:
    """Where to put `source` in `folder`; (path, already_there)."""
    candidate = folder / name
    stem, suffix = candidate.stem, candidate.suffix
    digest = None
    for n in range(1, 1000):
        if not candidate.exists():
            return candidate, False
        digest = digest or file_sha256(source)
        if candidate.is_file() and file_sha256(candidate) == digest:
            return candidate, True
        candidate = folder / f"{stem} ({n + 1}){suffix}"
    raise OSError(f"{folder}: too many files named {name}")


def place(
    source: Path, folder: Path, name: str, *, mode: int | None = None, move: bool = False
) -> Path:
    """Copy (or move) `source` into `folder` as `name`, never overwriting a different file."""
    folder.mkdir(parents=True, exist_ok=True)
    target, there = _target(folder, safe_name(name), source)
    if not there:
        copy_durably(source, target, mode=mode)
    if move:
        source.unlink(missing_ok=True)
    return target


def write_reason(target: Path, reason: str, original: str) -> Path:
    note = target.with_name(target.name + ".error.txt")
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    note.write_text(
        f"File: {original}\nWhen: {stamp}\nReason: {reason}\n\n"
        "vanthu could not register this file. Fix the cause and drop the file into the inbox "
        "again, or register it by hand.\n",
        encoding="utf-8",
    )
    return note


def move_into(source: Path, folder: Path, name: str) -> Path:
    """Move `source` into `folder` under a free variant of `name` (for files we cannot read)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = Path(safe_name(name))
    target = folder / base.name
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{base.stem} ({n}){base.suffix}"
    shutil.move(os.fspath(source), os.fspath(target))
    return target
