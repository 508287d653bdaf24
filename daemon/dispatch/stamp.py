"""The visible stamp of the agency's signature: the signature field's own appearance.

Phụ lục I of Nghị định 30/2020 wants the agency's signature to show the agency and the signing
time; the standard PDF fonts cannot write Vietnamese, so the text is set in an embedded
TrueType font (DejaVu Sans by default) through pyHanko's OpenType support.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import TextStampStyle

FONT_SIZE = 8
STAMP_COLOUR = (0.75, 0.0, 0.0)  # the red of the agency's seal (Phụ lục I)
# Where the stamp goes (Phụ lục I allows the top right of the first page, used for attached
# documents, or over the left third of the leader's signature image). We take the top right,
# inside the top margin: the leader's signature is often invisible or drawn by another tool
# at an unknown place, and this stamp is an opaque text box, not a transparent seal image, so
# laid over the leader's signature it would hide it. ND30 margins are at least 20 mm at the
# top and 15 mm at the right: a 44 pt box starting 8 pt below the edge ends above the text.
STAMP_WIDTH, STAMP_HEIGHT = 200, 44
STAMP_TOP_GAP, STAMP_RIGHT_GAP = 8, 42


class FontUnusable(Exception):
    """The stamp font cannot be read; the message says why."""


class _GlyphSpaceAccumulator(GlyphAccumulator):
    """pyHanko 0.38 writes a TrueType font's widths and metrics in the font's own units, but
    PDF glyph space has 1000 units an em: a 2048-unit font such as DejaVu Sans would be drawn
    twice too wide and cut off by the stamp's edge. Shape and measure in 1000 units instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._to_glyph_space = scale = 1000 / self.units_per_em
        self.units_per_em = 1000
        self.hb_font.scale = (1000, 1000)  # HarfBuzz positions in the same units
        descriptor = getattr(self.cidfont_obj, "_font_descriptor", None)  # no public handle
        if descriptor is not None:
            for key in ("/Ascent", "/Descent", "/CapHeight"):
                descriptor[key] = generic.NumberObject(round(descriptor[key] * scale))
            box = (generic.NumberObject(round(v * scale)) for v in descriptor["/FontBBox"])
            descriptor["/FontBBox"] = generic.ArrayObject(box)

    def _extract_subset(self, options: subset.Options | None = None) -> None:
        options = subset.Options(layout_closure=False)
        # as pyHanko does, and FontForge's FFTM table, which fontTools warns it cannot subset
        options.drop_tables += ["GPOS", "GDEF", "GSUB", "FFTM"]
        super()._extract_subset(options)

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        if glyph_id not in self._glyphs:
            cid, width = super()._get_cid_and_width(glyph_id)
            self._glyphs[glyph_id] = (cid, round(width * self._to_glyph_space))
        return self._glyphs[glyph_id]


@dataclass(frozen=True)
class _GlyphSpaceFontFactory(GlyphAccumulatorFactory):
    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: Any = None) -> Any:
        font = BytesIO(Path(self.font_file).read_bytes())
        if obj_stream is None and writer.stream_xrefs:  # as pyHanko's own factory does
            obj_stream = writer.prepare_object_stream()
        lang = self.bcp47_lang_code
        return _GlyphSpaceAccumulator(writer, font, self.font_size, bcp47_lang_code=lang)


def stamp_style(font: Path) -> TextStampStyle:
    return TextStampStyle(
        stamp_text="%(org)s\nThời gian ký: %(when)s",
        text_box_style=TextBoxStyle(
            font=_GlyphSpaceFontFactory(str(font), FONT_SIZE, bcp47_lang_code="vi"),
            font_size=FONT_SIZE,
            text_color=STAMP_COLOUR,
        ),
        border_width=1,
        border_color=STAMP_COLOUR,
    )


def stamp_box(reader: PdfFileReader) -> tuple[int, int, int, int]:
    """The stamp's rectangle at the top right of the first page, in its own coordinates."""
    page_ref, _resources = reader.find_page_for_modification(0)
    node = page_ref.get_object()
    while "/CropBox" not in node and "/MediaBox" not in node and "/Parent" in node:
        node = node["/Parent"]  # boxes are inheritable from the page tree
    box = node.get("/CropBox") or node.get("/MediaBox") or [0, 0, 595, 842]
    left, bottom, right, top = (float(v) for v in box)
    x2 = max(right - STAMP_RIGHT_GAP, left + STAMP_WIDTH)
    y2 = max(top - STAMP_TOP_GAP, bottom + STAMP_HEIGHT)
    return int(x2 - STAMP_WIDTH), int(y2 - STAMP_HEIGHT), int(x2), int(y2)


def check_font(font: Path) -> None:
    """Raise FontUnusable unless `font` is a TrueType/OpenType font fontTools can open."""
    try:
        TTFont(font, lazy=True).close()
    except Exception as exc:  # OSError, fontTools' TTLibError...
        raise FontUnusable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
