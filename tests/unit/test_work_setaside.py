from __future__ import annotations

import os
import stat
from pathlib import Path

from daemon.work.setaside import move_into, place, safe_name, write_reason


def test_safe_name_never_makes_a_path() -> None:
    assert safe_name("../../etc/passwd") == "_.._etc_passwd"
    assert safe_name("a\nb\x00c.pdf") == "a_bc.pdf"
    assert safe_name(os.fsdecode(b"caf\xe9.pdf")) == "caf\ufffd.pdf"
    assert safe_name("...") == "unnamed"
    assert safe_name("Quyết định.pdf") == "Quyết định.pdf"


def test_place_is_idempotent_and_never_overwrites(tmp_path: Path) -> None:
    src = tmp_path / "src.pdf"
    src.write_bytes(b"one")
    folder = tmp_path / "failed"
    first = place(src, folder, "scan.pdf", mode=0o600)
    assert place(src, folder, "scan.pdf") == first, "the same bytes are kept once"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    other = tmp_path / "other.pdf"
    other.write_bytes(b"two")
    second = place(other, folder, "scan.pdf", move=True)
    assert second.name == "scan (2).pdf" and second.read_bytes() == b"two"
    assert not other.exists() and first.read_bytes() == b"one"


def test_move_into_and_reason(tmp_path: Path) -> None:
    src = tmp_path / "x.pdf"
    src.write_bytes(b"")
    target = move_into(src, tmp_path / "failed", "x.pdf")
    note = write_reason(target, "empty file (0 bytes)", "x.pdf")
    assert not src.exists() and target.exists()
    assert note.name == "x.pdf.error.txt"
    assert "Reason: empty file (0 bytes)" in note.read_text(encoding="utf-8")
