"""Staging: the only way work enters the service.

A source hands over bytes; they are written to the spool under their SHA-256 (fsynced), a job
row of the source's kind is committed, and only then may the source acknowledge (move the
scan, flag the mail). Staging bytes that a job of the same kind already holds or has done is
a no-op reported as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from daemon.register import audit, jobs
from daemon.register.models import ACTIVE_STATES, DONE, Job
from daemon.work.spool import CHUNK, Spool, file_chunks


@dataclass(frozen=True)
class StageResult:
    sha256: str
    job_id: int | None  # None for a duplicate
    duplicate: bool  # the same bytes are already done or waiting
    earlier_job: int | None = None  # for a duplicate: the job that holds or did these bytes


class Stager:
    def __init__(self, spool: Spool, sessions: sessionmaker[Session], max_bytes: int) -> None:
        self.spool = spool
        self.sessions = sessions
        self.max_bytes = max_bytes

    def stage_file(
        self, path: Path, *, kind: str, source: str, provenance: dict[str, Any]
    ) -> StageResult:
        """Stage a file's bytes. Raises OSError if unreadable, TooLarge past the limit."""
        sha, size = self.spool.write(file_chunks(path), self.max_bytes)
        return self._record(sha, size, path.name, kind, source, provenance)

    def stage_stream(
        self,
        handle: BinaryIO,
        *,
        name: str,
        kind: str,
        source: str,
        provenance: dict[str, Any],
    ) -> StageResult:
        """Stage what an open handle holds (a folder source opens files itself, safely)."""
        sha, size = self.spool.write(iter(lambda: handle.read(CHUNK), b""), self.max_bytes)
        return self._record(sha, size, name, kind, source, provenance)

    def stage_bytes(
        self, data: bytes, *, name: str, kind: str, source: str, provenance: dict[str, Any]
    ) -> StageResult:
        """Stage bytes received in memory (a mail attachment)."""
        sha, size = self.spool.write([data], self.max_bytes)
        return self._record(sha, size, name, kind, source, provenance)

    def _record(
        self, sha: str, size: int, name: str, kind: str, source: str, provenance: dict[str, Any]
    ) -> StageResult:
        try:
            return self._record_once(sha, size, name, kind, source, provenance)
        except IntegrityError:  # another process staged the same bytes a moment ago
            return self._record_once(sha, size, name, kind, source, provenance)

    def _record_once(
        self, sha: str, size: int, name: str, kind: str, source: str, provenance: dict[str, Any]
    ) -> StageResult:
        with self.sessions.begin() as session:
            earlier = _earlier_job(session, kind, sha)
            if earlier is not None:
                subject = f"document/{earlier.document_id}" if earlier.document_id else None
                audit.append(
                    session,
                    "duplicate",
                    subject or f"job/{earlier.id}",
                    {"name": name, "source": source},
                )
                waiting = earlier.state in ACTIVE_STATES
                result = StageResult(sha, job_id=None, duplicate=True, earlier_job=earlier.id)
            else:
                job = jobs.enqueue(
                    session,
                    kind,
                    sha256=sha,
                    original_name=name,
                    source=source,
                    payload={"size": size, "provenance": provenance},
                )
                audit.append(
                    session,
                    "staged",
                    f"job/{job.id}",
                    {"name": name, "source": source, "size": size},
                )
                result = StageResult(sha256=sha, job_id=job.id, duplicate=False)
        if result.duplicate and not waiting:
            self.spool.discard(sha)  # done already: its bytes are in the archive
        return result


def _earlier_job(session: Session, kind: str, sha: str) -> Job | None:
    """A job of `kind` that holds these bytes (waiting or running) or has done them."""
    return session.scalar(
        select(Job)
        .where(Job.kind == kind, Job.sha256 == sha, Job.state.in_((*ACTIVE_STATES, DONE)))
        .order_by(Job.id)
        .limit(1)
    )
