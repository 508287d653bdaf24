"""`vanthu register correct | confirm | handled | requeue`: the clerk's corrections from the
command line (the web desk calls the same operations)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from daemon.cli import emit, settings_of
from daemon.config import Settings

#: command-line option -> field name (the options a clerk types, in the register's order)
CORRECT_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--number", "number", 'số và ký hiệu, e.g. "68/QĐ-UBND"'),
    ("--date", "date", "ngày tháng văn bản, YYYY-MM-DD or DD/MM/YYYY"),
    ("--place", "place", "địa danh"),
    ("--doc-type", "doc_type", 'tên loại, e.g. "Công văn"'),
    ("--subject", "subject", "trích yếu nội dung"),
    ("--issuer", "issuer", "cơ quan ban hành"),
    ("--parent-issuer", "parent_issuer", "cơ quan chủ quản"),
    ("--urgency", "urgency", 'độ khẩn: "Khẩn", "Thượng khẩn", "Hỏa tốc" or "" for none'),
    ("--signer", "signer", "người ký"),
)
LIST_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--recipient", "recipients", "a nơi nhận line (repeat; replaces the list)"),
    ("--addressee", "addressees", "a kính gửi line (repeat; replaces the list)"),
)


def add_entry_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("seq", type=int, metavar="N", help="the số đến (or số đi with --book di)")
    p.add_argument("--year", type=int, metavar="Y", help="the year of the number (default: this)")
    p.add_argument(
        "--book", choices=["den", "di"], default="den", help="den: sổ đến (default), di: sổ đi"
    )
    add_by(p)


def add_by(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--by", metavar="NAME", help="who does it, for the audit trail (default: your login)"
    )


def add_correct_options(p: argparse.ArgumentParser) -> None:
    for option, name, help_ in CORRECT_OPTIONS:
        p.add_argument(option, dest=f"field_{name}", metavar="TEXT", help=help_)
    for option, name, help_ in LIST_OPTIONS:
        p.add_argument(option, dest=f"field_{name}", action="append", metavar="TEXT", help=help_)


def actor_of(args: argparse.Namespace) -> str:
    return str(args.by or f"cli:{getpass.getuser()}")


def correct(args: argparse.Namespace) -> int:
    """Correct fields of an entry's document; each change is audited with old and new."""
    from daemon.register import corrections

    changes = {
        name: getattr(args, f"field_{name}")
        for _option, name, _help in (*CORRECT_OPTIONS, *LIST_OPTIONS)
        if getattr(args, f"field_{name}") is not None
    }
    if not changes:
        print("vanthu: nothing to correct: give at least one field option", file=sys.stderr)
        return 2
    settings = settings_of(args)
    year = _year(args, settings)
    actor = actor_of(args)
    try:
        with _transaction(settings) as session:
            changed = corrections.correct(session, args.book, year, args.seq, changes, actor)
    except corrections.CorrectionError as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 1
    label = f"{args.book}/{year}/{args.seq}"
    data = {
        "entry": label,
        "actor": actor,
        "changed": {k: {"old": _plain(o), "new": _plain(n)} for k, (o, n) in changed.items()},
    }
    lines = [f"{label}: {k}: {_plain(o)!r} -> {_plain(n)!r}" for k, (o, n) in changed.items()]
    emit(args, data, "\n".join(lines) or f"{label}: nothing changed (same values)")
    return 0


def confirm(args: argparse.Namespace) -> int:
    """needs_review -> registered."""
    from daemon.register import corrections

    settings = settings_of(args)
    year = _year(args, settings)
    actor = actor_of(args)
    try:
        with _transaction(settings) as session:
            corrections.confirm(session, args.book, year, args.seq, actor)
    except corrections.CorrectionError as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 1
    label = f"{args.book}/{year}/{args.seq}"
    emit(args, {"entry": label, "status": "registered", "actor": actor}, f"{label}: confirmed")
    return 0


def handled(args: argparse.Namespace) -> int:
    """A failed file was dealt with outside vanthu: it leaves the list of open failures."""
    from daemon.register import corrections

    settings = settings_of(args)
    actor = actor_of(args)
    try:
        with _transaction(settings) as session:
            job = corrections.mark_handled(session, args.job, args.note, actor)
            name = job.original_name
    except corrections.CorrectionError as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 1
    emit(args, {"job": args.job, "name": name, "actor": actor}, f"job {args.job} ({name}): handled")
    return 0


def requeue(args: argparse.Namespace) -> int:
    """Stage a failed file again, after its cause was fixed."""
    from daemon.register import corrections

    settings = settings_of(args)
    try:
        new_job, name = requeue_failed(settings, args.job, actor_of(args))
    except corrections.CorrectionError as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 1
    text = (
        f"job {args.job} ({name}): re-queued as job {new_job}"
        if new_job
        else f"job {args.job} ({name}): the same bytes are already waiting or registered"
    )
    emit(args, {"job": args.job, "name": name, "new_job": new_job}, text)
    return 0


def requeue_failed(
    settings: Settings,
    job_id: int,
    actor: str,
    sessions: sessionmaker[Session] | None = None,
) -> tuple[int | None, str]:
    """Stage the failed/ copy of job `job_id` as a new job of the same kind and source, close
    the failure, then take the copy and its note out of failed/. Returns (new job id or None
    for bytes already waiting or done, the file name)."""
    from daemon.register.corrections import failed_job, record_requeued
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register
    from daemon.work.spool import Spool
    from daemon.work.stage import Stager

    engine = None
    if sessions is None:
        engine = open_register(settings.database_url())
        sessions = session_factory(engine)
    try:
        with sessions.begin() as session:
            job = failed_job(session, job_id)
            kind, source, name = job.kind, job.source, job.original_name
            provenance = dict((job.payload or {}).get("provenance") or {})
            copy = failed_copy(settings.paths.failed, name, job.sha256)
        provenance["requeued_from_job"] = job_id
        stager = Stager(
            Spool(settings.paths.spool), sessions, int(settings.reading.max_file_mb * 1_000_000)
        )
        staged = stager.stage_file(copy, kind=kind, source=source, provenance=provenance)
        with sessions.begin() as session:
            record_requeued(session, job_id, staged.job_id, actor)
        copy.unlink(missing_ok=True)  # its bytes are in the spool now, then in the archive
        copy.with_name(copy.name + ".error.txt").unlink(missing_ok=True)
        return staged.job_id, name
    finally:
        if engine is not None:
            engine.dispose()


def failed_copy(folder: Path, name: str, sha256: str | None) -> Path:
    """The file in failed/ that holds these bytes: its own name or a numbered variant
    ("name (2).pdf"). Found by content, never by a path someone typed."""
    from daemon.archive import file_sha256
    from daemon.register.corrections import CorrectionError
    from daemon.work.setaside import safe_name

    base = Path(safe_name(name))
    candidates = [folder / base.name] + [
        folder / f"{base.stem} ({n}){base.suffix}" for n in range(2, 1000)
    ]
    for path in candidates:
        if not os.path.lexists(path):
            continue
        if sha256 and path.is_file() and not path.is_symlink() and file_sha256(path) == sha256:
            return path
    raise CorrectionError(f"{name}: its copy is no longer in {folder}")


@contextmanager
def _transaction(settings: Settings) -> Iterator[Session]:
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register

    engine = open_register(settings.database_url())
    try:
        with session_factory(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def _year(args: argparse.Namespace, settings: Settings) -> int:
    return int(args.year or dt.datetime.now(ZoneInfo(settings.register.timezone)).year)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
