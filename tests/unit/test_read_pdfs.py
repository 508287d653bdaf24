"""The PDF text layer (daemon.ocr.textlayer, daemon.ocr.pdf), on PDFs built here.

The builders at the top are also used by tests/integration/test_read_ocr.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from daemon.config import ReadingSettings
from daemon.ocr import textlayer, worker
from daemon.ocr.model import UnreadableDocument
from daemon.ocr.pdf import open_pdf

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NUMBER = "Số: 12/QĐ-UBND"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

# ---------------------------------------------------------------- builders (shared)


def _fonts() -> None:
    for name, file in (
        ("Serif", "DejaVuSerif.ttf"),
        ("Serif-Bold", "DejaVuSerif-Bold.ttf"),
        ("Serif-Italic", "DejaVuSerif-Italic.ttf"),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(DEJAVU / file)))


def nd30_pdf(
    *, pages: int = 1, rotation: int = 0, parent: str = "ỦY BAN NHÂN DÂN", gap_mm: float = 0
) -> bytes:
    """An ND30-style decision: two header columns, title, body, Nơi nhận and signature.

    `gap_mm` > 0 sets the first left line (`parent`) flush right, that far from the
    motto's left edge (a long agency name in a Word table cell).
    """
    _fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for page in range(pages):
        if page == 0:
            _header(c, parent, gap_mm)
        _body(c, last=page == pages - 1)
        c.showPage()
    c.save()
    return _rotated(out.getvalue(), rotation) if rotation else out.getvalue()


def _rotated(pdf: bytes, rotation: int) -> bytes:
    """The same PDF with /Rotate set on every page, as a viewer's "rotate and save" does."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for page in doc:
            page.set_rotation(rotation)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    finally:
        doc.close()


def _header(c: canvas.Canvas, parent: str, gap_mm: float) -> None:
    width, height = A4
    left, right = (30 * mm + 95 * mm) / 2, (95 * mm + width - 15 * mm) / 2
    motto_left = right - pdfmetrics.stringWidth(MOTTO, "Serif-Bold", 12) / 2
    y = height - 20 * mm
    rows = (
        (("Serif", 12, parent), ("Serif-Bold", 12, MOTTO)),
        (("Serif-Bold", 12, "HUYỆN KHÁNH SƠN"), ("Serif-Bold", 13, "Độc lập - Tự do - Hạnh phúc")),
        (("Serif", 13, NUMBER), ("Serif-Italic", 13, "Khánh Sơn, ngày 04 tháng 11 năm 2016")),
    )
    for (lfont, lsize, ltext), (rfont, rsize, rtext) in rows:
        c.setFont(lfont, lsize)
        if ltext == parent and gap_mm:
            c.drawRightString(motto_left - gap_mm * mm, y, ltext)
        else:
            c.drawCentredString(left, y, ltext)
        c.setFont(rfont, rsize)
        c.drawCentredString(right, y, rtext)
        y -= 32 if ltext == "HUYỆN KHÁNH SƠN" else 20
    c.setFont("Serif-Bold", 14)
    for text in ("QUYẾT ĐỊNH", "Ban hành Quy chế quản lý và sử dụng phần mềm"):
        y -= 24
        c.drawCentredString(width / 2 + 7 * mm, y, text)


def _body(c: canvas.Canvas, *, last: bool) -> None:
    width, _ = A4
    c.setFont("Serif", 13)
    y = 170 * mm
    for text in (
        "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;",
        "Xét đề nghị của Văn phòng Ủy ban nhân dân huyện.",
    ):
        c.drawString(40 * mm, y, text)
        y -= 9 * mm
    if not last:
        return
    y = 80 * mm
    c.setFont("Serif-Bold", 12)
    c.drawString(30 * mm, y, "Nơi nhận:")
    c.drawCentredString(150 * mm, y, "TM. ỦY BAN NHÂN DÂN")
    c.setFont("Serif", 11)
    c.drawString(30 * mm, y - 6 * mm, "- Như Điều 3;")
    c.drawString(30 * mm, y - 11 * mm, "- Lưu: VT.")
    c.setFont("Serif-Bold", 13)
    c.drawCentredString(150 * mm, y - 30 * mm, "Nguyễn Văn An")
    del width


def encrypted_pdf() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt=StandardEncryption("user", ownerPassword="owner", strength=128))
    c.drawString(100, 700, "Mật khẩu")
    c.showPage()
    c.save()
    return out.getvalue()


