"""Born-digital ND30 PDFs from the test-document generator, read through the text layer.

Every field must come out exactly as the generator's truth says: the text layer is exact,
so any difference is a fault of the layout rules (or of the text layer).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

docgen = pytest.importorskip("tests.docgen.random_docs")
render = pytest.importorskip("tests.docgen.render")
textlayer = pytest.importorskip("daemon.ocr.textlayer")

from daemon.ocr.doctypes import DocTypes  # noqa: E402
from daemon.ocr.fields import extract_fields  # noqa: E402
from daemon.ocr.model import KEY_FIELDS, Reading  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SPECS = [*docgen.make_specs(12, 2024), docgen.secret_spec(), docgen.complaint_spec()]


@pytest.fixture(scope="module")
def types() -> DocTypes:
    return DocTypes.load(ROOT / "rules" / "doc_types.toml")


def _read(pdf: bytes) -> Reading:
    layers = textlayer.text_layers(pdf)
    assert all(layer.page is not None for layer in layers), [layer.reason for layer in layers]
    return Reading("application/pdf", tuple(layer.page for layer in layers))


@pytest.mark.parametrize("spec", SPECS, ids=[f"{s.doc_type}-{s.number}" for s in SPECS])
def test_born_digital_fields_exact(spec: Any, types: DocTypes) -> None:
    fields = extract_fields(_read(render.render_pdf(spec)), types)
    got, want = fields.as_json(), spec.truth_json()
    got.pop("confidence")
    want.pop("confidence", None)
    assert got == want
    for name in KEY_FIELDS:
        if got[name] is not None:
            assert fields.confidence[name] >= 0.6, name  # no needless review


def test_generated_set_covers_the_hard_cases() -> None:
    """The specs above must keep exercising marks, công văn, parents and wrapped names."""
    assert any(s.secrecy for s in SPECS)
    assert any(s.doc_type == "Công văn" for s in SPECS)
    assert any(s.parent_issuer for s in SPECS)
    assert any(len(s.issuer_lines) > 1 for s in SPECS)
    assert any(s.pages == 2 for s in SPECS)


# --- the committed fixtures (tests/fixtures/docs/truth.json) ------------------------------

FIXTURES = ROOT / "tests" / "fixtures" / "docs"
ENTRIES = json.loads((FIXTURES / "truth.json").read_text("utf-8")) if FIXTURES.is_dir() else []
DIGITAL = [e for e in ENTRIES if e["kind"] == "digital"]
# Scans of office quality; the old copier's page is held to "right or flagged" instead
# (tests/integration/test_read_ocr.py::test_scans_as_they_arrive_are_read_or_flagged).
SCANS = [
    e
    for e in ENTRIES
    if e["kind"] == "scan" and (e.get("conditions") or {}).get("profile") != "old-copier"
]
# What OCR of a clean scan must get exactly; recipients and signer tolerate OCR's letters.
SCAN_EXACT = (
    "number",
    "date",
    "place",
    "doc_type",
    "issuer",
    "parent_issuer",
    "urgency",
    "secrecy",
)


def _truth(entry: dict[str, Any]) -> dict[str, Any]:
    truth = dict(entry["truth"])
    truth.pop("confidence", None)
    return truth


@pytest.mark.parametrize("entry", DIGITAL, ids=[e["file"] for e in DIGITAL])
def test_fixture_pdfs_fields_exact(entry: dict[str, Any], types: DocTypes) -> None:
    fields = extract_fields(_read((FIXTURES / entry["file"]).read_bytes()), types)
    got = fields.as_json()
    got.pop("confidence")
    assert got == _truth(entry)


@pytest.mark.slow
def test_fixture_scans_through_ocr(types: DocTypes) -> None:
    if not SCANS:
        pytest.skip("no scan fixtures")
    from daemon.config import ReadingSettings
    from daemon.ocr.reader import Reader

    with Reader(ReadingSettings(workers=2)) as reader:
        for entry in SCANS:
            fields = extract_fields(reader.read(FIXTURES / entry["file"]), types)
            got, want = fields.as_json(), _truth(entry)
            assert {k: got[k] for k in SCAN_EXACT} == {k: want[k] for k in SCAN_EXACT}, entry
            assert len(got["recipients"]) == len(want["recipients"]), entry["file"]  # type: ignore[arg-type]
            assert fields.signer is not None, entry["file"]
