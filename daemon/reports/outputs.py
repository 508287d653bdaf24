"""The files the reports make and where they go: by default under the install's exports/
folder, named by what they hold, so that making one again replaces it.

    exports/bao-cao-2026-03.xlsx, .png   a month's report (2026-Q1 a quarter, 2026 a year)
    exports/so-den-2026.pdf              the printed register (so-di-2026.pdf: sổ đi)
    exports/so-dang-ky-2026-W10.xlsx     the weekly export (daemon.reports.weekly)

These are the entry points the scheduler calls; the commands call them too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from daemon.ocr.model import Fields
from daemon.register.export import write_atomically
from daemon.register.queries import list_entries
from daemon.reports.chart import report_chart
from daemon.reports.counts import Report, count
from daemon.reports.period import Kind, Period, period_of
from daemon.reports.printed import Printed, register_pdf
from daemon.reports.rows import report_items
from daemon.reports.workbook import report_workbook


@dataclass(frozen=True)
class ReportFiles:
    report: Report
    workbook: Path
    chart: Path


def report_file(folder: Path, period: Period) -> Path:
    return folder / f"bao-cao-{period.slug}.xlsx"


def register_file(folder: Path, book: str, year: int) -> Path:
    return folder / f"so-{book}-{year}.pdf"


def write_report(
    session: Session,
    kind: Kind,
    day: dt.date,
    *,
    tz: str,
    now: dt.datetime,
    folder: Path,
    out: Path | None = None,
    agency: str | None = None,
) -> ReportFiles:
    """The report of the period holding `day`, counted as of `now` (or the period's end): the
    workbook at `out` (default under `folder`) and the chart beside it, same name, .png."""
    period = period_of(kind, day)
    start, end = period.bounds(tz)
    report = count(report_items(session, start, end), period, now=now, tz=tz)
    workbook = out or report_file(folder, period)
    chart = workbook.with_suffix(".png")
    workbook.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(workbook, report_workbook(report, agency=agency))
    write_atomically(chart, report_chart(report, agency=agency))
    return ReportFiles(report, workbook, chart)


def write_register_print(
    session: Session,
    book: str,
    year: int,
    *,
    tz: str,
    folder: Path,
    out: Path | None = None,
    agency: str | None = None,
    forbidden: Callable[[Fields], str | None] | None = None,
) -> tuple[Printed, Path]:
    """The printed register of `book` for `year`, at `out` (default under `folder`)."""
    rows = list_entries(session, book=book, year=year)
    printed = register_pdf(rows, book=book, year=year, tz=tz, agency=agency, forbidden=forbidden)
    path = out or register_file(folder, book, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, printed.pdf)
    return printed, path
