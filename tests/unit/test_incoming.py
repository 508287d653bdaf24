"""The incoming handler's decisions through the job loop, with a scripted reader (the reading
itself is tested elsewhere)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from daemon.config import Settings, load
from daemon.ingest import INCOMING
from daemon.ingest.fulltext import FullTextHandler
from daemon.ingest.incoming import IncomingHandler, needs_review
from daemon.ocr.model import Fields, Line, Page, Reading, UnreadableDocument
from daemon.register import clock
from daemon.register.models import Document, Entry, Job
from daemon.work.loop import JobLoop
from daemon.work.parts import Parts
from daemon.work.stage import Stager

RULES = Path(__file__).resolve().parents[2] / "rules"


class ScriptedReader:
    """Returns a prepared outcome per file content (b"fail", b"boom", anything else reads)."""

    def __init__(self) -> None:
        self.calls = 0

    def read(self, path: Path) -> Reading:
        self.calls += 1
        data = path.read_bytes()
        if data.startswith(b"fail"):
            raise UnreadableDocument("corrupt PDF: no pages")
        if data.startswith(b"boom"):
            raise TimeoutError("tesseract took too long")
        text = data.decode()
        source = "ocr" if text.startswith("scan") else "text-layer"
        lines = tuple(
            Line(t, 0.1, 0.1 * i, 0.9, 0.1 * i + 0.05) for i, t in enumerate(text.split("|"))
        )
        return Reading("application/pdf", (Page(lines, source),))

    def close(self) -> None:
        pass

    def signatures(self, path: Path, roots_dir: Path) -> tuple[object, ...]:
        return ()  # these scripted PDFs carry no signature

    def read_body(self, path: Path) -> Reading:
        header = self.read(path)
        body = Line("Điều 1. Toàn văn của thân văn bản.", 0.1, 0.5, 0.9, 0.52)
        return Reading(header.media_type, (Page((*header.pages[0].lines, body), "ocr"),))


@dataclass
class Setup:
    settings: Settings
    parts: Parts
    loop: JobLoop

    @property
    def stager(self) -> Stager:
        return self.parts.stager


def fake_extract(reading: Reading, _types: object) -> Fields:
    first = reading.pages[0].lines[0].text
    conf = {k: 0.95 for k in ("number", "date", "doc_type", "subject", "issuer", "secrecy")}
    if first == "secret":
        return Fields(secrecy="Mật", subject="Kế hoạch bí mật", confidence=conf)
    if first == "complaint":
        return Fields(doc_type="Đơn khiếu nại", confidence=conf)
    if first == "unsure":
        conf["number"] = 0.2
    return Fields(
        number=f"{first}/QĐ-UBND",
        date=dt.date(2026, 1, 5),
        doc_type="Quyết định",
        subject="Về việc thử",
        issuer="UBND HUYỆN",
        urgency="Khẩn",
        confidence=conf,
    )


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    config = tmp_path / "vanthu.toml"
    config.write_text(
        f'[rules]\ndir = "{RULES}"\n[service]\nmax_attempts = 2\nretry_base_seconds = 60\n',
        encoding="utf-8",
    )
    settings = load(config)
    parts = Parts.build(settings, reader=ScriptedReader())
    monkeypatch.setattr("daemon.ingest.incoming.extract_fields", fake_extract)
    handlers = [IncomingHandler(parts), FullTextHandler(parts)]
    loop = JobLoop(handlers, parts.sessions, settings.service, workers=2)
    yield Setup(settings, parts, loop)
    loop.close()
    parts.close()


def stage(stager: Stager, name: str, data: bytes) -> None:
    stager.stage_bytes(data, name=name, kind=INCOMING, source="cli", provenance={})


def test_documents_are_numbered_in_staging_order(setup: Setup) -> None:
    settings, stager, worker = setup.settings, setup.stager, setup.loop
    for i in range(5):
        stage(stager, f"d{i}.pdf", f"{i + 10}|text".encode())
    outcomes = worker.drain()
    assert [o.number[2] for o in outcomes if o.number] == [1, 2, 3, 4, 5]
    with setup.parts.sessions() as session:
        numbers = session.scalars(select(Document.number).join(Entry).order_by(Entry.seq)).all()
        assert numbers == [f"{i + 10}/QĐ-UBND" for i in range(5)]
        assert (
            session.scalar(
                select(func.count()).select_from(Entry).where(Entry.due_date.is_not(None))
            )
            == 5
        ), "Khẩn documents get a due date"
    assert not list(settings.paths.spool.iterdir()), "registered bytes leave the spool"
    assert len(list(settings.paths.archive.rglob("*.pdf"))) == 5


def test_unreadable_goes_to_failed_with_reason(setup: Setup) -> None:
    settings, stager, worker = setup.settings, setup.stager, setup.loop
    stage(stager, "broken.pdf", b"fail")
    stage(stager, "fine.pdf", b"1|ok")
    outcomes = worker.drain()
    assert [o.state for o in outcomes] == ["failed", "done"]
    assert (settings.paths.failed / "broken.pdf").read_bytes() == b"fail"
    note = (settings.paths.failed / "broken.pdf.error.txt").read_text(encoding="utf-8")
    assert "corrupt PDF: no pages" in note


def test_secret_is_set_aside_and_scrubbed(setup: Setup) -> None:
    settings, stager, worker = setup.settings, setup.stager, setup.loop
    stage(stager, "mat.pdf", b"secret|Ke hoach")
    stage(stager, "don.pdf", b"complaint|x")
    outcomes = worker.drain()
    assert [o.state for o in outcomes] == ["set_aside", "set_aside"]
    assert (settings.paths.quarantine / "mat.pdf").stat().st_mode & 0o777 == 0o600
    with setup.parts.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        jobs = session.scalars(select(Job)).all()
        assert all(j.sha256 is None and j.payload == {} for j in jobs)
    assert not list(settings.paths.spool.iterdir())
    assert not settings.paths.archive.exists() or not list(settings.paths.archive.rglob("*.*"))


def test_transient_errors_are_retried_then_failed(setup: Setup) -> None:
    settings, stager, worker = setup.settings, setup.stager, setup.loop
    stage(stager, "slow.pdf", b"boom")
    assert [o.state for o in worker.drain()] == ["retry"]
    assert worker.drain() == [], "not retried before its time"
    with setup.parts.sessions.begin() as session:  # its time has come
        session.execute(update(Job).values(not_before=clock.now()))
    assert [o.state for o in worker.drain()] == ["failed"]
    note = (settings.paths.failed / "slow.pdf.error.txt").read_text(encoding="utf-8")
    assert "gave up after 2 attempts" in note and "TimeoutError" in note


def test_low_confidence_and_unknown_senders_need_review() -> None:
    conf = {k: 0.9 for k in ("number", "date", "doc_type", "subject", "issuer")}
    assert needs_review(Fields(confidence=conf), 0.6, {}) == []
    assert needs_review(Fields(confidence={**conf, "date": 0.1}), 0.6, {}) == [
        "chưa chắc: Ngày tháng văn bản"
    ]
    assert needs_review(Fields(confidence=conf), 0.6, {"sender_allowed": False}) == [
        "người gửi không có trong danh sách được phép"
    ]


def test_duplicate_bytes_are_staged_once(setup: Setup) -> None:
    _settings, stager, worker = setup.settings, setup.stager, setup.loop
    first = stager.stage_bytes(b"7|x", name="a.pdf", kind=INCOMING, source="cli", provenance={})
    second = stager.stage_bytes(b"7|x", name="b.pdf", kind=INCOMING, source="cli", provenance={})
    assert not first.duplicate and second.duplicate
    worker.drain()
    third = stager.stage_bytes(b"7|x", name="c.pdf", kind=INCOMING, source="cli", provenance={})
    assert third.duplicate and third.job_id is None
    assert not list(stager.spool.root.iterdir())


def test_a_scan_is_registered_first_and_its_body_read_later(
    setup: Setup,
) -> None:
    _settings, stager, worker = setup.settings, setup.stager, setup.loop
    stage(stager, "scan.pdf", b"scan|header only")
    stage(stager, "digital.pdf", b"5|born digital")
    first = worker.step()
    assert [o.state for o in first] == ["done", "done"], "both registered before any body"
    with setup.parts.sessions() as session:
        assert "Toàn văn" not in session.scalars(select(Document.text)).all()[0]
    assert [o.state for o in worker.step()] == ["done"], "then the one scan's full text"
    assert worker.step() == []
    with setup.parts.sessions() as session:
        texts = dict(session.execute(select(Document.original_name, Document.text)).all())
    assert "Toàn văn" in texts["scan.pdf"] and "Toàn văn" not in texts["digital.pdf"]


class GatedReader(ScriptedReader):
    """Reads whose content starts with "slow" wait until every other read has ended; the
    order of starts and ends is logged. Event-driven: no clock decides anything."""

    def __init__(self, others: int) -> None:
        super().__init__()
        self.others = others
        self.release = threading.Event()
        self.log: list[str] = []
        self.lock = threading.Lock()

    def read(self, path: Path) -> Reading:
        name = path.read_bytes().decode().split("|")[0]
        with self.lock:
            self.log.append(f"start {name}")
        if name.startswith("slow"):
            # Only a safety net against hanging the suite if the loop reads nothing ahead.
            assert self.release.wait(300), f"the others were never read: {self.log}"
        reading = super().read(path)
        with self.lock:
            self.log.append(f"end {name}")
            if sum(e.startswith("end") for e in self.log) == self.others:
                self.release.set()
        return reading


def test_a_slow_document_does_not_hold_up_the_reading_of_the_next(setup: Setup) -> None:
    """No batch barrier: while the first document is still being read, the ones staged after
    it are read (up to the bound claimed ahead), and numbers still follow staging order."""
    names = ["slow1", *(f"{i}" for i in range(2, 8))]
    reader = GatedReader(others=len(names) - 1)
    setup.parts.reader = reader
    for name in names:
        stage(setup.stager, f"{name}.pdf", f"{name}|text".encode())
    outcomes = setup.loop.step()
    assert reader.log.index("end 7") < reader.log.index("end slow1"), reader.log
    assert [o.number[2] for o in outcomes if o.number] == [1, 2, 3, 4, 5, 6, 7]
    with setup.parts.sessions() as session:
        numbers = session.scalars(select(Document.number).join(Entry).order_by(Entry.seq)).all()
    assert numbers == [f"{name}/QĐ-UBND" for name in names]
