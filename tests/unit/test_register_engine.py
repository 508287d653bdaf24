"""How `make_engine` sets up SQLite (a file in tmp_path: fast, no server)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from daemon.register import migrate
from daemon.register.db import make_engine, session_factory


def test_sqlite_pragmas_for_a_durable_register(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'register.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    engine.dispose()


def _write_lock_free(path: Path) -> bool:
    """Whether another connection can take the write lock right now (no waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_transactions_begin_immediate_and_read_only_ones_deferred(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    # A transaction that has only read so far already holds the write lock: writers queue
    # at BEGIN instead of failing later when a reader tries to upgrade.
    with session_factory(engine).begin() as session:
        session.execute(text("SELECT count(*) FROM jobs")).scalar()
        assert not _write_lock_free(path)
    assert _write_lock_free(path)
    with session_factory(engine, read_only=True).begin() as session:
        session.execute(text("SELECT count(*) FROM jobs")).scalar()
        assert _write_lock_free(path)
    engine.dispose()


def test_a_rolled_back_transaction_leaves_nothing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'register.db'}")
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    with pytest.raises(RuntimeError), sessions.begin() as session:
        session.execute(text("INSERT INTO counters (book, year, last_seq) VALUES ('den', 2026, 5)"))
        raise RuntimeError("abort")
    with sessions() as session:
        assert session.execute(text("SELECT count(*) FROM counters")).scalar() == 0
    engine.dispose()


def test_urls_are_checked() -> None:
    with pytest.raises(ValueError, match="unsupported backend"):
        make_engine("mysql://u@h/db")
    with pytest.raises(ValueError, match="postgresql\\+psycopg"):
        make_engine("postgresql+psycopg2://u@h/db")
    engine = make_engine("postgresql://u@localhost/db")  # lazy: nothing connects yet
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.pool._pre_ping
