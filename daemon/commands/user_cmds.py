"""`vanthu user add | passwd | disable`: the accounts of the clerk's desk.

A password is never a command-line argument (it would sit in the shell history and in `ps`):
it is asked twice at a terminal, or read as the first line of standard input otherwise
(`printf '%s\\n' "$PW" | vanthu user add lan --role clerk`).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from sqlalchemy.orm import Session

from daemon.cli import emit, settings_of


def add_name(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME", help="the account name, e.g. lan.nt")
    p.add_argument(
        "--by", metavar="NAME", help="who does it, for the audit trail (default: your login)"
    )


def read_password(confirm: bool = True) -> str:
    """The new password: from a prompt (asked twice) at a terminal, else stdin's first line."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if confirm and getpass.getpass("Again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def add(args: argparse.Namespace) -> int:
    """Create an account with a role."""
    from daemon.register import users

    def act(session: Session, actor: str) -> str:
        user = users.add_user(session, args.name, args.role, read_password(), actor)
        return f"account {user.name} added ({user.role})"

    return _act(args, act)


def passwd(args: argparse.Namespace) -> int:
    """Set a new password; the account's open sessions end."""
    from daemon.register import users

    def act(session: Session, actor: str) -> str:
        user = users.set_password(session, args.name, read_password(), actor)
        return f"account {user.name}: password changed; its sessions have ended"

    return _act(args, act)


def disable(args: argparse.Namespace) -> int:
    """Disable an account (never deleted: the audit trail names it)."""
    from daemon.register import users

    def act(session: Session, actor: str) -> str:
        user = users.disable_user(session, args.name, actor)
        return f"account {user.name} disabled"

    return _act(args, act)


def _act(args: argparse.Namespace, act: Callable[[Session, str], str]) -> int:
    from daemon.register.db import session_factory
    from daemon.register.migrate import open_register
    from daemon.register.users import AccountError

    settings = settings_of(args)
    actor = args.by or f"cli:{getpass.getuser()}"
    engine = open_register(settings.database_url())
    try:
        with session_factory(engine)() as session, session.begin():
            text = act(session, actor)
    except (AccountError, ValueError) as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    emit(args, {"name": args.name, "actor": actor, "result": text}, text)
    return 0
