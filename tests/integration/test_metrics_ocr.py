"""/metrics shows the seconds spent reading documents (OCR seconds), computed from the
register: they appear before anything is read, grow with each document read by the real
`vanthu ingest`, and are the same for a second process looking at the same database
(SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from starlette.testclient import TestClient

from daemon.config import load
from daemon.register.db import session_factory
from daemon.register.migrate import open_register
from daemon.web.app import build_app
from daemon.web.health import OCR_BUCKETS
from tests.fixtures.office import Office

pytestmark = pytest.mark.slow

SERIES = re.compile(r'^(vanthu_ocr_seconds\w*)\{kind="ingest"(?:,le="([^"]+)")?\} (\S+)$', re.M)


def note(path: Path, line: str) -> Path:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("Helvetica", 12)
    page.drawString(72, 760, line)
    page.save()
    path.write_bytes(out.getvalue())
    return path


def ocr_figures(office: Office) -> dict[str, float]:
    """The `kind="ingest"` series of /metrics, served by a desk of its own (no session)."""
    settings = load(office.config)
    engine = open_register(settings.database_url())  # as the service opens it
    app = build_app(settings, session_factory(engine))
    try:
        response = TestClient(app).get("/metrics")
    finally:
        app.state.desk.renderer.close()
        engine.dispose()
    assert response.status_code == 200
    assert "# TYPE vanthu_ocr_seconds histogram" in response.text
    assert "# TYPE vanthu_ocr_seconds_total counter" in response.text
    return {
        f"{name}{'@' + le if le else ''}": float(value)
        for name, le, value in SERIES.findall(response.text)
    }


def test_ocr_seconds_appear_and_grow_with_each_document_read(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    office = Office.init(tmp_path / "office", db_url, capsys)
    before = ocr_figures(office)
    assert before["vanthu_ocr_seconds_count"] == 0 and before["vanthu_ocr_seconds_sum"] == 0
    assert before["vanthu_ocr_seconds_bucket@+Inf"] == 0

    office.ok("ingest", str(note(tmp_path / "a.pdf", "Ghi chu noi bo: hop giao ban.")))
    one = ocr_figures(office)
    assert one["vanthu_ocr_seconds_count"] == 1 and one["vanthu_ocr_seconds_sum"] > 0
    office.ok("ingest", str(note(tmp_path / "b.pdf", "Ghi chu: kiem tra lich truc.")))
    two = ocr_figures(office)
    assert two["vanthu_ocr_seconds_count"] == 2
    assert two["vanthu_ocr_seconds_sum"] > one["vanthu_ocr_seconds_sum"]
    assert two["vanthu_ocr_seconds_total"] == two["vanthu_ocr_seconds_sum"]
    buckets = [two[f"vanthu_ocr_seconds_bucket@{bound:g}"] for bound in OCR_BUCKETS]
    assert buckets == sorted(buckets), "a histogram's buckets are cumulative"
    assert two["vanthu_ocr_seconds_bucket@+Inf"] == 2
    assert ocr_figures(office) == two, "another process reads the same figures"
