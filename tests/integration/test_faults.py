"""Faults with the real `vanthu run`: failed/ unwritable, a reading process killed by the
kernel, a reading process that hangs, PostgreSQL stopped mid-job, an inbox on another file
system. In each no job is claimed more than `max_attempts` times, the audit log grows by a
bounded number of rows, and every document ends registered or set aside once the fault is
gone."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.docgen.random_docs import NO_MARK, make_specs, random_spec, secret_spec
from tests.docgen.render import render_pdf
from tests.docgen.scan import save_as, scan
from tests.fixtures.install import Install, stop
from tests.fixtures.outgoing import make_due
from tests.fixtures.postgres import PgServer

pytestmark = pytest.mark.slow

WAIT = 300.0  # a deadline for background work, not a performance threshold


def _query(install: Install, sql: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(f"file:{install.folder('var') / 'vanthu.db'}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def _pg_query(install: Install, sql: str) -> list[tuple[Any, ...]]:
    """The same on PostgreSQL, through the URL in the office's config."""
    import psycopg

    url = tomllib.loads(install.config.read_text(encoding="utf-8"))["database"]["url"]
    params = make_url(url)
    conninfo = f"dbname={params.database} user={params.username} " + " ".join(
        f"{key}={value}" for key, value in params.query.items()
    )
    with psycopg.connect(conninfo) as conn:
        return conn.execute(sql).fetchall()


def _audit_rows(install: Install) -> int:
    return int(_query(install, "SELECT count(*) FROM audit_log")[0][0])


def _claims(install: Install) -> int:
    return int(_query(install, "SELECT max(attempts) FROM jobs")[0][0] or 0)


