"""`vanthu db upgrade` and `vanthu db status`: the register's schema revision."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from daemon.cli import emit, settings_of

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _engine(args: argparse.Namespace) -> Engine:
    from daemon.register.db import make_engine

    return make_engine(settings_of(args).database_url())


def status(args: argparse.Namespace) -> int:
    """Exit 0 when the database is at the latest revision, 1 when it needs `vanthu db upgrade`."""
    from daemon.register import migrate

    engine = _engine(args)
    try:
        found = migrate.state(engine)
    finally:
        engine.dispose()
    behind = not found.up_to_date
    advice = " (run `vanthu db upgrade`)" if behind and not found.empty else ""
    emit(
        args,
        {
            "current": found.current,
            "latest": found.head,
            "up_to_date": found.up_to_date,
            "empty": found.empty,
            "release_0_1_0": found.legacy,
        },
        f"register database: {found.describe()}{advice}",
    )
    return 1 if behind else 0


def upgrade(args: argparse.Namespace) -> int:
    """Upgrade to the latest revision. A SQLite register is copied aside first; for
    PostgreSQL the advice is to pg_dump it first (the upgrade is one transaction either way)."""
    from daemon.register import migrate

    engine = _engine(args)
    try:
        found = migrate.state(engine)
        backup = None
        if not found.empty and not found.up_to_date and found.known:
            backup = migrate.sqlite_backup(engine, found.current or "0.1.0")
        before, after = migrate.upgrade(engine)
    finally:
        engine.dispose()
    changed = before.current != after.current
    text = (
        f"register database upgraded: {before.describe()} -> revision {after.current}"
        if changed
        else f"register database already at {after.describe()}"
    )
    if backup is not None:
        text += f"\n  the database as it was: {backup}"
    emit(
        args,
        {"from": before.current, "to": after.current, "changed": changed, "backup": backup},
        text,
    )
    return 0
