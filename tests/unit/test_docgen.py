"""The test-document generator: specs, born-digital PDFs, scans, corpus files, fixtures."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from daemon.ocr.model import Fields
from tests.docgen import vocab
from tests.docgen.__main__ import main as cli_main
from tests.docgen.agencies import LAST_DISTRICT_DAY, split_name
from tests.docgen.batch import generate, plan, record
from tests.docgen.random_docs import complaint_spec, make_specs, secret_spec
from tests.docgen.render import LayoutError, render_pdf
from tests.docgen.scan import Degradation, save_as, scan
from tests.docgen.spec import DocSpec, date_line

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "docs"
A4_PT = (595.28, 841.89)


@pytest.fixture(scope="module")
def specs() -> list[DocSpec]:
    return make_specs(40, 7)


def pdf_text(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf))]
    finally:
        pdf.close()


def flat(text: str) -> str:
    """Lines joined by single spaces, as the reader joins a wrapped subject."""
    return " ".join(text.split())


def pick(specs: list[DocSpec], **want: object) -> DocSpec:
    return next(s for s in specs if all(getattr(s, k) == v for k, v in want.items()))


# --- specs -------------------------------------------------------------------------------


def test_same_seed_same_specs_other_seed_other_specs() -> None:
    assert make_specs(8, 7) == make_specs(8, 7)
    assert make_specs(8, 7) != make_specs(8, 8)


def test_specs_do_not_depend_on_hash_seed() -> None:
    code = (
        "import json; from tests.docgen.random_docs import make_specs; "
        "print(json.dumps([s.truth_json() for s in make_specs(4, 11)]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_truth_has_exactly_the_keys_and_encoding_of_fields(specs: list[DocSpec]) -> None:
    spec = specs[0]
    truth = spec.truth_json()
    assert list(truth) == list(Fields().as_json())
    assert truth["date"] == spec.date.isoformat()
    assert truth["recipients"] == list(spec.recipients)
    json.dumps(truth)  # plain JSON values only


def test_numbers_agree_with_type_and_issuer(specs: list[DocSpec]) -> None:
    for s in specs:
        assert s.number is not None
        if s.is_cong_van:
            assert s.title is None
            assert re.fullmatch(r"\d{2,4}/[^/\-]+-[^/\-]+", s.number), s.number
        else:
            code = vocab.TYPE_CODES[s.doc_type]
            assert s.title == s.doc_type.upper()
            assert re.fullmatch(rf"\d{{2,4}}/(\d{{4}}/)?{code}-[^/]+", s.number), s.number
            year = s.number.split("/")[1]
            assert not year.isdigit() or year == str(s.date.year)


def test_dates_places_marks_and_names_are_plausible(specs: list[DocSpec]) -> None:
    today = dt.date.today()
    for s in specs:
        assert dt.date(2015, 1, 1) <= s.date <= today
        if "HUYỆN" in (s.issuer or "") + (s.parent_issuer or ""):
            assert s.date <= LAST_DISTRICT_DAY  # districts ended on 1 July 2025
        assert s.place and s.signer and len(s.signer.split()) >= 3
        assert s.urgency in (None, "Khẩn", "Thượng khẩn", "Hỏa tốc")
        assert s.secrecy in (None, "Mật", "Tối mật", "Tuyệt mật")
        assert s.signature_lines and all(line.isupper() for line in s.signature_lines)


def test_recipients_are_printed_lines_ending_with_the_archive_copy(specs: list[DocSpec]) -> None:
    for s in specs:
        assert 2 <= len(s.recipients) <= 6
        assert s.recipients[-1].startswith("Lưu: VT")
        for line in s.recipients:
            assert not line.startswith("-") and not line.endswith((";", ".", ","))


def test_all_text_is_nfc(specs: list[DocSpec]) -> None:
    for s in specs:
        for value in s.truth_json().values():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    assert unicodedata.is_normalized("NFC", text)
    with pytest.raises(ValueError, match="NFC"):
        replace(specs[0], signer=unicodedata.normalize("NFD", "Nguyễn Văn An"))


def test_corpus_is_varied(specs: list[DocSpec]) -> None:
    assert len({s.doc_type for s in specs}) >= 7
    assert len({s.issuer for s in specs}) >= 25
    assert any(
        len(s.issuer_lines) == 2 and not s.issuer_lines[0].startswith("ỦY BAN") for s in specs
    )  # a long agency name wrapped by the generator
    assert any(s.parent_issuer for s in specs) and any(not s.parent_issuer for s in specs)
    assert {1, 2} == {s.pages for s in specs}
    assert {"liberation", "dejavu"} == {s.font for s in specs}
    assert any(s.urgency for s in specs)
    assert any(s.kinh_gui for s in specs if s.is_cong_van)


def test_split_name_breaks_long_names_before_va() -> None:
    assert split_name("SỞ Y TẾ") == ("SỞ Y TẾ",)
    assert split_name("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN") == (
        "SỞ NÔNG NGHIỆP",
        "VÀ PHÁT TRIỂN NÔNG THÔN",
    )
    first, second = split_name("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    assert not second.startswith("-") and not first.endswith("-")


def test_date_line_follows_nd30_zero_padding() -> None:
    assert date_line("Khánh Sơn", dt.date(2016, 11, 4)) == "Khánh Sơn, ngày 04 tháng 11 năm 2016"
    assert date_line("Hà Nội", dt.date(2021, 2, 15)) == "Hà Nội, ngày 15 tháng 02 năm 2021"
    assert date_line("Hà Nội", dt.date(2021, 3, 5)) == "Hà Nội, ngày 05 tháng 3 năm 2021"


def test_secret_and_complaint_specs() -> None:
    secret = secret_spec()
    assert secret.secrecy == "Mật" and secret.urgency is None
    assert secret_spec(secrecy="Tối mật").secrecy == "Tối mật"
    letter = complaint_spec()
    assert letter.doc_type == "Đơn khiếu nại" and letter.kind == "letter"
    assert letter.number is None and letter.issuer is None and letter.recipients == ()
    assert letter.kinh_gui[0].startswith("Chủ tịch Ủy ban nhân dân")


# --- born-digital PDFs ----------------------------------------------------------------------


def test_render_is_reproducible(specs: list[DocSpec]) -> None:
    spec = replace(pick(specs, pages=1), seal=True)
    assert render_pdf(spec) == render_pdf(spec)


def test_text_layer_holds_every_printed_field(specs: list[DocSpec]) -> None:
    chosen = [
        pick(specs, doc_type="Quyết định"),
        pick(specs, doc_type="Công văn"),
        pick(specs, pages=2),
        pick(specs, font="dejavu"),
    ]
    for s in chosen:
        pages = pdf_text(render_pdf(s))
        assert len(pages) == s.pages
        text, first, last = flat("\n".join(pages)), flat(pages[0]), pages[-1]
        assert f"Số: {s.number}" in first
        assert date_line(s.place, s.date) in first
        assert all(line in first for line in s.issuer_lines + s.parent_lines)
        assert s.subject and s.signer
        subject = f"V/v {s.subject}" if s.is_cong_van else s.subject
        assert subject in first, subject
        assert "Nơi nhận:" in last and s.signer in last
        for line in s.recipients:
            assert f"- {line}" in text
        assert "★" not in text  # the seal is a picture, not text


def test_text_layer_shows_marks_and_letters() -> None:
    secret = flat(pdf_text(render_pdf(secret_spec()))[0])
    assert "MẬT" in secret.split()
    letter = complaint_spec()
    text = flat(pdf_text(render_pdf(letter))[0])
    assert "ĐƠN KHIẾU NẠI" in text and f"Kính gửi: {letter.kinh_gui[0]}." in text
    assert "Số:" not in text and "Nơi nhận" not in text


def test_text_stays_inside_nd30_margins(specs: list[DocSpec]) -> None:
    for s in specs[:6]:
        top, right, bottom, left = (v * 72 / 25.4 for v in s.margins_mm)
        pdf = pdfium.PdfDocument(render_pdf(s))
        for i in range(len(pdf)):
            textpage = pdf[i].get_textpage()
            boxes = [textpage.get_charbox(c) for c in range(textpage.count_chars())]
            assert min(b[0] for b in boxes) >= left - 1
            assert max(b[2] for b in boxes) <= A4_PT[0] - right + 1
            assert min(b[1] for b in boxes) >= bottom - 1
        pdf.close()


def test_seal_is_an_image_only_when_asked(specs: list[DocSpec]) -> None:
    spec = pick(specs, pages=1)

    def images(data: bytes) -> int:
        pdf = pdfium.PdfDocument(data)
        count = sum(1 for obj in pdf[0].get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
        pdf.close()
        return count

    assert images(render_pdf(replace(spec, seal=True))) == 1
    assert images(render_pdf(replace(spec, seal=False))) == 0


def test_render_refuses_a_wrong_page_count(specs: list[DocSpec]) -> None:
    two = pick(specs, pages=2)
    with pytest.raises(LayoutError):
        render_pdf(replace(two, pages=1))


# --- scans ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sealed_pdf(specs: list[DocSpec]) -> bytes:
    return render_pdf(replace(pick(specs, pages=1), seal=True))


def test_scan_size_mode_and_dpi(sealed_pdf: bytes) -> None:
    [grey] = scan(sealed_pdf, dpi=60, seed=1)
    assert grey.mode == "L" and grey.info["dpi"] == (60, 60)
    assert grey.size[0] == pytest.approx(A4_PT[0] * 60 / 72, abs=1)
    assert grey.size[1] == pytest.approx(A4_PT[1] * 60 / 72, abs=1)
    [colour] = scan(sealed_pdf, dpi=60, grey=False, seed=1)
    pixels = np.asarray(colour).astype(int)
    red = (pixels[..., 0] > 150) & (pixels[..., 1] < 110) & (pixels[..., 2] < 110)
    assert colour.mode == "RGB" and red.sum() > 100  # the seal stays red


def test_scan_rotation_skew_and_seed(sealed_pdf: bytes) -> None:
    [plain] = scan(sealed_pdf, dpi=40, seed=1)
    [turned] = scan(sealed_pdf, dpi=40, rotate=90, seed=1)
    [upside] = scan(sealed_pdf, dpi=40, rotate=180, seed=1)
    [skewed] = scan(sealed_pdf, dpi=40, skew_deg=2.0, seed=1)
    assert turned.size == plain.size[::-1] and upside.size == plain.size == skewed.size
    assert np.array_equal(np.asarray(upside), np.asarray(plain)[::-1, ::-1])
    assert not np.array_equal(np.asarray(skewed), np.asarray(plain))
    noisy = dict(dpi=40, noise=0.03, blur=0.5, jpeg_quality=70)
    a, b, c = (scan(sealed_pdf, **noisy, seed=s)[0] for s in (5, 5, 6))  # type: ignore[arg-type]
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(a), np.asarray(c))
    with pytest.raises(ValueError):
        scan(sealed_pdf, rotate=45, seed=1)


def test_levels_posterize(sealed_pdf: bytes) -> None:
    [image] = scan(sealed_pdf, dpi=40, levels=4, seed=1)
    assert set(np.unique(np.asarray(image))) <= {0, 85, 170, 255}


def test_save_as_every_format(tmp_path: Path, specs: list[DocSpec]) -> None:
    pages = scan(render_pdf(pick(specs, pages=2)), dpi=50, seed=2)
    tif = save_as(pages, tmp_path / "two.tif", "tiff")
    with Image.open(tif) as image:
        assert getattr(image, "n_frames", 1) == 2
    pdf = pdfium.PdfDocument(save_as(pages, tmp_path / "two.pdf", "pdf", jpeg_quality=70))
    assert len(pdf) == 2 and pdf[0].get_size() == pytest.approx(A4_PT, abs=1.5)
    assert pdf[0].get_textpage().get_text_bounded().strip() == ""  # image only, like a copier
    pdf.close()
    for fmt, kind in (("jpeg", "JPEG"), ("png", "PNG")):
        with Image.open(save_as(pages[:1], tmp_path / f"one.{fmt}", fmt)) as image:  # type: ignore[arg-type]
            assert image.format == kind and image.size == pages[0].size
        with pytest.raises(ValueError, match="one page"):
            save_as(pages, tmp_path / f"two.{fmt}", fmt)  # type: ignore[arg-type]


# --- corpus and fixtures ------------------------------------------------------------------


def test_plan_and_generate_a_small_corpus(tmp_path: Path) -> None:
    jobs = plan(scans=2, digital=1, seed=3, profile="office")
    assert jobs == plan(scans=2, digital=1, seed=3, profile="office")
    assert [j.kind for j in jobs] == ["digital", "scan", "scan"]
    fast = [
        replace(j, degradation=replace(j.degradation, dpi=40)) if j.degradation else j for j in jobs
    ]
    truth = generate(fast, tmp_path)
    records = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()]
    assert [r["file"] for r in records] == [j.name for j in jobs]
    for rec, job in zip(records, fast, strict=True):
        assert (tmp_path / rec["file"]).stat().st_size > 0
        assert rec["truth"] == job.spec.truth_json()
        assert rec["degradation"] == (job.degradation.as_json() if job.degradation else None)


def test_clean_profile_is_straight_grey_300_dpi() -> None:
    for job in plan(scans=6, digital=0, seed=4, profile="clean"):
        assert job.degradation is not None
        assert replace(job.degradation, seed=0) == Degradation()


def test_cli_writes_files_and_truth(tmp_path: Path) -> None:
    assert cli_main(["--out", str(tmp_path), "--scans", "0", "--digital", "2"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d0001.pdf", "d0002.pdf", "truth.jsonl"]
    with pytest.raises(SystemExit):
        cli_main(["--out", str(tmp_path), "--scans", "-1"])


def test_committed_fixtures_match_their_truth() -> None:
    records = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
    assert {r["kind"] for r in records} == {"digital", "scan"}
    assert {r["format"] for r in records} == {"pdf", "jpeg", "png", "tiff"}
    assert any(r["truth"]["secrecy"] for r in records)
    assert any(r["truth"]["doc_type"] == "Đơn khiếu nại" for r in records)
    for rec in records:
        path = FIXTURES / rec["file"]
        assert path.stat().st_size < 300_000, rec["file"]
        assert list(rec["truth"]) == list(Fields().as_json())
        if rec["kind"] == "digital":
            pages = pdf_text(path.read_bytes())
            assert len(pages) == rec["pages"]
            number = rec["truth"]["number"]
            assert number is None or f"Số: {number}" in pages[0]
            assert rec["truth"]["signer"] in pages[-1]


def test_committed_fixtures_are_what_the_generator_makes_today() -> None:
    from tests.docgen import fixtures

    records = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
    expected = [{**record(job), "note": note} for job, note in fixtures.jobs()]
    assert records == json.loads(json.dumps(expected, ensure_ascii=False)), (
        "stale fixtures: run python -m tests.docgen.fixtures"
    )
