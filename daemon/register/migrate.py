"""Versioned schema upgrades (Alembic, the SQLAlchemy project's migration tool).

The register's schema has a history, one revision per change (`migrations/versions/`, named
`NNNN_what.py` with revision id `NNNN`); the database records which revision it is at.
`vanthu db upgrade` brings it to the latest, in one transaction (on PostgreSQL under an
advisory lock, so two hosts never upgrade at once). A database made by release 0.1.0, before
there were revisions, is recognised by its tables and stamped as the first revision before
upgrading. `vanthu run` refuses a database that is behind the code, and `vanthu init` (or the
first start on an empty database) creates it at the latest revision.

Only upgrading loads Alembic: checking where a database stands is one query, so the service
and every command start without it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from daemon.errors import PermanentError
from daemon.register import audit, guards
from daemon.register.db import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the schema of release 0.1.0
_LEGACY_TABLE = "register_entries"  # present in every database release 0.1.0 made
_LOCK = 0x76616E746875  # pg_advisory_xact_lock key ("vanthu"): one upgrader at a time


class SchemaError(PermanentError):
    """The database's schema does not match this version of vanthu; the reason says what to do."""


def revisions() -> list[str]:
    """The revisions this vanthu ships, oldest first (from the file names)."""
    return sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def head_revision() -> str:
    return revisions()[-1]


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # None: no revision recorded
    head: str  # the latest revision this vanthu knows
    empty: bool  # no register tables at all
    legacy: bool  # made by release 0.1.0, before revisions

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def known(self) -> bool:
        """False when a newer vanthu upgraded the database past what this one knows."""
        return self.current is None or self.current in revisions()

    def describe(self) -> str:
        if self.empty:
            return f"empty (latest revision {self.head})"
        if self.legacy:
            return f"release 0.1.0, before versioned upgrades (latest revision {self.head})"
        if self.up_to_date:
            return f"revision {self.current} (the latest)"
        return f"revision {self.current}, latest {self.head}"


def _state(conn: Connection) -> SchemaState:
    tables = set(inspect(conn).get_table_names())
    current = None
    if "alembic_version" in tables:
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return SchemaState(
        current=current,
        head=head_revision(),
        empty=not (tables - {"alembic_version"}),
        legacy=current is None and _LEGACY_TABLE in tables,
    )


def state(engine: Engine) -> SchemaState:
    with engine.connect() as conn:
        return _state(conn)


def _locked(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})


def _too_new(found: SchemaState) -> str:
    return (
        f"the register database is at revision {found.current}, which this vanthu does not "
        f"know (its latest is {found.head}): it was upgraded by a newer vanthu; install that"
    )


def upgrade(engine: Engine) -> tuple[SchemaState, SchemaState]:
    """Bring the database to the latest revision (creating it when empty); the states
    before and after. Idempotent."""
    from alembic import command

    with engine.begin() as conn:
        _locked(conn)
        before = _state(conn)
        if not before.known:
            raise SchemaError(_too_new(before))
        if before.legacy:
            command.stamp(_alembic(conn), BASELINE)
        command.upgrade(_alembic(conn), "head")
        guards.install(conn)
        after = _state(conn)
        if not before.empty and after.current != before.current:
            _record(conn, before, after)
    return before, after


def _alembic(conn: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn  # env.py runs in this connection's transaction
    return config


def _record(conn: Connection, before: SchemaState, after: SchemaState) -> None:
    """The upgrade is part of the register's history: one audit event, in its transaction."""
    with Session(bind=conn) as session:
        audit.append(
            session,
            "schema_upgraded",
            "register/schema",
            {"from": before.current or ("0.1.0" if before.legacy else None), "to": after.current},
        )
        session.commit()  # joins the upgrade's transaction: committed with it, or not at all


def ensure_current(engine: Engine) -> SchemaState:
    """For the service and the commands: the schema must be the latest. An empty database
    is created at it; one that is behind (or ahead) is refused with what to do."""
    with engine.begin() as conn:
        _locked(conn)
        found = _state(conn)
        if not found.empty:
            if not found.known:
                raise SchemaError(_too_new(found))
            if not found.up_to_date:
                raise SchemaError(
                    f"the register database is at {found.describe()}: run `vanthu db upgrade` "
                    "(it copies a SQLite register aside first; pg_dump a PostgreSQL one)"
                )
            guards.install(conn)  # put back a guard someone dropped, before writing again
            return found
    return upgrade(engine)[1]


def open_register(url: str) -> Engine:
    """An engine for the register at `url`, its schema at this vanthu's latest revision
    (created when the database is empty; raises SchemaError when it is behind)."""
    engine = make_engine(url)
    try:
        ensure_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def sqlite_backup(engine: Engine, label: str) -> Path | None:
    """A consistent copy of a SQLite register beside it (`vanthu.db.before-LABEL-TIME`), made
    with SQLite's backup API while the service may be reading; None for PostgreSQL."""
    url = make_url(str(engine.url))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    source = Path(url.database)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.name}.before-{label}-{stamp}")
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target
