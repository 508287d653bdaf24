"""`vanthu send` (issue a signed document now) and `vanthu dispatch list | show | retry |
resolve`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from daemon.cli import emit, settings_of


def send(args: argparse.Namespace) -> int:
    """Stage each FILE as an outgoing document, then issue it and send it now."""
    from daemon.commands.staging import stage_and_run
    from daemon.dispatch import OUTGOING

    wanted = {"to": args.to, "only": args.only, "urgent": args.urgent}
    return stage_and_run(args, OUTGOING, wanted, _report)


def _report(args: argparse.Namespace, parts: Any, path: Path, result: Any, outcomes: Any) -> int:
    from daemon.register.queries import list_entries

    outcome = outcomes.get(result.job_id) if result.job_id else None
    if outcome is None or outcome.number is None:
        state = "duplicate" if result.duplicate else outcome.state if outcome else "pending"
        reason = outcome.reason if outcome else "the same file was staged before"
        emit(
            args,
            {"file": str(path), "state": state, "reason": reason},
            f"{path}: {state}: {reason}",
        )
        return 1
    book, year, seq = outcome.number
    with parts.sessions() as session:
        [row] = [r for r in list_entries(session, book=book, year=year) if r.seq == seq]
    data = {"file": str(path), "state": "registered", **row.as_json()}
    lines = [f"{path}: sổ đi {seq}/{year} {row.fields.number} ({row.status})"]
    lines += [f"  {d.status:<10} {d.recipient} <{d.email or '-'}>" for d in row.deliveries]
    emit(args, data, "\n".join(lines))
    return 0


def _sessions(args: argparse.Namespace, read_only: bool = True) -> Any:
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register

    engine = open_register(settings_of(args).database_url())
    return engine, session_factory(engine, read_only=read_only)


def _line(row: dict[str, Any]) -> str:
    return (
        f"{row['id']:>5}  {row['status']:<10} {row.get('number') or '-':<16} "
        f"{row['recipient'][:40]:<40} {row.get('email') or '-'}"
    )


def list_(args: argparse.Namespace) -> int:
    from daemon.register.queries import list_deliveries

    engine, sessions = _sessions(args)
    try:
        with sessions() as session:
            rows = list_deliveries(session, status=args.status)
    finally:
        engine.dispose()
    for row in rows:
        data = row.as_json()
        emit(args, data, _line(data))
    if not rows and not args.json:
        print("(no deliveries)")
    return 0


def show(args: argparse.Namespace) -> int:
    from daemon.register.queries import list_deliveries

    engine, sessions = _sessions(args)
    try:
        with sessions() as session:
            rows = list_deliveries(session, delivery_id=args.id)
    finally:
        engine.dispose()
    if not rows:
        print(f"vanthu: no delivery {args.id}", file=sys.stderr)
        return 1
    data = rows[0].as_json()
    emit(args, data, "\n".join(f"{k:<16} {'' if v is None else v}" for k, v in data.items()))
    return 0


def retry(args: argparse.Namespace) -> int:
    """Send one delivery again now, with its own Message-ID (the service sends it)."""
    from daemon.dispatch.deliveries import resend

    engine, sessions = _sessions(args, read_only=False)
    try:
        with sessions.begin() as session:
            delivery = resend(session, args.id, actor=f"cli:{getpass.getuser()}")
            data = {"id": delivery.id, "status": delivery.status, "message_id": delivery.message_id}
    except (LookupError, ValueError) as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    emit(
        args, data, f"delivery {args.id} queued again ({data['message_id']}); the service sends it"
    )
    return 0


def add_resolve(p: argparse.ArgumentParser) -> None:
    from daemon.commands.desk_cmds import add_by

    p.add_argument("id", type=int, metavar="ID")
    answer = p.add_mutually_exclusive_group(required=True)
    answer.add_argument(
        "--arrived", action="store_true", help="the recipient has it: mark the delivery sent"
    )
    answer.add_argument(
        "--not-arrived",
        dest="arrived",
        action="store_false",
        help="the recipient does not have it: send it again now (same Message-ID)",
    )
    p.add_argument("--note", help="what the recipient said, for the audit trail")
    add_by(p)


def resolve(args: argparse.Namespace) -> int:
    """Settle an uncertain delivery as the recipient said: arrived (sent) or not (sent again)."""
    from daemon.commands.desk_cmds import actor_of
    from daemon.dispatch.deliveries import resolve as resolve_delivery

    actor = actor_of(args)
    engine, sessions = _sessions(args, read_only=False)
    try:
        with sessions.begin() as session:
            delivery = resolve_delivery(session, args.id, args.arrived, args.note, actor)
            data = {
                "id": delivery.id,
                "status": delivery.status,
                "arrived": args.arrived,
                "message_id": delivery.message_id,
                "actor": actor,
            }
    except (LookupError, ValueError) as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if args.arrived:
        text = f"delivery {args.id}: arrived, marked sent"
    else:
        text = f"delivery {args.id}: not arrived, queued again ({data['message_id']})"
    emit(args, data, text)
    return 0
