"""`/healthz` (for monitoring) and `/metrics` (Prometheus text format): counts and states only,
never anything a document says, so they need no session."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from daemon.web import data

if TYPE_CHECKING:
    from daemon.web.app import Desk

STARTED = time.time()


async def healthz(desk: Desk, request: Request) -> Response:
    def load() -> dict[str, object]:
        with desk.sessions() as session:
            return data.counts(session)

    try:
        counts = await run_in_threadpool(load)
    except Exception as exc:  # noqa: BLE001 - the database is away: say so, with 503
        body = {"status": "error", "database": f"unreachable ({type(exc).__name__})"}
        return JSONResponse(body, status_code=503)
    sources = {
        "scanner": desk.settings.scanner.enabled,
        "outbox": desk.settings.dispatch.enabled,
        "mailbox": desk.settings.mailbox is not None,
    }
    return JSONResponse(
        {
            "status": "ok",
            "database": "ok",
            "sources": sources,
            "queue": counts["jobs_waiting"],
            "uptime_seconds": round(time.time() - STARTED),
        }
    )


async def metrics(desk: Desk, request: Request) -> Response:
    counts = await run_in_threadpool(_counts, desk)
    lines = [
        "# HELP vanthu_documents Documents in the register by status.",
        "# TYPE vanthu_documents gauge",
        *_series("vanthu_documents", "status", counts["documents"]),
        "# HELP vanthu_jobs Jobs of the work queue by state.",
        "# TYPE vanthu_jobs gauge",
        *_series("vanthu_jobs", "state", counts["jobs"]),
        "# HELP vanthu_jobs_waiting Jobs pending or running.",
        "# TYPE vanthu_jobs_waiting gauge",
        f"vanthu_jobs_waiting {counts['jobs_waiting']}",
        "# HELP vanthu_deliveries Outgoing deliveries by state.",
        "# TYPE vanthu_deliveries gauge",
        *_series("vanthu_deliveries", "status", counts["deliveries"]),
    ]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")


def _counts(desk: Desk) -> dict[str, object]:
    with desk.sessions() as session:
        return data.counts(session)


def _series(name: str, label: str, values: object) -> list[str]:
    assert isinstance(values, dict)
    return [f'{name}{{{label}="{key}"}} {value}' for key, value in sorted(values.items())]
