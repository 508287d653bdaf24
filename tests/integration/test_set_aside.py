"""Secret documents and complaint letters end in quarantine/ and nowhere else."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import stat
from pathlib import Path

import pytest
from PIL import ImageDraw

from tests.docgen.random_docs import NO_MARK, complaint_spec, make_specs, random_spec, secret_spec
from tests.docgen.render import render_pdf
from tests.docgen.scan import save_as, scan
from tests.fixtures.install import Install

pytestmark = pytest.mark.slow


def _everything_under(root: Path, skip: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and skip not in p.parents]


def test_secret_scan_and_complaint_letter_are_quarantined_only(
    install: Install, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VANTHU_LOG_LEVEL", "DEBUG")  # even the most talkative log keeps it
    secret = secret_spec()
    scan_path = tmp_path / "secret-scan.png"
    save_as(scan(render_pdf(secret), dpi=300, grey=True, seed=3), scan_path, "png")
    secret_bytes = scan_path.read_bytes()
    complaint_bytes = render_pdf(complaint_spec())
    normal = render_pdf(make_specs(1, seed=99)[0])
    inbox = install.folder("inbox")
    (inbox / "ho-so-mat.png").write_bytes(secret_bytes)
    (inbox / "don-khieu-nai.pdf").write_bytes(complaint_bytes)
    (inbox / "cong-van.pdf").write_bytes(normal)

    done = install.vanthu("run", "--once")

    quarantine = install.folder("quarantine")
    kept = {p.name: p for p in quarantine.iterdir() if p.is_file() and not p.name.endswith(".txt")}
    assert set(kept) == {"ho-so-mat.png", "don-khieu-nai.pdf"}
    assert kept["ho-so-mat.png"].read_bytes() == secret_bytes
    for path in kept.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = install.entries()
    assert [r["sha256"] for r in rows] == [hashlib.sha256(normal).hexdigest()]

    # Nowhere else: not in the archive, spool, processed/, failed/, inbox or the database.
    for secret_data in (secret_bytes, complaint_bytes):
        sha = hashlib.sha256(secret_data).hexdigest()
        for path in _everything_under(install.root, quarantine):
            if path.suffix in {".db", ".db-wal", ".db-shm"}:
                continue
            assert path.read_bytes() != secret_data, f"a copy was left in {path}"
        db = sqlite3.connect(install.folder("var") / "vanthu.db")
        dump = "\n".join(db.iterdump())
        db.close()
        assert sha not in dump, "the database must not hold the secret document's hash"
        # ...nor its files' bytes: not the old pages in the write-ahead log either
        for path in _everything_under(install.root, quarantine):
            assert sha.encode() not in path.read_bytes(), f"the hash is in {path}"
    dump_words = [secret.subject, secret.number, secret.signer]
    for word in dump_words:
        assert word not in dump and word not in done.stderr, f"content leaked: {word}"
    assert "ho-so-mat.png" in done.stderr, "the fact and the file name are logged"
    for secret_data in (secret_bytes, complaint_bytes):
        assert hashlib.sha256(secret_data).hexdigest() not in done.stderr


def test_a_scan_whose_secrecy_cannot_be_read_is_held_until_the_clerk_says(
    install: Install, tmp_path: Path
) -> None:
    """Fail closed: the header is unreadable (a blot over it), so nobody can say the document
    carries no secrecy mark: it waits in quarantine, unregistered, until the clerk looks."""
    spec = random_spec(random.Random(31), secrecy=NO_MARK, pages=1)
    [page] = scan(render_pdf(spec), dpi=300, grey=True, seed=5)
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, page.width, int(page.height * 0.3)), fill=0)
    path = tmp_path / "nhoe.png"
    save_as([page], path, "png")
    (install.folder("inbox") / "nhoe.png").write_bytes(path.read_bytes())
    install.vanthu("run", "--once")
    assert install.entries() == []
    note = (install.folder("quarantine") / "nhoe.png.error.txt").read_text(encoding="utf-8")
    assert "held for the clerk" in note and "--not-secret" in note
    done = install.vanthu("ingest", "--not-secret", "--json", str(path))
    assert '"state": "registered"' in done.stdout
    [row] = install.entries()
    assert row["provenance"]["not_secret"].startswith("cli:")
