"""The audit trail: an append-only, hash-chained log of every register event.

Each row's hash is the SHA-256 of a canonical JSON of (id, at, actor, event, subject, data,
prev_hash), so changing, removing or reordering any row breaks the chain from there on. The
one-row `audit_head` holds the last id and hash: appends lock it, which serialises them
across processes and lets `verify_chain` notice rows cut off the end.

Call `append` last in a transaction: it holds the head's lock until commit, and taking other
row locks after it invites deadlocks with transactions that lock in the usual order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import unicodedata
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from daemon.register import clock
from daemon.register.models import AuditEvent, AuditHead

GENESIS = "0" * 64
_SUBJECT_MAX = 200
_EVENT_MAX = 50
_ACTOR_MAX = 200


def default_actor() -> str:
    """Who acts when no user is named: this process, as host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"[:_ACTOR_MAX]


def jsonable(value: Any) -> Any:
    """`value` as plain JSON data, strings in NFC. Dates become ISO text, paths and tuples
    become strings and lists; anything else is refused rather than guessed."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("audit data: NaN and infinity are not JSON")
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dt.datetime):
        return clock.iso_utc(clock.to_db(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return unicodedata.normalize("NFC", str(value))
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("audit data: mapping keys must be strings")
        return {unicodedata.normalize("NFC", k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    raise TypeError(f"audit data: {type(value).__name__} is not JSON data")


def canonical(
    *,
    id: int,
    at: dt.datetime,
    actor: str,
    event: str,
    subject: str,
    data: Mapping[str, Any],
    prev_hash: str,
) -> bytes:
    """The exact bytes that are hashed: sorted keys, no spaces, UTF-8, UTC time text."""
    record = {
        "id": id,
        "at": clock.iso_utc(at),
        "actor": actor,
        "event": event,
        "subject": subject,
        "data": data,
        "prev_hash": prev_hash,
    }
    text = json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def row_hash(row: AuditEvent) -> str:
    """The hash a stored row should carry."""
    payload = canonical(
        id=row.id,
        at=row.at,
        actor=row.actor,
        event=row.event,
        subject=row.subject,
        data=row.data,
        prev_hash=row.prev_hash,
    )
    return hashlib.sha256(payload).hexdigest()


def append(
    session: Session,
    event: str,
    subject: str,
    data: Mapping[str, Any],
    actor: str | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction and move the chain head."""
    event, subject = _nfc(event), _nfc(subject)
    actor = _nfc(actor) if actor else default_actor()
    _check_length("event", event, _EVENT_MAX)
    _check_length("subject", subject, _SUBJECT_MAX)
    _check_length("actor", actor, _ACTOR_MAX)
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        raise RuntimeError("audit_head row missing: run `vanthu db upgrade` on this database")
    row = AuditEvent(
        id=head.last_id + 1,
        at=clock.now(),
        actor=actor,
        event=event,
        subject=subject,
        data=jsonable(dict(data)),
        prev_hash=head.last_hash,
    )
    row.hash = row_hash(row)
    session.add(row)
    head.last_id, head.last_hash = row.id, row.hash
    session.flush()
    return row


def verify_chain(session: Session) -> list[str]:
    """Re-check the whole chain; the problems found, empty when it is intact.

    Takes no locks, so it runs in a read-only transaction beside working appenders: the
    rows up to the head as first read were committed with it and are walked; rows found
    past the head as read again afterwards were never appended through the head.
    """
    head = _head(session)
    if head is None:
        return ["head mismatch: audit_head row missing"]
    head_id, head_hash = head
    problems: list[str] = []
    expected_id, prev_hash = 1, GENESIS
    rows = session.execute(
        select(AuditEvent)
        .where(AuditEvent.id <= head_id)
        .order_by(AuditEvent.id)
        .execution_options(yield_per=1000)
    ).scalars()
    for row in rows:
        if row.id != expected_id:
            problems.append(f"gap in ids: {expected_id}..{row.id - 1} missing")
        if row.prev_hash != prev_hash:
            problems.append(f"broken link at id {row.id}: prev_hash does not match the row before")
        if row_hash(row) != row.hash:
            problems.append(f"bad hash at id {row.id}: the row was changed after it was written")
        expected_id, prev_hash = row.id + 1, row.hash
    if expected_id - 1 != head_id:
        problems.append(
            f"head mismatch: head says id {head_id}, the log ends at id {expected_id - 1}"
        )
    elif prev_hash != head_hash:
        problems.append(f"head mismatch: head hash differs from the hash of id {head_id}")
    # Read the highest id before the head again: a row committed before that read moved the
    # head in the same commit, so anything above the head is a row added around it.
    beyond = session.scalar(select(func.max(AuditEvent.id)))
    later = _head(session)
    if beyond is not None and later is not None and beyond > later[0]:
        problems.append(f"head mismatch: rows up to id {beyond} lie past the head ({later[0]})")
    return problems


def _head(session: Session) -> tuple[int, str] | None:
    found = session.execute(
        select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == 1)
    ).one_or_none()
    return (found.last_id, found.last_hash) if found else None


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _check_length(name: str, value: str, limit: int) -> None:
    if not value or len(value) > limit:
        raise ValueError(f"audit {name}: must be 1..{limit} characters, got {len(value)}")
