"""Someone with write access to the database rewrites history: `vanthu verify` notices.

The attack of the hardening issue: drop the append-only triggers, edit a row, re-hash the
chain from there on and move the head (the chain alone then checks out). The anchors the
service wrote outside the database (signed by the agency's key when it has one), and the
digest of each entry's content in its "registered" event, are what give it away.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, update

from daemon.register import anchors, audit
from daemon.register.db import make_engine, session_factory
from daemon.register.models import AuditEvent, AuditHead
from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.fixtures.install import Install
from tests.fixtures.outgoing import write_pkcs12
from tests.fixtures.pki import Pki

pytestmark = pytest.mark.slow


def _office(install: Install, tmp_path: Path) -> Path:
    files = []
    for i, spec in enumerate(make_specs(3, seed=303)):
        path = tmp_path / f"vb{i}.pdf"
        path.write_bytes(render_pdf(spec))
        files.append(str(path))
    install.vanthu("ingest", *files)  # the service anchors the chain's head when it closes
    assert "intact" in install.vanthu("verify").stdout
    return install.folder("var") / "vanthu.db"


def _rechain(database: Path) -> None:
    """What an attacker with the code can do: recompute every hash after an edit."""
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_factory(engine).begin() as session:
            prev = audit.GENESIS
            for row in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
                row.prev_hash = prev
                row.hash = audit.row_hash(row)
                prev = row.hash
            session.flush()
            session.execute(update(AuditHead).values(last_hash=prev))
    finally:
        engine.dispose()


def _sql(database: Path, *statements: str) -> None:
    db = sqlite3.connect(database)
    try:
        db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        db.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        for statement in statements:
            db.execute(statement)
        db.commit()
    finally:
        db.close()


def test_an_edited_and_rechained_audit_log_is_caught_by_the_anchors(
    install: Install, tmp_path: Path
) -> None:
    database = _office(install, tmp_path)
    _sql(
        database,
        "UPDATE audit_log SET data = json_set(data, '$.number', '999/QĐ-GIẢ') "
        "WHERE event = 'registered' AND subject LIKE 'den/%/1'",
    )
    _rechain(database)
    done = install.vanthu("verify", check=False)
    assert done.returncode == 1
    assert "the log was rewritten" in done.stdout
    assert "audit log:" not in done.stdout, "the chain itself was made consistent again"


def test_a_field_edited_in_the_register_is_caught_by_its_registered_digest(
    install: Install, tmp_path: Path
) -> None:
    database = _office(install, tmp_path)
    _sql(database, "UPDATE documents SET subject = 'Về việc khác hẳn' WHERE id = 2")
    done = install.vanthu("verify", check=False)
    assert done.returncode == 1
    assert "its fields differ from what was registered" in done.stdout


def test_a_document_swapped_for_other_bytes_is_caught(install: Install, tmp_path: Path) -> None:
    database = _office(install, tmp_path)
    _sql(database, "UPDATE documents SET sha256 = '" + "ab" * 32 + "' WHERE id = 3")
    done = install.vanthu("verify", check=False)
    assert "the document's hash differs from the one registered" in done.stdout


def test_signed_anchors_catch_an_edited_anchors_file(
    install: Install, tmp_path: Path, pki: Pki
) -> None:
    p12, secret = write_pkcs12(pki, install.folder("secrets"))
    with open(install.config, "a", encoding="utf-8") as config:
        config.write(f'\n[signing]\npkcs12_file = "{p12}"\npassphrase_file = "{secret}"\n')
    database = _office(install, tmp_path)  # anchored and signed by the agency's key
    path = install.folder("archive") / anchors.FILE_NAME
    [anchor], _ = anchors.read(path)
    assert anchor.signature is not None

    # The whole attack: rewrite the chain, then the anchors file to match it.
    _sql(database, "UPDATE audit_log SET data = json_set(data, '$.name', 'x') WHERE id = 1")
    _rechain(database)
    engine = make_engine(f"sqlite:///{database}")
    with session_factory(engine)() as session:
        rewritten = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == anchor.id))
    engine.dispose()
    path.write_text(path.read_text().replace(anchor.hash, str(rewritten)), encoding="utf-8")

    done = install.vanthu("verify", check=False)
    assert done.returncode == 1
    assert "does not match its signature" in done.stdout and "was edited" in done.stdout
