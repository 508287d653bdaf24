"""The spool: staged bytes waiting for a job to finish with them (service-private)."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from daemon.durable import fsync_dir
from daemon.errors import PermanentError


class TooLarge(PermanentError):
    """The bytes exceed the configured size limit."""


class Spool:
    """Content-addressed holding area: each staged file is named by its SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256

    def write(self, chunks: Iterable[bytes], max_bytes: int) -> tuple[str, int]:
        """Write chunks durably; return (sha256, size). Raises TooLarge past max_bytes."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".incoming-{uuid.uuid4().hex}"
        digest, size = hashlib.sha256(), 0
        try:
            with open(tmp, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"larger than the limit of {max_bytes // 1_000_000} MB")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            os.replace(tmp, self.path(sha))
            fsync_dir(self.root)
            return sha, size
        finally:
            tmp.unlink(missing_ok=True)

    def discard(self, sha256: str | None) -> None:
        if sha256:
            self.path(sha256).unlink(missing_ok=True)

    def orphans(self, active: set[str | None]) -> list[Path]:
        """Files no waiting job refers to: half-written ones from a crash mid-write, and bytes
        whose job finished before they were discarded."""
        if not self.root.exists():
            return []
        return sorted(
            p
            for p in self.root.iterdir()
            if p.name.startswith(".incoming-") or p.name not in active
        )


CHUNK = 1 << 20


def file_chunks(path: Path, size: int = CHUNK) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk
