"""Alerts for the clerk. For now a WARNING log line (journald); email comes with dispatch.

An alert names the file and the reason only, never the document's content.
"""

from __future__ import annotations

import logging

from daemon.logs import event

log = logging.getLogger("vanthu.alert")


def alert(kind: str, **fields: object) -> None:
    event(log, f"alert:{kind}", logging.WARNING, **fields)
