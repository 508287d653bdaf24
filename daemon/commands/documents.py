"""`vanthu extract` (read only) and `vanthu ingest` (register now)."""

from __future__ import annotations

import argparse
import getpass
from contextlib import closing
from pathlib import Path
from typing import Any

from daemon.cli import emit, settings_of
from daemon.config import ConfigError, ReadingSettings
from daemon.ocr.model import FIELD_NAMES, UnreadableDocument


def _reading_setup(args: argparse.Namespace) -> tuple[ReadingSettings, Path]:
    """Reading settings and rules from the config; without one, defaults and the shipped rules."""
    from daemon.rules import shipped_rules_dir

    try:
        settings = settings_of(args)
    except ConfigError:
        if args.config:
            raise
        return ReadingSettings(), shipped_rules_dir()
    return settings.reading, settings.rules.dir


def _fields_text(name: str, fields: dict[str, Any]) -> str:
    lines = [name]
    for key in (*FIELD_NAMES, "pages", "text_source"):
        value = fields.get(key)
        if isinstance(value, list):
            value = "; ".join(value) if value else None
        lines.append(f"  {key:<14} {'' if value is None else value}")
    return "\n".join(lines)


def extract(args: argparse.Namespace) -> int:
    from daemon.ocr.fields import extract_fields
    from daemon.ocr.reader import Reader
    from daemon.rules import load_rules

    reading, rules_dir = _reading_setup(args)
    rules = load_rules(rules_dir)
    status = 0
    with closing(Reader(reading)) as reader:
        for path in args.files:
            try:
                document = reader.read(path)
            except (UnreadableDocument, OSError) as exc:
                reason = exc.reason if isinstance(exc, UnreadableDocument) else exc.strerror
                emit(args, {"file": str(path), "error": reason}, f"{path}: cannot read: {reason}")
                status = 1
                continue
            fields = extract_fields(document, rules.doc_types)
            if rules.set_aside_reason(fields) and fields.secrecy:
                fields = fields.redacted()
                out: dict[str, Any] = {
                    "file": str(path),
                    **fields.as_json(),
                    "pages": None,
                    "text_source": None,
                }
            else:
                out = {
                    "file": str(path),
                    **fields.as_json(),
                    "pages": len(document.pages),
                    "text_source": document.text_source,
                }
            emit(args, out, _fields_text(str(path), out))
    return status


def ingest(args: argparse.Namespace) -> int:
    from daemon.commands.staging import stage_and_run
    from daemon.ingest import INCOMING

    # --not-secret: the clerk looked and saw no secrecy mark
    extra = {"not_secret": f"cli:{getpass.getuser()}"} if args.not_secret else {}
    return stage_and_run(args, INCOMING, extra, _report)


def _report(
    args: argparse.Namespace, parts: Any, path: Path, result: Any, outcomes: dict[int, Any]
) -> int:
    from sqlalchemy import select  # the register's stack: `vanthu extract` needs none of it

    from daemon.register.models import Document, Entry

    outcome = outcomes.get(result.job_id) if result.job_id else None
    if outcome is not None and outcome.number is None:
        emit(
            args,
            {"file": str(path), "state": outcome.state, "reason": outcome.reason},
            f"{path}: {outcome.state.replace('_', ' ')}: {outcome.reason}",
        )
        return 1
    with parts.sessions() as session:
        entry = session.scalars(
            select(Entry)
            .join(Document)
            .where(Document.sha256 == result.sha256, Entry.book == "den")
        ).first()
        if entry is None:
            emit(
                args,
                {"file": str(path), "state": "pending"},
                f"{path}: staged, not registered yet (another process is reading it)",
            )
            return 0
        state = "duplicate" if result.duplicate else "registered"
        emit(
            args,
            {
                "file": str(path),
                "state": state,
                "book": entry.book,
                "year": entry.year,
                "seq": entry.seq,
                "status": entry.document.status,
            },
            f"{path}: {'already registered as' if result.duplicate else 'registered:'} "
            f"số đến {entry.seq}/{entry.year} ({entry.document.status})",
        )
    return 0
