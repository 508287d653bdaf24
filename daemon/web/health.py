"""`/healthz` (for monitoring) and `/metrics` (Prometheus text format): counts and states only,
never anything a document says, so they need no session."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from daemon.dispatch import OUTGOING
from daemon.ingest import FULLTEXT, INCOMING
from daemon.register.models import Job
from daemon.web import data

if TYPE_CHECKING:
    from daemon.web.app import Desk

STARTED = time.time()

#: Jobs ended with a timed analysis, their seconds in all, and how many took at most each bound.
Readings = tuple[int, float, list[int]]

#: The job kinds whose analysis reads a document (text layer or OCR): a document received, a
#: registered scan's body read later for search, a signed document issued.
READING_KINDS = (INCOMING, FULLTEXT, OUTGOING)
#: Upper bounds of the reading-time histogram, in seconds (a text layer takes milliseconds,
#: a scanned page a few seconds, a long scan's body minutes).
OCR_BUCKETS = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


async def healthz(desk: Desk, request: Request) -> Response:
    def load() -> dict[str, object]:
        with desk.reading() as session:  # no write lock: a scrape never waits for ingestion
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
    counts, reading = await run_in_threadpool(_figures, desk)
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
        *_ocr_seconds(reading),
    ]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")


def _figures(desk: Desk) -> tuple[dict[str, object], dict[str, Readings]]:
    with desk.reading() as session:  # one read transaction: one moment, no write lock
        return data.counts(session), reading_times(session)


def reading_times(session: Session) -> dict[str, Readings]:
    """The Readings of each reading kind (bounds: OCR_BUCKETS), from the register, so every
    process adds to the same figures and a restart loses none."""
    seconds = Job.analysis_seconds
    query = (
        select(
            Job.kind,
            func.count(seconds),
            func.coalesce(func.sum(seconds), 0.0),
            *[func.sum(case((seconds <= bound, 1), else_=0)) for bound in OCR_BUCKETS],
        )
        .where(Job.kind.in_(READING_KINDS), seconds.is_not(None))
        .group_by(Job.kind)
    )
    found = {kind: (0, 0.0, [0] * len(OCR_BUCKETS)) for kind in READING_KINDS}
    for kind, count, total, *buckets in session.execute(query):
        found[kind] = (int(count), float(total), [int(b or 0) for b in buckets])
    return found


def _ocr_seconds(reading: dict[str, Readings]) -> list[str]:
    """A Prometheus histogram of the seconds each document took to read, by job kind, and the
    same seconds as a counter (rate() of it: how busy reading keeps the machine)."""
    lines = [
        "# HELP vanthu_ocr_seconds_total Seconds spent reading documents (text layer or OCR).",
        "# TYPE vanthu_ocr_seconds_total counter",
        *[
            f'vanthu_ocr_seconds_total{{kind="{k}"}} {total:.3f}'
            for k, (_n, total, _b) in sorted(reading.items())
        ],
        "# HELP vanthu_ocr_seconds Seconds each document took to read (text layer or OCR).",
        "# TYPE vanthu_ocr_seconds histogram",
    ]
    for kind, (count, total, buckets) in sorted(reading.items()):
        for bound, below in zip(OCR_BUCKETS, buckets, strict=True):
            lines.append(f'vanthu_ocr_seconds_bucket{{kind="{kind}",le="{bound:g}"}} {below}')
        lines.append(f'vanthu_ocr_seconds_bucket{{kind="{kind}",le="+Inf"}} {count}')
        lines.append(f'vanthu_ocr_seconds_sum{{kind="{kind}"}} {total:.3f}')
        lines.append(f'vanthu_ocr_seconds_count{{kind="{kind}"}} {count}')
    return lines


def _series(name: str, label: str, values: object) -> list[str]:
    assert isinstance(values, dict)
    return [f'{name}{{{label}="{key}"}} {value}' for key, value in sorted(values.items())]
