"""`vanthu register list | show | export | failures`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from daemon.cli import emit, settings_of


def add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--book",
        choices=["den", "di"],
        default="den",
        help="den: văn bản đến (default), di: văn bản đi",
    )
    p.add_argument("--year", type=int, metavar="Y", help="only this year (show: default this year)")


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[tuple[Session, str]]:
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register

    settings = settings_of(args)
    engine = open_register(settings.database_url())  # an empty one is created, lists empty
    try:
        with session_factory(engine, read_only=True)() as session:
            yield session, settings.register.timezone
    finally:
        engine.dispose()


def _line(row: dict[str, Any]) -> str:
    received = str(row.get("received_at") or "")[:16].replace("T", " ")
    return (
        f"{row['seq']:>5}/{row['year']}  {received}  {row.get('number') or '-':<18} "
        f"{row.get('doc_type') or '-':<12} {(row.get('subject') or '-')[:60]}"
        f"{'  [cần xem lại]' if row.get('status') == 'needs_review' else ''}"
    )


def list_(args: argparse.Namespace) -> int:
    from daemon.register.queries import list_entries

    with _session(args) as (session, _tz):
        rows = list_entries(session, book=args.book, year=args.year, status=args.status)
        for row in rows:
            data = row.as_json()
            emit(args, data, _line(data))
        if not rows and not args.json:
            print("(no entries)")
    return 0


def show(args: argparse.Namespace) -> int:
    from daemon.register.queries import get_entry

    with _session(args) as (session, tz):
        year = args.year or dt.datetime.now(ZoneInfo(tz)).year
        row = get_entry(session, args.book, year, args.seq)
        if row is None:
            print(f"vanthu: no entry {args.seq}/{year} in book {args.book}", file=sys.stderr)
            return 1
        data = row.as_json()
        emit(args, data, _show_text(data, ZoneInfo(tz)))
    return 0


_NESTED = ("confidence", "provenance", "signatures")


def _show_text(data: dict[str, Any], tz: ZoneInfo) -> str:
    """Every field on its own line, then where the document came from and its signatures."""
    lines = [f"{k:<18} {_shown(k, v, data, tz)}" for k, v in data.items() if k not in _NESTED]
    if data.get("provenance"):
        lines.append("provenance")
        lines += [f"  {k:<16} {v}" for k, v in data["provenance"].items()]
    signatures = data.get("signatures") or []
    lines.append(f"{'signatures':<18} {len(signatures) or 'none'}")
    lines += ["  " + _signature_line(sig, tz) for sig in signatures]
    return "\n".join(lines)


_BASIS = {
    "rule": "the default rule",
    "urgency": "by its độ khẩn",
    "document": "written in the document",
}
_MOMENTS = ("due_at", "transferred_at", "closed_at")


def _shown(key: str, value: Any, data: dict[str, Any], tz: ZoneInfo) -> Any:
    """The hạn giải quyết with where it came from; follow-up moments in office time."""
    if key == "due_date" and value and data.get("due_basis"):
        return f"{value} ({_BASIS.get(data['due_basis'], data['due_basis'])})"
    if key in _MOMENTS and value:
        return (
            dt.datetime.fromisoformat(value).astimezone(tz).isoformat(sep=" ", timespec="minutes")
        )
    return value


def _signature_line(sig: dict[str, Any], tz: ZoneInfo) -> str:
    """`[field] verdict: signer (organisation), signed <local time> - problem`."""
    who = sig.get("signer_name") or "unknown signer"
    if sig.get("organisation") and sig["organisation"] != who:
        who += f" ({sig['organisation']})"
    text = f"[{sig['field_name']}] {sig['verdict']}: {who}"
    if sig.get("signing_time"):
        when = dt.datetime.fromisoformat(sig["signing_time"]).astimezone(tz)
        text += f", signed {when.isoformat(sep=' ', timespec='minutes')}"
    return text + (f" - {sig['problem']}" if sig.get("problem") else "")


def export(args: argparse.Namespace) -> int:
    from daemon.register.export import export as write
    from daemon.register.queries import list_entries

    with _session(args) as (session, tz):
        rows = list_entries(session, book=args.book, year=args.year)
        if args.out is None:
            if args.format == "xlsx":
                print("vanthu: --out FILE is required for xlsx", file=sys.stderr)
                return 2
            write(rows, "csv", sys.stdout.buffer, book=args.book, tz=tz)
        else:
            write(rows, args.format, args.out, book=args.book, tz=tz)
            print(f"vanthu: wrote {len(rows)} entries to {args.out}", file=sys.stderr)
    return 0


def failures(args: argparse.Namespace) -> int:
    from daemon.register.queries import failures as list_failures

    with _session(args) as (session, _tz):
        for row in list_failures(session):
            data = row.as_json()
            text = f"{data.get('state', ''):<10} {data.get('name', '')}: {data.get('reason', '')}"
            emit(args, data, text)
    return 0
