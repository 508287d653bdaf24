from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from daemon.config import ScannerSettings
from daemon.work.folder import FolderSource
from daemon.work.spool import TooLarge
from daemon.work.stage import StageResult


class FakeStager:
    def __init__(self, fail: Exception | None = None) -> None:
        self.staged: list[tuple[str, bytes, dict[str, Any]]] = []
        self.fail = fail

    def stage_stream(
        self, handle: BinaryIO, *, name: str, kind: str, source: str, provenance: dict[str, Any]
    ) -> StageResult:
        if self.fail:
            raise self.fail
        self.staged.append((name, handle.read(), provenance))
        return StageResult(sha256="0" * 64, job_id=len(self.staged), duplicate=False)


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    out = {name: tmp_path / name for name in ("inbox", "processed", "failed")}
    for path in out.values():
        path.mkdir()
    return out


def source(folders: dict[str, Path], stager: Any, **settings: Any) -> FolderSource:
    return FolderSource(
        folders["inbox"],
        processed=folders["processed"],
        failed=folders["failed"],
        settings=ScannerSettings(settle_seconds=0.3, **settings),
        stager=stager,
        source="folder",
        kind="ingest",
    )


def test_temporary_and_system_files_are_ignored(folders: dict[str, Path]) -> None:
    src = source(folders, FakeStager())
    inbox = folders["inbox"]
    for name in (
        "scan.part",
        "x.tmp",
        "~$doc.pdf",
        ".hidden.pdf",
        "Thumbs.db",
        "desktop.ini",
        ".sync/inner.pdf",
    ):
        assert src.ignored(inbox / name), name
    assert not src.ignored(inbox / "sub" / "Công văn 12.pdf")


def test_a_file_is_taken_only_once_it_stops_changing(folders: dict[str, Path]) -> None:
    stager = FakeStager()
    src = source(folders, stager)
    growing = folders["inbox"] / "growing.pdf"
    growing.write_bytes(b"%PDF-1.7 part one")
    src.rescan()
    for _ in range(4):  # keeps growing: never settled
        assert src.take_settled() == 0
        with open(growing, "ab") as out:
            out.write(b" more")
        time.sleep(0.15)
    time.sleep(0.35)
    src.take_settled()  # first look at the final size
    time.sleep(0.35)
    assert src.take_settled() == 1
    assert stager.staged[0][1].endswith(b" more" * 4)
    moved = folders["processed"] / dt.date.today().isoformat() / "growing.pdf"
    assert moved.exists() and not growing.exists()
    assert stager.staged[0][2]["processed_path"] == str(moved)


def test_run_once_takes_files_already_present_including_subfolders(
    folders: dict[str, Path],
) -> None:
    stager = FakeStager()
    (folders["inbox"] / "a").mkdir()
    (folders["inbox"] / "a" / "one.pdf").write_bytes(b"1")
    (folders["inbox"] / "two.jpg").write_bytes(b"2")
    (folders["inbox"] / "skip.tmp").write_bytes(b"3")
    source(folders, stager).run_once(max_wait=10)
    assert sorted(name for name, _d, _p in stager.staged) == ["one.pdf", "two.jpg"]
    day = folders["processed"] / dt.date.today().isoformat()
    assert (day / "a" / "one.pdf").exists() and (day / "two.jpg").exists()


def test_delete_after_staging(folders: dict[str, Path]) -> None:
    (folders["inbox"] / "one.pdf").write_bytes(b"1")
    source(folders, FakeStager(), after_staging="delete").run_once(max_wait=10)
    assert not list(folders["inbox"].iterdir()) and not list(folders["processed"].iterdir())


@pytest.mark.parametrize(
    ("content", "error", "reason"),
    [
        (b"", None, "empty file"),
        (b"x" * 10, TooLarge("larger than the limit of 1 MB"), "larger than the limit"),
        (b"x", PermissionError(13, "Permission denied"), "Permission denied"),
    ],
)
def test_files_that_cannot_be_taken_go_to_failed_with_a_reason(
    folders: dict[str, Path], content: bytes, error: Exception | None, reason: str
) -> None:
    (folders["inbox"] / "bad.pdf").write_bytes(content)
    source(folders, FakeStager(fail=error)).run_once(max_wait=10)
    assert (folders["failed"] / "bad.pdf").read_bytes() == content
    note = (folders["failed"] / "bad.pdf.error.txt").read_text(encoding="utf-8")
    assert reason in note and "bad.pdf" in note
    assert not list(folders["inbox"].iterdir())


