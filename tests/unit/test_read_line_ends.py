"""The comma Tesseract leaves off a title line's end, put back from the ink (line_ends)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from daemon.ocr.line_ends import with_lost_commas
from daemon.ocr.model import Line

LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
DPI = 200
ORIGIN = (0, 0, 900, 120)  # the cut is the whole "page"


def _printed(text: str, read: str) -> tuple[Image.Image, Line]:
    """A trích yếu line printed as `text` at 14 pt and 200 dpi, and the Line OCR made of
    it, reading `read` (a start of `text`), boxed as Tesseract boxes the words it read."""
    font = ImageFont.truetype(LIBERATION, round(14 / 72 * DPI))
    image = Image.new("L", ORIGIN[2:], 255)
    ImageDraw.Draw(image).text((20, 40), text, font=font, fill=0)
    left, top, _, bottom = ImageDraw.Draw(image).textbbox((20, 40), text, font=font)
    right = ImageDraw.Draw(image).textbbox((20, 40), read, font=font)[2]
    width, height = ORIGIN[2:]
    line = Line(read, left / width, top / height, right / width, bottom / height, conf=0.96)
    return image, line


def _read(text: str, read: str) -> str:
    image, line = _printed(text, read)
    return with_lost_commas([line], image, ORIGIN)[0].text


def test_a_comma_read_as_nothing_is_put_back() -> None:
    assert _read("công tác thi đua,", "công tác thi đua") == "công tác thi đua,"
    assert _read("phòng cháy,", "phòng cháy") == "phòng cháy,"
    assert _read("giai đoạn 2020-2025,", "giai đoạn 2020-2025") == "giai đoạn 2020-2025,"


def test_a_line_that_ends_without_one_stays() -> None:
    assert _read("công tác thi đua", "công tác thi đua") == "công tác thi đua"


def test_a_comma_read_is_not_doubled() -> None:
    assert _read("công tác thi đua,", "công tác thi đua,") == "công tác thi đua,"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("công tác thi đua.", "công tác thi đua"),  # a period sits on the baseline
        ("dân, giải quyết", "dân, giải"),  # the next word's q, which OCR lost
        ("tố cáo năm 2021", "tố cáo năm"),  # digits are taller than a comma
    ],
)
def test_marks_that_are_no_comma_add_none(text: str, read: str) -> None:
    assert _read(text, read) == read


def test_a_speck_after_the_line_is_no_comma() -> None:
    image, line = _printed("công tác thi đua", "công tác thi đua")
    x = round(line.x1 * ORIGIN[2]) + 4
    y = round(line.y1 * ORIGIN[3]) - 4
    ImageDraw.Draw(image).rectangle((x, y, x + 1, y + 1), fill=0)
    assert with_lost_commas([line], image, ORIGIN)[0].text == "công tác thi đua"