def render(pdf: bytes, *, dpi: int = 300, page: int = 0) -> Image.Image:
    """A page of a PDF as a clean grey "scan"."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[page].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()


def image_pdf(image: Image.Image, *, stamp: str | None = None, dpi: int = 300) -> bytes:
    """An image-only PDF as a copier makes it, optionally with a line of real text on top."""
    scan = io.BytesIO()
    image.save(scan, "PNG")
    out = io.BytesIO()
    width, height = image.width * 72 / dpi, image.height * 72 / dpi
    c = canvas.Canvas(out, pagesize=(width, height))
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(io.BytesIO(scan.getvalue())), 0, 0, width, height)
    if stamp:
        _fonts()
        c.setFont("Serif", 8)
        c.drawString(20, 20, stamp)
    c.showPage()
    c.save()
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- tests


def _lines(pdf: bytes, page: int = 0) -> list[textlayer.Line]:
    layer = textlayer.text_layers(pdf)[page]
    assert layer.page is not None, layer.reason
    return list(layer.page.lines)


def _line(lines: list[textlayer.Line], text: str) -> textlayer.Line:
    found = [ln for ln in lines if ln.text == text]
    assert found, f"{text!r} not among {[ln.text for ln in lines]}"
    return found[0]


def test_header_columns_are_separate_lines_with_positions() -> None:
    lines = _lines(nd30_pdf())
    left, right = _line(lines, "ỦY BAN NHÂN DÂN"), _line(lines, MOTTO)
    assert left.x1 < right.x0
    assert abs(left.y0 - right.y0) < 0.01
    assert 0.04 < left.y0 < 0.08  # 20 mm from the top of A4
    assert _line(lines, NUMBER).x1 < _line(lines, "Khánh Sơn, ngày 04 tháng 11 năm 2016").x0


def test_tight_header_is_cut_at_the_gutter() -> None:
    """A long agency name leaves only millimetres between the columns: still two lines."""
    lines = _lines(nd30_pdf(parent="BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", gap_mm=4))
    parent, motto = _line(lines, "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG"), _line(lines, MOTTO)
    assert 0 < motto.x0 - parent.x1 < 0.04  # narrower than the generic column gap
    assert abs(motto.y0 - parent.y0) < 0.01


def test_title_and_wide_lines_stay_whole() -> None:
    lines = _lines(nd30_pdf())
    _line(lines, "QUYẾT ĐỊNH")
    _line(lines, "Ban hành Quy chế quản lý và sử dụng phần mềm")
    _line(lines, "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;")


def test_bold_size_confidence_and_nfc() -> None:
    lines = _lines(nd30_pdf())
    assert _line(lines, MOTTO).bold
    assert not _line(lines, "ỦY BAN NHÂN DÂN").bold
    assert _line(lines, "QUYẾT ĐỊNH").size == pytest.approx(14 / 842, rel=0.05)
    assert all(ln.conf == 1.0 for ln in lines)
    import unicodedata

    assert all(unicodedata.is_normalized("NFC", ln.text) for ln in lines)


def test_lines_run_top_to_bottom_and_left_to_right() -> None:
    lines = _lines(nd30_pdf())
    texts = [ln.text for ln in lines]
    assert texts.index("ỦY BAN NHÂN DÂN") + 1 == texts.index(MOTTO)
    assert texts.index(NUMBER) < texts.index("QUYẾT ĐỊNH") < texts.index("Nơi nhận:")
    tops = [ln.y0 for ln in lines]
    assert all(b > a - 0.01 for a, b in zip(tops, tops[1:], strict=False))


def test_rotated_page_reads_in_the_text_direction() -> None:
    """/Rotate 90 turns the displayed page; lines follow the text, as OCR would after OSD."""
    plain, turned = _lines(nd30_pdf()), _lines(nd30_pdf(rotation=90))
    assert [ln.text for ln in turned] == [ln.text for ln in plain]
    assert _line(turned, NUMBER).x0 == pytest.approx(_line(plain, NUMBER).x0, abs=0.002)


def test_signature_and_recipients_apart() -> None:
    lines = _lines(nd30_pdf())
    assert _line(lines, "Nơi nhận:").x1 < _line(lines, "TM. ỦY BAN NHÂN DÂN").x0


def test_page_without_text_needs_ocr() -> None:
    layer = textlayer.text_layers(image_pdf(render(nd30_pdf(), dpi=100), dpi=100))[0]
    assert layer.page is None
    assert "no text layer" in layer.reason


def test_scan_with_a_signature_stamp_still_needs_ocr() -> None:
    stamp = "Ký bởi: Ủy ban nhân dân huyện Khánh Sơn, thời gian ký: 04.11.2016 09:15:00 +07:00"
    layer = textlayer.text_layers(image_pdf(render(nd30_pdf(), dpi=100), stamp=stamp, dpi=100))[0]
    assert layer.page is None
    assert "scanned page" in layer.reason


def _tcvn3_pdf() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Times-Roman", 12)
    for i, text in enumerate(("Céng hßa x· héi chñ nghÜa ViÖt Nam", "§éc lËp - Tù do - H¹nh phóc")):
        c.drawString(100, 700 - 20 * i, text)
    c.showPage()
    c.save()
    return out.getvalue()


def test_legacy_tcvn3_layer_is_converted() -> None:
    layer = textlayer.text_layers(_tcvn3_pdf())[0]
    assert layer.page is not None
    assert [ln.text for ln in layer.page.lines] == [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Độc lập - Tự do - Hạnh phúc",
    ]


def _tcvn3_fonts_pdf() -> bytes:
    """The motto in `.VnTimeH` (TCVN3 capitals: lower-case codes, capital glyphs) over the
    slogan in `.VnTime`, as old Word files have them. The standard fonts reportlab writes are
    renamed in place (same byte length, so the cross-reference table stays right)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, pageCompression=0)
    c.setFont("Times-Bold", 12)
    c.drawString(100, 700, "céng hoµ x· héi chñ nghÜa viÖt nam")
    c.drawString(100, 680, "tr\xadêng ®¹i häc s\xad ph¹m")  # 0xAD: TCVN3's "ư"
    c.setFont("Times-Roman", 12)
    c.drawString(100, 660, "§éc lËp - Tù do - H¹nh phóc")
    c.drawString(100, 640, "Bé tr\xadëng Bé Gi¸o dôc vµ §µo t¹o; Sè: 12/Q§-BGD§T")
    c.showPage()
    c.save()
    data = out.getvalue()
    assert data.count(b"/Times-Bold") == 1 and data.count(b"/Times-Roman") == 1
    return data.replace(b"/Times-Bold", b"/.VnTimeH ").replace(b"/Times-Roman", b"/.VnTime    ")


