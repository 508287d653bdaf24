"""The pipeline's decisions, with a scripted reader (the reading itself is tested elsewhere)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from daemon.config import Settings, load
from daemon.ingest.pipeline import Pipeline, needs_review
from daemon.ingest.stage import Spool, Stager
from daemon.ingest.worker import Worker
from daemon.ocr.model import Fields, Line, Page, Reading, UnreadableDocument
from daemon.register.db import create_schema, make_engine, session_factory
from daemon.register.models import Document, Entry, Job
from daemon.rules import load_rules

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

    def read_body(self, path: Path) -> Reading:
        header = self.read(path)
        body = Line("Điều 1. Toàn văn của thân văn bản.", 0.1, 0.5, 0.9, 0.52)
        return Reading(header.media_type, (Page((*header.pages[0].lines, body), "ocr"),))


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, Stager, Worker]:
    config = tmp_path / "vanthu.toml"
    config.write_text(
        f'[rules]\ndir = "{RULES}"\n[service]\nmax_attempts = 2\nretry_base_seconds = 0.01\n',
        encoding="utf-8",
    )
    settings = load(config)
    engine = make_engine(settings.database_url())
    create_schema(engine)
    sessions = session_factory(engine)
    rules = load_rules(RULES)
    pipeline = Pipeline(settings, sessions, rules)
    stager = Stager(Spool(settings.paths.spool), sessions, 10_000_000)

    def fake_extract(reading: Reading, _types: object) -> Fields:
        first = reading.pages[0].lines[0].text
        conf = {k: 0.95 for k in ("number", "date", "doc_type", "subject", "issuer")}
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

    monkeypatch.setattr("daemon.ingest.pipeline.extract_fields", fake_extract)
    worker = Worker(pipeline, ScriptedReader(), sessions, workers=2, lease_seconds=60)
    return settings, stager, worker


def stage(stager: Stager, name: str, data: bytes) -> None:
    stager.stage_bytes(data, name=name, source="cli", provenance={})


def test_documents_are_numbered_in_staging_order(setup: tuple[Settings, Stager, Worker]) -> None:
    settings, stager, worker = setup
    for i in range(5):
        stage(stager, f"d{i}.pdf", f"{i + 10}|text".encode())
    outcomes = worker.drain()
    assert [o.number[2] for o in outcomes if o.number] == [1, 2, 3, 4, 5]
    with worker.sessions() as session:
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


def test_unreadable_goes_to_failed_with_reason(setup: tuple[Settings, Stager, Worker]) -> None:
    settings, stager, worker = setup
    stage(stager, "broken.pdf", b"fail")
    stage(stager, "fine.pdf", b"1|ok")
    outcomes = worker.drain()
    assert [o.state for o in outcomes] == ["failed", "done"]
    assert (settings.paths.failed / "broken.pdf").read_bytes() == b"fail"
    note = (settings.paths.failed / "broken.pdf.error.txt").read_text(encoding="utf-8")
    assert "corrupt PDF: no pages" in note


def test_secret_is_set_aside_and_scrubbed(setup: tuple[Settings, Stager, Worker]) -> None:
    settings, stager, worker = setup
    stage(stager, "mat.pdf", b"secret|Ke hoach")
    stage(stager, "don.pdf", b"complaint|x")
    outcomes = worker.drain()
    assert [o.state for o in outcomes] == ["set_aside", "set_aside"]
    assert (settings.paths.quarantine / "mat.pdf").stat().st_mode & 0o777 == 0o600
    with worker.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        jobs = session.scalars(select(Job)).all()
        assert all(j.sha256 is None and j.payload == {} for j in jobs)
    assert not list(settings.paths.spool.iterdir())
    assert not settings.paths.archive.exists() or not list(settings.paths.archive.rglob("*.*"))


def test_transient_errors_are_retried_then_failed(setup: tuple[Settings, Stager, Worker]) -> None:
    import time

    settings, stager, worker = setup
    stage(stager, "slow.pdf", b"boom")
    assert [o.state for o in worker.drain()] == ["retry"]
    time.sleep(0.05)
    assert [o.state for o in worker.drain()] == ["failed"]
    note = (settings.paths.failed / "slow.pdf.error.txt").read_text(encoding="utf-8")
    assert "gave up after 2 attempts" in note and "TimeoutError" in note


def test_low_confidence_and_unknown_senders_need_review() -> None:
    conf = {k: 0.9 for k in ("number", "date", "doc_type", "subject", "issuer")}
    assert needs_review(Fields(confidence=conf), 0.6, {}) == []
    assert needs_review(Fields(confidence={**conf, "date": 0.1}), 0.6, {}) == [
        "low confidence: date"
    ]
    assert needs_review(Fields(confidence=conf), 0.6, {"sender_allowed": False}) == [
        "sender not on the allow-list"
    ]


def test_duplicate_bytes_are_staged_once(setup: tuple[Settings, Stager, Worker]) -> None:
    _settings, stager, worker = setup
    first = stager.stage_bytes(b"7|x", name="a.pdf", source="cli", provenance={})
    second = stager.stage_bytes(b"7|x", name="b.pdf", source="cli", provenance={})
    assert not first.duplicate and second.duplicate
    worker.drain()
    third = stager.stage_bytes(b"7|x", name="c.pdf", source="cli", provenance={})
    assert third.duplicate and third.job_id is None
    assert not list(stager.spool.root.iterdir())


def test_a_scan_is_registered_first_and_its_body_read_later(
    setup: tuple[Settings, Stager, Worker],
) -> None:
    _settings, stager, worker = setup
    stage(stager, "scan.pdf", b"scan|header only")
    stage(stager, "digital.pdf", b"5|born digital")
    first = worker.step()
    assert [o.state for o in first] == ["done", "done"], "both registered before any body"
    with worker.sessions() as session:
        assert "Toàn văn" not in session.scalars(select(Document.text)).all()[0]
    assert [o.state for o in worker.step()] == ["done"], "then the one scan's full text"
    assert worker.step() == []
    with worker.sessions() as session:
        texts = dict(session.execute(select(Document.original_name, Document.text)).all())
    assert "Toàn văn" in texts["scan.pdf"] and "Toàn văn" not in texts["digital.pdf"]


class GatedReader(ScriptedReader):
    """Reads whose content starts with "slow" wait until `release` is set; logs the order."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.log: list[str] = []
        self.lock = threading.Lock()

    def read(self, path: Path) -> Reading:
        name = path.read_bytes().decode().split("|")[0]
        with self.lock:
            self.log.append(f"start {name}")
        if name.startswith("slow"):
            assert self.release.wait(10), "the slow read was never released"
        reading = super().read(path)
        with self.lock:
            self.log.append(f"end {name}")
        return reading


def test_a_slow_document_does_not_hold_up_the_reading_of_the_next(
    setup: tuple[Settings, Stager, Worker],
) -> None:
    """No batch barrier: while the first document is still being read, the ones staged after
    it are read (up to the bound claimed ahead), and numbers still follow staging order."""
    _settings, stager, worker = setup
    reader = GatedReader()
    worker.reader = reader
    names = ["slow1", *(f"{i}" for i in range(2, 8))]
    for name in names:
        stage(stager, f"{name}.pdf", f"{name}|text".encode())

    def release_when_the_rest_are_read() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and sum(e.startswith("end") for e in reader.log) < 6:
            time.sleep(0.01)
        reader.release.set()

    helper = threading.Thread(target=release_when_the_rest_are_read)
    helper.start()
    outcomes = worker.step()
    helper.join()
    assert reader.log.index("end 7") < reader.log.index("end slow1"), reader.log
    assert [o.number[2] for o in outcomes if o.number] == [1, 2, 3, 4, 5, 6, 7]
    with worker.sessions() as session:
        numbers = session.scalars(select(Document.number).join(Entry).order_by(Entry.seq)).all()
    assert numbers == [f"{name}/QĐ-UBND" for name in names]
