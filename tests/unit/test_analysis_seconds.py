"""The job loop keeps how long each job's analysis took on the job as it ends (the figure
/metrics turns into OCR seconds): for a job done and for one that failed in its analysis, in
the same transaction as the ending, and only on the job being concluded. The loop's clock is
a fake one that the toy analysis moves on, so nothing waits and nothing depends on speed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

import daemon.work.loop as loop_module
from daemon.config import load
from daemon.errors import PermanentError
from daemon.register import jobs
from daemon.register.models import DONE, FAILED, Job
from daemon.work.job import Outcome, Ticket
from daemon.work.loop import JobLoop
from daemon.work.parts import Parts

RULES = Path(__file__).resolve().parents[2] / "rules"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


class NoReader:
    def close(self) -> None:
        pass


class Timed:
    """A toy job kind whose analysis "takes" the seconds its staged bytes name."""

    kind = "timed"
    priority = 10

    def __init__(self, parts: Parts, clock: Clock) -> None:
        self.parts, self.clock = parts, clock

    def analyse(self, ticket: Ticket) -> str:
        assert ticket.sha256 is not None
        text = self.parts.spool.path(ticket.sha256).read_text(encoding="ascii")
        seconds, _, verdict = text.partition(" ")
        self.clock.now += float(seconds)
        if verdict == "unreadable":
            raise PermanentError("not a document")
        return verdict

    def conclude(self, ticket: Ticket, verdict: str) -> Outcome:
        with self.parts.sessions.begin() as session:
            jobs.finish(session, ticket.id, DONE, worker=ticket.worker)
        return Outcome(ticket.id, DONE)

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        return self.parts.setaside.fail(ticket, reason)


@dataclass
class World:
    parts: Parts
    loop: JobLoop

    def stage(self, name: str, data: bytes) -> int:
        staged = self.parts.stager.stage_bytes(
            data, name=name, kind="timed", source="test", provenance={}
        )
        assert staged.job_id is not None
        return staged.job_id

    def job(self, job_id: int) -> Job:
        with self.parts.sessions() as session:
            return session.get_one(Job, job_id)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    clock = Clock()
    monkeypatch.setattr(loop_module, "time", SimpleNamespace(monotonic=clock.monotonic))
    config = tmp_path / "vanthu.toml"
    config.write_text(f'[rules]\ndir = "{RULES}"\n', encoding="utf-8")
    parts = Parts.build(load(config), reader=NoReader())  # type: ignore[arg-type]
    loop = JobLoop([Timed(parts, clock)], parts.sessions, parts.settings.service, workers=1)
    yield World(parts, loop)
    loop.close()
    parts.close()


def test_a_job_ends_with_the_seconds_its_analysis_took(world: World) -> None:
    # One at a time: the loop reads ahead, and two analyses in flight would share the clock.
    quick = world.stage("quick.pdf", b"0.25 fine")
    assert [o.state for o in world.loop.drain()] == [DONE]
    slow = world.stage("slow.pdf", b"7.5 fine")
    assert [o.state for o in world.loop.drain()] == [DONE]
    assert (world.job(quick).analysis_seconds, world.job(slow).analysis_seconds) == (0.25, 7.5)


def test_a_job_that_failed_in_its_analysis_keeps_the_seconds_spent_on_it(world: World) -> None:
    job_id = world.stage("broken.pdf", b"3 unreadable")
    assert [o.state for o in world.loop.drain()] == [FAILED]
    assert world.job(job_id).analysis_seconds == 3.0


def test_only_the_job_being_concluded_gets_the_seconds(world: World) -> None:
    other = world.stage("other.pdf", b"1 fine")
    with world.parts.sessions.begin() as session:
        [claimed] = jobs.claim(session, "someone:1", kinds=("timed",), lease_seconds=60)
    with jobs.analysed_in(other + 1000, 9.0), world.parts.sessions.begin() as session:
        jobs.finish(session, claimed.id, DONE, worker="someone:1")
    assert world.job(other).analysis_seconds is None
    with jobs.analysed_in(other, 2.0):
        pass
    assert jobs._ANALYSED.get() is None, "the figure does not outlive its block"
