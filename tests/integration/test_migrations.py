"""Versioned schema upgrades: the migrations make what the models describe, and an office that
installed release 0.1.0 upgrades with `vanthu db upgrade` keeping every entry, number, mail
record and audit event, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

import daemon.ingest.mailledger  # noqa: F401 - the mailbox's tables, defined on its side
from daemon.register import migrate, search
from daemon.register.db import make_engine
from daemon.register.migrate import SchemaError
from daemon.register.models import Base
from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.fixtures.install import Install

pytestmark = pytest.mark.slow

V010 = Path(__file__).resolve().parents[1] / "fixtures" / "v0_1_0"


@pytest.fixture
def engine(db_url: str) -> Engine:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_the_migrations_make_the_schema_the_models_describe(engine: Engine) -> None:
    """A change to the models without its migration fails here, showing the difference."""
    migrate.upgrade(engine)
    with engine.connect() as conn:
        # The search index (FTS5 on SQLite, tsvectors on PostgreSQL) is made by hand.
        context = MigrationContext.configure(conn, opts={"include_name": search.in_models})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrading_is_idempotent_and_records_the_latest_revision(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    found = migrate.state(engine)
    assert found.up_to_date and found.current == migrate.head_revision()
    assert migrate.ensure_current(engine).up_to_date


def test_revisions_are_named_by_their_ids_in_one_line_of_history() -> None:
    """The service reads where a database stands without Alembic, from the file names."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    chain = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert chain == migrate.revisions() and script.get_heads() == [migrate.head_revision()]


def test_a_database_from_a_newer_vanthu_is_refused(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match="newer vanthu"):
        migrate.ensure_current(engine)
    with pytest.raises(SchemaError, match="newer vanthu"):
        migrate.upgrade(engine)


# --- release 0.1.0, upgraded ----------------------------------------------------------------


def _rows(install: Install) -> list[dict[str, Any]]:
    return install.entries()


def _snapshot(query: Any) -> dict[str, Any]:
    """What 0.1.0 wrote, read with plain SQL before the upgrade touches anything."""
    return {
        "entries": query(
            "SELECT e.book, e.year, e.seq, d.sha256, d.number, d.subject, d.issuer, d.signer "
            "FROM register_entries e JOIN documents d ON d.id = e.document_id ORDER BY e.seq"
        ),
        "audit": query("SELECT id, event, subject, hash FROM audit_log ORDER BY id"),
        "jobs": query("SELECT id, kind, state, source, original_name FROM jobs ORDER BY id"),
        "mail": query("SELECT account, uid, message_id, state, subject FROM mail_messages"),
        "signatures": query("SELECT document_id, verdict, signer_name FROM signature_checks"),
    }


def _upgrade_and_check(install: Install, before: dict[str, Any], query: Any) -> None:
    refused = install.vanthu("run", "--once", check=False)
    assert refused.returncode == 2 and "vanthu db upgrade" in refused.stderr, refused.stderr
    status = install.vanthu("db", "status", "--json", check=False)
    assert status.returncode == 1 and json.loads(status.stdout)["release_0_1_0"] is True

    done = json.loads(install.vanthu("db", "upgrade", "--json").stdout)
    assert (done["from"], done["to"], done["changed"]) == (None, migrate.head_revision(), True)
    assert json.loads(install.vanthu("db", "status", "--json").stdout)["up_to_date"] is True
    again = json.loads(install.vanthu("db", "upgrade", "--json").stdout)
    assert again["changed"] is False

    after = _snapshot(query)
    kept = {**after, "audit": after["audit"][: len(before["audit"])]}
    assert kept == before, "every entry, number, job, mail record and audit event survives"
    assert [row[1] for row in after["audit"][len(before["audit"]) :]] == ["schema_upgraded"]
    assert "intact" in install.vanthu("verify").stdout
    rows = _rows(install)
    assert [(r["seq"], r["sha256"]) for r in rows] == [(e[2], e[3]) for e in before["entries"]]
    signed = [r for r in rows if r["signatures"]]
    assert signed and signed[0]["provenance"]["message_id"] == "<vb-123@ubnd.example.gov.vn>"

    # The service runs on the upgraded register: the next document gets the next number.
    spec = make_specs(1, seed=808)[0]
    (install.folder("inbox") / "moi.pdf").write_bytes(render_pdf(spec))
    install.vanthu("run", "--once")
    rows = _rows(install)
    assert [r["seq"] for r in rows] == [*(e[2] for e in before["entries"]), 5]
    assert "intact" in install.vanthu("verify").stdout


def _copy_install(tmp_path: Path) -> Install:
    root = tmp_path / "office"
    shutil.copytree(V010 / "install", root)
    install = Install(root)
    install.set("scanner", "settle_seconds", "0.5")
    return install


def test_a_release_0_1_0_sqlite_install_upgrades_keeping_everything(tmp_path: Path) -> None:
    install = _copy_install(tmp_path)
    database = install.folder("var") / "vanthu.db"

    def query(sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(database) as conn:
            return conn.execute(sql).fetchall()

    before = _snapshot(query)
    assert len(before["entries"]) == 4 and len(before["mail"]) == 1 and len(before["audit"]) > 20
    _upgrade_and_check(install, before, query)
    # Batch mode rebuilt `jobs` with its new constraint and kept its indexes and rows.
    engine = make_engine(f"sqlite:///{database}")
    try:
        inspector = inspect(engine)
        checks = {c["name"] for c in inspector.get_check_constraints("jobs")}
        indexes = {i["name"] for i in inspector.get_indexes("jobs")}
        with engine.begin() as conn, pytest.raises(Exception, match="ck_job_state|CHECK"):
            conn.execute(text("UPDATE jobs SET state = 'lost' WHERE id = 1"))
    finally:
        engine.dispose()
    assert "ck_job_state" in checks
    assert {"uq_jobs_active_sha", "ix_jobs_ready", "ix_jobs_sha"} <= indexes


@pytest.mark.postgres
def test_a_release_0_1_0_postgresql_database_upgrades_keeping_everything(
    tmp_path: Path, pg_server: Any
) -> None:
    name = pg_server.create_database()
    subprocess.run(
        [
            str(pg_server.bin_dir / "psql"),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(pg_server.socket_dir),
            "-p",
            "5432",
            "-U",
            "postgres",
            "-d",
            name,
            "-f",
            str(V010 / "postgres.sql"),
        ],
        check=True,
        capture_output=True,
    )
    install = _copy_install(tmp_path)
    (install.folder("var") / "vanthu.db").unlink()
    url = pg_server.url(name)
    install.set("database", "url", f'"{url}"')
    engine = make_engine(url)

    def query(sql: str) -> list[tuple[Any, ...]]:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]

    try:
        before = _snapshot(query)
        assert len(before["entries"]) == 4 and len(before["mail"]) == 1
        _upgrade_and_check(install, before, query)
        with engine.begin() as conn, pytest.raises(Exception, match="ck_job_state"):
            conn.execute(text("UPDATE jobs SET state = 'lost' WHERE id = 1"))
    finally:
        engine.dispose()
