"""`vanthu report` (a period's counts as a workbook and a chart) and `vanthu register print`
(the year's register as a PDF to print, sign and close)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from daemon.cli import emit, settings_of
from daemon.config import Settings


def iso_date(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def agency_of(args: argparse.Namespace, settings: Settings) -> str | None:
    """--agency, else the sender name of [smtp] without a leading "Văn thư" (the clerk's
    office of the agency), else None: the printed book leaves a line to write it in."""
    if args.agency:
        return str(args.agency).strip() or None
    name = (settings.smtp.from_name if settings.smtp else "").strip()
    if name.casefold().startswith("văn thư "):
        name = name[len("văn thư ") :].strip()
    return name or None


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register

    engine = open_register(settings.database_url())
    try:
        with session_factory(engine, read_only=True)() as session:
            yield session
    finally:
        engine.dispose()


def report(args: argparse.Namespace) -> int:
    from daemon.register import clock
    from daemon.reports.counts import Outcome
    from daemon.reports.outputs import write_report

    settings = settings_of(args)
    tz = settings.register.timezone
    now = clock.now()
    day = args.date or now.astimezone(ZoneInfo(tz)).date()
    with _session(settings) as session:
        files = write_report(
            session,
            args.period,
            day,
            tz=tz,
            now=now,
            folder=settings.paths.exports,
            out=args.out,
            agency=agency_of(args, settings),
        )
    r, t = files.report, files.report.total
    emit(
        args,
        {
            "period": r.period.slug,
            "as_of": r.as_of.isoformat(),
            "received": t.received,
            "sent": t.sent,
            **{result.value: t[result] for result in Outcome},
            "workbook": str(files.workbook),
            "chart": str(files.chart),
        },
        f"{r.period.label}: đến {t.received}, đi {t.sent}, đã giải quyết {t.handled} "
        f"({t[Outcome.ON_TIME]} đúng hạn, {t[Outcome.LATE]} quá hạn), đang giải quyết {t.open} "
        f"({t[Outcome.OPEN_OVERDUE]} quá hạn)\nwrote {files.workbook}\nwrote {files.chart}",
    )
    return 0


def print_(args: argparse.Namespace) -> int:
    from daemon.register import clock
    from daemon.reports.fonts import FontMissing
    from daemon.reports.outputs import write_register_print
    from daemon.reports.printed import NotForTheRegister
    from daemon.rules import load_rules

    settings = settings_of(args)
    tz = settings.register.timezone
    year = args.year or clock.now().astimezone(ZoneInfo(tz)).year
    rules = load_rules(settings.rules.dir)
    try:
        with _session(settings) as session:
            printed, path = write_register_print(
                session,
                args.book,
                year,
                tz=tz,
                folder=settings.paths.exports,
                out=args.out,
                agency=agency_of(args, settings),
                forbidden=rules.set_aside_reason,
            )
    except (NotForTheRegister, FontMissing) as exc:
        print(f"vanthu: register print: {exc}", file=sys.stderr)
        return 1
    emit(
        args,
        {
            "book": args.book,
            "year": year,
            "entries": printed.entries,
            "first": printed.first,
            "last": printed.last,
            "pages": printed.pages,
            "file": str(path),
        },
        f"wrote {path}: {printed.entries} entries, {printed.pages} pages",
    )
    return 0
