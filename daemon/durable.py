"""Durable file writes: a crash leaves the old file or the new one, never half of one."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` survive a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_durably(source: Path, target: Path, *, mode: int | None = None) -> Path:
    """Copy `source` to `target` through a temporary file in the same folder, synced, then
    renamed into place (replacing what was there)."""
    with open(source, "rb") as src:
        return copy_stream_durably(src, target, mode=mode)


def copy_stream_durably(source: BinaryIO, target: Path, *, mode: int | None = None) -> Path:
    """`copy_durably` from an open handle (read from where it stands)."""
    tmp = target.parent / f".{uuid.uuid4().hex}.part"
    try:
        with open(tmp, "wb") as dst:
            shutil.copyfileobj(source, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return target
