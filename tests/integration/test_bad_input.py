"""Bad input ends in failed/ with a reason; the service keeps going; nothing is deleted."""

from __future__ import annotations

import io
import os
import random
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.fixtures.install import Install

pytestmark = pytest.mark.slow


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int = 60_000) -> bytes:
    """A small file that claims to be a 60000x60000 image (3.6 gigapixels)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * side
    body = zlib.compress(row * 64, 9)  # far too few rows: decoding would still try to allocate
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


def encrypted_pdf(tmp: Path, plain: bytes) -> bytes:
    src, dst = tmp / "plain.pdf", tmp / "locked.pdf"
    src.write_bytes(plain)
    subprocess.run(
        ["qpdf", "--encrypt", "secret-user", "secret-owner", "256", "--", str(src), str(dst)],
        check=True,
    )
    return dst.read_bytes()


def test_each_bad_file_fails_with_a_reason_and_the_rest_are_registered(
    install: Install, tmp_path: Path
) -> None:
    good = [render_pdf(spec) for spec in make_specs(2, seed=11)]
    tiny = io.BytesIO()
    Image.new("L", (10, 10), 255).save(tiny, "PNG")
    bad = {
        "corrupt.pdf": b"%PDF-1.7\n" + random.Random(3).randbytes(40_000),
        "encrypted.pdf": encrypted_pdf(tmp_path, good[1]),
        "empty.pdf": b"",
        "notes.pdf": "Đây là một tệp văn bản, không phải PDF.\n".encode() * 20,
        "bomb.png": bomb_png(),
    }
    inbox = install.folder("inbox")
    (inbox / "a-first-good.pdf").write_bytes(good[0])
    for name, data in bad.items():
        (inbox / name).write_bytes(data)
    (inbox / "z-last-good.pdf").write_bytes(good[1])
    locked = None
    if os.geteuid() != 0:  # root reads anything: the permission case needs an ordinary user
        locked = inbox / "no-permission.pdf"
        locked.write_bytes(good[1] + b"\n%extra")
        locked.chmod(0)

    install.vanthu("run", "--once")

    rows = install.entries()
    assert [r["seq"] for r in rows] == [1, 2]
    failed = install.folder("failed")
    expected = {
        "corrupt.pdf": "corrupt",
        "encrypted.pdf": "encrypted",
        "empty.pdf": "empty",
        "notes.pdf": "not a pdf or image",
        "bomb.png": "too large",
    }
    if locked is not None:
        expected["no-permission.pdf"] = "permission denied"
    for name, words in expected.items():
        assert (failed / name).exists(), f"{name} not in failed/: {os.listdir(failed)}"
        reason = (failed / f"{name}.error.txt").read_text(encoding="utf-8")
        assert name in reason and words in reason.lower(), reason
        if name in bad and bad[name]:
            assert (failed / name).read_bytes() == bad[name], "the failed file must be the original"
    assert not [p for p in inbox.rglob("*") if p.is_file()]
    failures = install.vanthu("register", "failures", "--json").stdout
    for name in set(expected) - {"empty.pdf", "no-permission.pdf"}:
        assert name in failures
