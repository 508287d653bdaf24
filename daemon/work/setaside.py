"""Putting files where the clerk can see them: failed/ (with a reason) and quarantine/ (0600).

Placement is idempotent so a crash between placing and committing never leaves two copies:
the same bytes under the same name are recognised and kept once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from daemon.alerts import alert
from daemon.archive import file_sha256
from daemon.durable import copy_durably
from daemon.logs import event
from daemon.register import jobs
from daemon.register.db import scrub_wal
from daemon.register.models import FAILED, SET_ASIDE, Job
from daemon.work.job import Outcome, Ticket
from daemon.work.spool import Spool

log = logging.getLogger("vanthu.setaside")


def safe_name(name: str) -> str:
    """A file name that is safe to create: no path parts, no control characters, valid UTF-8."""
    name = os.fsencode(name).decode("utf-8", "replace")
    name = name.replace("/", "_").replace("\\", "_").replace("\x00", "")
    name = "".join(ch if ch.isprintable() else "_" for ch in name).strip(" .")
    return name[:200] or "unnamed"


def _target(folder: Path, name: str, source: Path) -> tuple[Path, bool]:
    """Where to put `source` in `folder`; (path, already_there). Only regular files are ever
    opened there: a link or a pipe set aside under the same name is never followed."""
    candidate = folder / name
    stem, suffix = candidate.stem, candidate.suffix
    digest = None
    for n in range(1, 1000):
        if not os.path.lexists(candidate):
            return candidate, False
        digest = digest or file_sha256(source)
        if _regular(candidate) and file_sha256(candidate) == digest:
            return candidate, True
        candidate = folder / f"{stem} ({n + 1}){suffix}"
    raise OSError(f"{folder}: too many files named {name}")


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def free_name(folder: Path, name: str) -> Path:
    """A path in `folder` for `name` that nothing occupies (not even a dangling link)."""
    base = Path(safe_name(name))
    target, n = folder / base.name, 1
    while os.path.lexists(target):
        n += 1
        target = folder / f"{base.stem} ({n}){base.suffix}"
    return target


def place(
    source: Path, folder: Path, name: str, *, mode: int | None = None, move: bool = False
) -> Path:
    """Copy (or move) `source` into `folder` as `name`, never overwriting a different file."""
    folder.mkdir(parents=True, exist_ok=True)
    target, there = _target(folder, safe_name(name), source)
    if not there:
        copy_durably(source, target, mode=mode)
    if move:
        source.unlink(missing_ok=True)
    return target


FAILED_ADVICE = (
    "vanthu could not register this file. Fix the cause and drop the file into the inbox "
    "again, or register it by hand."
)
QUARANTINE_ADVICE = (
    "vanthu set this file aside: it is not in the networked register and was not sent. "
    "A secret document or a complaint letter is handled on paper, as the rules say."
)


def write_reason(target: Path, reason: str, original: str, advice: str = FAILED_ADVICE) -> Path:
    note = target.with_name(target.name + ".error.txt")
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    note.write_text(
        f"File: {original}\nWhen: {stamp}\nReason: {reason}\n\n{advice}\n", encoding="utf-8"
    )
    return note


def move_into(source: Path, folder: Path, name: str) -> Path:
    """Move `source` into `folder` under a free variant of `name` (for files we cannot read)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = free_name(folder, name)
    shutil.move(os.fspath(source), os.fspath(target))
    return target


class SetAside:
    """Ends a job whose staged file is not registered: to failed/ with the reason, or to
    quarantine/ leaving nothing of its content behind. The file lands first, then the job
    ends, then the spool copy goes: a crash in between repeats the (idempotent) placing."""

    def __init__(
        self, sessions: sessionmaker[Session], spool: Spool, *, failed: Path, quarantine: Path
    ) -> None:
        self.sessions = sessions
        self.spool = spool
        self.failed = failed
        self.quarantine = quarantine

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        target = place(self._best_copy(ticket), self.failed, ticket.name)
        write_reason(target, reason, ticket.name)
        self._remove_processed_copy(ticket)
        with self.sessions.begin() as session:
            jobs.finish(session, ticket.id, FAILED, error=reason, worker=ticket.worker)
        self.spool.discard(ticket.sha256)
        event(log, "failed", logging.WARNING, file=ticket.name, reason=reason, moved_to=str(target))
        return Outcome(ticket.id, FAILED, reason=reason)

    def set_aside(
        self, ticket: Ticket, reason: str, *, forget: Callable[[Session], None] | None = None
    ) -> Outcome:
        """Quarantine: keep the file name and the fact, nothing of the content, anywhere.
        `forget` scrubs what the source recorded about it, in the same transaction."""
        target = place(self._best_copy(ticket), self.quarantine, ticket.name, mode=0o600)
        write_reason(target, reason, ticket.name, QUARANTINE_ADVICE).chmod(0o600)
        self._remove_processed_copy(ticket)
        with self.sessions.begin() as session:
            job = session.get_one(Job, ticket.id)
            job.sha256 = None
            job.payload = {}
            if forget is not None:
                forget(session)
            jobs.finish(session, job, SET_ASIDE, error=reason, worker=ticket.worker)
        self.spool.discard(ticket.sha256)
        scrub_wal(self.sessions)
        alert("set-aside", file=ticket.name, reason=reason, moved_to=str(target))
        return Outcome(ticket.id, SET_ASIDE, reason=reason)

    def _processed_copy(self, ticket: Ticket) -> Path | None:
        where = ticket.provenance.get("processed_path")
        return Path(where) if where else None

    def _best_copy(self, ticket: Ticket) -> Path:
        """The staged bytes (the spool copy; the processed copy if the spool lost it)."""
        if ticket.sha256 is None:
            raise ValueError(f"job {ticket.id} holds no staged file to set aside")
        spooled = self.spool.path(ticket.sha256)
        copy = self._processed_copy(ticket)
        if not spooled.exists() and copy is not None and copy.exists():
            return copy
        return spooled

    def _remove_processed_copy(self, ticket: Ticket) -> None:
        """A secret or failed file must end in one place only: drop the processed/ copy."""
        copy = self._processed_copy(ticket)
        if copy is not None:
            copy.unlink(missing_ok=True)
