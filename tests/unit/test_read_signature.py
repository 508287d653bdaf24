"""The signer's name row under a seal: found, and the seal's grey told from the print."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from daemon.ocr import pageocr, signature
from daemon.ocr.model import Line
from tests.unit.test_read_pdfs import DEJAVU

DPI = 300
NAME = "Lê Ngọc Khánh"
SEAL_GREY = 150


def sealed_column(
    *, seal: bool = True, seal_grey: int = SEAL_GREY
) -> tuple[Image.Image, tuple[int, int]]:
    """A signature column as scanned: title, scribble, name, the seal ring across them.
    Returns the image and the name's top and bottom pixel rows."""
    image = Image.new("L", (900, 520), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU / "DejaVuSerif-Bold.ttf"), 46)
    draw.text((250, 30), "CỤC TRƯỞNG", font=font, fill=20)
    draw.line([(220, 300), (330, 200), (420, 290), (520, 210), (640, 290)], fill=30, width=6)
    draw.text((230, 400), NAME, font=font, fill=15)
    box = draw.textbbox((230, 400), NAME, font=font)
    if seal:  # stamped over the print: ink on ink stays dark
        ring = Image.new("L", image.size, 255)
        ImageDraw.Draw(ring).ellipse((60, 120, 420, 480), outline=seal_grey, width=12)
        image = ImageChops.darker(image, ring)
    return image, (round(box[1]), round(box[3]))


def test_the_name_row_is_the_last_printed_row() -> None:
    for seal in (False, True):
        image, (top, bottom) = sealed_column(seal=seal)
        row = signature.name_row(image, DPI)
        assert row is not None
        assert row[0] <= top < bottom <= row[1], seal
        assert row[0] > 310  # below the scribble
        assert row[1] - row[0] < 2.5 * (bottom - top)


def test_a_dark_ring_joining_the_rows_is_seen_through() -> None:
    """A seal ring as dark as faint print joins scribble and name into one tall run."""
    image, (top, bottom) = sealed_column(seal_grey=80)
    joined = signature._last_row(np.asarray(image) <= signature._PRINT_GREY, DPI)
    assert joined is not None and joined[1] - joined[0] > 3 * (bottom - top)
    row = signature.name_row(image, DPI)
    assert row is not None and row[0] <= top < bottom <= row[1]
    assert row[1] - row[0] < 2.5 * (bottom - top)


def test_a_ring_as_dark_as_the_print_is_seen_through() -> None:
    """An old copier prints the seal ring as dark as the text: no grey level parts them,
    but a row the ring only crosses holds far less ink than a row of print."""
    image, (top, bottom) = sealed_column(seal_grey=15)
    joined = signature._last_row(np.asarray(image) <= signature._PRINT_GREY, DPI)
    assert joined is not None and joined[1] - joined[0] > 3 * (bottom - top)
    row = signature.name_row(image, DPI)
    assert row is not None and row[0] <= top < bottom <= row[1]
    assert row[0] > 310  # below the scribble


def test_specks_below_the_name_do_not_make_a_row() -> None:
    image, (top, bottom) = sealed_column(seal=False)
    ImageDraw.Draw(image).rectangle((300, 500, 320, 505), fill=0)  # a speck of the ring
    row = signature.name_row(image, DPI)
    assert row is not None and row[0] <= top < bottom <= row[1]


def test_no_print_no_row() -> None:
    image = Image.new("L", (600, 200), 250)
    ImageDraw.Draw(image).ellipse((20, 20, 180, 180), outline=SEAL_GREY, width=10)
    assert signature.name_row(image, DPI) is None


def test_seal_levels_part_print_from_the_ring() -> None:
    image, (top, bottom) = sealed_column()
    strip = image.crop((0, top - 10, image.width, bottom + 10))
    levels = signature.seal_levels(strip)
    assert levels and 15 < levels[0] < SEAL_GREY  # whitening above it drops the ring
    assert all(level < 250 for level in levels)
    assert signature.seal_levels(Image.new("L", (300, 60), 250)) == ()


