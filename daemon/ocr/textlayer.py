"""Text with positions from a born-digital PDF page, through PDFium (pypdfium2).

Measured on ND30 pages: `read_page` below (per-character PDFium calls, grouping, checks)
takes about 12 ms a page; pdfplumber's `extract_words` alone about 40 ms. So PDFium it is;
it also gives font names, weights and render modes (for bold) per character.

PDFium is not thread-safe: call this from one thread per process (the Reader runs it in its
worker processes).
"""

from __future__ import annotations

import ctypes
import math
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from daemon.ocr import layout, legacy, textcheck
from daemon.ocr.layout import Word
from daemon.ocr.model import Line, Page, Reading, UnreadableDocument

_FORCE_BOLD = 1 << 18  # PDF font descriptor flag
_DEVICE = 100_000  # virtual device size: maps page points to fractions with 1e-5 precision
_SCAN_COVER = 0.5  # an image covering this share of the page makes it scan-like


@dataclass(frozen=True)
class TextLayer:
    """One page's text layer: a Page when it is real text, else None and the reason."""

    page: Page | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class _Font:
    name: str
    bold: bool
    encoding: legacy.LegacyEncoding | None
    caps: bool = False  # a TCVN3 capitals font (.VnTimeH): lower-case codes, capital glyphs


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    font: _Font | None


_BREAK = _Char(" ", 0, 0, 0, 0, 0, None)


def text_layers(source: Path | bytes) -> list[TextLayer]:
    """The text layer of every page of a PDF file (convenience for tools and tests)."""
    pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else Path(source))
    try:
        return [read_page(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()


def read_pdf(source: Path | bytes) -> Reading:
    """A born-digital PDF from its text layers alone, in this process (tools and tests).

    Raises UnreadableDocument when a page has no real text layer (use the Reader for those).
    """
    pages = []
    for number, layer in enumerate(text_layers(source), start=1):
        if layer.page is None:
            raise UnreadableDocument(f"page {number} needs OCR: {layer.reason}")
        pages.append(layer.page)
    return Reading("application/pdf", tuple(pages))


def read_page(page: pdfium.PdfPage) -> TextLayer:
    """Lines of the page's text layer, or None with a reason when the page needs OCR.

    Coordinates are taken in the frame where most text runs left to right, which is the
    displayed page unless /Rotate or the content itself turns the text sideways.
    """
    textpage = page.get_textpage()
    try:
        dominant = _dominant_quarter(textpage)
        turn = -(dominant + page.get_rotation() // 90) % 4
        width, height = page.get_size()
        if turn % 2:
            width, height = height, width
        chars, unmapped = _chars(textpage, _page_transform(page, turn), dominant, height)
    finally:
        textpage.close()
    fonts = {c.font.name for c in chars if c.font is not None}
    text = "".join(c.text for c in chars)
    verdict = textcheck.judge(text, fonts=fonts, unmapped=unmapped, scan_like=_scan_like(page))
    convert = None
    if verdict.legacy is not None:
        found = legacy.converter(verdict.legacy)
        if found is None:
            return TextLayer(None, verdict.reason + " (no converter yet)")
        convert = _Converter(found, by_font=any(c.font and c.font.encoding for c in chars))
    elif not verdict.real:
        return TextLayer(None, verdict.reason)
    lines = _lines(_words(chars, convert), aspect=height / width)
    return TextLayer(Page(tuple(lines), "text-layer", width_pt=width, height_pt=height))


def _dominant_quarter(textpage: pdfium.PdfTextPage) -> int:
    """The direction most characters run in, in clockwise quarter turns on the unrotated page."""
    votes = [0, 0, 0, 0]
    for i in range(textpage.count_chars()):
        if not chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 32).isspace():
            votes[_quarter(pdfium_c.FPDFText_GetCharAngle(textpage, i))] += 1
    return max(range(4), key=lambda q: votes[q])


def _quarter(radians: float) -> int:
    """PDFium's clockwise character angle as a number of quarter turns."""
    return round(math.degrees(radians) / 90) % 4 if radians >= 0 else 0


def _chars(
    textpage: pdfium.PdfTextPage, to_fraction: _Transform, quarter: int, height: float
) -> tuple[list[_Char], int]:
    """Characters in content order with boxes as page fractions; whitespace kept as breaks.

    Characters not running with the page's text (a vertical margin note) become breaks.
    """
    fonts: dict[int, _Font | None] = {}
    chars: list[_Char] = []
    unmapped = 0
    rect = pdfium_c.FS_RECTF()
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if pdfium_c.FPDFText_HasUnicodeMapError(textpage, i) == 1:
            unmapped += 1
        text = chr(code) if 0 < code < 0x110000 else "\ufffd"
        if (
            text.isspace()
            or _quarter(pdfium_c.FPDFText_GetCharAngle(textpage, i)) != quarter
            or not pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect)
        ):
            chars.append(_BREAK)
            continue
        xa, ya = to_fraction(rect.left, rect.top)
        xb, yb = to_fraction(rect.right, rect.bottom)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i) / height
        font = _font(textpage, i, fonts)
        chars.append(_Char(text, min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb), size, font))
    return chars, unmapped


