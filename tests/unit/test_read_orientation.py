"""When a scan may be upside down: a page that must show an ND30 landmark shows none."""

from __future__ import annotations

from daemon.ocr import pageocr
from daemon.ocr.model import Line


def lines(*texts: str, conf: float = 0.9) -> tuple[Line, ...]:
    return tuple(Line(t, 0.1, 0.1 * i, 0.9, 0.1 * i + 0.02, conf) for i, t in enumerate(texts))


FIRST = pageocr._landmarks(first=True, last=False)
LAST = pageocr._landmarks(first=False, last=True)
BOTH = pageocr._landmarks(first=True, last=True)


def test_the_motto_survives_ocr_slips() -> None:
    for motto in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CÔNG HOÀ XA HÔI CHU NGHIA VIET NAM",  # marks lost, old tone placement
        "C ỘNG H ÒA",  # stray spaces
        "Độc lập - Tự do - Hạnh phúc",
    ):
        assert pageocr._has_landmark(lines("ỦY BAN NHÂN DÂN", motto), FIRST), motto


def test_the_date_line_is_a_landmark_of_the_first_page() -> None:
    """The motto is not read when the date line under it is (see `pageocr._read`)."""
    for date in ("Lâm Hà, ngày 29 tháng 3 năm 2016", "Hà Nội, ngảy 09 thảng 12 nãm 2023"):
        assert pageocr._has_landmark(lines("UBND HUYỆN LÂM HÀ", date), FIRST), date
    for other in ("ngày tháng năm", "Số: 95/TCKH-TCKH ngày 12 tháng 3"):
        assert not pageocr._has_landmark(lines("UBND HUYỆN LÂM HÀ", other), FIRST), other
    assert not pageocr._has_landmark(lines("ngày 29 tháng 3 năm 2016"), LAST)


def test_mirrored_garbage_has_no_landmark() -> None:
    """An upside-down page reads as confident nonsense: no "poor" reading, no landmark."""
    garbage = lines("ưnǝᴉΛ ɯɐN", "ʎɐ̣d uᴉɥ ɐọɥ", "uǝɥu ᴉọN", "ʞH ĐNBN", conf=0.7)
    assert not pageocr._poor(garbage)
    assert not pageocr._has_landmark(garbage, FIRST)
    assert not pageocr._has_landmark(garbage, BOTH)


def test_a_short_word_of_the_motto_alone_in_garbage_is_no_landmark() -> None:
    """6315 c0194: the page read upside down held "...opqtudofhx...": "tudo" by chance, so
    that reading was kept over the upright one. A short word of the motto needs another."""
    garbage = lines("9A uiậ1qu 21 nƒq2 eA 0p r2", "nolim1iiesjtju0e9opq tu do fhxnhi21niynuea")
    assert not pageocr._has_landmark(garbage, FIRST)
    assert pageocr._has_landmark(lines("Độc lập - Tự do"), FIRST)  # two of them
    assert pageocr._has_landmark(lines("Tự do - Hạnh phúc"), FIRST)  # a long one


def test_the_last_page_shows_its_recipients() -> None:
    closing = lines("Nơi nhận:", "- Như trên;", "- Lưu: VT.", "GIÁM ĐỐC", "Lê Văn An")
    assert pageocr._has_landmark(closing, LAST)
    assert pageocr._has_landmark(closing, BOTH)
    assert not pageocr._has_landmark(closing, FIRST)
    assert pageocr._has_landmark((), ())  # a middle page: nothing expected


def test_a_reading_with_a_landmark_wins_over_a_surer_one() -> None:
    upright = lines("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", conf=0.6)
    turned = lines("ɯɐN ʇǝᴉΛ ɐᴉɥƃN ǝɥƆ ᴉọH ɐX ɐọH ƃuọƆ", conf=0.8)
    assert pageocr._rank(upright, FIRST) > pageocr._rank(turned, FIRST)
