"""The job loop's one boundary: what each kind of failure does to a job, with a toy job kind.

A bug or a permanent error ends the job at once (its file to failed/ with the reason); a
transient one is retried with growing delays, then failed; a job that keeps killing its
worker runs out of attempts and is failed with its file; a file that cannot be set aside is
kept and tried again later, never lost. Nothing here waits on a clock: due jobs are made due
by moving their `not_before`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from daemon.config import load
from daemon.errors import PermanentError
from daemon.register import clock, jobs
from daemon.register.models import DONE, FAILED, PENDING, AuditEvent, Job
from daemon.work.job import RETRY, Outcome, Ticket
from daemon.work.loop import MAX_INTERRUPTIONS, JobLoop
from daemon.work.parts import Parts

RULES = Path(__file__).resolve().parents[2] / "rules"


class NoReader:
    def read(self, path: Path) -> object:
        raise AssertionError("the toy kind reads nothing")

    read_body = signatures = read

    def close(self) -> None:
        pass


class Echo:
    """A toy job kind: the staged bytes, upper-cased, into out/. Scripted by their content."""

    def __init__(
        self, parts: Parts, kind: str = "echo", seen: list[str] | None = None, priority: int = 10
    ) -> None:
        self.parts, self.kind, self.priority = parts, kind, priority
        self.out = parts.settings.base_dir / "out"
        self.seen: list[str] = [] if seen is None else seen  # names, as analysis starts

    def analyse(self, ticket: Ticket) -> bytes:
        assert ticket.sha256 is not None
        data = self.parts.spool.path(ticket.sha256).read_bytes()
        self.seen.append(ticket.name)
        if data.startswith(b"bug"):
            raise KeyError("a programming error")
        if data.startswith(b"flaky"):
            raise ConnectionResetError(104, "Connection reset by peer")
        if data.startswith(b"bad"):
            raise PermanentError("not something an echo can repeat")
        return data.upper()

    def conclude(self, ticket: Ticket, result: bytes) -> Outcome:
        self.out.mkdir(exist_ok=True)
        (self.out / ticket.name).write_bytes(result)
        with self.parts.sessions.begin() as session:
            jobs.finish(session, ticket.id, DONE, worker=ticket.worker)
        self.parts.spool.discard(ticket.sha256)
        return Outcome(ticket.id, DONE)

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        return self.parts.setaside.fail(ticket, reason)


@dataclass
class World:
    parts: Parts
    echo: Echo
    loop: JobLoop

    def stage(self, name: str, data: bytes, kind: str = "echo") -> int:
        result = self.parts.stager.stage_bytes(
            data, name=name, kind=kind, source="test", provenance={}
        )
        assert result.job_id is not None
        return result.job_id

    def job(self, job_id: int) -> Job:
        with self.parts.sessions() as session:
            return session.get_one(Job, job_id)

    def make_due(self) -> None:
        with self.parts.sessions.begin() as session:
            session.execute(update(Job).where(Job.state == PENDING).values(not_before=clock.now()))

    def audit_rows(self) -> int:
        with self.parts.sessions() as session:
            return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    config = tmp_path / "vanthu.toml"
    config.write_text(
        f'[rules]\ndir = "{RULES}"\n[service]\nmax_attempts = 3\nretry_base_seconds = 30\n',
        encoding="utf-8",
    )
    parts = Parts.build(load(config), reader=NoReader())  # type: ignore[arg-type]
    echo = Echo(parts)
    loop = JobLoop([echo], parts.sessions, parts.settings.service, workers=1)
    yield World(parts, echo, loop)
    loop.close()
    parts.close()


def test_a_job_is_analysed_and_concluded(world: World) -> None:
    job_id = world.stage("hello.txt", b"xin chao")
    assert [o.state for o in world.loop.drain()] == [DONE]
    assert (world.echo.out / "hello.txt").read_bytes() == b"XIN CHAO"
    assert world.job(job_id).state == DONE


def test_a_bug_fails_the_job_at_once_with_its_file(world: World) -> None:
    job_id = world.stage("bug.txt", b"bug here")
    [outcome] = world.loop.drain()
    assert outcome.state == FAILED and world.job(job_id).attempts == 1
    assert (world.parts.settings.paths.failed / "bug.txt").read_bytes() == b"bug here"
    note = (world.parts.settings.paths.failed / "bug.txt.error.txt").read_text(encoding="utf-8")
    assert "internal error (KeyError" in note


def test_a_permanent_error_is_not_retried(world: World) -> None:
    job_id = world.stage("bad.txt", b"bad input")
    assert [o.state for o in world.loop.drain()] == [FAILED]
    assert world.job(job_id).attempts == 1
    note = (world.parts.settings.paths.failed / "bad.txt.error.txt").read_text(encoding="utf-8")
    assert "not something an echo can repeat" in note


def test_a_transient_error_is_retried_with_growing_delays_then_failed(world: World) -> None:
    job_id = world.stage("flaky.txt", b"flaky network")
    delays = []
    for _ in range(2):
        assert [o.state for o in world.loop.drain()] == [RETRY]
        job = world.job(job_id)
        assert job.state == PENDING and "Connection reset" in (job.last_error or "")
        delays.append(round((job.not_before - job.updated_at).total_seconds()))
        assert world.loop.drain() == [], "not retried before its time"
        world.make_due()
    assert delays == [30, 60]
    assert [o.state for o in world.loop.drain()] == [FAILED]
    note = (world.parts.settings.paths.failed / "flaky.txt.error.txt").read_text(encoding="utf-8")
    assert "gave up after 3 attempts: Connection reset by peer" in note


def test_a_job_that_keeps_killing_its_worker_is_failed_with_its_file(world: World) -> None:
    job_id = world.stage("killer.txt", b"kills every reader")
    for attempt in (1, 2, 3):  # each time a worker claims it and dies: its lease runs out
        with world.parts.sessions.begin() as session:
            [claimed] = jobs.claim(session, "dead:1", kinds=("echo",), lease_seconds=60)
            assert claimed.attempts == attempt
            past = clock.now() - dt.timedelta(seconds=1)
            session.execute(update(Job).where(Job.id == job_id).values(lease_until=past))
        if attempt < 3:  # what the running service does every few minutes
            with world.parts.sessions.begin() as session:
                assert jobs.release_expired(session) == 1
    [outcome] = world.loop.step()  # reclaims the lease, then gives up without analysing
    assert outcome.state == FAILED and world.echo.seen == []
    note = (world.parts.settings.paths.failed / "killer.txt.error.txt").read_text("utf-8")
    assert "gave up after 3 attempts: the lease ran out: dead:1 did not finish" in note
    assert (world.parts.settings.paths.failed / "killer.txt").read_bytes() == b"kills every reader"


def test_restarts_do_not_spend_attempts_but_a_job_the_service_dies_on_is_failed(
    world: World,
) -> None:
    job_id = world.stage("innocent.txt", b"in hand at every power cut")
    for restart in range(1, MAX_INTERRUPTIONS + 1):  # claimed, then the service is killed
        with world.parts.sessions.begin() as session:
            jobs.claim(session, "dead:1", kinds=("echo",), lease_seconds=600)
        world.loop.recover()  # what start-up does (SQLite: everything running is an orphan)
        job = world.job(job_id)
        assert (job.state, job.attempts, job.interruptions) == (PENDING, 0, restart)
        if restart == world.parts.settings.service.max_attempts + 1:
            # more restarts than attempts, and still read: a power cut is not its fault
            assert world.job(job_id).state == PENDING
    [outcome] = world.loop.drain()
    assert outcome.state == FAILED and world.echo.seen == []
    note = (world.parts.settings.paths.failed / "innocent.txt.error.txt").read_text("utf-8")
    assert f"the service stopped {MAX_INTERRUPTIONS} times while handling it" in note


def test_a_job_interrupted_a_few_times_is_still_done(world: World) -> None:
    job_id = world.stage("late.txt", b"done at last")
    for _restart in range(world.parts.settings.service.max_attempts + 2):
        with world.parts.sessions.begin() as session:
            jobs.claim(session, "dead:1", kinds=("echo",), lease_seconds=600)
        world.loop.recover()
    assert [o.state for o in world.loop.drain()] == [DONE]
    assert world.job(job_id).state == DONE


def test_a_file_that_cannot_be_set_aside_waits_and_is_never_lost(world: World) -> None:
    failed = world.parts.settings.paths.failed
    failed.parent.mkdir(parents=True, exist_ok=True)
    failed.write_text("a file where the folder should be")  # failed/ cannot be written
    job_id = world.stage("bad.txt", b"bad input")
    rows = world.audit_rows()
    assert [o.state for o in world.loop.drain()] == [RETRY]
    job = world.job(job_id)
    assert job.state == PENDING and "could not be set aside" in (job.last_error or "")
    assert world.parts.spool.path(job.sha256 or "").read_bytes() == b"bad input"
    assert world.audit_rows() - rows <= 2, "one claim and one retry, not a loop"
    failed.unlink()  # the clerk fixes the folder
    world.make_due()
    assert [o.state for o in world.loop.drain()] == [FAILED]
    assert (failed / "bad.txt").read_bytes() == b"bad input"


def test_the_more_urgent_kind_runs_first(world: World) -> None:
    later = Echo(world.parts, kind="later", seen=world.echo.seen, priority=90)
    loop = JobLoop(  # listed least urgent first: the priority decides, not the order
        [later, world.echo], world.parts.sessions, world.parts.settings.service, workers=1
    )
    try:
        world.stage("b1.txt", b"background one", kind="later")
        world.stage("b2.txt", b"background two", kind="later")
        world.stage("u1.txt", b"urgent one")
        loop.drain()
    finally:
        loop.close()
    assert world.echo.seen[0] == "u1.txt", "staged last, yet analysed first"
    assert sorted(world.echo.seen[1:]) == ["b1.txt", "b2.txt"]
    assert (later.out / "b2.txt").read_bytes() == b"BACKGROUND TWO"
