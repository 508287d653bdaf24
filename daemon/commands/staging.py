"""What `vanthu ingest` and `vanthu send` share: stage the files given, run every job that is
ready (theirs and whatever else waits), then report each file."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from daemon.cli import emit, settings_of

#: (args, parts, path, staged result, outcomes by job id) -> exit status for that file
Report = Callable[[argparse.Namespace, Any, Path, Any, dict[int, Any]], int]


def stage_and_run(
    args: argparse.Namespace, kind: str, provenance: dict[str, Any], report: Report
) -> int:
    """Stage every `args.files` as a job of `kind`, process what is ready, report each."""
    from daemon.service import Service
    from daemon.work.parts import Parts
    from daemon.work.spool import TooLarge

    parts = Parts.build(settings_of(args))
    service = Service(parts)
    status = 0
    try:
        staged: list[tuple[Path, Any]] = []
        for path in args.files:
            where = {"path": str(path.resolve()), **provenance}
            try:
                result = parts.stager.stage_file(path, kind=kind, source="cli", provenance=where)
            except (OSError, TooLarge) as exc:
                reason = exc.strerror if isinstance(exc, OSError) else str(exc)
                emit(args, {"file": str(path), "error": reason}, f"{path}: cannot read: {reason}")
                status = 1
                continue
            staged.append((path, result))
        outcomes = {o.job_id: o for o in service.loop.drain()}
        for path, result in staged:
            status |= report(args, parts, path, result, outcomes)
    finally:
        service.close()
    return status
