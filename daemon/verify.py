"""`vanthu verify`: every registered original is in the archive under its hash, and the audit
chain holds."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from daemon.archive import Archive, file_sha256
from daemon.register import audit
from daemon.register.models import Document


def archive_problems(session: Session, archive: Archive) -> Iterator[str]:
    known: set[str] = set()
    for sha, media_type, name in session.execute(
        select(Document.sha256, Document.media_type, Document.original_name)
    ):
        path = archive.path(sha, media_type)
        known.add(path.name)
        if not path.is_file():
            yield f"missing from the archive: {path} ({name})"
        elif file_sha256(path) != sha:
            yield f"hash mismatch (the file was altered): {path} ({name})"
    for path in archive.files():
        if path.name not in known:
            yield f"in the archive but not in the register: {path}"


def problems(session: Session, archive: Archive) -> list[str]:
    return list(archive_problems(session, archive)) + [
        f"audit log: {p}" for p in audit.verify_chain(session)
    ]
