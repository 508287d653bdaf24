"""Engines, sessions and schema for the register: SQLite (embedded default) or PostgreSQL.

SQLite: WAL so readers never wait for the writer, `synchronous=FULL` because a register entry
must survive a power cut once committed, and every transaction begins with `BEGIN IMMEDIATE`
so concurrent writers queue on the busy timeout instead of failing with "database is locked"
when a read transaction tries to upgrade to a write (SQLAlchemy's documented pysqlite recipe).
PostgreSQL (psycopg 3): READ COMMITTED; row locks (`FOR UPDATE`, `SKIP LOCKED`) do the rest.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

SQLITE_BUSY_MS = 30_000
#: Execution option: begin SQLite transactions DEFERRED (readers that must not queue behind
#: writers). Set by `session_factory(engine, read_only=True)`.
READ_ONLY = "vanthu_read_only"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `sqlite:///PATH` or `postgresql+psycopg://...` set up for the register."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, echo)
    if backend == "postgresql":
        return _postgresql_engine(parsed, echo)
    raise ValueError(f"database url: unsupported backend {backend!r} (use sqlite or postgresql)")


def _sqlite_engine(url: URL, echo: bool) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy: sqlite3 would otherwise BEGIN (deferred) lazily.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode not in ("wal", "memory"):
            log.warning("sqlite journal_mode is %s, not wal (network filesystem?)", mode)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten, so a scrubbed (set-aside) job leaves nothing on disk.
        cursor.execute("PRAGMA secure_delete = ON")
        # ...and the write-ahead log does not keep old pages (which may hold them) past a
        # checkpoint: it is cut back to nothing each time.
        cursor.execute("PRAGMA journal_size_limit = 0")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    mode = "DEFERRED" if conn.get_execution_options().get(READ_ONLY) else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


def _postgresql_engine(url: URL, echo: bool) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg":
        raise ValueError(f"database url: use postgresql+psycopg://, not {url.drivername}://")
    return create_engine(
        url,
        echo=echo,
        isolation_level="READ COMMITTED",
        pool_pre_ping=True,
        connect_args={"connect_timeout": 15, "application_name": "vanthu"},
    )


def session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions for the register. Objects stay usable after commit (no expiry), so a job
    claimed in one short transaction can be finished in another.

    `read_only=True` is for listings and exports: SQLite begins DEFERRED (no write lock
    taken), PostgreSQL marks the transaction READ ONLY.
    """
    bind = engine
    if read_only:
        bind = engine.execution_options(**{READ_ONLY: True, "postgresql_readonly": True})
    return sessionmaker(bind=bind, expire_on_commit=False)


def dialect_name(session: Session) -> str:
    """`sqlite` or `postgresql`, for the few statements that differ."""
    return session.get_bind().dialect.name


def scrub_wal(sessions: sessionmaker[Session]) -> None:
    """After something was scrubbed (a set-aside document's hash, a mail's subject): copy the
    SQLite write-ahead log into the database and truncate it, so the old pages that still
    hold what was scrubbed do not linger in `-wal` (secure_delete has zeroed them in the
    database itself). Best effort: with a reader in the way the next checkpoint does it."""
    engine = sessions.kw["bind"]
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()
    try:
        connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
