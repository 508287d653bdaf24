"""Reading end to end: the Reader with its worker processes, real PDFium, real Tesseract.

The OCR tests (`slow`) read a handful of pages rendered from a PDF built in the tests.
"""

from __future__ import annotations

import io
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr import pool as reading_pool
from daemon.ocr import signature, tesseract
from daemon.ocr.doctypes import DocTypes
from daemon.ocr.fields import extract_fields
from daemon.ocr.model import FIELD_NAMES, KEY_FIELDS, Line, Reading, UnreadableDocument
from daemon.ocr.pool import ReadingPool, WorkerCrashed
from daemon.ocr.reader import Reader
from tests.unit.test_read_images import png_header
from tests.unit.test_read_pdfs import (
    MOTTO,
    NUMBER,
    encrypted_pdf,
    image_pdf,
    nd30_pdf,
    render,
    write,
)
from tests.unit.test_read_signature import NAME, sealed_column

RULES = Path(__file__).resolve().parent.parent.parent / "rules" / "doc_types.toml"
pytestmark = pytest.mark.skipif(not tesseract.has_language("vie"), reason="needs tesseract-ocr-vie")


@pytest.fixture(scope="module")
def reader() -> Iterator[Reader]:
    with Reader(ReadingSettings(workers=2)) as r:
        yield r


@pytest.fixture(scope="module")
def scan() -> Image.Image:
    """A clean 300 dpi grey scan of the ND30 test page."""
    return render(nd30_pdf(), dpi=300)


