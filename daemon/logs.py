"""Structured logs: one event per line on stderr (journald keeps them under systemd).

`log.info("registered", extra={"fields": {...}})` prints `event=registered key=value ...`
(or one JSON object per line with VANTHU_LOG_FORMAT=json). Never put a document's content in a
log line: names, hashes and numbers only.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any


class _Formatter(logging.Formatter):
    def __init__(self, as_json: bool) -> None:
        super().__init__()
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = getattr(record, "fields", {}) or {}
        base = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": _one_line(record.getMessage()),
        }
        if record.exc_info:
            base["error"] = self.formatException(record.exc_info).splitlines()[-1]
        if self.as_json:
            return json.dumps({**base, **fields}, ensure_ascii=False, default=str)
        parts = [f"{base['ts']} {base['level']:<7} {base['event']}"]
        parts += [f"{key}={_quote(value)}" for key, value in fields.items()]
        if "error" in base:
            parts.append(f"error={_quote(base['error'])}")
        return " ".join(parts)


def _one_line(text: str) -> str:
    """A free-text message (a library's, an error's) kept on its line: controls escaped."""
    if all(ch.isprintable() or ch == " " for ch in text):
        return text
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _quote(value: Any) -> str:
    """A value as it is safe to log: quoted (with escapes) unless it is one plain word, so a
    file name with a newline or an `event=...` inside cannot forge a log line."""
    text = str(value)
    plain = text and all(ch.isprintable() and not ch.isspace() and ch not in '"=\\' for ch in text)
    return text if plain else json.dumps(text, ensure_ascii=False)


def setup(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(os.environ.get("VANTHU_LOG_FORMAT") == "json"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("VANTHU_LOG_LEVEL", level).upper())
    for noisy in ("watchdog", "apscheduler", "imapclient", "pyhanko", "pdfminer", "PIL", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def event(logger: logging.Logger, name: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one structured event."""
    logger.log(level, name, extra={"fields": fields})