def _page_transform(page: pdfium.PdfPage, turn: int) -> _Transform:
    """Page space -> fractions of the page turned `turn` quarters clockwise beyond /Rotate."""
    dx, dy = ctypes.c_int(), ctypes.c_int()

    def device(x: float, y: float) -> tuple[float, float]:
        pdfium_c.FPDF_PageToDevice(page, 0, 0, _DEVICE, _DEVICE, turn, x, y, dx, dy)
        return dx.value / _DEVICE, dy.value / _DEVICE

    ox, oy = device(0, 0)
    ax, ay = device(1000, 0)
    bx, by = device(0, 1000)
    scale = 1 / 1000
    return _Transform(
        ox, oy, (ax - ox) * scale, (ay - oy) * scale, (bx - ox) * scale, (by - oy) * scale
    )


@dataclass(frozen=True, slots=True)
class _Transform:
    ox: float
    oy: float
    xx: float
    xy: float
    yx: float
    yy: float

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return self.ox + x * self.xx + y * self.yx, self.oy + x * self.xy + y * self.yy


def _font(textpage: pdfium.PdfTextPage, index: int, cache: dict[int, _Font | None]) -> _Font | None:
    obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
    key = ctypes.cast(obj, ctypes.c_void_p).value
    if key is None:
        return None
    if key not in cache:
        cache[key] = _describe_font(obj)
    return cache[key]


def _describe_font(obj: object) -> _Font | None:
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    if not font:
        return None
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(max(size, 1))
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    name = buffer.value.decode("utf-8", errors="replace")
    bold = (
        "bold" in name.lower()
        or "black" in name.lower()
        or pdfium_c.FPDFFont_GetWeight(font) >= 600
        or bool(pdfium_c.FPDFFont_GetFlags(font) & _FORCE_BOLD)
        # Word fakes bold for fonts without a bold face by stroking the outline too.
        or pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE
    )
    return _Font(name, bold, legacy.font_encoding(name), legacy.caps_font(name))


def _scan_like(page: pdfium.PdfPage) -> bool:
    """Whether one image covers most of the page (a scan, maybe with a stamp of text)."""
    width, height = page.get_size()
    area = width * height or 1.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= _SCAN_COVER * area:
            return True
    return False


@dataclass(frozen=True)
class _Converter:
    """The TCVN3/VNI hook applied to whole runs (VNI spells one letter with two characters)."""

    convert: Callable[[str], str]
    by_font: bool  # convert only runs set in legacy fonts; else the statistics spoke: all

    def __call__(self, run: list[_Char]) -> str:
        text = "".join(c.text for c in run)
        if self.by_font and not any(c.font is not None and c.font.encoding for c in run):
            return text
        converted = self.convert(text)
        caps = [c.font is not None and c.font.caps for c in run]
        if not any(caps):
            return converted
        # What a capitals font draws is upper case whatever the codes say. TCVN3 converts
        # letter for letter, so each letter takes the case of its own font.
        if len(converted) != len(run):  # not letter for letter: the run's main font decides
            return converted.upper() if sum(caps) * 2 > len(run) else converted
        letters = zip(caps, converted, strict=True)
        return "".join(letter.upper() if cap else letter for cap, letter in letters)


def _words(chars: list[_Char], convert: _Converter | None = None) -> Iterator[Word]:
    """Runs of characters between spaces, also cut where the pen jumps (a new text run)."""
    run: list[_Char] = []
    for char in chars:
        if char.text == " ":
            yield from _emit(run, convert)
            run = []
            continue
        if run and unicodedata.combining(char.text[0]):
            run.append(char)  # a combining tone mark belongs to the letter before it
            continue
        if run and _jump(run[-1], char):
            yield from _emit(run, convert)
            run = []
        run.append(char)
    yield from _emit(run, convert)


def _jump(prev: _Char, char: _Char) -> bool:
    height = max(prev.y1 - prev.y0, char.y1 - char.y0, 1e-6)
    vertical = abs((prev.y0 + prev.y1) - (char.y0 + char.y1)) / 2 > 0.5 * height
    backwards = char.x0 < prev.x0 - 0.1 * height
    gap = char.x0 - prev.x1 > 0.3 * height
    return vertical or backwards or gap


def _emit(run: list[_Char], convert: _Converter | None) -> Iterator[Word]:
    if not run:
        return
    text = convert(run) if convert is not None else "".join(c.text for c in run)
    text = unicodedata.normalize("NFC", text)
    bold = sum(c.font is not None and c.font.bold for c in run) * 2 > len(run)
    sizes = sorted(c.size for c in run)
    yield Word(
        text,
        min(c.x0 for c in run),
        min(c.y0 for c in run),
        max(c.x1 for c in run),
        max(c.y1 for c in run),
        size=sizes[len(sizes) // 2],
        bold=bold,
    )


def _lines(words: Iterator[Word], *, aspect: float) -> list[Line]:
    rows = layout.group_rows(words)
    gutter = layout.find_gutter([layout.segments(row, aspect=aspect) for row in rows])
    lines: list[Line] = []
    for index, row in enumerate(rows):
        cut = gutter.x if gutter is not None and index < gutter.rows else None
        lines.extend(layout.to_line(segment) for segment in layout.split_row(row, cut=cut))
    return layout.reading_order(lines)