def test_readings_are_ranked_as_names() -> None:
    def line(text: str, conf: float) -> Line:
        return Line(text, 0.6, 0.7, 0.8, 0.72, conf)

    worth = signature.worth
    assert worth(line("Lý Thị Oanh", 0.8)) > worth(line("1⁄ý Thị Oanh", 0.85))
    assert worth(line("Nguyễn Đình Dũng", 0.65)) > worth(line('Ng"yến Đình Dũng', 0.84))
    joined = signature._joined([line("Hữu Khánh", 0.97), Line("Nguyễñ `", 0.5, 0.7, 0.58, 0.72, 0)])
    assert joined is not None and joined.text == "Nguyễñ ` Hữu Khánh" and joined.x0 == 0.5
    assert worth(joined) < worth(line("Nguyễn Hữu Khánh", 0.9))
    assert signature._tidy(line("NG_ Huỳnh Đình Hải", 0.8)).text == "Huỳnh Đình Hải"
    assert signature._tidy(line("5 Lê Văn An ,", 0.8)).text == "Lê Văn An"
    assert signature._tidy(line("1Hiô Văn An", 0.8)).text == "1Hiô Văn An"  # not "Văn An"
    assert signature._tidy(line("“Bùi Thanh Hiếu", 0.8)).text == "Bùi Thanh Hiếu"
    assert signature._tidy(line("Br:; Thanh Hiếu", 0.8)).text == "Br:; Thanh Hiếu"  # no surname
    assert signature._tidy(line("MÃ __ Đỗ Mỹ Thảo", 0.8)).text == "Đỗ Mỹ Thảo"
    assert signature._tidy(line("Mã Văn An", 0.8)).text == "Mã Văn An"


def test_the_column_reading_of_the_name_row_can_win() -> None:
    """The name row read alone is a second opinion: the column's own reading is kept when
    it starts with a surname, lost no word and is cleaner (seed 8383's old copiers)."""

    def line(text: str, conf: float) -> Line:
        return Line(text, 0.6, 0.80, 0.8, 0.83, conf)

    better = pageocr._column_read_it_better
    assert better([line("MÃ", 0.39), line("__ Đỗ Mỹ Thảo", 0.82)], line("pằ Mỹ Thảo", 0.87))
    assert better([line("Phạm Thị Thu Mai", 0.96)], line("Phạm 'Thị Thu Mai", 0.94))
    assert not better([line("Ngọc Lộc", 0.96)], line("Ề TÌằn|Ngọc Lộc", 0.44))  # lost Trần
    assert not better([line('Nøâ "chị Thu Trang', 0.84)], line("Ngâ Thị Thu Trang", 0.78))
    assert not better([line("-_„# Ngọc Hà", 0.79)], line("1e Ngọc Hà", 0.76))
    assert not better([], line("Lê Ngọc Hà", 0.76))


def test_a_sure_name_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each whitened rendering costs a Tesseract call: none is tried after a clean name
    with a known surname read at high confidence."""
    image, _ = sealed_column()
    calls: list[Image.Image] = []

    def reading(text: str, conf: float) -> Callable[..., list[Line]]:
        def ocr_lines(strip: Image.Image, **_: object) -> list[Line]:
            calls.append(strip)
            return [Line(text, 0.6, 0.8, 0.8, 0.83, conf)]

        return ocr_lines

    for text, conf, tries in [
        (NAME, 0.95, 1),
        (NAME, 0.85, 3),  # not sure enough: both whitened renderings are read too
        ("pằ Ngọc Khánh", 0.95, 3),  # no surname
        ("Lê 'Ngọc Khánh", 0.95, 3),  # a mark in it
        ("Lê Nđọc Khánh", 0.95, 3),  # no syllable in it
    ]:
        calls.clear()
        monkeypatch.setattr(signature.tesseract, "ocr_lines", reading(text, conf))
        name = signature.read_name(image, lang="vie", dpi=DPI, timeout=9, origin=(0, 0, 900, 520))
        assert name is not None and len(calls) == tries, text
        assert signature.sure(name) == (tries == 1)
