"""Page geometry: words -> rows -> lines cut at column gaps and at the header gutter."""

from __future__ import annotations

from daemon.ocr import layout
from daemon.ocr.layout import Word
from daemon.ocr.model import Line


def w(text: str, x0: float, y0: float, x1: float, *, h: float = 0.015) -> Word:
    return Word(text, x0, y0, x1, y0 + h, conf=0.9, size=h)


def test_rows_group_by_vertical_overlap_and_sort_left_to_right() -> None:
    words = [w("B", 0.5, 0.101, 0.6), w("A", 0.1, 0.100, 0.2), w("C", 0.1, 0.130, 0.2)]
    rows = layout.group_rows(words)
    assert [[x.text for x in row] for row in rows] == [["A", "B"], ["C"]]


def test_rows_do_not_chain_through_a_slanted_run() -> None:
    """Each word overlaps its neighbour by half, but the third does not overlap the first."""
    words = [w("a", 0.1, 0.100, 0.2), w("b", 0.3, 0.106, 0.4), w("c", 0.5, 0.112, 0.6)]
    assert len(layout.group_rows(words)) == 2


def test_split_row_at_wide_gaps_only() -> None:
    row = [w("Số:", 0.20, 0.1, 0.24), w("12/QĐ", 0.25, 0.1, 0.33), w("Khánh", 0.48, 0.1, 0.55)]
    assert [[x.text for x in s] for s in layout.split_row(row)] == [["Số:", "12/QĐ"], ["Khánh"]]


def test_split_row_at_the_gutter_even_when_narrow() -> None:
    row = [w("TRƯỜNG", 0.30, 0.1, 0.44), w("CỘNG", 0.455, 0.1, 0.52)]
    assert len(layout.split_row(row)) == 1
    assert len(layout.split_row(row, cut=0.447)) == 2


def test_to_line_joins_text_and_boxes() -> None:
    line = layout.to_line([w("Hòa", 0.1, 0.1, 0.2), w("Bình", 0.22, 0.102, 0.3, h=0.02)])
    assert line.text == "Hòa Bình"
    assert (line.x0, line.y0, line.x1, line.y1) == (0.1, 0.1, 0.3, 0.122)
    assert line.conf == 0.9


def test_to_line_normalises_to_nfc() -> None:
    decomposed = "Ho\u0300a"  # o + combining grave
    assert layout.to_line([w(decomposed, 0.1, 0.1, 0.2)]).text == "Hòa"


def test_to_line_number_conf_is_its_least_sure_number_or_roman_numeral() -> None:
    """ "quý II" read at 0.5 where print has III: a numeral is a number too."""
    words = [Word("quý", 0, 0, 1, 1, conf=0.97), Word("II", 0, 0, 1, 1, conf=0.5)]
    assert (
        layout.to_line([*words, Word("năm", 0, 0, 1, 1), Word("2020", 0, 0, 1, 1)]).number_conf
        == 0.5
    )
    words = [Word("Ichiro", 0, 0, 1, 1, conf=0.5), Word("2020", 0, 0, 1, 1, conf=0.9)]
    assert layout.to_line(words).number_conf == 0.9  # a word, not a numeral
    assert layout.to_line([Word("Về", 0, 0, 1, 1, conf=0.4)]).number_conf == 1.0


def test_to_line_keeps_each_words_confidence() -> None:
    words = [Word("-_§ố:", 0, 0, 1, 1, conf=0.14), Word("4169/BCT-KHTC", 0, 0, 1, 1, conf=0.91)]
    line = layout.to_line(words)
    assert line.word_confs == (0.14, 0.91) and line.conf == 0.525


def test_to_line_bold_by_majority_of_characters() -> None:
    words = [Word("QUYẾT", 0, 0, 1, 1, bold=True), Word("ĐỊNH", 0, 0, 1, 1, bold=True)]
    assert layout.to_line([*words, Word("x", 0, 0, 1, 1)]).bold
    assert not layout.to_line([Word("a", 0, 0, 1, 1, bold=True), Word("bcd", 0, 0, 1, 1)]).bold


def _header_rows() -> list[list[tuple[float, float, float, float]]]:
    return [
        [(0.19, 0.05, 0.40, 0.07), (0.44, 0.05, 0.93, 0.07)],  # UBND | CỘNG HÒA
        [(0.18, 0.08, 0.42, 0.10), (0.52, 0.08, 0.86, 0.10)],  # HUYỆN | Độc lập
        [(0.20, 0.12, 0.39, 0.14), (0.47, 0.12, 0.91, 0.14)],  # Số | ngày
        [(0.21, 0.20, 0.85, 0.22)],  # the subject, centred: ends the header
        [(0.15, 0.25, 0.90, 0.27)],
    ]


