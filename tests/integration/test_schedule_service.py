"""The schedule inside the service: `vanthu run` starts APScheduler with every job registered,
and the catch-up on start runs each job's latest period once, across two starts."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from daemon.config import load
from daemon.register.db import make_engine, session_factory
from daemon.register.migrate import open_register
from daemon.register.models import ScheduleRun
from daemon.schedule import JOB_IDS
from daemon.schedule.scheduler import Scheduler
from tests.fixtures.install import Install, stop

WAIT = 300.0  # seconds; a readiness wait on a loaded machine, not a timing threshold


def runs(config: Path) -> list[tuple[str, str, str, int]]:
    settings = load(config)
    engine = make_engine(settings.database_url())
    try:
        with session_factory(engine)() as session:
            rows = session.scalars(select(ScheduleRun).order_by(ScheduleRun.job))
            return [(r.job, r.period, r.state, r.attempts) for r in rows]
    finally:
        engine.dispose()


def test_the_scheduler_registers_every_job_and_catches_up_once(install: Install) -> None:
    settings = load(install.config)
    engine = open_register(settings.database_url())
    sessions = session_factory(engine)
    try:
        first = Scheduler(settings, sessions)
        first.start()
        try:
            assert sorted(first.job_ids()) == sorted(JOB_IDS)
            outcomes = first.catch_up_done.result(timeout=WAIT)
        finally:
            first.stop()
        assert [(o.job, o.state) for o in outcomes] == [(job, "done") for job in JOB_IDS]

        second = Scheduler(settings, sessions)
        second.start()
        try:
            again = second.catch_up_done.result(timeout=WAIT)
        finally:
            second.stop()
        assert [o.state for o in again] == ["refused"] * len(JOB_IDS)
    finally:
        engine.dispose()
    rows = runs(install.config)
    assert [(job, attempts) for job, _p, _s, attempts in rows] == [
        (job, 1) for job in sorted(JOB_IDS)
    ]
    assert {state for _j, _p, state, _a in rows} == {"done"}


def _wait_for(install: Install, text: str, proc: subprocess.Popen[bytes], count: int = 1) -> None:
    deadline = time.monotonic() + WAIT
    while install.log_text().count(text) < count:
        if proc.poll() is not None:
            raise AssertionError(f"the service exited:\n{install.log_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {text!r} in the log:\n{install.log_text()[-3000:]}")
        time.sleep(0.2)


@pytest.mark.slow
def test_vanthu_run_runs_todays_digest_once_across_two_starts(install: Install) -> None:
    install.set("web", "enabled", "false")
    install.set("schedule", "enabled", "true")
    proc = install.start()
    try:
        _wait_for(install, "schedule-caught-up", proc)
    finally:
        assert stop(proc) == 0
    log = install.log_text()
    assert "schedule-started jobs=digest,reminders,weekly_export,monthly_report,backup" in log
    assert "schedule-done job=digest" in log
    digest = [r for r in runs(install.config) if r[0] == "digest"]
    assert len(digest) == 1 and digest[0][2:] == ("done", 1)

    proc = install.start()
    try:
        _wait_for(install, "schedule-caught-up", proc, count=2)
    finally:
        assert stop(proc) == 0
    second = install.logs[-1].read_text(encoding="utf-8")
    assert "schedule-caught-up ran=0" in second
    assert "schedule-start " not in second
    assert [r for r in runs(install.config) if r[0] == "digest"] == digest
