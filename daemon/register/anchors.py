"""Anchors: the audit chain's head, written now and then to a file outside the database.

Someone with write access to the database can drop the append-only triggers, edit a row,
re-hash the chain after it and move the head: the chain alone then checks out. The anchors
file (one line per anchor: local time, the head's id and hash), appended to and never
rewritten, beside the archive, is what such a rewrite cannot reach from inside the database:
`vanthu verify` checks that every anchored row still carries the anchored hash.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from daemon.register.models import AuditEvent, AuditHead

FILE_NAME = "audit-anchors.txt"


@dataclass(frozen=True)
class Anchor:
    at: str  # ISO 8601, local time
    id: int
    hash: str

    def line(self) -> str:
        return f"{self.at}\t{self.id}\t{self.hash}\n"


def _head(session: Session) -> tuple[int, str] | None:
    found = session.execute(select(AuditHead.last_id, AuditHead.last_hash)).first()
    return (found.last_id, found.last_hash) if found and found.last_id else None


def read(path: Path) -> tuple[list[Anchor], list[str]]:
    """The anchors in `path`, and the lines that are not anchors."""
    anchors: list[Anchor] = []
    bad: list[str] = []
    if not path.exists():
        return anchors, bad
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split("\t")
        if len(parts) == 3 and parts[1].isdigit() and len(parts[2]) == 64:
            anchors.append(Anchor(parts[0], int(parts[1]), parts[2]))
        elif line.strip():
            bad.append(f"line {number} is not an anchor: {line[:80]!r}")
    return anchors, bad


def write(session: Session, path: Path) -> Anchor | None:
    """Append the chain's head to `path` unless it is the last one there; the new anchor."""
    head = _head(session)
    if head is None:
        return None
    anchors, _ = read(path)
    if anchors and anchors[-1].id == head[0]:
        return None
    at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    anchor = Anchor(at, *head)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, anchor.line().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return anchor


def problems(session: Session, path: Path) -> list[str]:
    """Where the chain in the database disagrees with what was anchored outside it."""
    anchors, found = read(path)
    wanted = {a.id: a for a in anchors}
    rows = (
        session.execute(
            select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.id.in_(list(wanted)))
        ).all()
        if wanted
        else []
    )
    have = {row.id: row.hash for row in rows}
    for anchor in anchors:
        if anchor.id not in have:
            found.append(f"anchored row {anchor.id} ({anchor.at}) is missing")
        elif have[anchor.id] != anchor.hash:
            found.append(
                f"row {anchor.id} no longer has the hash anchored at {anchor.at}: "
                "the log was rewritten"
            )
    return found
