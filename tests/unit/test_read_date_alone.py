"""The date line's numbers read again with the line alone (pageocr._date_read_alone)."""

from __future__ import annotations

import pytest
from PIL import Image

from daemon.ocr import images, pageocr, regions
from daemon.ocr.model import Line

_RASTER = images.Raster(Image.new("L", (2480, 3508), 255), 300)
_REGION = regions.Region((1240, 0, 2480, 600), 4, "header-right")
_CUT = Image.new("L", (1240, 600), 255)
_SURE = (0.93, 0.9, 0.96, 0.94, 0.97, 0.97, 0.95, 0.97)


def _date(text: str, confs: tuple[float, ...]) -> Line:
    numbers = [c for w, c in zip(text.split(), confs, strict=True) if any(d.isdigit() for d in w)]
    return Line(text, 0.55, 0.12, 0.9, 0.135, conf=0.93, number_conf=min(numbers), word_confs=confs)


def _alone(
    text: str, confs: tuple[float, ...], asked: list[tuple[int, int]]
) -> pageocr.lost_rows.ReadLine:
    def read(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        asked.append(at)
        return [_date(text, confs)]

    return read


@pytest.mark.parametrize(
    ("again", "confs", "text", "day_conf"),
    [
        # alone the line reads another day surely: taken, doubted (6315 s0002, silent at 0.93)
        ("Lai Vung, ngày 21 tháng 10 năm 2016", _SURE, "Lai Vung, ngày 21 tháng 10 năm 2016", 0.2),
        # ... the same: as sure as the surer reading
        ("Lai Vung, ngày 31 tháng 10 năm 2016", _SURE, "Lai Vung, ngày 31 tháng 10 năm 2016", 0.94),
        # ... another unsurely: the first reading stands
        (
            "Lai Vung, ngày 21 tháng 10 năm 2016",
            (0.93, 0.9, 0.96, 0.85, 0.97, 0.97, 0.95, 0.97),
            "Lai Vung, ngày 31 tháng 10 năm 2016",
            0.77,
        ),
        # ... a line of other words: the first reading stands
        ("Lai Vung, ngày 21 tháng 10", _SURE[:6], "Lai Vung, ngày 31 tháng 10 năm 2016", 0.77),
    ],
)
def test_a_date_number_read_unsurely_is_read_again_with_the_line_alone(
    again: str, confs: tuple[float, ...], text: str, day_conf: float
) -> None:
    asked: list[tuple[int, int]] = []
    first = _date(
        "Lai Vung, ngày 31 tháng 10 năm 2016", (0.93, 0.9, 0.96, 0.77, 0.97, 0.97, 0.95, 0.97)
    )
    got = pageocr._date_read_alone(first, _CUT, _REGION, _RASTER, _alone(again, confs, asked))
    assert (got.text, got.word_confs[3], got.number_conf) == (text, day_conf, min(day_conf, 0.95))
    assert len(asked) == 1
    left, top = asked[0]  # the line's box, widened, on the page
    assert 1240 < left < 0.55 * 2480 and top < 0.12 * 3508


def test_a_day_read_with_a_digit_too_many_takes_the_line_alones() -> None:
    """ "ngày 237" where 27 was printed (6464 s0127, no date at all): 27 as read alone, as
    far as it can be a date."""
    first = _date(
        "Cam Lâm, ngày 237 tháng 12 năm 2022", (0.97, 0.97, 0.97, 0.78, 0.97, 0.97, 0.97, 0.97)
    )
    read = _alone("Cam Lâm, ngày 27 tháng 12 năm 2022", _SURE, [])
    got = pageocr._date_read_alone(first, _CUT, _REGION, _RASTER, read)
    assert got.text == "Cam Lâm, ngày 27 tháng 12 năm 2022" and got.number_conf == 0.2
    # ... but no day that cannot be: alone, "ngày 27" read 37 at 0.93 (3071 s0104)
    first = _date(
        "Hà Tĩnh, ngày 27 tháng 4 năm 2017", (0.97, 0.96, 0.97, 0.71, 0.97, 0.97, 0.96, 0.96)
    )
    read = _alone("Hà Tĩnh, ngày 37 tháng 4 năm 2017", _SURE, [])
    assert pageocr._date_read_alone(first, _CUT, _REGION, _RASTER, read) == first


def test_a_sure_date_or_another_line_is_not_read_again() -> None:
    asked: list[tuple[int, int]] = []
    read = _alone("Lai Vung, ngày 21 tháng 10 năm 2016", _SURE, asked)
    sure = _date("Lai Vung, ngày 31 tháng 10 năm 2016", _SURE)
    assert pageocr._date_read_alone(sure, _CUT, _REGION, _RASTER, read) == sure
    other = _date("Số: 534/QĐ-UBND", (0.9, 0.6))
    assert pageocr._date_read_alone(other, _CUT, _REGION, _RASTER, read) == other
    assert asked == []
