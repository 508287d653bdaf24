"""The service as a user runs it: `vanthu run` in a subprocess, files dropped into inbox/."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.docgen.scan import save_as, scan
from tests.fixtures.install import Install, stop

pytestmark = pytest.mark.slow


def _write_slowly(path: Path, data: bytes, chunks: int = 5, pause: float = 0.4) -> None:
    """Like a copier writing over the network: the file grows in steps."""
    step = len(data) // chunks + 1
    with open(path, "wb") as out:
        for i in range(0, len(data), step):
            out.write(data[i : i + step])
            out.flush()
            time.sleep(pause)


def _drop_set(tmp: Path) -> list[tuple[str, bytes, dict]]:
    """Three born-digital PDFs and three clean scans (JPEG, PNG, 2-page TIFF) with known truth."""
    specs = make_specs(6, seed=2026)
    drops = []
    for i, spec in enumerate(specs[:3]):
        drops.append((f"digital-{i}.pdf", render_pdf(spec), spec.truth_json()))
    for spec, fmt in zip(specs[3:], ("jpeg", "png", "tiff"), strict=True):
        images = scan(render_pdf(spec), dpi=300, grey=True, seed=1)
        if fmt != "tiff":
            images = images[:1]  # a JPEG or PNG holds one page: the first carries the header
        out = tmp / f"scan.{fmt}"
        save_as(images, out, fmt)
        drops.append((f"scan-{fmt}.{fmt}", out.read_bytes(), spec.truth_json()))
    return drops


def test_dropped_files_are_registered_in_order_once(install: Install, tmp_path: Path) -> None:
    drops = _drop_set(tmp_path)
    inbox = install.folder("inbox")
    (inbox / "sub").mkdir()
    proc = install.start()
    try:
        for i, (name, data, _truth) in enumerate(drops):
            target = inbox / ("sub" if i == 2 else "") / name
            if i == 1:
                _write_slowly(target, data)  # must not be taken half-written
            else:
                target.write_bytes(data)
            time.sleep(1.5)  # one at a time, so the order of staging is the order of dropping
        (inbox / "ignored.tmp").write_bytes(b"scanner scratch")
        (inbox / "~$draft.pdf").write_bytes(b"office lock file")
        rows = install.wait_for_entries(len(drops), timeout=300, proc=proc)
        time.sleep(2)  # nothing more may appear
        rows = install.entries()
    finally:
        assert stop(proc) == 0

    assert [r["seq"] for r in rows] == list(range(1, len(drops) + 1))
    by_sha = {r["sha256"]: r for r in rows}
    assert len(by_sha) == len(drops)
    for seq, (name, data, truth) in enumerate(drops, start=1):
        sha = hashlib.sha256(data).hexdigest()
        row = by_sha[sha]
        assert row["seq"] == seq, f"{name} was registered out of order"
        archived = list(install.folder("archive").glob(f"{sha[:2]}/{sha}.*"))
        assert len(archived) == 1 and archived[0].read_bytes() == data
        assert not archived[0].stat().st_mode & 0o222, "archive copies are read-only"
        for key in ("number", "date", "doc_type"):
            assert row[key] == truth[key], f"{name}: {key}"
        if name.startswith("digital"):
            for key in ("subject", "issuer", "signer", "recipients", "place"):
                assert row[key] == truth[key], f"{name}: {key}"
            assert row["text_source"] == "text-layer"
        else:
            assert row["text_source"] == "ocr"
    left = sorted(p.name for p in inbox.rglob("*") if p.is_file())
    assert left == ["ignored.tmp", "~$draft.pdf"]
    processed = [p.name for p in install.folder("processed").rglob("*") if p.is_file()]
    assert sorted(processed) == sorted(name for name, _d, _t in drops)


def test_same_bytes_dropped_twice_are_registered_once(install: Install, tmp_path: Path) -> None:
    data = render_pdf(make_specs(1, seed=5)[0])
    inbox = install.folder("inbox")
    (inbox / "first.pdf").write_bytes(data)
    install.vanthu("run", "--once")
    (inbox / "again.pdf").write_bytes(data)
    done = install.vanthu("run", "--once")
    rows = install.entries()
    assert [r["seq"] for r in rows] == [1]
    assert "duplicate" in done.stderr and "again.pdf" in done.stderr
    assert not list(inbox.iterdir())


def test_sigterm_stops_the_service_cleanly(install: Install) -> None:
    proc = install.start()
    time.sleep(3)
    assert stop(proc) == 0
    assert "stopped" in install.log_text()
