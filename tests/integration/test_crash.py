"""Kill -9 at random moments: every file registered exactly once, numbers 1..40, nothing left."""

from __future__ import annotations

import hashlib
import random
import signal
import time
from pathlib import Path

import pytest

from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.docgen.scan import save_as, scan
from tests.fixtures.install import Install, stop

pytestmark = pytest.mark.slow

FILES = 40
SCANS = 4  # a few OCR jobs, so some kills land while a page is being read


def _fill_inbox(inbox: Path, tmp: Path) -> set[str]:
    shas = set()
    for i, spec in enumerate(make_specs(FILES, seed=40)):
        pdf = render_pdf(spec)
        if i % (FILES // SCANS) == 3:
            out = tmp / f"scan-{i:02}.tiff"
            save_as(scan(pdf, dpi=200, grey=True, seed=i), out, "tiff")
            data, name = out.read_bytes(), out.name
        else:
            data, name = pdf, f"doc-{i:02}.pdf"
        (inbox / name).write_bytes(data)
        shas.add(hashlib.sha256(data).hexdigest())
    return shas


def test_sigkill_at_random_moments_loses_nothing_and_doubles_nothing(
    install: Install, tmp_path: Path
) -> None:
    install.set("scanner", "settle_seconds", "0.5")
    install.set("service", "job_lease_seconds", "5.0")
    shas = _fill_inbox(install.folder("inbox"), tmp_path)
    rng = random.Random(7)
    for _ in range(6):
        proc = install.start()
        time.sleep(rng.uniform(0.8, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    proc = install.start()
    try:
        rows = install.wait_for_entries(FILES, timeout=600, proc=proc)
    finally:
        assert stop(proc) == 0

    assert sorted(r["seq"] for r in rows) == list(range(1, FILES + 1))
    assert {r["sha256"] for r in rows} == shas
    assert not [p for p in install.folder("inbox").rglob("*") if p.is_file()]
    assert not list(install.folder("var/spool").iterdir()), "the spool must be empty"
    assert not list(install.folder("failed").iterdir())
    verify = install.vanthu("verify")
    assert "intact" in verify.stdout
