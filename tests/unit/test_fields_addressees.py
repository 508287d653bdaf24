"""The "Kính gửi:" addressees: one name on the label's line, or a "- ...;" list under it, read
from a text layer, from OCR (with its slips) and from plain text."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from daemon.ocr.doctypes import DocTypes
from daemon.ocr.model import Fields, Line, Page, Reading
from tests.unit.test_fields import MOTTO, extract, nd30, plain
from tests.unit.test_fields_ocr import HEADER, page

ROOT = Path(__file__).resolve().parents[2]
VV = ("V/v đôn đốc báo cáo kết quả", 0.20, 0.165, 0.44)
BODY = (
    ("Thực hiện Kế hoạch số 2990/KH-UBND ngày 29/1/2024 của UBND tỉnh, Sở đề", 0.19, 0.30, 0.92),
    ("nghị các cơ quan, đơn vị triển khai thực hiện một số nội dung sau:", 0.14, 0.32, 0.92),
    ("Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.", 0.19, 0.34, 0.75),
    ("Nơi nhận:", 0.14, 0.37, 0.23),
    ("- Như trên;", 0.14, 0.39, 0.23),
    ("- Lưu: VT.", 0.14, 0.41, 0.23),
    ("GIÁM ĐỐC", 0.64, 0.37, 0.78),
    ("Lê Thị Mai", 0.64, 0.45, 0.78),
)


@pytest.fixture(scope="module")
def types() -> DocTypes:
    return DocTypes.load(ROOT / "rules" / "doc_types.toml")


def cong_van(
    *block: tuple[str, float, float, float] | tuple[str, float, float, float, float],
) -> Reading:
    """An OCR-style công văn page (no weights) with `block` where the Kính gửi goes."""
    return page(*HEADER, VV, *block, *BODY)


def test_one_addressee_on_the_label_line(types: DocTypes) -> None:
    reading = nd30(
        left=["SỞ NỘI VỤ", "Số: 245/SNV-VP", "V/v tăng cường công tác văn thư"],
        right=[*MOTTO, "Nha Trang, ngày 12 tháng 3 năm 2024"],
        body=[
            "Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố.",
            "Thực hiện ...Trân trọng./.",
        ],
    )
    fields = extract(reading, types)
    assert fields.addressees == ("Ủy ban nhân dân các huyện, thị xã, thành phố",)
    assert fields.confidence["addressees"] >= 0.9


def test_a_list_starting_on_the_label_line_goes_on_under_it(types: DocTypes) -> None:
    reading = cong_van(
        ("Kính gửi: - UBND các huyện, thị xã, thành phố;", 0.27, 0.22, 0.72),
        ("- Sở Nội vụ;", 0.365, 0.24, 0.48),
        ("- Kho bạc Nhà nước tỉnh.", 0.365, 0.26, 0.56),
    )
    fields = extract(reading, types)
    assert fields.addressees == (
        "UBND các huyện, thị xã, thành phố",
        "Sở Nội vụ",
        "Kho bạc Nhà nước tỉnh",
    )
    assert fields.subject == "đôn đốc báo cáo kết quả"  # the block is not the trích yếu's


def test_a_list_under_a_label_alone_with_a_wrapped_item(types: DocTypes) -> None:
    reading = cong_van(
        ("Kính gửi:", 0.20, 0.22, 0.30),
        ("- Ủy ban nhân dân các tỉnh, thành phố trực", 0.31, 0.22, 0.80),
        ("thuộc Trung ương;", 0.325, 0.24, 0.50),
        ("- Các Bộ, cơ quan ngang Bộ.", 0.31, 0.26, 0.62),
    )
    assert extract(reading, types).addressees == (
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        "Các Bộ, cơ quan ngang Bộ",
    )


def test_a_long_single_addressee_wraps_onto_a_second_line(types: DocTypes) -> None:
    reading = cong_van(
        ("Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc", 0.22, 0.22, 0.85),
        ("Trung ương.", 0.22, 0.24, 0.36),
    )
    assert extract(reading, types).addressees == (
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    )


def test_the_body_after_an_addressee_without_a_full_stop_is_not_taken(types: DocTypes) -> None:
    reading = cong_van(("Kính gửi: Sở Tài chính", 0.40, 0.22, 0.62))
    assert extract(reading, types).addressees == ("Sở Tài chính",)


def test_the_body_under_a_list_is_not_an_item(types: DocTypes) -> None:
    reading = cong_van(
        ("Kính gửi:", 0.20, 0.22, 0.30),
        ("- Sở Tài chính;", 0.31, 0.24, 0.45),
        ("- Sở Tư pháp", 0.31, 0.26, 0.44),  # the last "." lost
    )
    fields = extract(reading, types)
    assert fields.addressees == ("Sở Tài chính", "Sở Tư pháp")
    assert fields.confidence["addressees"] < 0.6  # the list may go on unread: a clerk looks


def test_a_list_cut_short_by_the_reader_is_doubtful(types: DocTypes) -> None:
    """OCR of the field blocks may stop under the first item; its ";" says more was to come."""
    fields = extract(cong_van(("Kính gửi: - Sở Tài chính;", 0.27, 0.22, 0.55, 0.95)), types)
    assert fields.addressees == ("Sở Tài chính",)
    assert fields.confidence["addressees"] < 0.6


@pytest.mark.parametrize(
    "label",
    ["Kinh gửi:", "Kính gừi:", "Kính gởi:", "KÍNH GỬI:", "Kính gửl:", "Kính gửi;", "Kfnh gul:"],
)
def test_ocr_slips_in_the_label(types: DocTypes, label: str) -> None:
    reading = cong_van(
        (f"{label} - Sở Tài chính;", 0.27, 0.22, 0.55, 0.8),
        ("- Sở Tư pháp.", 0.355, 0.24, 0.47, 0.8),
    )
    fields = extract(reading, types)
    assert fields.addressees == ("Sở Tài chính", "Sở Tư pháp")
    assert fields.confidence["addressees"] < 0.8  # an OCR reading is worth a look


def test_a_dash_ocr_lost_and_a_semicolon_read_as_a_colon(types: DocTypes) -> None:
    reading = cong_van(
        ("Kính gửi: - Sở Tài chính:", 0.27, 0.22, 0.55, 0.85),
        ("Sở Tư pháp;", 0.355, 0.24, 0.47, 0.85),
        ("~ Kho bạc Nhà nước tỉnh.", 0.355, 0.26, 0.56, 0.85),
    )
    assert extract(reading, types).addressees == (
        "Sở Tài chính",
        "Sở Tư pháp",
        "Kho bạc Nhà nước tỉnh",
    )


def test_a_label_row_ocr_cut_in_two(types: DocTypes) -> None:
    reading = cong_van(
        ("Kính gửi:", 0.30, 0.22, 0.40), ("Sở Tài chính tỉnh Khánh Hòa.", 0.45, 0.22, 0.70)
    )
    assert extract(reading, types).addressees == ("Sở Tài chính tỉnh Khánh Hòa",)


def test_plain_text_without_positions(types: DocTypes) -> None:
    reading = plain(
        "SỞ NỘI VỤ",
        "Số: 12/SNV-VP",
        "V/v đề nghị phê duyệt kinh phí",
        *MOTTO,
        "Nha Trang, ngày 12 tháng 3 năm 2024",
        "Kính gửi:",
        "- Ủy ban nhân dân tỉnh Khánh Hòa;",
        "- Sở Tài chính.",
        "Sở Nội vụ đề nghị phê duyệt kinh phí./.",
    )
    assert extract(reading, types).addressees == ("Ủy ban nhân dân tỉnh Khánh Hòa", "Sở Tài chính")


def test_addressees_are_nfc_with_old_tone_placement_kept(types: DocTypes) -> None:
    decomposed = unicodedata.normalize("NFD", "Kính gửi: Ủy ban nhân dân tỉnh Khánh Hoà.")
    reading = cong_van((decomposed, 0.25, 0.22, 0.75))
    assert extract(reading, types).addressees == ("Ủy ban nhân dân tỉnh Khánh Hoà",)


@pytest.mark.parametrize("line", ["Kinh phí: 120 triệu đồng.", "Kính gửi quý cơ quan bản sao."])
def test_lines_that_only_look_like_the_label_are_not_it(types: DocTypes, line: str) -> None:
    reading = cong_van((line, 0.19, 0.22, 0.80, 0.8))
    assert extract(reading, types).addressees == ()


def test_a_lower_case_kinh_gui_in_the_body_is_not_a_label(types: DocTypes) -> None:
    reading = cong_van(("Kính gửi quý cơ quan bản sao kết quả thẩm định.", 0.19, 0.22, 0.80))
    fields = extract(reading, types)
    assert fields.addressees == ()
    assert fields.confidence["addressees"] <= 0.5  # a công văn with "Như trên" wants one


def test_a_decision_without_kinh_gui_is_confidently_empty(types: DocTypes) -> None:
    reading = nd30(
        left=["SỞ NỘI VỤ", "Số: 68/QĐ-SNV"],
        title=["QUYẾT ĐỊNH", "Về việc ban hành Quy chế văn thư"],
        body=["Căn cứ Nghị định số 30/2020/NĐ-CP;", "Điều 1. Ban hành Quy chế./."],
        recipients=["Nơi nhận:", "- Như Điều 1;", "- Lưu: VT."],
    )
    fields = extract(reading, types)
    assert fields.addressees == ()
    assert fields.confidence["addressees"] >= 0.8


def test_as_json_lists_the_addressees() -> None:
    assert Fields(addressees=("Sở Tài chính",)).as_json()["addressees"] == ["Sở Tài chính"]


# --- the document generator's own layout (tests/docgen) -----------------------------------

LONG = (
    "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    "Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
    "Phòng Tài chính - Kế hoạch",
)


@pytest.mark.parametrize("names", [LONG, LONG[:1], LONG[2:], ("Sở Tài chính", "Sở Tư pháp")])
def test_generated_born_digital_cong_van_comes_out_exact(
    types: DocTypes, names: tuple[str, ...]
) -> None:
    random_docs = pytest.importorskip("tests.docgen.random_docs")
    render = pytest.importorskip("tests.docgen.render")
    textlayer = pytest.importorskip("daemon.ocr.textlayer")
    spec = next(s for s in random_docs.make_specs(12, 2024) if s.is_cong_van and s.pages == 1)
    spec = replace(spec, kinh_gui=names)
    layers = textlayer.text_layers(render.render_pdf(spec))
    reading = Reading("application/pdf", tuple(layer.page for layer in layers))
    fields = extract(reading, types)
    assert fields.addressees == names
    assert fields.subject == spec.subject


def test_lines_are_only_read_from_the_first_page(types: DocTypes) -> None:
    first = page(*HEADER, VV, *BODY[:3]).pages[0]
    second = Page((Line("Kính gửi: Sở Tài chính.", 0.3, 0.1, 0.6, 0.12),), "ocr")
    reading = Reading("image/tiff", (first, second))
    assert extract(reading, types).addressees == ()