def _staged_while_running(src: FolderSource, stager: FakeStager, drop: Path) -> list[str]:
    """Run the source's loop in a thread, drop a file, and return what it staged."""
    stop = threading.Event()
    thread = threading.Thread(target=src.serve, args=(stop,))
    thread.start()
    try:
        time.sleep(0.5)
        drop.write_bytes(b"%PDF-1.7")
        deadline = time.monotonic() + 10
        while not stager.staged and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=10)
    return [name for name, _d, _p in stager.staged]


@pytest.mark.parametrize("polling", [False, True], ids=["inotify", "polling"])
def test_the_running_loop_sees_new_files(folders: dict[str, Path], polling: bool) -> None:
    stager = FakeStager()
    src = source(folders, stager, polling=polling, poll_interval=0.2)
    assert _staged_while_running(src, stager, folders["inbox"] / "late.pdf") == ["late.pdf"]


# -- what is not a regular file is never read -----------------------------------------------


def _specials(inbox: Path, outside: Path) -> dict[str, str]:
    """One of each kind of inbox entry that is not a document file; name -> what it is."""
    secret = outside / "mat-khau.txt"
    secret.write_bytes(b"DB_PASSWORD=bi-mat-tuyet-doi")
    (outside / "folder").mkdir()
    os.symlink(secret, inbox / "link.pdf")
    os.symlink(outside / "gone.pdf", inbox / "dangling.pdf")
    os.symlink(inbox / "loop-b.pdf", inbox / "loop-a.pdf")
    os.symlink(inbox / "loop-a.pdf", inbox / "loop-b.pdf")
    os.symlink(outside / "folder", inbox / "linked-folder")
    os.mkfifo(inbox / "pipe.pdf")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inbox / "sock.pdf"))
    sock.close()
    return {
        "link.pdf": "symbolic link",
        "dangling.pdf": "symbolic link",
        "loop-a.pdf": "symbolic link",
        "loop-b.pdf": "symbolic link",
        "linked-folder": "symbolic link",
        "pipe.pdf": "named pipe",
        "sock.pdf": "socket",
    }


def test_links_pipes_and_sockets_are_set_aside_unread(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    expected = _specials(folders["inbox"], outside)
    stager = FakeStager()
    source(folders, stager).run_once(max_wait=10)
    assert stager.staged == [], "nothing that is not a regular file is read"
    assert not list(folders["inbox"].iterdir()), "nothing is left to be seen again"
    for name, what in expected.items():
        note = (folders["failed"] / f"{name}.error.txt").read_text(encoding="utf-8")
        assert f"not a regular file: a {what}" in note and "not read" in note, name
        assert os.path.lexists(folders["failed"] / name), name
    # failed/ can be listed and set-aside files placed beside them without blocking
    source(folders, FakeStager(fail=ValueError("bad"))).run_once(max_wait=1)
    assert sorted(p.name for p in folders["failed"].iterdir() if p.suffix == ".txt")


def test_an_inbox_on_another_file_system_is_acknowledged_by_copy(tmp_path: Path) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no tmpfs on another file system than the test folder")
    inbox = Path(tempfile.mkdtemp(dir=shm, prefix="vanthu-inbox-"))
    try:
        folders = {"inbox": inbox, "processed": tmp_path / "p", "failed": tmp_path / "f"}
        (inbox / "scan.pdf").write_bytes(b"%PDF-1.7 across file systems")
        stager = FakeStager()
        source(folders, stager).run_once(max_wait=10)
        assert [name for name, _d, _p in stager.staged] == ["scan.pdf"]
        assert not list(inbox.iterdir())
        moved = folders["processed"] / dt.date.today().isoformat() / "scan.pdf"
        assert moved.read_bytes() == b"%PDF-1.7 across file systems"
    finally:
        shutil.rmtree(inbox, ignore_errors=True)
