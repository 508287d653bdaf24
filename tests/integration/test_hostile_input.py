"""The hostile-input set, made by the test (tests/docgen/hostile.py; nothing committed), handled
by one real `vanthu run --once`: links out of the inbox, a link loop, a named pipe, a socket, a
header-bomb mail, a 16-bit TIFF, an image nested in forms, flate bombs once and twice deflated,
and file names made to break shells and logs. Every item ends registered or set aside with its
reason, nothing stays in the inbox, nothing outside the inbox is read, and the peak memory of
the service and of its reading processes is printed and bounded."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import sqlite3
from pathlib import Path

import pytest

from daemon.ingest import mailledger
from tests.docgen.hostile import deep_tiff, flate_bomb_pdf, nested_image_pdf
from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.fixtures.dovecot import Dovecot
from tests.fixtures.install import Install

pytestmark = pytest.mark.slow

READER_LIMIT_MB = 1000  # [reading] max_memory_mb for this office
SERVICE_BOUND_MB = 400  # the service process itself: no page or mail is parsed in it

SET_ASIDE_UNREAD = {  # name in the inbox -> words its reason must hold
    "link-outside.pdf": "symbolic link",
    "link-folder": "symbolic link",
    "dangling.pdf": "link",
    "loop-a.pdf": "link",
    "loop-b.pdf": "link",
    "pipe.pdf": "named pipe",
    "sock": "socket",
}
REFUSED = {
    "nested-image.pdf": "embedded image too large",
    "flate-bomb.pdf": "decompression bomb",
    "flate-bomb-nested.pdf": "decompression bomb",
}
SHELL_NAME = "$(touch pwned); rm -rf ~; `id` | tee x.pdf"
LOG_NAME = "báo cáo\n2026-12-03T08:00:00 info    registered file=x.pdf so_den=99 job=9.pdf"


def _header_bomb() -> bytes:
    words = ("=?utf-8?b?xINDw6Ju?= " * 12_000).strip()  # 250 KB of encoded words
    return (
        "From: a@x.gov.vn\r\nTo: vanthu@sotc.gov.vn\r\nMessage-ID: <bomb@x.gov.vn>\r\n"
        f"Subject: {words}\r\n\r\nhello\r\n"
    ).encode()


def _hostile_inbox(inbox: Path, outside: Path, good: list[bytes]) -> socket.socket:
    """Fill the inbox; returns the socket bound in it (closed by the caller)."""
    (inbox / "link-outside.pdf").symlink_to(outside / "mat-khau.txt")
    (inbox / "link-folder").symlink_to(outside, target_is_directory=True)
    (inbox / "dangling.pdf").symlink_to(outside / "khong-co.pdf")
    (inbox / "loop-a.pdf").symlink_to(inbox / "loop-b.pdf")
    (inbox / "loop-b.pdf").symlink_to(inbox / "loop-a.pdf")
    os.mkfifo(inbox / "pipe.pdf")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inbox / "sock"))
    deep_tiff().save(inbox / "deep16.tif", compression="tiff_deflate")
    (inbox / "nested-image.pdf").write_bytes(nested_image_pdf(5, 30_000, 30_000))
    (inbox / "flate-bomb.pdf").write_bytes(flate_bomb_pdf(300_000_000))
    (inbox / "flate-bomb-nested.pdf").write_bytes(flate_bomb_pdf(300_000_000, layers=2))
    (inbox / SHELL_NAME).write_bytes(good[0])
    (inbox / LOG_NAME).write_bytes(good[1])
    return sock


def _reason(folder: Path, name: str) -> str:
    notes = [p for p in folder.iterdir() if p.name.endswith(".txt") and name in p.name]
    assert notes, f"no reason beside {name} in {folder.name}/: {sorted(os.listdir(folder))}"
    return notes[0].read_text(encoding="utf-8")


def test_the_hostile_set_in_one_run(install: Install, dovecot: Dovecot, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    token = secrets.token_hex(16)  # what a link out of the inbox would leak
    (outside / "mat-khau.txt").write_text(f"password={token}\n")
    (outside / "tai-lieu.pdf").write_bytes(render_pdf(make_specs(1, seed=7)[0]) + token.encode())
    good = [render_pdf(spec) for spec in make_specs(2, seed=21)]
    dovecot.append(_header_bomb())
    with open(install.config, "a", encoding="utf-8") as config:
        config.write("\n" + dovecot.mailbox_toml())
    install.set("reading", "max_memory_mb", str(READER_LIMIT_MB))
    inbox = install.folder("inbox")
    sock = _hostile_inbox(inbox, outside, good)
    try:
        done = install.vanthu("run", "--once", timeout=900)
    finally:
        sock.close()

    assert sorted(os.listdir(inbox)) == [], "everything left the inbox"
    failed, quarantine = install.folder("failed"), install.folder("quarantine")
    for name, words in {**SET_ASIDE_UNREAD, **REFUSED}.items():
        assert words in _reason(failed, name).lower(), name
    registered = {row["sha256"] for row in install.entries()}
    assert {hashlib.sha256(data).hexdigest() for data in good} <= registered
    held = [p.name for p in quarantine.iterdir() if p.name == "deep16.tif"]
    assert held or len(registered) == 3, "the 16-bit scan is registered or held with a reason"
    if held:
        assert "secret" in _reason(quarantine, "deep16.tif")
    install.vanthu("register", "failures", timeout=120)  # the pipe in failed/ blocks nothing

    # The header bomb: flagged on the server with its reason, never parsed.
    [left] = dovecot.folder().values()
    assert b"$VanthuFailed" in left[0]
    db = sqlite3.connect(f"file:{install.folder('var') / 'vanthu.db'}?mode=ro", uri=True)
    try:
        [(state, reason)] = db.execute("SELECT state, reason FROM mail_messages").fetchall()
    finally:
        db.close()
    assert state == mailledger.FAILED and "refused before parsing" in reason

    # Nothing outside the inbox was read, nothing ran in a shell, no log line was forged.
    for path in install.root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert token.encode() not in path.read_bytes(), f"outside content in {path}"
    assert token not in done.stderr
    assert not list(tmp_path.rglob("pwned")) and not (install.root / "x.pdf").exists()
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d ")
    forged = [line for line in done.stderr.splitlines() if "so_den=99" in line]
    assert forged and all(stamp.match(line) for line in forged), forged

    # Memory: printed, and bounded.
    [peaks] = re.findall(r"memory peak_mb=(\d+) readers_peak_mb=(\d+)", done.stderr)
    service_mb, readers_mb = map(int, peaks)
    print(f"peak memory: service {service_mb} MB, largest reading process {readers_mb} MB")
    assert service_mb < SERVICE_BOUND_MB, done.stderr[-3000:]
    assert readers_mb < READER_LIMIT_MB, done.stderr[-3000:]
