"""`vanthu verify`: every registered original is in the archive under its hash, every entry is
what its "registered" event says it was, and the audit chain holds, also against the anchors
written outside the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from daemon.archive import Archive, file_sha256
from daemon.register import anchors, audit
from daemon.register.models import AuditEvent, Document, Entry
from daemon.register.record import DIGEST_EVENTS, entry_digest
from daemon.register.registry import entry_label


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


def entry_problems(session: Session) -> Iterator[str]:
    """Each entry against the last event that vouched for it (its hash, its fields)."""
    vouched: dict[str, dict[str, object]] = {}
    events = select(AuditEvent.subject, AuditEvent.data).where(AuditEvent.event.in_(DIGEST_EVENTS))
    for subject, data in session.execute(events.order_by(AuditEvent.id)):
        vouched[subject] = data
    query = select(Entry, Document).join(Document).options(defer(Document.text))
    for entry, document in session.execute(query):
        label = entry_label(entry)
        data = vouched.get(label)
        if data is None:
            yield f"{label}: no registered event in the audit log"
            continue
        if data.get("sha256") != document.sha256:
            yield f"{label}: the document's hash differs from the one registered"
        if "digest" in data and data["digest"] != entry_digest(entry, document):
            yield f"{label}: its fields differ from what was registered (edited in the database)"


def problems(session: Session, archive: Archive) -> list[str]:
    anchored = anchors.problems(session, anchor_file(archive), check=_check_signature)
    return (
        list(archive_problems(session, archive))
        + list(entry_problems(session))
        + [f"audit log: {p}" for p in audit.verify_chain(session)]
        + [f"audit anchors: {p}" for p in anchored]
    )


def _check_signature(data: bytes, signature: bytes) -> tuple[bool, str]:
    from daemon.dispatch.signing import check_data_signature  # pyHanko: only when signed

    return check_data_signature(data, signature)


def anchor_file(archive: Archive) -> Path:
    return archive.root / anchors.FILE_NAME
