"""`vanthu register assign | close`: to whom an incoming document went, and that it is handled."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from daemon.cli import emit, settings_of


def add_follow_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("seq", type=int, metavar="N", help="the số đến")
    p.add_argument("--year", type=int, metavar="Y", help="the year of the số đến (default: this)")
    p.add_argument(
        "--by", metavar="NAME", help="who does it, for the audit trail (default: your login)"
    )


def assign(args: argparse.Namespace) -> int:
    """Fill đơn vị hoặc người nhận and ngày chuyển (now); a second assign passes it on."""
    from daemon.register import follow

    def act(session: Session, entry: Any, actor: str) -> dict[str, Any]:
        follow.assign(session, entry, unit=args.unit, person=args.person, actor=actor)
        return {
            "recipient_unit": entry.recipient_unit,
            "assignee": entry.assignee,
            "transferred_at": entry.transferred_at,
        }

    return _act(args, act, "assigned to {recipient_unit}{person}, ngày chuyển {transferred_at}")


def close(args: argparse.Namespace) -> int:
    """Mark the entry handled, with an optional note of how."""
    from daemon.register import follow

    def act(session: Session, entry: Any, actor: str) -> dict[str, Any]:
        follow.close(session, entry, note=args.note, actor=actor)
        return {"closed_at": entry.closed_at, "closing_note": entry.closing_note}

    return _act(args, act, "closed {closed_at}{note}")


def _act(
    args: argparse.Namespace,
    act: Callable[[Session, Any, str], dict[str, Any]],
    template: str,
) -> int:
    from daemon.register import follow
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register
    from daemon.register.registry import entry_label

    settings = settings_of(args)
    tz = ZoneInfo(settings.register.timezone)
    year = args.year or dt.datetime.now(tz).year
    actor = args.by or f"cli:{getpass.getuser()}"
    engine = open_register(settings.database_url())
    try:
        with session_factory(engine)() as session, session.begin():
            entry = follow.find_entry(session, year, args.seq)
            data = {"entry": entry_label(entry), **act(session, entry, actor), "actor": actor}
    except follow.FollowUpError as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    shown = {k: _local(v, tz) for k, v in data.items()}
    text = f"{data['entry']}: " + template.format(
        **shown,
        person=f" ({data['assignee']})" if data.get("assignee") else "",
        note=f": {data['closing_note']}" if data.get("closing_note") else "",
    )
    emit(
        args, {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in data.items()}, text
    )
    return 0


def _local(value: Any, tz: ZoneInfo) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).isoformat(sep=" ", timespec="minutes")
    return value
