"""Anchors: the audit chain's head, written now and then to a file outside the database.

Someone with write access to the database can drop the append-only triggers, edit a row,
re-hash the chain after it and move the head: the chain alone then checks out. The anchors
file (one line per anchor: local time, the head's id and hash), appended to and never
rewritten, beside the archive, is what such a rewrite cannot reach from inside the database:
`vanthu verify` checks that every anchored row still carries the anchored hash.

When the office has its signing key configured ([signing]), each line also carries a detached
CMS signature of its first three fields by that key (base64), so that the file itself cannot
be edited unnoticed either: `vanthu verify` checks every signature.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from daemon.register.models import AuditEvent, AuditHead

FILE_NAME = "audit-anchors.txt"


Sign = Callable[[bytes], bytes]  # data -> detached CMS signature (DER)
Check = Callable[[bytes, bytes], tuple[bool, str]]  # (data, signature) -> (intact, signer)


@dataclass(frozen=True)
class Anchor:
    at: str  # ISO 8601, local time
    id: int
    hash: str
    signature: bytes | None = None

    def signed_part(self) -> bytes:
        return f"{self.at}\t{self.id}\t{self.hash}".encode()

    def line(self) -> str:
        fields = [self.at, str(self.id), self.hash]
        if self.signature is not None:
            fields.append(base64.b64encode(self.signature).decode("ascii"))
        return "\t".join(fields) + "\n"


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
        anchor = _parse(line)
        if anchor is not None:
            anchors.append(anchor)
        elif line.strip():
            bad.append(f"line {number} is not an anchor: {line[:80]!r}")
    return anchors, bad


def _parse(line: str) -> Anchor | None:
    parts = line.split("\t")
    if len(parts) not in (3, 4) or not parts[1].isdigit() or len(parts[2]) != 64:
        return None
    try:
        signature = base64.b64decode(parts[3], validate=True) if len(parts) == 4 else None
    except binascii.Error:
        return None
    return Anchor(parts[0], int(parts[1]), parts[2], signature)


def write(session: Session, path: Path, sign: Sign | None = None) -> Anchor | None:
    """Append the chain's head to `path` unless it is the last one there, signed by `sign`
    when given; the new anchor. Errors of `sign` propagate: nothing is written then."""
    head = _head(session)
    if head is None:
        return None
    anchors, _ = read(path)
    if anchors and anchors[-1].id == head[0]:
        return None
    at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    anchor = Anchor(at, *head)
    if sign is not None:
        anchor = replace(anchor, signature=sign(anchor.signed_part()))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, anchor.line().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return anchor


def problems(session: Session, path: Path, check: Check | None = None) -> list[str]:
    """Where the chain in the database disagrees with what was anchored outside it, and, with
    `check`, the anchors whose signature does not match their line."""
    anchors, found = read(path)
    for anchor in anchors:
        if check is not None and anchor.signature is not None:
            intact, signer = check(anchor.signed_part(), anchor.signature)
            if not intact:
                found.append(
                    f"the anchor of row {anchor.id} ({anchor.at}) does not match its signature"
                    f" ({signer}): the anchors file was edited"
                )
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