def saved(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def find(reading: Reading, text: str, page: int = 0) -> Line:
    lines = reading.pages[page].lines
    found = [ln for ln in lines if ln.text == text]
    assert found, f"{text!r} not among {[ln.text for ln in lines]}"
    return found[0]


# ---------------------------------------------------------------- Tesseract probes


def test_tesseract_probes() -> None:
    assert tesseract.tesseract_version()[0].isdigit()
    assert tesseract.has_language("vie") and tesseract.has_language("vie+osd")
    assert not tesseract.has_language("xyz")
    tesseract.check("vie")
    with pytest.raises(tesseract.TesseractMissing, match="apt-get install tesseract-ocr-xyz"):
        tesseract.check("vie+xyz")


def test_tesseract_timeout_kills_the_call(scan: Image.Image) -> None:
    with pytest.raises(tesseract.TesseractTimeout):
        tesseract.ocr_lines(scan, lang="vie", psm=3, timeout=0.01)


# ---------------------------------------------------------------- reasons


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.pdf", b"", "empty file"),
        (
            "note.pdf",
            "Kính gửi anh Nam,\nxin gửi lại.\n".encode(),
            "not a PDF or image (looks like plain text)",
        ),
        ("secret.pdf", encrypted_pdf(), "encrypted PDF (password protected): cannot be read"),
        ("cut.pdf", nd30_pdf()[:3000], "corrupt PDF: damaged or truncated file structure"),
        (
            "bomb.png",
            png_header(60000, 60000),
            "image too large: 60000x60000 pixels exceeds the limit of 120,000,000 pixels",
        ),
    ],
)
def test_unreadable_reasons(
    reader: Reader, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        reader.read(write(tmp_path, name, data))
    assert caught.value.reason == reason


def test_limits(tmp_path: Path) -> None:
    with Reader(ReadingSettings(workers=1, max_pages=2, max_file_mb=0.2)) as strict:
        with pytest.raises(UnreadableDocument, match=r"^too many pages: 3 > 2$"):
            strict.read(write(tmp_path, "long.pdf", nd30_pdf(pages=3)))
        big = write(tmp_path, "big.pdf", nd30_pdf() + b"%" * 300_000)
        with pytest.raises(
            UnreadableDocument, match=r"^file too large: 0\.[0-9] MB exceeds the limit of 0\.2 MB$"
        ):
            strict.read(big)


def test_born_digital_pdf_uses_its_text_layer(reader: Reader, tmp_path: Path) -> None:
    reading = reader.read(write(tmp_path, "qd.pdf", nd30_pdf(pages=2)))
    assert reading.media_type == "application/pdf"
    assert reading.text_source == "text-layer"
    assert len(reading.pages) == 2
    assert find(reading, NUMBER).conf == 1.0
    assert find(reading, "ỦY BAN NHÂN DÂN").x1 < find(reading, MOTTO).x0


# ---------------------------------------------------------------- OCR


def _check_header(reading: Reading) -> None:
    """Both header columns read apart; the motto, which holds no field, left unread."""
    assert reading.text_source == "ocr"
    number = find(reading, NUMBER)
    date = find(reading, "Khánh Sơn, ngày 04 tháng 11 năm 2016")
    assert number.x1 < date.x0 and abs(number.y0 - date.y0) < 0.01
    assert 0.04 < find(reading, "ỦY BAN NHÂN DÂN").y0 < 0.08 and number.x0 < 0.45
    assert 0.5 < number.conf <= 1.0
    assert not any("Hạnh phúc" in line.text for line in reading.pages[0].lines)


@pytest.mark.slow
def test_scan_png(reader: Reader, scan: Image.Image, tmp_path: Path) -> None:
    reading = reader.read(write(tmp_path, "scan.png", saved(scan, "PNG", dpi=(300, 300))))
    assert reading.media_type == "image/png"
    _check_header(reading)
    find(reading, "QUYẾT ĐỊNH")
    assert find(reading, "Nơi nhận:").x1 < find(reading, "TM. ỦY BAN NHÂN DÂN").x0


@pytest.mark.slow
def test_image_only_pdf(reader: Reader, scan: Image.Image, tmp_path: Path) -> None:
    reading = reader.read(write(tmp_path, "copier.pdf", image_pdf(scan, dpi=72)))
    assert reading.media_type == "application/pdf"
    _check_header(reading)


@pytest.mark.slow
def test_two_page_tiff(reader: Reader, scan: Image.Image, tmp_path: Path) -> None:
    blank = Image.new("L", scan.size, 255)
    data = saved(scan, "TIFF", save_all=True, append_images=[blank], dpi=(300, 300))
    reading = reader.read(write(tmp_path, "two.tif", data))
    assert reading.media_type == "image/tiff"
    assert len(reading.pages) == 2
    _check_header(reading)
    assert reading.pages[1].lines == ()


@pytest.mark.slow
@pytest.mark.parametrize("turn", [180, 90])
def test_turned_scan_is_read_upright(
    reader: Reader, scan: Image.Image, tmp_path: Path, turn: int
) -> None:
    turned = scan.rotate(turn, expand=True)
    reading = reader.read(write(tmp_path, "turned.jpg", saved(turned, "JPEG", quality=90)))
    _check_header(reading)


@pytest.mark.slow
def test_a_dense_old_copier_page_fed_sideways_is_read_upright(
    reader: Reader, tmp_path: Path
) -> None:
    """An old copier's noisy first page, turned by 270 degrees, whose ink profile does not
    tell (dense text, a streak): read in vertical pieces, it kept the motto's words and
    passed for upright. Lying on its side, it is asked of OSD first."""
    from tests.docgen.batch import plan, produce

    job = next(j for j in plan(scans=150, digital=20, seed=6464, profile="outside", copier=50)
               if j.name == "c0165.pdf")  # fmt: skip
    assert job.degradation is not None and job.degradation.turned_page == 0
    truth = produce(job, tmp_path)["truth"]
    assert isinstance(truth, dict)
    fields = extract_fields(reader.read(tmp_path / job.name), DocTypes.load(RULES)).as_json()
    for name in ("number", "date", "issuer", "subject"):
        assert fields[name] == truth[name], name


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "docs"


@pytest.mark.slow
def test_fields_first_then_the_body(reader: Reader) -> None:
    """`read` OCRs only the field blocks, yet the fields come out as from the full text."""
    truth = next(
        r["truth"]
        for r in json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
        if r["file"] == "scan_2pages.tif"
    )
    types = DocTypes.load(RULES)
    path = FIXTURES / "scan_2pages.tif"
    first, body = reader.read(path), reader.read_body(path)
    assert len(first.pages) == len(body.pages) == 2
    assert first.text_source == body.text_source == "ocr"
    quick, full = extract_fields(first, types).as_json(), extract_fields(body, types).as_json()
    # "Kính gửi" is read from outgoing documents' text layers; the fields-first pass of a scan
    # plans no region for it (an incoming document's addressee is this office anyway).
    for name in (n for n in FIELD_NAMES if n != "addressees"):
        assert quick[name] == truth[name], name
    for name in ("number", "date", "doc_type", "subject", "issuer", "signer"):
        assert full[name] == truth[name], name
    # the body is read only by the second pass
    assert 2 * len(first.text) < len(body.text)
    assert all(line.text in body.text for page in first.pages for line in page.lines[:3])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["scan_stamped.png", "scan_copier.tif"])
def test_scans_as_they_arrive_are_read_or_flagged(reader: Reader, name: str) -> None:
    """The clerk's ĐẾN stamp over the title, an old copier's black-and-white page: the key
    fields come out right, and any field read wrong is below the review threshold."""
    truth = next(
        r["truth"]
        for r in json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
        if r["file"] == name
    )
    got = extract_fields(reader.read(FIXTURES / name), DocTypes.load(RULES)).as_json()
    for key in KEY_FIELDS:
        assert got[key] == truth[key], key
    threshold = ReadingSettings().review_threshold
    for key in ("signer", "urgency", "secrecy", "place", "recipients"):
        if got[key] != truth[key]:
            assert got["confidence"].get(key, 0.0) < threshold, f"{key} wrong but sure"


