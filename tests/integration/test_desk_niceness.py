"""The desk answers before batch work: the reading processes (field OCR and the full-text
pass) and the page-render process run at a lower CPU priority than the service, as the
kernel reports it in /proc/PID/stat."""

from __future__ import annotations

import os
from pathlib import Path

from daemon.ocr import pool
from daemon.web import pages

_SET_UP: list[str] = []


def _set_up(marker: str) -> None:
    _SET_UP.append(marker)


def _worker_pid(_item: int) -> int:
    return os.getpid()


def _what_was_set_up(_item: int) -> list[str]:
    return _SET_UP


def _nice(pid: int) -> int:
    """The niceness of process `pid` (field 19 of /proc/PID/stat; the name may hold spaces)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])


def _expected() -> int:
    return min(19, os.nice(0) + pool.NICENESS)


def test_the_reading_processes_run_niced_and_still_run_the_callers_setup() -> None:
    readers = pool.ReadingPool(1, stall_seconds=60, initializer=_set_up, initargs=("ran",))
    try:
        pids = set(readers.map(_worker_pid, list(range(8))))
        assert pids and os.getpid() not in pids
        assert {_nice(pid) for pid in pids} == {_expected()}
        assert readers.map(_what_was_set_up, [0]) == [["ran"]]
    finally:
        readers.close()
    assert _nice(os.getpid()) == os.nice(0), "the service itself keeps its priority"


def test_the_page_render_process_runs_niced(tmp_path: Path) -> None:
    renderer = pages.PageRenderer(tmp_path / "cache")
    try:
        pid = renderer._executor().submit(os.getpid).result(timeout=60)
        assert pid != os.getpid()
        assert _nice(pid) == min(19, os.nice(0) + pages.NICENESS)
    finally:
        renderer.close()
