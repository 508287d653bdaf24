"""The archive: each registered original stored once, read-only, under its SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from daemon.durable import copy_durably

EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str, media_type: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}{EXTENSIONS.get(media_type, '.bin')}"

    def store(self, source: Path, sha256: str, media_type: str) -> Path:
        """Copy `source` in durably and make it read-only; a no-op if already there and intact."""
        target = self.path(sha256, media_type)
        if target.exists() and file_sha256(target) == sha256:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_durably(source, target, mode=0o444)  # also replaces a damaged copy
        if file_sha256(target) != sha256:
            raise OSError(f"archive copy of {sha256} does not match its hash")
        return target

    def files(self) -> Iterator[Path]:
        if self.root.exists():
            yield from (p for p in sorted(self.root.glob("??/*")) if not p.name.startswith("."))