def test_find_gutter_in_an_nd30_header() -> None:
    gutter = layout.find_gutter(_header_rows())
    assert gutter is not None
    assert 0.42 < gutter.x < 0.44
    assert gutter.rows == 3
    assert 0.14 < gutter.bottom < 0.20


def test_a_short_agency_name_inside_the_window_leaves_a_margin_not_a_gutter() -> None:
    """ "BỘ NỘI VỤ" starts just inside the window: the strip left of it, which the title
    and the indented body keep blank too, is a margin; the gutter is the strip between
    the agency and the motto, and the header ends at the trích yếu (5656 c0185, read as
    one page, lost its signer)."""
    rows = [
        [(0.268, 0.074, 0.388, 0.092), (0.507, 0.074, 0.909, 0.092)],  # BỘ NỘI VỤ | CỘNG HÒA
        [(0.305, 0.094, 0.352, 0.117), (0.565, 0.094, 0.852, 0.117)],  # rule | Độc lập
        [(0.253, 0.128, 0.406, 0.145), (0.542, 0.128, 0.874, 0.145)],  # Số | ngày
        [(0.495, 0.168, 0.593, 0.185)],  # CHỈ THỊ
        [(0.324, 0.187, 0.759, 0.206)],  # Về việc ...
        [(0.209, 0.241, 0.92, 0.26)],  # the body
    ]
    gutter = layout.find_gutter(rows)
    assert gutter is not None and 0.41 < gutter.x < 0.49 and gutter.rows == 4
    speck = [[(0.437, 0.035, 0.44, 0.038)], *rows]  # a speck above the header: no margin yet
    gutter = layout.find_gutter(speck)
    assert gutter is not None and gutter.rows == 5


def test_no_gutter_for_a_centred_letter() -> None:
    rows = [[(0.28, 0.05, 0.72, 0.07)], [(0.33, 0.08, 0.67, 0.10)], [(0.15, 0.12, 0.9, 0.14)]]
    assert layout.find_gutter(rows) is None


def test_no_gutter_when_text_is_on_one_side_only() -> None:
    rows = [[(0.55, 0.05, 0.9, 0.07)], [(0.6, 0.08, 0.9, 0.10)], [(0.1, 0.12, 0.9, 0.14)]]
    assert layout.find_gutter(rows) is None


def test_header_stops_before_the_lower_page() -> None:
    rows = [[(0.1, y, 0.3, y + 0.02), (0.6, y, 0.9, y + 0.02)] for y in (0.05, 0.3, 0.5)]
    gutter = layout.find_gutter(rows)
    assert gutter is not None and gutter.rows == 2  # rows below HEADER_MAX_Y do not count


def test_segments_close_word_spaces_but_not_column_gaps() -> None:
    row = [w("Ban", 0.20, 0.1, 0.25), w("hành", 0.256, 0.1, 0.31), w("CỘNG", 0.34, 0.1, 0.4)]
    assert len(layout.segments(row, aspect=842 / 595)) == 2


def test_reading_order_puts_header_columns_side_by_side() -> None:
    def ln(text: str, x: float, y: float) -> Line:
        return Line(text, x, y, x + 0.2, y + 0.015)

    lines = [ln("b1", 0.5, 0.051), ln("a2", 0.1, 0.08), ln("a1", 0.1, 0.05), ln("b2", 0.5, 0.079)]
    assert [x.text for x in layout.reading_order(lines)] == ["a1", "b1", "a2", "b2"]


def test_a_line_made_tall_by_a_mark_above_it_stays_under_the_title() -> None:
    """The stamp's mark over "Tình" stretched the line's box up to half the title's height:
    the line is still the one under the title, not beside it."""
    title = Line("BÁO CÁO", 0.48, 0.186, 0.593, 0.209)
    tall = Line("Tình hình thực hiện giảm nghèo bền vững năm", 0.249, 0.197, 0.824, 0.229)
    after = Line("2018 và phương hướng, nhiệm vụ năm 2019", 0.269, 0.223, 0.804, 0.241)
    order = layout.reading_order([tall, after, title])
    assert [x.text for x in order] == [title.text, tall.text, after.text]
