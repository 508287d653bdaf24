"""`vanthu calendar add | show`: the office's working calendar, to answer "by when?"."""

from __future__ import annotations

import argparse
import datetime as dt

from daemon.cli import emit, settings_of

_WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def iso_date(text: str) -> dt.date:
    """argparse type: a date written YYYY-MM-DD (or DD/MM/YYYY, as Vietnamese offices do)."""
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"
        ) from exc


def working_days(text: str) -> int:
    """argparse type: a count of working days, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days >= 0")
    return int(text)


def add(args: argparse.Namespace) -> int:
    """Print the date N working days after DATE (DATE itself not counted)."""
    from daemon.rules import load_rules

    calendar = load_rules(settings_of(args).rules.dir).calendar
    due = calendar.add_working_days(args.date, args.days)
    emit(
        args,
        {"from": args.date.isoformat(), "working_days": args.days, "date": due.isoformat()},
        due.isoformat(),
    )
    return 0


def show(args: argparse.Namespace) -> int:
    """List the days off of YEAR with their names, then the weekend days worked."""
    from daemon.rules import load_rules

    calendar = load_rules(settings_of(args).rules.dir).calendar
    for day, name in calendar.days_off(args.year):
        emit(
            args,
            {"date": day.isoformat(), "name": name, "working": False},
            f"{day.isoformat()}  {_WEEKDAYS[day.weekday()]:<9} {name}",
        )
    for day in calendar.weekend_working_days(args.year):
        emit(
            args,
            {"date": day.isoformat(), "name": "Ngày làm bù", "working": True},
            f"{day.isoformat()}  {_WEEKDAYS[day.weekday()]:<9} Ngày làm bù (a working day)",
        )
    return 0
