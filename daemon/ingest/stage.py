"""Staging: the only way work enters the service.

A source hands over bytes; they are written to the spool under their SHA-256 (fsynced), a job
row is committed, and only then may the source acknowledge (move the scan, flag the mail).
Staging the same bytes again is a no-op reported as a duplicate.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from daemon.durable import fsync_dir
from daemon.register import audit, jobs
from daemon.register.models import PENDING, RUNNING, Document, Job

log = logging.getLogger(__name__)

CHUNK = 1 << 20


class TooLarge(Exception):
    """The bytes exceed the configured size limit."""


@dataclass(frozen=True)
class StageResult:
    sha256: str
    job_id: int | None  # None for a duplicate
    duplicate: bool  # the same bytes are already registered or waiting


class Spool:
    """Content-addressed holding area for staged bytes (service-private)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256

    def write(self, chunks: Iterator[bytes], max_bytes: int) -> tuple[str, int]:
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

    def discard(self, sha256: str) -> None:
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


def _file_chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


class Stager:
    def __init__(self, spool: Spool, sessions: sessionmaker[Session], max_bytes: int) -> None:
        self.spool = spool
        self.sessions = sessions
        self.max_bytes = max_bytes

    def stage_file(self, path: Path, *, source: str, provenance: dict[str, Any]) -> StageResult:
        """Stage a file's bytes. Raises OSError if unreadable, TooLarge past the limit."""
        with open(path, "rb") as handle:
            sha, size = self.spool.write(_file_chunks(handle), self.max_bytes)
        return self._record(sha, size, path.name, source, provenance)

    def stage_bytes(
        self, data: bytes, *, name: str, source: str, provenance: dict[str, Any]
    ) -> StageResult:
        """Stage bytes received in memory (a mail attachment)."""
        sha, size = self.spool.write(iter([data]), self.max_bytes)
        return self._record(sha, size, name, source, provenance)

    def _record(
        self, sha: str, size: int, name: str, source: str, provenance: dict[str, Any]
    ) -> StageResult:
        try:
            return self._record_once(sha, size, name, source, provenance)
        except IntegrityError:  # another process staged the same bytes a moment ago
            return self._record_once(sha, size, name, source, provenance)

    def _record_once(
        self, sha: str, size: int, name: str, source: str, provenance: dict[str, Any]
    ) -> StageResult:
        with self.sessions.begin() as session:
            known = session.scalar(select(Document.id).where(Document.sha256 == sha))
            waiting = session.scalar(
                select(Job.id).where(
                    Job.kind == "ingest", Job.sha256 == sha, Job.state.in_((PENDING, RUNNING))
                )
            )
            if known is not None or waiting is not None:
                audit.append(
                    session,
                    "duplicate",
                    f"document/{known}" if known else f"job/{waiting}",
                    {"name": name, "source": source},
                )
                duplicate = True
                job_id = None
            else:
                payload = {"size": size, "provenance": provenance}
                job = jobs.enqueue(
                    session,
                    "ingest",
                    sha256=sha,
                    original_name=name,
                    source=source,
                    payload=payload,
                )
                audit.append(
                    session,
                    "staged",
                    f"job/{job.id}",
                    {"name": name, "source": source, "size": size},
                )
                duplicate, job_id = False, job.id
        if duplicate and waiting is None:
            self.spool.discard(sha)
        return StageResult(sha256=sha, job_id=job_id, duplicate=duplicate)