@pytest.mark.slow
def test_concurrent_reads(reader: Reader, scan: Image.Image, tmp_path: Path) -> None:
    """The service reads a few documents at once from several threads."""
    paths = [
        write(tmp_path, "a.pdf", nd30_pdf()),
        write(tmp_path, "b.png", saved(scan, "PNG", dpi=(300, 300))),
        write(tmp_path, "c.pdf", nd30_pdf(pages=2)),
    ]
    results: dict[str, Reading | BaseException] = {}

    def run(path: Path) -> None:
        try:
            results[path.name] = reader.read(path)
        except BaseException as exc:  # recorded, asserted below
            results[path.name] = exc

    threads = [threading.Thread(target=run, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for path in paths:
        result = results[path.name]
        assert isinstance(result, Reading), result
        assert find(result, NUMBER)
    assert results["b.png"].text_source == "ocr"  # type: ignore[union-attr]


# ---------------------------------------------------------------- the pool


def _echo(value: int) -> int:
    return value * 2


def _crash_once(marker: str) -> str:
    if not os.path.exists(marker):
        Path(marker).touch()
        os._exit(3)  # a decoder segfault, as the parent sees it
    return "survived"


def _crash(_: int) -> int:
    os._exit(3)


def _hang(_: int) -> int:
    time.sleep(3600)
    return 0


def _refuse(_: int) -> int:
    raise UnreadableDocument("corrupt PDF: test")


def test_pool_keeps_order_and_propagates_errors() -> None:
    pool = ReadingPool(2, stall_seconds=60)
    try:
        assert pool.map(_echo, [1, 2, 3]) == [2, 4, 6]
        assert pool.map(_echo, []) == []
        with pytest.raises(UnreadableDocument, match="corrupt PDF: test"):
            pool.map(_refuse, [1])
    finally:
        pool.close()


def test_pool_survives_a_worker_crash(tmp_path: Path) -> None:
    pool = ReadingPool(1, stall_seconds=60)
    try:
        assert pool.map(_crash_once, [str(tmp_path / "marker")]) == ["survived"]
        with pytest.raises(WorkerCrashed):
            pool.map(_crash, [1])
        assert pool.map(_echo, [5]) == [10]  # a fresh pool took over
    finally:
        pool.close()


def _pid(_: int) -> int:
    return os.getpid()


def test_pool_renews_its_processes_and_never_strands_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """After so many tasks the reading processes are renewed (decoders leak), and every call
    still finishes. With the executor's own `max_tasks_per_child` a worker leaving at the
    limit with work queued was never replaced: the pool hung with no process left (CPython
    gh-115634, Python 3.11-3.15), which stopped a benchmark after ~200 pages a worker."""
    monkeypatch.setattr(reading_pool, "_TASKS_PER_WORKER", 2)
    readers = ReadingPool(1, stall_seconds=60)
    calls: list[list[int]] = []

    def read() -> None:
        calls.extend(readers.map(_pid, list(range(5))) for _ in range(4))

    try:
        caller = threading.Thread(target=read, daemon=True)
        caller.start()
        caller.join(timeout=600)  # a deadlock guard, not a speed limit
        assert len(calls) == 4, "the reading pool hung"
        assert all(len(set(call)) == 1 for call in calls)  # one process did each call's work
        assert len({call[0] for call in calls}) == 4  # a fresh one each call past the limit
    finally:
        readers.close()


def test_a_call_whose_processes_are_renewed_while_it_submits_still_finishes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another caller past the limit retires the executor a call is still giving its items
    to, which then refuses the rest ("cannot schedule new futures after shutdown": a page
    set aside on a benchmark run with four reading threads). What it took it finishes; the
    rest go to the next one."""
    monkeypatch.setattr(reading_pool, "_TASKS_PER_WORKER", 1)
    pool = ReadingPool(1, stall_seconds=60)
    submit = pool._submit

    def submit_then_renew(executor: Any, fn: Any, item: Any) -> Any:
        future = submit(executor, fn, item)
        pool._acquire()  # as another caller does: the executor just used is retired
        return future

    monkeypatch.setattr(pool, "_submit", submit_then_renew)
    try:
        assert pool.map(_echo, [1, 2, 3]) == [2, 4, 6]
    finally:
        pool.close()


@pytest.mark.slow
def test_pool_kills_a_hung_worker() -> None:
    pool = ReadingPool(1, stall_seconds=1)
    try:
        with pytest.raises(WorkerCrashed):
            pool.map(_hang, [1])
        # A fresh worker's start on a loaded machine can take longer than the second the
        # hang was given: the pool's recovery must not depend on the machine's speed.
        pool._stall = 600
        assert pool.map(_echo, [1]) == [2]
    finally:
        pool.close()


def test_closed_reader_refuses(tmp_path: Path) -> None:
    closed = Reader(ReadingSettings(workers=1))
    closed.close()
    with pytest.raises(RuntimeError, match="closed"):
        closed.read(write(tmp_path, "qd.pdf", nd30_pdf()))


def test_signer_name_read_under_the_seal() -> None:
    """The name row alone, the seal ring whitened: the name comes out whole."""
    tesseract.limit_threads()
    column, _ = sealed_column()
    line = signature.read_name(column, lang="vie", dpi=300, timeout=30, origin=(0, 0, 900, 520))
    assert line is not None and line.text == NAME
    assert line.y0 > 300 / 520  # in page coordinates, below the scribble
