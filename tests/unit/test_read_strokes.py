"""Roman numerals of I's told by their upright strokes (daemon/ocr/strokes.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from daemon.ocr import images, pageocr, strokes
from daemon.ocr.layout import Word
from tests.unit.test_read_line_ends import LIBERATION

DPI = 200  # an old copier's


def _printed(text: str, *, blur: float = 0.0) -> np.ndarray:
    """`text` in the trích yếu's bold 14 pt serif at 200 dpi, blurred as a copy blurs it
    and cut to its box: the boolean ink map OCR's word box holds."""
    font = ImageFont.truetype(LIBERATION, round(14 / 72 * DPI))
    image = Image.new("L", (200, 80), 255)
    ImageDraw.Draw(image).text((10, 10), text, font=font, fill=0)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    ink = np.asarray(image) < 128
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


@pytest.mark.parametrize(("numeral", "count"), [("I", 1), ("II", 2), ("III", 3)])
@pytest.mark.parametrize("blur", [0.0, 1.2])
def test_a_numerals_strokes_are_counted_however_blurred(
    numeral: str, count: int, blur: float
) -> None:
    """Serifs that a copy's blur runs together leave the strokes apart in the middle."""
    assert strokes.upright_strokes(_printed(numeral, blur=blur)) == count


@pytest.mark.parametrize(
    ("read", "printed", "mended"),
    [
        ("II", "III", "III"),  # a stroke lost ("bão số II" for III, 6315 c0153)
        ("HH", "III", "III"),  # serifs run together read as crossbars (5454 s0077)
        ("TT", "III", "III"),  # ... as a top bar (6173 s0138)
        ("HÌ", "II", "II"),  # a stroke too many (9595 c0180)
        ("III,", "II", "II,"),  # what follows the numeral stays
        ("[II", "III", "III"),  # a stroke read as a mark (5831 c0198)
    ],
)
def test_a_numeral_read_a_stroke_off_is_mended_by_its_strokes(
    read: str, printed: str, mended: str
) -> None:
    assert strokes.counted(read, _printed(printed, blur=1.0)) == mended


@pytest.mark.parametrize(
    ("read", "printed", "numeral"),
    [
        ("III", "III", "III"),  # read right
        ("II,", "II", "II,"),
        ("H", "II", "II"),  # strokes read as a letter ("bão số H", 8859 c0152)
        ("HI", "III", "III"),  # (6173 c0188)
        ("lÍ", "II", "II"),  # (6389 c0162)
    ],
)
def test_a_numeral_read_as_its_strokes_stand_is_written_in_is(
    read: str, printed: str, numeral: str
) -> None:
    assert strokes.counted(read, _printed(printed, blur=1.0)) == numeral
    assert strokes.read_strokes(read) == numeral.count("I")


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("TT", "TT"),  # a real TT: its two strokes are its letters
        ("H", "H"),  # a real H: its crossbar joins the strokes
        ("I", "III"),  # two strokes apart: a box around part of the word
        ("1", "I"),  # a digit is no Roman numeral
        ("|", "I"),  # nor is a mark alone (a stamp's frame)
        ("IV", "IV"),  # nor a numeral with a V, which is no upright stroke
        ("việc", "III"),
    ],
)
def test_a_word_its_strokes_do_not_tell_otherwise_is_left_as_read(read: str, printed: str) -> None:
    assert strokes.counted(read, _printed(printed, blur=1.0)) is None


def test_strokes_unevenly_apart_are_no_numeral() -> None:
    """A stamp's frame beside a numeral is a stroke too, but not at a stroke's spacing."""
    ink = np.zeros((30, 60), dtype=bool)
    for left in (2, 17, 50):  # two strokes of II, and the frame's side far off
        ink[:, left : left + 6] = True
    assert strokes.upright_strokes(ink) is None
    assert strokes.counted("II", ink) is None
    ink[:, 50:] = False
    ink[:, 32:38] = True
    assert strokes.counted("II", ink) == "III"
    assert strokes.upright_strokes(np.zeros((5, 20), dtype=bool)) is None  # no height


def test_the_title_reading_mends_a_numeral_by_its_strokes_and_doubts_it() -> None:
    """In the title's reading the word is measured on the cut as scanned: "quý II" where
    III is printed becomes III, doubted so that the clerk sees it; "quý III" read unsurely,
    or "quý HI", where III is printed is III as sure as its strokes make it, unless a stamp
    lies on it."""
    page = Image.new("L", (1000, 1000), 255)
    page.paste(
        Image.fromarray(np.where(_printed("III", blur=1.0), 0, 255).astype(np.uint8)), (600, 200)
    )
    raster = images.Raster(page, DPI)
    box = (0, 0, 1000, 1000)
    again = pageocr._SecondReading(page, box, raster, lambda image, at: [])
    sift = pageocr._strokes_counted(again, ())
    assert sift is not None
    height, width = _printed("III", blur=1.0).shape
    word = Word("II", 0.6, 0.2, (600 + width) / 1000, (200 + height) / 1000, conf=0.9)
    got = sift(word)
    assert got is not None and (got.text, got.conf) == ("III", pageocr._COUNTED)
    right = dataclasses.replace(word, text="III")
    assert sift(right) == right
    unsure = dataclasses.replace(right, conf=0.64)
    assert sift(unsure) == dataclasses.replace(right, conf=pageocr._STROKES_AGREE)
    lettered = dataclasses.replace(unsure, text="HI")
    assert sift(lettered) == dataclasses.replace(right, conf=pageocr._STROKES_AGREE)
    stamped = pageocr._strokes_counted(again, ((550, 150, 800, 300),))
    assert stamped is not None and stamped(unsure) == unsure  # its ink may be the stamp's
    elsewhere = dataclasses.replace(unsure, x0=0.1, x1=0.15)  # blank paper: nothing to count
    assert sift(elsewhere) == elsewhere
    assert pageocr._strokes_counted(None, ()) is None  # not the title