def test_tcvn3_capitals_font_and_u_horn() -> None:
    """Capitals fonts read in capitals; "ư" (0xAD, which PDFium returns as "-") restored."""
    layer = textlayer.text_layers(_tcvn3_fonts_pdf())[0]
    assert layer.page is not None
    assert [ln.text for ln in layer.page.lines] == [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TRƯỜNG ĐẠI HỌC SƯ PHẠM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bộ trưởng Bộ Giáo dục và Đào tạo; Số: 12/QĐ-BGDĐT",
    ]


def test_legacy_layer_without_a_converter_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textlayer.legacy, "converter", lambda encoding: None)
    layer = textlayer.text_layers(_tcvn3_pdf())[0]
    assert layer.page is None
    assert "TCVN3" in layer.reason


def test_legacy_converter_hook_is_applied_to_whole_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {"Céng": "Cộng", "hßa": "hòa", "x·": "xã", "héi": "hội", "§éc": "Độc"}
    monkeypatch.setattr(
        textlayer.legacy, "converter", lambda encoding: lambda run: table.get(run, run)
    )
    layer = textlayer.text_layers(_tcvn3_pdf())[0]
    assert layer.page is not None
    assert layer.page.lines[0].text.startswith("Cộng hòa xã hội chñ")
    assert layer.page.lines[1].text.startswith("Độc lËp")


def test_read_pdf_in_process() -> None:
    reading = textlayer.read_pdf(nd30_pdf(pages=2))
    assert reading.text_source == "text-layer" and len(reading.pages) == 2
    assert NUMBER in reading.text.split("\n")
    with pytest.raises(UnreadableDocument, match="page 1 needs OCR: no text layer"):
        textlayer.read_pdf(image_pdf(render(nd30_pdf(), dpi=100), dpi=100))


def test_survey_reads_text_layers_in_process(tmp_path: Path) -> None:
    path = write(tmp_path, "qd.pdf", nd30_pdf(pages=2))
    survey = worker.survey(worker.SurveyTask(str(path), "application/pdf", ReadingSettings()))
    assert [p is not None for p in survey.pages] == [True, True]
    assert survey.notes == ("", "")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (encrypted_pdf(), "encrypted PDF (password protected): cannot be read"),
        (nd30_pdf()[:3000], "corrupt PDF: damaged or truncated file structure"),
    ],
)
def test_open_pdf_reasons(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        open_pdf(write(tmp_path, "x.pdf", data), ReadingSettings())
    assert caught.value.reason == reason


def test_open_pdf_page_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "long.pdf", nd30_pdf(pages=3))
    with pytest.raises(UnreadableDocument, match=r"too many pages: 3 > 2"):
        open_pdf(path, ReadingSettings(max_pages=2))