def _readers(service: subprocess.Popen[bytes]) -> list[int]:
    """The service's reading processes: its children spawned by multiprocessing."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):  # gone meanwhile
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == service.pid and b"spawn_main" in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
    return found


def _wait_started(install: Install, service: subprocess.Popen[bytes], deadline: float) -> None:
    while " started sources=" not in install.log_text():
        assert time.monotonic() < deadline and service.poll() is None, install.log_text()
        time.sleep(0.2)


def _scan_tiff(tmp_path: Path, seed: int) -> bytes:
    spec = random_spec(random.Random(seed), secrecy=NO_MARK, pages=2)
    path = tmp_path / f"scan{seed}.tif"
    save_as(scan(render_pdf(spec), dpi=300, grey=True, seed=seed), path, "tiff")
    return path.read_bytes()


def test_a_failed_folder_that_cannot_be_written_neither_loops_nor_loses_the_file(
    install: Install,
) -> None:
    install.set("service", "retry_base_seconds", "0.5")
    service = install.start()
    failed = install.folder("failed")
    try:
        deadline = time.monotonic() + WAIT
        _wait_started(install, service, deadline)
        shutil.rmtree(failed)
        failed.write_text("not a folder")  # from now on nothing can be placed in failed/
        before = _audit_rows(install)
        (install.folder("inbox") / "hong.pdf").write_bytes(b"%PDF-1.7 not really")
        while not _query(install, "SELECT 1 FROM jobs WHERE last_error LIKE '%set aside%'"):
            assert time.monotonic() < deadline and service.poll() is None
            time.sleep(0.2)
        time.sleep(5.0)  # let it try again as often as it will
        grown = _audit_rows(install) - before
        assert grown <= 20, f"{grown} audit rows in a few seconds: the job is looping"
        [(sha,)] = _query(install, "SELECT sha256 FROM jobs WHERE state = 'pending'")
        assert (install.folder("var") / "spool" / str(sha)).exists(), "its bytes are kept"

        failed.unlink()  # the clerk mends the folder
        make_due(install.folder("var") / "vanthu.db")
        install.vanthu("verify")  # any command: the service picks the job up on its own
        while not (failed / "hong.pdf").exists():
            assert time.monotonic() < deadline and service.poll() is None
            time.sleep(0.2)
    finally:
        assert stop(service) == 0
    assert (failed / "hong.pdf").read_bytes() == b"%PDF-1.7 not really"
    assert "corrupt PDF" in (failed / "hong.pdf.error.txt").read_text(encoding="utf-8")


def test_a_reading_process_killed_by_the_kernel_does_not_lose_the_document(
    install: Install, tmp_path: Path
) -> None:
    data = _scan_tiff(tmp_path, 41)
    service = install.start()
    try:
        deadline = time.monotonic() + WAIT
        _wait_started(install, service, deadline)
        (install.folder("inbox") / "scan.tif").write_bytes(data)
        killed = 0
        while killed < 1 and time.monotonic() < deadline:
            busy = _query(install, "SELECT count(*) FROM jobs WHERE state = 'running'")[0][0]
            if busy:  # reading now: the kernel's OOM killer strikes
                for pid in _readers(service):
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
            time.sleep(0.05)
        rows = install.wait_for_entries(1, timeout=WAIT, proc=service)
    finally:
        assert stop(service) == 0
    assert killed >= 1
    assert [r["original_name"] for r in rows] == ["scan.tif"]
    assert _claims(install) <= 2
    assert "intact" in install.vanthu("verify").stdout


def test_a_hung_reading_process_is_killed_and_the_document_still_read(
    install: Install, tmp_path: Path
) -> None:
    install.set("reading", "ocr_timeout", "2.0")  # a hang is noticed after 2 x 2 + 60 s
    data = _scan_tiff(tmp_path, 42)
    stopped: list[int] = []
    service = install.start()
    try:
        deadline = time.monotonic() + WAIT
        _wait_started(install, service, deadline)
        (install.folder("inbox") / "scan.tif").write_bytes(data)
        while not stopped and time.monotonic() < deadline:
            if _query(install, "SELECT count(*) FROM jobs WHERE state = 'running'")[0][0]:
                for pid in _readers(service):  # a decoder stuck in a loop: it never answers
                    os.kill(pid, signal.SIGSTOP)
                    stopped.append(pid)
            time.sleep(0.05)
        rows = install.wait_for_entries(1, timeout=WAIT, proc=service)
    finally:
        for pid in stopped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        assert stop(service) == 0
    assert [r["original_name"] for r in rows] == ["scan.tif"]
    assert "killing the reading processes" in install.log_text()


@pytest.mark.postgres
def test_the_database_stopped_mid_job_and_started_again(
    install: Install, own_pg_server: PgServer, tmp_path: Path
) -> None:
    install.set("database", "url", f'"{own_pg_server.url(own_pg_server.create_database())}"')
    install.set("service", "job_lease_seconds", "60.0")  # a job cut off is retried after this
    install.vanthu("db", "upgrade")
    first, second = _scan_tiff(tmp_path, 43), _scan_tiff(tmp_path, 44)
    service = install.start()
    try:
        deadline = time.monotonic() + WAIT
        _wait_started(install, service, deadline)
        (install.folder("inbox") / "truoc.tif").write_bytes(first)
        while not _pg_query(install, "SELECT 1 FROM jobs WHERE state = 'running'"):
            assert time.monotonic() < deadline and service.poll() is None
            time.sleep(0.05)
        own_pg_server.stop()  # mid-job: the reading goes on, recording it cannot
        (install.folder("inbox") / "trong-luc-mat.tif").write_bytes(second)
        while " error " not in install.log_text():  # it notices, and keeps running
            assert time.monotonic() < deadline and service.poll() is None
            time.sleep(0.2)
        own_pg_server.start()
        rows = install.wait_for_entries(2, timeout=WAIT, proc=service)
        claims = _pg_query(install, "SELECT max(attempts) FROM jobs")[0][0]
        audit_rows = _pg_query(install, "SELECT count(*) FROM audit_log")[0][0]
    finally:
        assert stop(service) == 0
    assert sorted(r["original_name"] for r in rows) == ["trong-luc-mat.tif", "truoc.tif"]
    assert sorted(r["seq"] for r in rows) == [1, 2]
    # Claimed once if its read outlasted the outage, again after its lease if it was cut off.
    assert claims <= 5, claims
    assert audit_rows <= 30, audit_rows
    assert not list(install.folder("inbox").iterdir())
    assert "intact" in install.vanthu("verify").stdout


@pytest.fixture
def inbox_on_tmpfs(install: Install) -> Iterator[Path]:
    """The office's inbox/ as a tmpfs of its own, as an SMB share is: another file system."""
    inbox = install.folder("inbox")
    inbox.mkdir(exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "tmpfs", str(inbox)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {mounted.stderr.strip()}")
    try:
        yield inbox
    finally:
        subprocess.run(["umount", "-l", str(inbox)], check=False)


def test_an_inbox_on_another_file_system(
    install: Install, inbox_on_tmpfs: Path, tmp_path: Path
) -> None:
    assert os.stat(inbox_on_tmpfs).st_dev != os.stat(install.folder("processed")).st_dev
    normal = render_pdf(make_specs(1, seed=61)[0])
    (inbox_on_tmpfs / "cong-van.pdf").write_bytes(normal)
    (inbox_on_tmpfs / "mat.pdf").write_bytes(render_pdf(secret_spec()))
    install.vanthu("run", "--once")
    install.vanthu("run", "--once")  # again: nothing is left to stage, alert or quarantine

    assert not list(inbox_on_tmpfs.iterdir()), "acknowledged by a copy and an unlink"
    [row] = install.entries()
    assert row["original_name"] == "cong-van.pdf"
    [kept] = install.folder("processed").rglob("cong-van.pdf")
    assert kept.read_bytes() == normal
    assert (install.folder("quarantine") / "mat.pdf").exists()
    events = [e for (e,) in _query(install, "SELECT event FROM audit_log")]
    assert "duplicate" not in events and events.count("staged") == 2, events
    assert install.log_text().count("alert:set-aside") <= 1
