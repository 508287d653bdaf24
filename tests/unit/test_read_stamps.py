"""The clerk's ĐẾN stamp: found by its frame, cleared for planning, its remains sifted out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from daemon.config import ReadingSettings
from daemon.ocr import images, pageocr, regions, stamps
from daemon.ocr.layout import Word
from daemon.ocr.model import Line
from tests.docgen.stamp import (
    INKS,
    LAYOUTS,
    Stamp,
    StampInk,
    StampLayout,
    StampPlace,
    random_stamp,
    stamp_on,
)
from tests.unit.test_read_pdfs import nd30_pdf, render

DPI = 200
FIXTURES = Path(__file__).parents[1] / "fixtures" / "docs"
HEADER_BOTTOM_MM = 45.0  # where nd30_pdf's header ends, near enough for the clerk's hand


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return render(nd30_pdf(), dpi=DPI).convert("RGB")


def _stamped(
    page: Image.Image, layout: StampLayout, ink: StampInk, place: StampPlace, seed: int = 7
) -> tuple[Image.Image, Stamp]:
    stamp = dataclasses.replace(
        random_stamp(random.Random(seed), "UBND HUYỆN KHÁNH SƠN", dt.date(2026, 3, 2)),
        layout=layout,
        ink=ink,
        place=place,
    )
    return stamp_on(page, stamp, DPI, HEADER_BOTTOM_MM).convert("L"), stamp


def _found(grey: Image.Image) -> list[stamps.Box]:
    return stamps.find(regions.ink_map(grey, faint=True))


@pytest.mark.parametrize("ink", list(INKS))
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_and_ink_is_found_where_pressed(
    page: Image.Image, layout: StampLayout, ink: StampInk
) -> None:
    places: tuple[StampPlace, ...] = ("number", "date")
    for place in places:
        grey, stamp = _stamped(page, layout, ink, place)
        (box,) = _found(grey)
        x0, y0, x1, y1 = box
        assert (x1 < 0.5) if place == "number" else (x0 > 0.5), (place, box)
        assert 0.18 <= x1 - x0 <= 0.32  # 50 mm of 210, a little crooked
        top = (HEADER_BOTTOM_MM + stamp.dy_mm) / 297
        assert abs(y0 - top) < 0.03


def test_an_unstamped_page_with_a_seal_has_none() -> None:
    for name in ("scan_page.png", "scan_copier.tif", "scan_2pages.tif"):
        media = "image/png" if name.endswith(".png") else "image/tiff"
        raster = images.load_image_page(FIXTURES / name, media, 0, ReadingSettings())
        assert _found(raster.image) == [], name


def test_the_stamped_fixture_is_found_under_the_number() -> None:
    raster = images.load_image_page(
        FIXTURES / "scan_stamped.png", "image/png", 0, ReadingSettings()
    )
    (box,) = _found(raster.image)
    assert box[2] < 0.5


def _blank() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (1240, 1754), 255)
    return image, ImageDraw.Draw(image)


def test_shapes_that_are_not_a_stamp() -> None:
    ring, draw = _blank()
    draw.ellipse((500, 900, 740, 1140), outline=0, width=6)  # the seal
    streak, draw = _blank()
    draw.rectangle((600, 0, 604, 1754), fill=0)  # a scanner streak down the page
    draw.rectangle((900, 0, 904, 1754), fill=0)
    small, draw = _blank()
    draw.rectangle((200, 300, 420, 350), outline=0, width=4)  # a boxed "HỎA TỐC"
    wide, draw = _blank()
    draw.rectangle((100, 300, 1140, 500), outline=0, width=4)  # a table across the page
    for image in (ring, streak, small, wide):
        assert stamps.find(regions.ink_map(image, faint=True)) == []
    frame, draw = _blank()
    draw.rectangle((200, 400, 500, 610), outline=0, width=5)
    (box,) = stamps.find(regions.ink_map(frame, faint=True))
    assert box == pytest.approx((200 / 1240, 400 / 1754, 501 / 1240, 611 / 1754), abs=0.01)


def test_a_broken_frame_is_still_found() -> None:
    """Uneven ink: the sides come in pieces (each longer than a letter) with gaps."""
    image, draw = _blank()
    for y in range(400, 640, 83):
        draw.rectangle((200, y, 205, y + 75), fill=0)
        draw.rectangle((495, y + 20, 500, y + 95), fill=0)
    assert len(stamps.find(regions.ink_map(image, faint=True))) == 1


def test_a_side_broken_askew_is_one_side() -> None:
    """An old copier's bilevel page (seed 8282, c0177): the left side came in two pieces
    a few millimetres apart, the lower one a step to the right (the clerk stamped askew),
    and the right side, broken short, shared too little height with either piece for a
    frame. One side again, the frame is found. Two pieces side by side over some height
    (a seal's ring, curving) are not one line."""
    image, draw = _blank()
    draw.rectangle((200, 400, 205, 470), fill=0)
    draw.rectangle((204, 490, 209, 610), fill=0)
    draw.rectangle((495, 440, 500, 530), fill=0)
    (box,) = stamps.find(regions.ink_map(image, faint=True))
    assert box[1] == pytest.approx(400 / 1754, abs=0.005)
    assert box[3] == pytest.approx(611 / 1754, abs=0.005)
    beside = [(100, 390, 103, 424), (105, 417, 108, 442)]  # overlapping: no break
    assert len(stamps._rejoined(beside, 15)) == 2
    apart = [(100, 390, 103, 424), (109, 430, 112, 460)]  # too far aside for a step
    assert len(stamps._rejoined(apart, 15)) == 2


def test_of_the_lines_that_could_pair_the_frames_sides_do() -> None:
    """A stroke of the clerk's hand inside the frame, long and straight enough for a ruled
    line, could pair with either side (seed 1313, c0174: a box 0.15 of the page wide where
    the frame is 0.24): the frame's two sides share the most height."""
    for x in (260, 380):  # nearer the left side, nearer the right one
        image, draw = _blank()
        draw.rectangle((200, 400, 205, 610), fill=0)
        draw.rectangle((x, 450, x + 4, 520), fill=0)
        draw.rectangle((495, 400, 500, 610), fill=0)
        (box,) = stamps.find(regions.ink_map(image, faint=True))
        assert box[0] == pytest.approx(200 / 1240, abs=0.005)
        assert box[2] == pytest.approx(501 / 1240, abs=0.005)


def test_cleared_erases_only_the_box() -> None:
    ink = np.ones((100, 200), dtype=bool)
    out = stamps.cleared(ink, [(0.25, 0.5, 0.5, 1.0)])
    assert not out[50:, 50:100].any() and out[:50].all() and out[:, 100:].all()
    assert ink.all()  # the caller's map is left alone


def test_the_title_is_planned_on_a_stamped_page(page: Image.Image) -> None:
    """The stamp's sides tie the title rows into one tall band; with it cleared, the
    title region runs from the header down to the body and the stamp is reported."""
    grey, _ = _stamped(page, "nd30-luu", "red", "number")
    plan = regions.field_plan(grey, first=True, last=False)
    names = [r.name for r in plan.regions]
    assert names[:2] == ["header-left", "header-right"] and "title" in names
    (stamp,) = plan.stamps
    title = next(r for r in plan.regions if r.name == "title")
    assert title.box[1] < stamp[3] and stamp[1] < title.box[3]  # they overlap


# ---------------------------------------------------------------- what is left of it

STAMP = (100, 100, 400, 300)  # page pixels on a 1000 x 1000 page


def _remains(struck: np.ndarray | None = None) -> pageocr._StampRemains:
    raster = images.Raster(Image.new("L", (1000, 1000), 255), 300)
    return pageocr._StampRemains((STAMP,), raster, struck, (0, 0, 1000, 1000))


def _word(text: str, x0: float, y0: float = 0.2, width: float = 0.05) -> Word:
    return Word(text, x0, y0, x0 + width, y0 + 0.02)


def test_junk_inside_the_stamp_is_dropped_and_print_is_kept() -> None:
    sift = _remains()
    assert sift(_word("ạs", 0.2)) is None  # no Vietnamese syllable
    assert sift(_word("1s8a", 0.2)) is None  # no word, abbreviation or number
    assert sift(_word("|", 0.2)) is None
    assert sift(_word("việc", 0.2)) == _word("việc", 0.2)
    assert sift(_word("2016", 0.2)) == _word("2016", 0.2)
    assert sift(_word("-", 0.2)) == _word("-", 0.2)  # "Tài chính - Kế hoạch"
    assert sift(_word("vụ.", 0.2)).text == "vụ"  # type: ignore[union-attr]
    assert sift(_word("ạs", 0.6)) == _word("ạs", 0.6)  # outside: the field checks judge it
    assert [w.text for w in sift.dropped] == ["ạs", "1s8a", "vụ."]
    # its box, as passed on, spans the syllable without the mark: a line's middle is
    # measured without it
    mended = [w for w in sift.passed if w.text == "vụ"][0]
    assert (mended.x0, mended.x1) == pytest.approx((0.2, 0.2 + 0.05 * 2 / 3))


def test_a_printed_word_the_stamps_frame_ran_into_is_kept_without_the_marks() -> None:
    """The frame's edge or the clerk's pen glued to a title word ("„phòng", "trong:z:",
    "2:9”nhà"): the one syllable in it is print, the rest the stamp's. The word's box
    shrinks to the syllable's share, so that the line's middle stays where print put it."""
    sift = _remains()
    assert sift(_word("„phòng", 0.2)).text == "phòng"  # type: ignore[union-attr]
    assert sift(_word("2023;", 0.2)).text == "2023"  # type: ignore[union-attr]
    assert sift(_word("trong:z:", 0.2)).text == "trong"  # type: ignore[union-attr]
    assert sift(_word("Đồng?!!⁄2213", 0.2)).text == "Đồng"  # type: ignore[union-attr]
    salvaged = sift(_word("2:9”nhà", 0.2, width=0.07))
    assert salvaged is not None and salvaged.text == "nhà"
    assert salvaged.x0 == pytest.approx(0.24) and salvaged.x1 == pytest.approx(0.27)
    dropped = ["„phòng", "2023;", "trong:z:", "Đồng?!!⁄2213", "2:9”nhà"]
    assert [w.text for w in sift.dropped] == dropped
    assert not sift.removed  # cut short of marks, not taken out


def test_a_word_with_more_than_stray_marks_around_it_is_not_salvaged() -> None:
    sift = _remains()
    assert sift(_word("14/05/2o1nhà", 0.2)) is None  # the clerk's date beside it
    assert sift(_word("Sốz:12l0", 0.2)) is None
    assert sift(_word("aĂ-Ằ—Ằ", 0.2)) is None  # letters, but no syllable as print sets one
    assert sift(_word("ngày”trong", 0.2)) is None  # two syllables: which is print?
    assert len(sift.removed) == 4


def _line(text: str, x0: float, x1: float, y0: float = 0.2, conf: float = 0.95) -> Line:
    return Line(text, x0, y0, x1, y0 + 0.02, conf)


def test_a_title_line_that_lost_words_to_the_stamp_is_doubted() -> None:
    sift = _remains()
    sift(_word("ạs", 0.33, y0=0.2))
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    kept = sift.sift(
        [
            _line("BÁO CÁO", 0.45, 0.55, y0=0.16),
            _line("Về việc đề nghị phê duyệt", 0.39, 0.67, y0=0.2),  # off centre by a word
            _line("Số: 95", 0.12, 0.2, y0=0.25),  # the stamp's own, off the title's axis
            _line("năm 2016", 0.45, 0.55, y0=0.3),
        ],
        region,
    )
    assert [(ln.text, ln.conf) for ln in kept] == [
        ("BÁO CÁO", 0.95),  # the type's name in capitals stays readable
        ("Về việc đề nghị phê duyệt", pageocr._UNDER_STAMP),
        ("năm 2016", 0.95),
    ]


def test_a_centred_title_line_beside_the_stamps_remains_is_whole() -> None:
    """The stamp's junk read beside a title line that is centred on the title's axis hid
    nothing of it: a word lost at an end would pull its middle off. Junk taken out between
    its ends, or a line off centre, still doubts it."""
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    sift = _remains()
    sift(_word("z;oj)a", 0.36, y0=0.2))  # beyond the line's start
    sift(_word("ˆ", 0.45, y0=0.25, width=0.005))  # a speck between its words
    kept = sift.sift(
        [
            _line("Ban hành Quy chế tiếp công dân", 0.41, 0.59, y0=0.2),
            _line("khiếu nại, tố cáo", 0.43, 0.57, y0=0.25),
        ],
        region,
    )
    assert [ln.conf for ln in kept] == [0.95, 0.95]
    sift = _remains()
    sift(_word("1s8a", 0.30, y0=0.2))  # a word's worth of junk between its words
    (inside,) = sift.sift([_line("Ban hành Quy chế tiếp công dân", 0.25, 0.75)], region)
    assert inside.conf == pageocr._UNDER_STAMP
    for x1, conf in ((0.70, 0.95), (0.62, pageocr._UNDER_STAMP)):
        sift = _remains()
        sift(_word("`Thực", 0.30, y0=0.2))  # cut short of a mark at the line's start
        (line,) = sift.sift([_line("Thực hiện phòng cháy, chữa cháy rừng", 0.30, x1)], region)
        assert line.conf == conf  # off centre: the stamp may have hidden more of it


def test_the_clerks_hand_across_two_title_rows_doubts_both() -> None:
    """The clerk's date written across two rows of the title, taller than print (seed
    1616, c0199): it took "Tình" from the first line's start, and its middle lies in the
    second line's row. Both lines lost to it: the first, off centre, is doubted too."""
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    sift = _remains()
    sift(Word("1s8a", 0.36, 0.199, 0.40, 0.255))  # inside the stamp (x 0.1 to 0.4)
    kept = sift.sift(
        [
            _line("hình thực hiện cấp nước sạch", 0.41, 0.69, y0=0.20),
            _line("năm 2020 và phương hướng", 0.30, 0.68, y0=0.225),
        ],
        region,
    )
    assert [ln.conf for ln in kept] == [pageocr._UNDER_STAMP, pageocr._UNDER_STAMP]


def test_a_title_line_split_by_a_word_the_stamp_spoiled_is_one_line_again() -> None:
    """The stamp's remains over a word of the title ("Mầm" read "Miãm") take it out, and the
    line falls apart in two; the rest of it lies on past the word, so it was print. The
    pieces are one line again, the word as read, doubted: what the stamp spoiled is not
    known."""
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    sift = _remains()
    sift(_word("Miãm", 0.30, y0=0.2, width=0.04))  # inside the stamp (x 0.1 to 0.4)
    pieces = [
        _line("Kết luận của", 0.15, 0.29),
        _line("non Hoa tại cuộc họp về nông thôn mới", 0.35, 0.85),
        _line("Sen tại cuộc họp", 0.35, 0.65, y0=0.23),  # the next row: not joined
    ]
    kept = sift.sift(pieces, region)
    assert [(ln.text, ln.conf) for ln in kept] == [
        ("Kết luận của Miãm non Hoa tại cuộc họp về nông thôn mới", pageocr._UNDER_STAMP),
        ("Sen tại cuộc họp", 0.95),
    ]
    assert (kept[0].x0, kept[0].x1) == (0.15, 0.85)


def test_the_stamps_own_words_are_not_joined_to_a_title_line() -> None:
    """The stamp's agency name read left of a title line, junk between: joined, the line
    would not be centred on the title's axis as every printed one is."""
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    sift = _remains()
    sift(_word("3GIN", 0.25, y0=0.2, width=0.04))
    pieces = [_line("LIYỆN", 0.15, 0.24), _line("Dự hội nghị sơ kết công tác", 0.30, 0.70)]
    kept = sift.sift(pieces, region)
    assert "Dự hội nghị sơ kết công tác" in [ln.text for ln in kept]


def test_the_clerks_words_beside_a_title_line_stay_apart() -> None:
    """Junk taken out at the end of a line, with nothing after it on the row, is not print
    the line goes on past: nothing is joined."""
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    sift = _remains()
    sift(_word("1s8a", 0.36, y0=0.2))
    kept = sift.sift([_line("Ban hành Quy chế tiếp công dân", 0.05, 0.35)], region)
    assert [ln.text for ln in kept] == ["Ban hành Quy chế tiếp công dân"]


def test_junk_in_the_stamps_own_line_is_no_lost_title_line() -> None:
    """Junk read inside the stamp under a title line may be all that is left of the
    trích yếu's next line, which doubts the line above; not when it sat in a line of the
    stamp's own, off the title's axis (the clerk's "Số: 410")."""
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    title = _line("Ban hành Kế hoạch cải cách hành chính", 0.3, 0.7, y0=0.18)
    stamps_line = _line("v 410", 0.30, 0.39, y0=0.21)  # inside the stamp, off the axis
    for found, conf in (([title, stamps_line], 0.95), ([title], pageocr._UNDER_STAMP)):
        sift = _remains()
        sift(_word("v_", 0.36, y0=0.21, width=0.02))
        assert sift.sift(found, region)[0].conf == conf


def test_the_clerks_number_in_front_of_a_title_line_is_taken_off() -> None:
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    (line,) = _remains().sift([_line("1849 Dự hội nghị sơ kết", 0.3, 0.7)], region)
    assert line.text == "Dự hội nghị sơ kết" and line.conf == pageocr._UNDER_STAMP
    assert line.x0 > 0.3


def test_a_title_line_centred_once_the_clerks_number_is_off_is_whole() -> None:
    """ "... tiêu cực năm 2025 2279": the số đến written after the line hid nothing of it
    when, without it, the line is centred on the title's axis as printed (its words'
    boxes as Tesseract read them tell where it ends); off centre, a word may be lost."""
    region = regions.Region((0, 150, 410, 400), 3, "title")  # axis at x 0.205
    for start, conf in ((0.05, 0.95), (0.03, pageocr._UNDER_STAMP)):
        sift = _remains()
        texts = ["những,", "tiêu", "cực", "năm", "2025"]
        words = [_word(t, start + 0.065 * i, width=0.06) for i, t in enumerate(texts)]
        words.append(_word("2279", 0.375, width=0.02))  # inside the stamp (x 0.1 to 0.4)
        for word in words:
            assert sift(word) == word
        (line,) = sift.sift([_line(" ".join([*texts, "2279"]), start, 0.395)], region)
        assert line.text == "những, tiêu cực năm 2025"
        assert line.x1 == words[4].x1 and line.conf == conf


def test_the_clerks_hand_read_as_a_word_after_a_centred_title_line_goes() -> None:
    """ "... về chuyển đổi số “tạ" (seed 4646, c0179): the số đến written beside the
    line's end read as a word, unsurely. Without it the line is centred on the title's axis
    as printed; with it, it was not, and the trích yếu ended on the line above, wrong at
    0.93. Off centre without it too, or read surely (a body line's last word: margin to
    margin, the line is centred without it too), the word stays."""
    region = regions.Region((0, 150, 410, 400), 3, "title")  # axis at x 0.205
    texts = ["về", "chuyển", "đổi", "số"]
    for start, conf, kept in (
        (0.05, 0.22, "về chuyển đổi số"),
        (0.03, 0.22, "về chuyển đổi số “tạ"),
        (0.05, 0.95, "về chuyển đổi số “tạ"),
    ):
        sift = _remains()
        words = [_word(t, start + 0.08 * i, width=0.075) for i, t in enumerate(texts)]
        words.append(dataclasses.replace(_word("“tạ", 0.375, width=0.02), conf=conf))
        for word in words:
            sift(word)
        (line,) = sift.sift([_line(" ".join([*texts, "“tạ"]), start, 0.395)], region)
        assert line.text == kept and line.conf == 0.95


def test_the_stamps_words_before_a_title_lines_first_go() -> None:
    """ "coi.G VĂN Về việc thông qua ..." (seed 3838, c0163): the stamp's "CÔNG VĂN ĐẾN"
    read in front of the trích yếu's first line, which starts inside the stamp. From "Về"
    on the line is centred on the title's axis: that is where it starts, doubted (the stamp
    may hide more). Off centre from there too, nothing is taken off; nor is print read
    surely (seed 2468, s0091: a body line's "Căn cứ" under the stamp, "Luật ..." after it).
    """
    region = regions.Region((0, 150, 1000, 400), 3, "title")  # axis at x 0.5
    _DOUBTED = pageocr._UNDER_STAMP  # noqa: N806
    for texts, end, kept, conf in (
        (["coi.G", "VĂN", "Về", "việc", "thông", "qua"], 0.70, "Về việc thông qua", _DOUBTED),
        (["coi.G", "VĂN", "Về", "việc", "thông", "qua"], 0.80, None, 0.95),
        (["Căn", "cứ", "Luật", "Tổ", "chức", "Chính"], 0.70, None, 0.95),
    ):
        sift = _remains()
        starts = [0.15, 0.21, *(0.30 + (end - 0.34) * i / 3 for i in range(4))]
        for text, x0 in zip(texts, starts, strict=True):
            sift(
                dataclasses.replace(_word(text, x0, width=0.04), conf=0.11 if "." in text else 0.95)
            )
        (line,) = sift.sift([_line(" ".join(texts), 0.15, end)], region)
        assert (line.text, line.conf) == (kept or " ".join(texts), conf)


def test_the_frames_edge_read_as_a_dash_at_a_lines_start_goes() -> None:
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    (line,) = _remains().sift(
        [_line("- Triển khai thực hiện công tác văn thư", 0.29, 0.75)], region
    )
    assert line.text == "Triển khai thực hiện công tác văn thư" and line.x0 > 0.29
    (line,) = _remains().sift([_line("Tài chính - Kế hoạch tại cuộc họp", 0.3, 0.7)], region)
    assert line.text == "Tài chính - Kế hoạch tại cuộc họp"


def test_a_number_the_line_above_announces_is_print() -> None:
    """ "... mở rộng năm" / "2018 và phương hướng": the year goes on from the line above."""
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    above = _line("Tình hình thực hiện tiêm chủng mở rộng năm", 0.3, 0.7, y0=0.17)
    printed = "2018 và phương hướng, nhiệm vụ năm 2019"
    lines = _remains().sift([above, _line(printed, 0.3, 0.7)], region)
    assert [line.text for line in lines] == [above.text, printed]
    assert lines[1].conf == 0.95


def test_a_bare_number_inside_the_stamp_is_the_clerks_even_on_the_titles_axis() -> None:
    region = regions.Region((0, 150, 500, 400), 3, "title")
    title = _line("Quy định mức chi hỗ trợ thực hiện giải ngân", 0.05, 0.45, y0=0.17)
    lines = _remains().sift([title, _line("221", 0.23, 0.27)], region)
    assert [line.text for line in lines] == [title.text]


def test_the_clerks_number_after_a_title_line_is_taken_off_unless_announced() -> None:
    region = regions.Region((0, 150, 410, 400), 3, "title")  # the stamp ends the line
    (line,) = _remains().sift([_line("ban hành Kế hoạch phát 1258", 0.02, 0.39)], region)
    assert line.text == "ban hành Kế hoạch phát" and line.conf == pageocr._UNDER_STAMP
    assert line.x1 < 0.39
    for printed in ("du lịch cộng đồng năm 2019", "tuyển sinh vào lớp 10"):
        (line,) = _remains().sift([_line(printed, 0.02, 0.39)], region)
        assert line.text == printed
    (line,) = _remains().sift([_line("ban hành Kế hoạch phát 1258", 0.45, 0.8)], region)
    assert line.text.endswith("1258")  # ends outside the stamp: print


def test_the_stamps_own_words_after_a_title_line_are_taken_off() -> None:
    region = regions.Region((0, 150, 410, 400), 3, "title")  # the stamp ends the line
    (line,) = _remains().sift([_line("sinh vào lớp 10 huyện Lạng Giang ĐẾN", 0.02, 0.39)], region)
    assert line.text == "sinh vào lớp 10 huyện Lạng Giang" and line.conf == pageocr._UNDER_STAMP
    for printed in ("Ban hành Quy chế của UBND", "QUYẾT ĐỊNH"):  # abbreviation, type's name
        (line,) = _remains().sift([_line(printed, 0.02, 0.39)], region)
        assert line.text == printed
    # An old copier's faded frame, found a little smaller than it is: the stamp's word just
    # outside it, at the line's end, is still its own (old copier 9393, "... năm 2022 BAN").
    above = _line("Thực hiện quản lý đất đai năm 2022 BAN", 0.1, 0.39, y0=STAMP[1] / 1000 - 0.025)
    (line,) = _remains().sift([above], region)
    assert line.text == "Thực hiện quản lý đất đai năm 2022"
    # a line's height clear of the frame: print
    far = dataclasses.replace(above, y0=above.y0 - 0.03, y1=above.y1 - 0.03)
    (line,) = _remains().sift([far], region)
    assert line.text == far.text


def test_the_clerks_pen_inside_the_stamp_is_dropped_and_doubts_the_line() -> None:
    region = regions.Region((0, 150, 410, 400), 3, "title")  # the stamp ends the line
    remains = _remains()
    assert remains(_word("?°/27⁄29!⁄", 0.34)) is None
    assert remains(_word("27/2/2017", 0.34)) is not None  # a date as print writes it
    (kept,) = remains.sift([_line("nhiệm vụ năm 2018", 0.02, 0.33)], region)
    assert kept.conf == pageocr._UNDER_STAMP


@pytest.mark.parametrize("print_level", [20, 90])  # a clean scan's print, an old copier's
def test_only_ink_as_dark_as_print_stays_inside_a_stamp_over_the_title(print_level: int) -> None:
    """Inside the stamp's frame ink paler than the print around it goes; print stays, and
    outside the frame nothing changes (a pale letter of the title there is still a letter)."""
    cut = np.full((80, 200), 255, dtype=np.uint8)
    cut[40:70, 10:60] = print_level  # the title's print, outside the frame
    cut[10:20, 20:40] = 120  # pale ink outside the frame
    cut[10:20, 120:140] = 120  # stamp ink inside it
    cut[30:40, 120:140] = print_level  # print inside it
    box, stamp = (100, 50, 300, 130), (200, 40, 400, 200)  # region and stamp, page pixels
    gone = pageocr._stamp_ink_gone(Image.fromarray(cut), box, (stamp,), 1000).image
    out = np.asarray(gone)
    assert (out[10:20, 120:140] == 255).all()
    assert (out[30:40, 120:140] == print_level).all() and (out[10:20, 20:40] == 120).all()
    assert (cut[10:20, 120:140] == 120).all()  # the caller's cut is left alone


def _struck_through() -> np.ndarray:
    """A map of letters (upright bars 3 wide, 24 tall, a word's gaps between) with a stamp
    frame's top stroke, 3 thick, running through them at a slope of 1 in 30 (a stamp set
    down askew), and the frame's left side going down from its start."""
    ink = np.zeros((120, 400), dtype=bool)
    for x in range(20, 380, 9):
        ink[30:60, x : x + 3] = True  # the letters' stems
    for x in range(10, 390):
        y = 40 + x // 30
        ink[y : y + 3, x] = True  # the frame's top ...
    ink[40:118, 10:13] = True  # ... and its left side
    return ink


def _print_of_struck_through() -> np.ndarray:
    """The letters' stems of `_struck_through`, without the frame."""
    ink = np.zeros((120, 400), dtype=bool)
    for x in range(20, 380, 9):
        ink[30:60, x : x + 3] = True
    return ink


def test_a_dark_stamps_frame_strokes_are_found_askew_and_the_letters_they_cross_stay() -> None:
    ink = _struck_through()
    strokes = stamps.frame_strokes(ink, page_width=1000)
    assert strokes[44, 100] and strokes[51, 305]  # the top stroke, all along its slope
    assert not strokes[60:118, 10:13].any()  # the left side stays: it parts the stamp from print
    crossing = [(40 + x // 30 + 1, x + 1) for x in range(20, 380, 9)]  # a stem's middle
    assert not any(strokes[y, x] for y, x in crossing)  # the letters keep their strokes
    assert not strokes[30:40, 20:380].any()  # the stems above it stay whole


def test_a_frame_stroke_in_free_space_stays_to_part_the_stamp_from_the_title() -> None:
    ink = np.zeros((60, 400), dtype=bool)
    ink[20:23, 10:390] = True  # the frame's top, level
    for x in range(20, 120, 9):
        ink[10:35, x : x + 3] = True  # letters it runs through, on its left only
    strokes = stamps.frame_strokes(ink, page_width=1000)
    assert strokes[21, 60:110].any()  # along the letters it goes
    assert not strokes[:, 150:].any()  # past them it stays


def test_short_strokes_of_print_are_no_frame() -> None:
    ink = np.zeros((60, 200), dtype=bool)
    ink[20:22, 10:50] = True  # a letter's bar or an underline shorter than a frame side
    ink[5:45, 100:103] = True  # a tall letter
    assert not stamps.frame_strokes(ink, page_width=1000).any()


def test_a_dark_stamps_frame_through_the_title_is_found_and_the_digits_it_crossed_doubted() -> None:
    """A stamp as dark as print keeps its frame after the pale ink went: where its top
    runs is found (not the letters it crosses), for the title to be read without it, and
    a number it ran through is then doubted, as a year struck through reads as another."""
    cut = np.full((120, 400), 255, dtype=np.uint8)
    cut[_struck_through()] = 10
    cut[60:90, 300:380] = 10  # print outside the frame, to measure the print's level by
    box, stamp = (0, 0, 400, 120), (10, 40, 300, 120)
    struck = pageocr._stamp_ink_gone(Image.fromarray(cut), box, (stamp,), 1000).strokes
    assert struck is not None and struck[43:46, 104:110].all()  # between two stems
    assert not struck[30:60, 101:104].any()  # a stem it crossed
    pale_cut = np.where(cut < 255, 120, 255).astype(np.uint8)
    pale_cut[60:90, 300:380] = 10
    pale = pageocr._stamp_ink_gone(Image.fromarray(pale_cut), box, (stamp,), 1000).strokes
    assert pale is None  # its frame went with the pale ink

    page_struck = np.zeros((1000, 1000), dtype=bool)
    page_struck[158:161, 150:350] = True  # a stroke through "2016" (rows 150-170)
    year = dataclasses.replace(_word("2016", 0.2, 0.15), conf=0.81)
    below = dataclasses.replace(_word("2017", 0.2, 0.25), conf=0.81)
    assert _remains(page_struck)(year).conf == pageocr._UNDER_STAMP
    assert _remains(page_struck)(below).conf == below.conf  # the stroke missed it
    assert _remains()(year).conf == year.conf  # no dark frame taken out
    sure = dataclasses.replace(year, conf=0.95)  # read surely despite the stroke: itself
    assert _remains(page_struck)(sure).conf == sure.conf
    assert _remains(page_struck)(_word("triển", 0.2, 0.15)).conf == 1.0  # syllables checked


def test_a_number_a_pale_frame_ran_through_is_doubted() -> None:
    """A pale frame goes with the stamp's ink, and takes a digit's stroke where it crossed
    one ("năm 2015" read 2017 at 0.81, 6262 old copier): the ink taken away is kept, and a
    number it runs level across, read unsurely, is doubted, as under a dark frame."""
    scanned = np.full((120, 400), 255, dtype=np.uint8)
    scanned[_struck_through()] = 10
    scanned[60:90, 300:380] = 10  # print outside the frame, to measure the print's level by
    pale = scanned.copy()
    pale[(scanned < 255) & ~_print_of_struck_through()] = 140  # the frame in a grey scan
    cut = np.where(pale > pageocr._SEAL_GREY, 255, pale).astype(np.uint8)  # as read
    box, stamp = (0, 0, 400, 120), (10, 40, 300, 120)
    gone = pageocr._stamp_ink_gone(Image.fromarray(cut), box, (stamp,), 1000, Image.fromarray(pale))
    assert gone.strokes is None  # no dark frame left on the cut
    assert gone.taken is not None and gone.taken.crosses((100, 30, 200, 60))
    assert not gone.taken.crosses((100, 62, 200, 90))  # below it: only the frame's side
    unseen = pageocr._stamp_ink_gone(Image.fromarray(cut), box, (stamp,), 1000)
    assert unseen.taken is not None and not unseen.taken.crosses((100, 30, 200, 60))

    raster = images.Raster(Image.new("L", (400, 120), 255), 300)
    remains = pageocr._StampRemains((stamp,), raster, None, box, gone.taken)
    crossed = Word("2015", 100 / 400, 30 / 120, 200 / 400, 60 / 120, conf=0.81)
    assert remains(crossed).conf == pageocr._UNDER_STAMP
    assert remains(dataclasses.replace(crossed, conf=0.95)).conf == 0.95  # read surely
    below = Word("2015", 100 / 400, 62 / 120, 200 / 400, 90 / 120, conf=0.81)
    assert remains(below).conf == 0.81  # the frame's side alone runs down there: no level run


@pytest.mark.parametrize(
    ("second", "text", "conf"),
    [
        ([("2024", 0.95)], "2024,", pageocr._READ_TWO_WAYS),  # read as another, surely
        ([("2021", 0.96)], "2021,", 0.96),  # the same: as sure as the second reading
        ([("2014", 0.0)], "2021,", 0.8),  # unsurely: says nothing
        ([], "2021,", 0.8),
        ([("20241", 0.95)], "2021,", pageocr._READ_TWO_WAYS),  # not as many digits: doubted
        ([("2024", 0.95), ("SỐ", 0.9)], "2021,", 0.8),  # the stamp's print with it
    ],
)
def test_a_number_read_unsurely_under_the_stamp_is_read_again_alone(
    second: list[tuple[str, float]], text: str, conf: float
) -> None:
    """Whitening the stamp's ink took strokes of the year's digits with it ("năm 2024"
    read 2021 at 0.80, 6767 office scan): read again alone on the cut as scanned."""
    asked: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def read_line(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        asked.append((image.size, at))
        return [Line(t, 0.2, 0.2, 0.25, 0.22, conf=c) for t, c in second]

    raster = images.Raster(Image.new("L", (1000, 1000), 255), 300)
    box = (0, 0, 1000, 1000)
    again = pageocr._SecondReading(raster.image, box, raster, read_line)
    remains = pageocr._StampRemains((STAMP,), raster, None, box, None, again)
    word = dataclasses.replace(_word("2021,", 0.2), conf=0.8)
    got = remains(word)
    assert got is not None and (got.text, got.conf) == (text, conf)
    assert asked == [((62, 32), (194, 194))]  # its box, a third of its height around it
    surely = dataclasses.replace(word, conf=0.93)
    assert remains(surely) == surely and len(asked) == 1  # read surely: not asked again
    assert remains(dataclasses.replace(word, x0=0.6, x1=0.65)).text == "2021,"  # outside
    assert len(asked) == 1


def _reads(
    second: list[tuple[str, float]], asked: list[tuple[int, int]], *, x0: float
) -> Callable[[Image.Image, tuple[int, int]], list[Line]]:
    """A line reader answering `second` (text, confidence) at x0, noting where it was asked."""

    def read_line(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        asked.append(at)
        return [Line(t, x0, 0.2, x0 + 0.05, 0.22, conf=c) for t, c in second]

    return read_line


@pytest.mark.parametrize(
    ("second", "text", "conf"),
    [
        ([("2025,", 0.95)], "2025,", pageocr._READ_TWO_WAYS),  # the digit the ink took
        ([("2027,", 0.96)], "2027,", 0.96),  # the same: it stands
        ([("2027,", 0.5)], "2027,", 0.95),  # read unsurely alone: as it was
    ],
)
def test_a_number_read_surely_where_the_stamps_ink_was_taken_is_read_again(
    second: list[tuple[str, float]], text: str, conf: float
) -> None:
    """Whitening a grey stamp's "ĐẾN" over "năm 2025" took a stroke of its 5 and left it
    read 2027 at 0.95, registered as right (seed 2727, s0001, once its frame was found
    whole): a number inside the stamp where ink was taken is read again alone as scanned
    however surely it read. Read otherwise surely, that reading is kept, doubted (as for a
    number read unsurely there). Where no ink was taken from it, it is not asked."""
    asked: list[tuple[int, int]] = []
    read_line = _reads(second, asked, x0=0.2)
    raster = images.Raster(Image.new("L", (1000, 1000), 255), 300)
    box = (0, 0, 1000, 1000)
    taken = np.zeros((1000, 1000), dtype=bool)
    taken[205:215, 230:240] = True  # inside the word's box (x 0.2 to 0.25, y 0.2 to 0.22)
    ink = pageocr._TakenInk(taken, np.full((1000, 1000), 255, dtype=np.uint8), 1000)
    again = pageocr._SecondReading(raster.image, box, raster, read_line)
    remains = pageocr._StampRemains((STAMP,), raster, None, box, ink, again)
    got = remains(dataclasses.replace(_word("2027,", 0.2), conf=0.95))
    assert got is not None and (got.text, got.conf) == (text, conf) and len(asked) == 1
    untouched = dataclasses.replace(_word("2027,", 0.3), conf=0.95)
    assert remains(untouched) == untouched and len(asked) == 1


@pytest.mark.parametrize(
    ("first", "second", "text", "conf"),
    [
        ("IV", [("IV", 0.96)], "IV", 0.96),  # "quý IV" at 0.57, right: as sure as read again
        ("III", [("II", 0.95)], "III", pageocr._READ_TWO_WAYS),  # a stroke lost: they disagree
        ("I", [("1", 0.95)], "I", 0.32),  # a Roman I alone reads as 1: no second reading
        ("2019", [("Số:", 0.93)], "2019", 0.5),  # read as no number: says nothing
        ("2019", [("2019", 0.5)], "2019", 0.5),
    ],
)
def test_a_number_of_the_trich_yeu_read_unsurely_is_read_again_alone(
    first: str, second: list[tuple[str, float]], text: str, conf: float
) -> None:
    asked: list[tuple[int, int]] = []
    read_line = _reads(second, asked, x0=0.6)
    raster = images.Raster(Image.new("L", (1000, 1000), 255), 300)
    box = (0, 0, 1000, 1000)
    again = pageocr._SecondReading(raster.image, box, raster, read_line)
    sift = pageocr._numbers_read_again(again, (STAMP,), raster)
    assert sift is not None
    word = dataclasses.replace(_word(first, 0.6), conf=0.32 if first == "I" else 0.5)
    got = sift(word)
    assert got is not None and (got.text, got.conf) == (text, conf)
    assert len(asked) == 1
    for untouched in (
        dataclasses.replace(word, conf=0.75),  # sure enough for the trích yếu's checks
        dataclasses.replace(word, text="việc"),  # no number
        dataclasses.replace(word, x0=0.2, x1=0.25),  # under the stamp: its remains ask
    ):
        assert sift(untouched) == untouched
    assert len(asked) == 1
    assert pageocr._numbers_read_again(None, (STAMP,), raster) is None  # not the title


def test_the_stamps_print_after_the_types_name_goes() -> None:
    """ "QUYẾT ĐỊNH ĐẾN so": the stamp's own words run into the type's name in capitals go
    (no type's name ends with one); a type's name is otherwise kept whole."""
    region = regions.Region((0, 150, 410, 400), 3, "title")  # the stamp ends the line
    for read in ("QUYẾT ĐỊNH ĐẾN so", "QUYẾT ĐỊNH ĐẾN Số:", "BÁO CÁO NGÀY"):
        (line,) = _remains().sift([_line(read, 0.02, 0.39)], region)
        assert line.text in ("QUYẾT ĐỊNH", "BÁO CÁO")
    (line,) = _remains().sift([_line("KẾ HOẠCH", 0.02, 0.39)], region)
    assert line.text == "KẾ HOẠCH"


def test_the_frames_edge_run_into_a_lines_first_word_goes() -> None:
    region = regions.Region((0, 150, 1000, 400), 3, "title")
    (line,) = _remains().sift([_line("--Dự hội nghị sơ kết công tác", 0.15, 0.8)], region)
    assert line.text == "Dự hội nghị sơ kết công tác"
    (line,) = _remains().sift([_line("--Dự hội nghị sơ kết công tác", 0.45, 0.8)], region)
    assert line.text.startswith("--")  # its start outside the stamp: not the frame


def test_of_two_reads_of_a_stamped_title_each_row_keeps_the_line_more_like_print() -> None:
    """The title under a dark stamp is read with its frame and without: in each row the
    line with more words in common use and pairs of official writing, and fewer words no
    syllable makes, is kept (the first read's on a tie); a line one read lost is taken
    from the other."""

    def score(text: str) -> int:
        return pageocr._plausibility(_line(text, 0.3, 0.7))

    assert score("Về việc đề nghị ban hành Kế hoạch xây") > score(
        "Về việc đề nghị ban hành Kế qchxây"
    )
    assert score("Về việc đề nghị ban hành Kế hoạch") > score("Me ề việc đề nghị ban hành Kế hoạch")
    assert score("an toàn thực phẩm") > score("an toàn thực phẩm BRSHf")
    assert score("môi trường năm 2020") > score("môi trường năm")

    framed = [
        _line("TỜ TRÌNH", 0.4, 0.6, 0.10),
        _line('"Vệ việc đề nghị', 0.3, 0.7, 0.13),
        _line("thực hiện chuyển đổi số", 0.3, 0.7, 0.16, conf=0.2),
    ]
    unframed = [
        _line("TỜ TRÌNH", 0.4, 0.6, 0.10),
        _line("Me ề việc đề nghị", 0.3, 0.7, 0.131),
        _line("thực hiện chuyển đổi số năm 2017", 0.3, 0.7, 0.161),
        _line("mới trên địa bàn", 0.3, 0.7, 0.19),
    ]
    merged = pageocr._likelier_rows(framed, unframed)
    assert [line.text for line in merged] == [
        "TỜ TRÌNH",
        '"Vệ việc đề nghị',
        "thực hiện chuyển đổi số năm 2017",
        "mới trên địa bàn",
    ]
    # A sure, clean line stays: the type's name is not traded for the stamp's marks.
    sure = [_line("CÔNG ĐIỆN", 0.4, 0.6, 0.168)]
    assert pageocr._likelier_rows(sure, [_line("CUNG 711D 1X", 0.4, 0.6, 0.169)]) == sure
    # Two rows one read ran together are not read twice: a line the other read holds in
    # part of that height is no lost line.
    tall = [Line("tố cáo ăm 20217", 0.3, 0.13, 0.7, 0.19, 0.9)]
    rows = [_line("khiếu nại, tố cáo năm 2021", 0.3, 0.7, 0.13), _line("quyết", 0.3, 0.7, 0.165)]
    assert pageocr._likelier_rows(tall, rows) == tall
    # Nor is a line the first read placed in another row.
    once = [_line("Về việc tổ chức kiểm tra thi đua, khen thưởng", 0.3, 0.7, 0.13)]
    twice = [_line("về việc tổ chức kiểm tra thi", 0.3, 0.7, 0.10), *once]
    assert pageocr._likelier_rows(once, twice) == once
    # A speck's line half in a title line's row is no twin of it: each line has one.
    title = _line("Về việc tổ chức kiểm tra thi", 0.3, 0.7, 0.176)
    speck = Line("TT -", 0.2, 0.185, 0.3, 0.203, 0.9)
    assert pageocr._likelier_rows([title, speck], [title]) == [title, speck]


def test_the_clerks_pen_as_dark_as_prints_fringe_goes_and_the_fringe_stays() -> None:
    """Blue ballpoint is grey 20-70 in a grey scan, as dark as the grey fringe of printed
    letters: inside the frame, the pen's strokes go (they border no black core) and the
    letters keep their fringe (it borders theirs)."""
    cut = np.full((80, 200), 255, dtype=np.uint8)
    cut[40:70, 10:60] = 5  # the title's print, outside the frame
    cut[30:40, 120:140] = 5  # a printed letter inside it ...
    cut[28:30, 120:140] = cut[40:42, 120:140] = 60  # ... and its fringe
    cut[10:20, 150:156] = 45  # the pen's stroke, away from any letter
    box, stamp = (100, 50, 300, 130), (200, 40, 400, 200)
    gone = pageocr._stamp_ink_gone(Image.fromarray(cut), box, (stamp,), 1000).image
    out = np.asarray(gone)
    assert (out[10:20, 150:156] == 255).all()
    assert (out[28:42, 120:140] == cut[28:42, 120:140]).all()


def test_a_title_the_layout_analysis_read_nothing_of_is_read_as_one_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A scanner's streak through the title can hide every line from Tesseract's layout
    analysis (psm 3 reads nothing where psm 6 reads the title and its trích yếu, on a
    real old-copier scan): the title is read again as one block; other regions are not."""
    calls: list[tuple[int, int]] = []

    def ocr_lines(cut: Image.Image, *, psm: int, **_: object) -> list[Line]:
        calls.append((cut.width, psm))
        return [_line("THÔNG BÁO", 0.45, 0.6, y0=0.2)] if psm == 6 else []

    monkeypatch.setattr(pageocr.tesseract, "ocr_lines", ocr_lines)
    raster = images.Raster(Image.new("L", (1000, 1000), 255), 300)
    plan = regions.Plan(
        (
            regions.Region((0, 0, 400, 150), 4, "header-left"),
            regions.Region((0, 150, 1000, 300), 3, "title"),
        ),
        text_rows=5,
    )
    page, _ = pageocr._read(raster, ReadingSettings(), plan, 0.0)
    assert [line.text for line in page.lines] == ["THÔNG BÁO"]
    assert calls == [(400, 4), (1000, 3), (1000, 6)]


@pytest.mark.parametrize(
    ("below", "calls", "kept"),
    [
        (["Lâm Hà, ngày 29 tháng 3 năm 2016"], [(1000, 760)], ["Lâm Hà, ngày 29 tháng 3 năm 2016"]),
        (["Lâm Hà, ngày"], [(1000, 760), (1000, 0)], ["CỘNG HÒA", "Lâm Hà, ngày 29"]),
    ],
)
def test_the_motto_is_read_only_when_no_date_line_shows_under_it(
    monkeypatch: pytest.MonkeyPatch, below: list[str], calls: list[tuple[int, int]], kept: list[str]
) -> None:
    """The quốc hiệu and tiêu ngữ hold no field and cost a third of the header's reading:
    the right column is read from under them, and whole only when no date line shows."""
    read: list[tuple[int, int]] = []

    def ocr_lines(cut: Image.Image, *, page: tuple[int, int, int, int], **_: object) -> list[Line]:
        read.append((cut.width + page[0], page[1]))
        texts = below if page[1] else ["CỘNG HÒA", "Lâm Hà, ngày 29"]
        return [_line(text, 0.6, 0.9, y0=0.05 * (i + 1)) for i, text in enumerate(texts)]

    monkeypatch.setattr(pageocr.tesseract, "ocr_lines", ocr_lines)
    raster = images.Raster(Image.new("L", (1000, 3000), 255), 300)
    region = regions.Region((400, 0, 1000, 1000), 4, "header-right", under_motto=760)
    page, _ = pageocr._read(raster, ReadingSettings(), regions.Plan((region,), 5), 0.0)
    assert [line.text for line in page.lines] == kept
    assert read == calls


def test_a_header_column_the_stamp_touches_keeps_its_red_ink(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not read from the plane where the stamp's red or violet ink fades away, as the title
    beside it is: the độ khẩn or độ mật mark under the number is often red too, and went
    with it (tried: 5656 s0024 lost its KHẨN, while 7171 s0116's number, which the stamp's
    top touched, came back)."""
    grey, black = Image.new("L", (1000, 1000), 200), Image.new("L", (1000, 1000), 255)
    raster = images.Raster(grey, 300, black=black)
    plan = regions.Plan((), 3, (STAMP,))
    seen: list[int] = []

    def read_cut(cut: Image.Image, *_: object, **__: object) -> list[Line]:
        seen.append(cut.getpixel((5, 5)))  # type: ignore[arg-type]
        return []

    monkeypatch.setattr(pageocr, "_read_cut", read_cut)
    for box in ((0, 50, 450, 150), (500, 50, 900, 150)):  # touched by the stamp, and not
        pageocr._read_region(
            raster, ReadingSettings(), plan, 0.0, regions.Region(box, 4, "header-left")
        )
    assert seen == [200, 200]


def _read_on(
    monkeypatch: pytest.MonkeyPatch,
    line: Line,
    *reads: list[tuple[str, float]],
    stamp: tuple[int, int, int, int] = (550, 180, 850, 350),
    margin: int = 0,
) -> Line:
    """`line` read on where the stamp (page pixels on a 1000 x 1000 page, the title's
    region from `margin` to 1000 - `margin`) cut it short, each read of its row (as cut,
    then without thin strokes) giving `reads`: words and their confidence, laid side by
    side from the row's start."""
    calls = iter(reads)

    def words_read(_: Image.Image, at: tuple[int, int], *__: object) -> list[Word]:
        out, x = [], at[0] / 1000 + 0.005
        for text, conf in next(calls):
            width = 0.01 * len(text)
            out.append(Word(text, x, line.y0, x + width, line.y1, conf))
            x += width + 0.005
        return out

    monkeypatch.setattr(pageocr, "_words_read", words_read)
    raster = images.Raster(Image.new("L", (1000, 1000), 255), 300)
    region = regions.Region((margin, 150, 1000 - margin, 400), 3, "title")
    cut = Image.new("L", (region.box[2] - region.box[0], 250), 255)
    return pageocr._read_on(line, cut, region, raster, ReadingSettings(), (stamp,))


def test_a_trich_yeu_line_the_stamp_cut_short_is_read_on_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A trích yếu line that stops inside the stamp, well short of the width it has as
    printed (centred), is read again alone across that width: of the two reads, the one
    whose added words look more like print is kept, its number announced ("năm 2015"),
    the stamp's marks after it gone; doubted. The first read's words stay, unless the
    second read one of them otherwise and more surely."""
    short = Line("Thực hiện quản lý đất đ", 0.3, 0.2, 0.58, 0.22, 0.2, word_confs=(0.9,) * 6)
    known = [("Thực", 0.9), ("hiện", 0.9), ("quản", 0.9), ("lý", 0.9), ("đất", 0.9)]
    again = _read_on(
        monkeypatch,
        short,
        [*known, ("đái", 0.6), ("ăn", 0.6), ("2015;", 0.8)],
        [*known[:3], ("ly", 0.8), ("đất", 0.9), ("dái", 0.9), ("năm", 0.7), ("2015,", 0.8)],
    )
    assert again.text == "Thực hiện quản lý đất dái năm 2015"
    assert again.conf == pageocr._UNDER_STAMP and again.x1 > short.x1
    assert len(again.word_confs) == 8
    # A line read surely is read on too; the stamp's own print after the words goes, and
    # words no syllable makes ("s/o").
    ended = _read_on(
        monkeypatch,
        Line("Dự họp triển khai quản lý đi", 0.3, 0.2, 0.6, 0.22, 0.95),
        [("Dự", 0.9), ("họp", 0.9), ("triển", 0.9), ("khai", 0.9), ("quản", 0.9)]
        + [("lý", 0.9), ("dài", 0.7), ("ĐẾN", 0.5), ("s/o", 0.3)],
        [("Dự", 0.9), ("họp", 0.9), ("triển", 0.9), ("khai", 0.9), ("rừng", 0.9), ("mùa", 0.9)]
        + [("khô", 0.4)],
    )
    assert (ended.text, ended.conf) == ("Dự họp triển khai quản lý dài", pageocr._UNDER_STAMP)
    # A number the first read misread and the second read surely is the second's.
    assert (
        _read_on(
            monkeypatch,
            Line("năm 2625 và phương hướng, nhiệm vụ hâm", 0.3, 0.2, 0.62, 0.22, 0.2),
            [("năm", 0.9), ("2025", 0.97), ("và", 0.9), ("phương", 0.9), ("hướng,", 0.9)]
            + [("nhiệm", 0.9), ("vụ", 0.9), ("năm", 0.8), ("2026.", 0.9)],
            [],
        ).text
        == "năm 2025 và phương hướng, nhiệm vụ năm 2026"
    )
    # Read as cut, the words added syllables and all but one pairing with the word before:
    # not read again thinned (the reader is given one read).
    cut_short = Line("Dự họp triển khai cấp nước s", 0.3, 0.2, 0.6, 0.22, 0.2)
    clean = [("Dự", 0.9), ("họp", 0.9), ("triển", 0.9), ("khai", 0.9), ("cấp", 0.9)]
    clean += [("nước", 0.9), ("sạch", 0.8), ("nông", 0.8), ("thôn", 0.7)]
    assert (
        _read_on(monkeypatch, cut_short, clean).text == "Dự họp triển khai cấp nước sạch nông thôn"
    )
    # Marks that glued words are spaces, a list's comma stays; "số" is print, "Số:" not.
    glued = [("Dự", 0.9), ("họp", 0.9), ("triển", 0.9), ("khai", 0.9), ("cấp", 0.9)]
    short = Line("Dự họp triển khai cấp nước s", 0.3, 0.2, 0.6, 0.22, 0.2)
    assert (
        _read_on(monkeypatch, short, [*glued, ("nước", 0.9), ("sạch,nông[thôn", 0.4)], [])
    ).text == "Dự họp triển khai cấp nước sạch, nông thôn"
    assert (
        _read_on(monkeypatch, short, [*glued, ("nước", 0.9), ("số", 0.8), ("Số:", 0.5)], [])
    ).text == "Dự họp triển khai cấp nước số"


def test_a_line_the_stamp_cut_at_its_start_is_read_on_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stamped under the number, the stamp takes a trích yếu line's first words, and the
    line starts in small letters, as no trích yếu does: it is read again from where it
    starts as printed, the stamp's own print ("ĐẾN") kept out."""
    short = Line("bát thục hiện sắp xếp, tỉnh gọn tổ", 0.4, 0.2, 0.75, 0.22, 0.2)
    again = _read_on(
        monkeypatch,
        short,
        [("ĐẾN", 0.6), ("Triển", 0.8), ("khai", 0.7), ("thực", 0.9), ("hiện", 0.9)]
        + [("sắp", 0.9), ("xếp,", 0.9), ("tỉnh", 0.9), ("gọn", 0.9), ("tổ", 0.9)],
        [],
        stamp=(150, 180, 450, 350),
    )
    # "thục" as first read stays: a slip of its marks is the trích yếu checks' to mend
    assert again.text == "Triển khai thục hiện sắp xếp, tỉnh gọn tổ"
    assert again.x0 < short.x0 and again.x1 == short.x1


def test_what_a_line_read_on_cannot_better_stays_as_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read on, a line keeps its first read when the second reads other words first, or
    adds only words no syllable makes; a line whole, the type's name, beside no stamp, a
    body line's last (from the margin), or one starting with a capital the stamp cut at its
    start (under the number) is not read on."""
    short = Line("Dự họp triển khai cấp nước s", 0.3, 0.2, 0.6, 0.22, 0.2)
    first = [("Dự", 0.9), ("họp", 0.9), ("triển", 0.9), ("khai", 0.9), ("cấp", 0.9)]
    junk = [*first, ("nước", 0.9), ("sbEMrifng", 0.0), ("thẳït", 0.2)]
    other = [("Kết", 0.9), ("luận", 0.9), ("của", 0.9), ("Giám", 0.9), ("đốc", 0.9), ("Sở", 0.9)]
    assert _read_on(monkeypatch, short, junk, junk) == short
    assert _read_on(monkeypatch, short, [*other, ("Tư", 0.9), ("pháp", 0.9)], []) == short
    for unchanged in (
        Line("Dự họp triển khai cấp nước sạch", 0.3, 0.2, 0.69, 0.22, 0.2),  # centred
        Line("GIẤY MỜI", 0.3, 0.2, 0.6, 0.22, 0.2),
        Line("Dự họp triển khai cấp nước s", 0.1, 0.2, 0.4, 0.22, 0.2),  # beside no stamp
    ):
        assert _read_on(monkeypatch, unchanged, junk, junk) == unchanged
    body = Line("các cơ quan, đơn vị thực hiện", 0.1, 0.2, 0.5, 0.22, 0.9)
    assert _read_on(monkeypatch, body, junk, junk, margin=100) == body
    words = [("ĐẾN", 0.6), ("Kết", 0.8), ("quả", 0.7), ("thực", 0.9), ("hiện", 0.9)]
    capital = Line("Thông qua thực hiện", 0.45, 0.2, 0.7, 0.22, 0.2)  # read on to the left
    stamp = (150, 180, 450, 350)  # under the number
    assert _read_on(monkeypatch, capital, words, words, stamp=stamp) == capital
    # Read on to the left, what is read must open the trích yếu, with a capital: "qua" for
    # "Kết quả" does not (the trích yếu's checks put back a lost head: "Kết quả").
    lost_head = Line("quả thực hiện xây dựng nông", 0.45, 0.2, 0.7, 0.22, 0.2)
    words = [("qua", 0.9), ("thực", 0.9), ("hiện", 0.9), ("xây", 0.9), ("dựng", 0.9)]
    words += [("nông", 0.9)]
    assert _read_on(monkeypatch, lost_head, words, words, stamp=stamp) == lost_head


def test_a_syllable_the_stamps_print_is_glued_to_is_kept_when_read_on() -> None:
    """3468 c0161: read on, the line's next word came glued by the stamp's marks to its
    small print over the word after ("nghèo bền,vữnø;,"), no syllable as a whole, and all
    of it went: the syllable on the line's side stays. The stamp's own print glued so
    ("Số:2062") and a letter alone ("t,ab") still go."""
    from daemon.ocr.layout import Word
    from daemon.ocr.pageocr import _without_far_marks

    def words(*texts: str) -> list[Word]:
        return [Word(t, 0.1 * i, 0.2, 0.1 * i + 0.08, 0.22, 0.9) for i, t in enumerate(texts)]

    assert [w.text for w in _without_far_marks(words("nghèo", "bền,vữnø;,"), True)] == [
        "nghèo",
        "bền",
    ]
    # Read on to the left, the words run from the line outwards: the piece nearest it stays.
    assert [w.text for w in _without_far_marks(words("thôn", "2ø;ab.nông"), False)] == [
        "thôn",
        "nông",
    ]
    for junk in ("Số:2062", "t,ab"):
        assert [w.text for w in _without_far_marks(words("nghèo", junk), True)] == ["nghèo"]


def test_a_line_whose_box_took_in_the_stamps_print_is_read_on_in_its_own_rows() -> None:
    """6464 c0188: the trích yếu line's box reached down over the rule under it and the
    stamp's "ĐẾN" (twice a line's height): read on in so tall a row, Tesseract read
    nothing. Its own rows are those its words ink on the half away from the stamp, apart
    from the rule's and the stamp's by blank rows; a box as tall as its print stays."""
    region = regions.Region((0, 100, 1000, 400), 3, "title")
    raster = images.Raster(Image.new("L", (1000, 1000), 255), 300)
    grey = np.full((300, 1000), 255, dtype=np.uint8)
    grey[120:140, 300:560:6] = 0  # the line's letters, strokes apart (page rows 220-240)
    grey[122:138, 560:700:5] = 0  # ... its words under the stamp
    grey[150:152, 320:600] = 0  # the rule under the trích yếu
    grey[158:180, 580:700:4] = 0  # the stamp's "ĐẾN", below the line's end
    cut = Image.fromarray(grey)
    tall = Line("chính lý tài liệu lưu trữ tồn đọng", 0.3, 0.22, 0.7, 0.28, 0.2)
    assert pageocr._print_rows(tall, cut, region, raster, True) == (0.22, 0.24)
    whole = Line("chính lý tài liệu lưu trữ tồn đọng", 0.3, 0.22, 0.7, 0.24, 0.2)
    assert pageocr._print_rows(whole, cut, region, raster, True) == (0.22, 0.24)
