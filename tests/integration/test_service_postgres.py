"""The service on PostgreSQL: two `vanthu run` processes share one register without a gap."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.fixtures.install import Install, stop

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_two_services_on_postgresql_number_without_gap_or_duplicate(
    install: Install, pg_server: object, tmp_path: Path
) -> None:
    name = pg_server.create_database()  # type: ignore[attr-defined]
    install.set("database", "url", f'"{pg_server.url(name)}"')  # type: ignore[attr-defined]
    shas = set()
    for i, spec in enumerate(make_specs(12, seed=77)):
        data = render_pdf(spec)
        shas.add(hashlib.sha256(data).hexdigest())
        (install.folder("inbox") / f"vb-{i:02}.pdf").write_bytes(data)
    # Two processes watch the same inbox and claim from the same queue: they race to stage
    # each file and to claim each job; the register must come out whole anyway.
    first_proc, second_proc = install.start(), install.start()
    try:
        rows = install.wait_for_entries(12, timeout=180, proc=first_proc)
    finally:
        assert stop(first_proc) == 0 and stop(second_proc) == 0
    assert sorted(r["seq"] for r in rows) == list(range(1, 13))
    assert {r["sha256"] for r in rows} == shas
    assert "intact" in install.vanthu("verify").stdout
