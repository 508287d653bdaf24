"""Title lines Tesseract's layout analysis skipped are found on the ink and read alone."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr import images, lost_rows, pageocr, regions
from daemon.ocr.model import Line

PAGE = (100, 200, 1000, 2000)  # the cut's left, top on a 1000 x 2000 page


def _cut(bands: list[tuple[int, int, int, int]]) -> Image.Image:
    """A 400 x 200 cut with solid ink in each (x0, y0, x1, y1) box, as a line's letters."""
    pixels = np.full((200, 400), 255, dtype=np.uint8)
    for x0, y0, x1, y1 in bands:
        pixels[y0:y1, x0:x1] = 0
    return Image.fromarray(pixels)


def _line(x0: int, y0: int, x1: int, y1: int) -> Line:
    """A line read at cut pixels, in page fractions."""
    left, top, w, h = PAGE
    return Line("đọc", (left + x0) / w, (top + y0) / h, (left + x1) / w, (top + y1) / h, 0.95)


def test_a_line_the_layout_skipped_is_read_alone_between_its_neighbours_edges() -> None:
    cut = _cut([(100, 20, 300, 40), (5, 60, 40, 80), (110, 60, 290, 80), (100, 100, 300, 120)])
    found = [_line(100, 20, 300, 40), _line(100, 100, 300, 120)]
    asked: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def read(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        asked.append((at, image.size))
        return [_line(110, 60, 290, 80)]

    got = lost_rows.reread(cut, found, PAGE, read)
    assert len(got) == 1 and len(asked) == 1
    (x, y), (width, height) = asked[0]
    assert 100 + 40 < x <= 100 + 100  # the speck at the left edge stays out
    assert 200 + 50 <= y <= 200 + 60 and 20 <= height <= 40  # the band, a little padded


def test_nothing_is_read_again_when_every_band_was_read_or_is_no_line() -> None:
    cut = _cut([(100, 20, 300, 40), (100, 100, 300, 120), (100, 150, 300, 152)])  # a rule
    found = [_line(100, 20, 300, 40), _line(100, 100, 300, 120)]

    def read(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        raise AssertionError("nothing was lost")

    assert lost_rows.reread(cut, found, PAGE, read) == []
    assert lost_rows.reread(cut, [], PAGE, read) == []  # no line read: no height to go by


def test_one_line_read_is_enough_to_find_a_line_lost_beside_it() -> None:
    """A header column of "BỘ NỘI VỤ" above its rule and "Số: 544/2018/TT-BNV": Tesseract
    gave the number alone, and the issuer was lost (2424 s0099, a fresh seed's office scan);
    in the agency's column, which always holds two lines, the line read sets the height a
    lost line has."""
    cut = _cut([(130, 20, 260, 40), (150, 46, 200, 48), (100, 100, 300, 120)])  # and a rule
    asked: list[tuple[int, int]] = []

    def read(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        asked.append(at)
        return [_line(130, 20, 260, 40)]

    one = [_line(100, 100, 300, 120)]
    assert lost_rows.reread(cut, one, PAGE, read) == []  # a date under the motto, alone
    assert len(lost_rows.reread(cut, one, PAGE, read, least=1)) == 1
    assert len(asked) == 1 and 200 + 10 <= asked[0][1] <= 200 + 20  # the agency's band


def test_a_line_lost_beside_the_stamp_is_read_from_the_stamps_edge() -> None:
    """The stamp's sides ink every row they run down, which hid the lost line in one band
    the stamp's height; its own words in that row, read with the title's, spoil it."""
    stamp = (5, 10, 80, 190)  # cut pixels: two sides, a word of the stamp beside the line
    cut = _cut(
        [
            (stamp[0], stamp[1], stamp[0] + 3, stamp[3]),  # the stamp's left side
            (stamp[2] - 3, stamp[1], stamp[2], stamp[3]),  # ... and its right
            (20, 62, 60, 78),  # its engraved word, in the lost line's row
            (100, 20, 300, 40),
            (150, 60, 250, 80),  # the line lost, right of the stamp
            (100, 100, 300, 120),
        ]
    )
    found = [_line(100, 20, 300, 40), _line(100, 100, 300, 120)]
    asked: list[tuple[int, int]] = []

    def read(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        asked.append(at)
        return [_line(150, 60, 250, 80)]

    left, top, _, _ = PAGE
    on_page = (left + stamp[0], top + stamp[1], left + stamp[2], top + stamp[3])
    got = lost_rows.reread(cut, found, PAGE, read, (on_page,))
    assert len(got) == 1 and len(asked) == 1
    x, y = asked[0]
    assert left + stamp[2] <= x <= left + 150  # from the stamp's edge: its word stays out
    assert top + 50 <= y <= top + 60
    assert lost_rows.reread(cut, found, PAGE, read) == []  # as the stamp's height: no line


def test_a_line_lost_that_runs_up_to_the_stamp_is_read_with_what_it_covers() -> None:
    """ "lý văn bản và điều hành năm" ran up to the stamp, "2015" under it: read from the
    stamp's edge the year was cut in two and read as "/" (8383 c0156)."""
    stamp = (252, 10, 398, 190)  # right of the lines, touching the lost one
    cut = _cut(
        [
            (stamp[0], stamp[1], stamp[0] + 3, stamp[3]),
            (stamp[2] - 3, stamp[1], stamp[2], stamp[3]),
            (100, 20, 300, 40),  # the lines around run on under the stamp too
            (110, 60, 250, 80),  # the line lost, its end at the stamp's edge ...
            (255, 60, 290, 80),  # ... and on under it
            (100, 100, 300, 120),
        ]
    )
    found = [_line(100, 20, 300, 40), _line(100, 100, 300, 120)]
    asked: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def read(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        asked.append((at, image.size))
        return [_line(110, 60, 290, 80)]

    left, top, _, _ = PAGE
    on_page = (left + stamp[0], top + stamp[1], left + stamp[2], top + stamp[3])
    assert len(lost_rows.reread(cut, found, PAGE, read, (on_page,))) == 1
    (x, _), (width, _) = asked[0]
    assert x + width > left + 290  # the stamp's stretch is read with it


def test_a_header_columns_line_the_layout_skipped_is_read_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tesseract's layout analysis skipped "BỘ NỘI VỤ" above its rule in the header's left
    column (6161 s0063: no issuer on an office scan); the header's columns are looked at
    again as the trích yếu is. The top of the clerk's stamp under the column is no line
    (5656 s0046 gained "ma... res.=enen" in its trích yếu)."""
    width, height = 1000, 2000
    page = np.full((height, width), 255, dtype=np.uint8)
    # the agency, "Số:", "V/v ...", the stamp's top
    for y0, y1 in ((120, 145), (180, 205), (220, 245), (270, 295)):
        page[y0:y1, 150:450] = 0
    raster = images.Raster(Image.fromarray(page), 200)
    region = regions.Region((100, 100, 500, 400), 4, "header-left")

    def line(text: str, y0: int, y1: int) -> Line:
        return Line(text, 150 / width, y0 / height, 450 / width, y1 / height, 0.95)

    alone: list[int] = []

    def ocr_lines(image: Image.Image, *, psm: int, **_: object) -> list[Line]:
        if psm == 7:  # one line, read alone
            alone.append(psm)
            return [line("BỘ NỘI VỤ", 120, 145)]
        return [line("Số: 361/BNV-VP", 180, 205), line("V/v góp ý dự thảo", 220, 245)]

    monkeypatch.setattr(pageocr.tesseract, "ocr_lines", ocr_lines)
    cut = raster.image.crop(region.box)
    stamp = (140, 265, 600, 500)
    found = pageocr._read_cut(cut, raster, ReadingSettings(), region, 0.0, None, stamps=(stamp,))
    assert sorted(ln.text for ln in found) == ["BỘ NỘI VỤ", "Số: 361/BNV-VP", "V/v góp ý dự thảo"]
    assert len(alone) == 1
