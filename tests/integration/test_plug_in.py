"""A new source and a new job kind plug in from outside the package, without touching the work
core or either wing: a toy "fax line" source and a "fax" job kind, defined in this test, run
through the same `vanthu run --once` machinery beside the incoming wing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from daemon.config import load
from daemon.register import jobs
from daemon.register.db import make_engine, session_factory
from daemon.register.models import DONE, AuditEvent
from daemon.service import DEFAULT_WINGS, run_service
from daemon.work.job import Outcome, Ticket
from daemon.work.parts import Parts, Wing
from daemon.work.source import Source
from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.fixtures.install import Install

pytestmark = pytest.mark.slow


class FaxLine(Source):
    """Pages received by a (pretend) fax line: staged, then acknowledged to the line."""

    name = "fax"

    def __init__(self, parts: Parts, waiting: list[tuple[str, bytes]]) -> None:
        self.parts, self.waiting = parts, waiting
        self.acknowledged: list[str] = []

    def run_once(self) -> None:
        while self.waiting:
            name, data = self.waiting[0]
            self.parts.stager.stage_bytes(
                data, name=name, kind="fax", source="fax", provenance={"line": "0258 3861 234"}
            )
            self.acknowledged.append(name)  # only once the job is committed
            self.waiting.pop(0)

    def serve(self, stop: threading.Event) -> None:
        while not stop.wait(0.2):
            self.run_once()


class FaxHandler:
    kind = "fax"
    priority = 50

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.out = parts.settings.base_dir / "fax"

    def analyse(self, ticket: Ticket) -> str:
        assert ticket.sha256 is not None
        text = self.parts.spool.path(ticket.sha256).read_text(encoding="utf-8")
        if not text.startswith("FAX"):
            raise ValueError("no fax header")  # a bug, as far as the loop can tell
        return text.removeprefix("FAX").strip()

    def conclude(self, ticket: Ticket, body: str) -> Outcome:
        self.out.mkdir(exist_ok=True)
        (self.out / ticket.name).write_text(body, encoding="utf-8")
        with self.parts.sessions.begin() as session:
            jobs.finish(session, ticket.id, DONE, worker=ticket.worker)
        self.parts.spool.discard(ticket.sha256)
        return Outcome(ticket.id, DONE)

    def fail(self, ticket: Ticket, reason: str) -> Outcome:
        return self.parts.setaside.fail(ticket, reason)


def test_a_toy_source_and_job_kind_run_beside_the_incoming_wing(install: Install) -> None:
    (install.folder("inbox") / "cong-van.pdf").write_bytes(render_pdf(make_specs(1, seed=4)[0]))
    waiting = [
        ("thong-bao.txt", "FAX Thông báo lịch họp giao ban tuần".encode()),
        ("nhieu.txt", "tiếng rè, không đọc được".encode()),
    ]
    lines: list[FaxLine] = []

    def fax_wing(parts: Parts) -> Wing:
        lines.append(FaxLine(parts, waiting))
        return Wing("fax", [lines[0]], [FaxHandler(parts)])

    settings = load(install.config)
    stop, wake = threading.Event(), threading.Event()
    assert (
        run_service(settings, once=True, stop=stop, wake=wake, wings=[*DEFAULT_WINGS, fax_wing])
        == 0
    )

    assert lines[0].acknowledged == ["thong-bao.txt", "nhieu.txt"] and not waiting
    fax = install.folder("fax") / "thong-bao.txt"
    assert fax.read_text(encoding="utf-8") == "Thông báo lịch họp giao ban tuần"
    failed = install.folder("failed")
    assert (failed / "nhieu.txt").exists()
    assert "no fax header" in (failed / "nhieu.txt.error.txt").read_text(encoding="utf-8")
    [entry] = install.entries()
    assert entry["seq"] == 1 and entry["original_name"] == "cong-van.pdf"
    engine = make_engine(settings.database_url())
    try:
        with session_factory(engine)() as session:
            staged = session.scalars(
                select(AuditEvent.data).where(AuditEvent.event == "staged")
            ).all()
    finally:
        engine.dispose()
    assert sorted(d["source"] for d in staged) == ["fax", "fax", "folder"]
    assert "intact" in install.vanthu("verify").stdout
