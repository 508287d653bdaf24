"""Field extraction on what OCR really gives: no weights, split lines, misread marks, dust."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from daemon.ocr.doctypes import DocTypes
from daemon.ocr.model import Line, Page, Reading
from tests.unit.test_fields import MOTTO, QD, extract, nd30, plain

ROOT = Path(__file__).resolve().parents[2]
H = 0.016  # line height


@pytest.fixture(scope="module")
def types() -> DocTypes:
    return DocTypes.load(ROOT / "rules" / "doc_types.toml")


def page(
    *lines: tuple[str, float, float, float] | tuple[str, float, float, float, float],
) -> Reading:
    """Lines as (text, x0, y0, x1[, conf]); no weights, like OCR."""
    out = [
        Line(t, x0, y0, x1, y0 + H, conf=rest[0] if rest else 1.0) for t, x0, y0, x1, *rest in lines
    ]
    return Reading("image/png", (Page(tuple(out), "ocr"),))


HEADER = (
    ("ỦY BAN NHÂN DÂN", 0.22, 0.07, 0.42),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.50, 0.07, 0.92),
    ("TỈNH SÓC TRĂNG", 0.23, 0.09, 0.41),
    ("Độc lập - Tự do - Hạnh phúc", 0.57, 0.09, 0.86),
    ("SỞ GIAO THÔNG VẬN TẢI", 0.19, 0.11, 0.46),
    ("Số: 487/GM-SGTVT", 0.23, 0.145, 0.42),
    ("Sóc Trăng, ngày 22 tháng 3 năm 2016", 0.53, 0.145, 0.89),
)


# An indented body paragraph after the title and trích yếu of a giấy mời.
BODY = (
    (
        "Sở Giao thông vận tải trân trọng kính mời đại diện lãnh đạo các cơ quan, đơn",
        0.204,
        0.238,
        0.927,
    ),
    ("vị có liên quan dự họp triển khai kiểm soát thủ tục hành chính.", 0.155, 0.259, 0.742),
)


def test_subject_does_not_run_into_an_indented_body(types: DocTypes) -> None:
    """OCR knows no bold: the centred trích yếu stops where the indented body starts."""
    reading = page(
        *HEADER,
        ("GIẤY MỜI", 0.484, 0.182, 0.599),
        ("Dự họp triển khai kiểm soát thủ tục hành chính", 0.303, 0.204, 0.780),
        *BODY,
    )
    fields = extract(reading, types)
    assert fields.doc_type == "Giấy mời"
    assert fields.subject == "Dự họp triển khai kiểm soát thủ tục hành chính"
    assert (fields.parent_issuer, fields.issuer) == (
        "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG",
        "SỞ GIAO THÔNG VẬN TẢI",
    )


def test_subject_opening_like_a_body_paragraph(types: DocTypes) -> None:
    centred = page(
        *HEADER,
        ("HƯỚNG DẪN", 0.46, 0.18, 0.61),
        ("Thực hiện bảo đảm an toàn thực phẩm năm 2026", 0.29, 0.20, 0.78),
        ("Căn cứ Luật An toàn thực phẩm ngày 17 tháng 6 năm 2010;", 0.20, 0.23, 0.92),
    )
    assert extract(centred, types).subject == "Thực hiện bảo đảm an toàn thực phẩm năm 2026"
    body = page(
        *HEADER,
        ("THÔNG BÁO", 0.46, 0.18, 0.61),
        ("Thực hiện Quyết định số 1637/QĐ-TTg ngày 13/2/2026 của Thủ tướng", 0.20, 0.22, 0.92),
        ("Chính phủ, Sở thông báo như sau:", 0.15, 0.24, 0.49),
    )
    assert extract(body, types).subject is None


def test_bold_decides_a_subject_opening_like_a_body_paragraph(types: DocTypes) -> None:
    def reading(bold_subject: bool) -> Reading:
        r = nd30(**{**QD, "title": ["HƯỚNG DẪN", "Thực hiện chuyển đổi số năm 2026"]})
        lines = tuple(
            Line(
                ln.text,
                ln.x0,
                ln.y0,
                ln.x1,
                ln.y1,
                ln.conf,
                ln.bold and (bold_subject or not ln.text.startswith("Thực hiện")),
            )
            for ln in r.pages[0].lines
        )
        return Reading("application/pdf", (Page(lines, "text-layer"),))

    assert extract(reading(True), types).subject == "Thực hiện chuyển đổi số năm 2026"
    assert extract(reading(False), types).subject is None


@pytest.mark.parametrize("vv", ["V/Q", "V⁄", "V7v", "V¡v"])  # old copiers 2929, 8383, 1246, 6389
def test_a_vv_misread_still_makes_a_cong_van(vv: str, types: DocTypes) -> None:
    reading = nd30(
        left=["BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 131/BGDĐT-VP", f"{vv} báo cáo số liệu phòng"],
        body=["Kính gửi: Các đơn vị thuộc Bộ", "Bộ đề nghị./."],
    )
    fields = extract(reading, types)
    assert (fields.doc_type, fields.subject) == ("Công văn", "báo cáo số liệu phòng")


def test_wrapped_vv_going_on_lower_case_is_kept(types: DocTypes) -> None:
    reading = nd30(
        left=[
            "SỞ NỘI VỤ",
            "Số: 12/SNV-VP",
            "V/v đề nghị phê duyệt kinh phí",
            "thực hiện chuyển đổi số năm 2024",
        ],
        body=["Kính gửi: Ủy ban nhân dân tỉnh", "Sở Nội vụ đề nghị./."],
    )
    fields = extract(reading, types)
    assert fields.subject == "đề nghị phê duyệt kinh phí thực hiện chuyển đổi số năm 2024"


def test_a_piece_between_two_rows_joins_the_one_it_shares_more_height_with(
    types: DocTypes,
) -> None:
    """Old copier 8282: "tiêm" read in two pieces, "tỉ" reaching up into the "V/v" line
    above, which was read first. Glued onto it ("tỉ V/v góp ý ..."), the công văn lost its
    type and trích yếu. It waits for the line below, and touching it joins it as one word."""
    rows = (
        ("BỘ XÂY DỰNG", 0.268, 0.071, 0.431, 0.091),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.528, 0.080, 0.936, 0.106),
        ("Độc lập - Tự do - Hạnh phúc", 0.537, 0.099, 0.902, 0.124),
        ("Số: 3274/BXD-HTQT", 0.242, 0.120, 0.453, 0.141),
        ("V/v góp ý dự thảo Kế hoạch", 0.217, 0.136, 0.472, 0.157),
        ("Hà Nội, ngày 31 tháng 10 năm 2020", 0.527, 0.130, 0.929, 0.156),
        ("tỉ", 0.201, 0.152, 0.212, 0.162),
        ("êm chủng mở rộng năm 2021", 0.213, 0.151, 0.485, 0.171),
        ("Kính gửi: Sở Y tế các tỉnh, thành phố.", 0.30, 0.22, 0.75, 0.236),
        *((text, x0, y0, x1, y0 + H) for text, x0, y0, x1 in BODY),
    )
    reading = Reading(
        "image/jpeg", (Page(tuple(Line(t, *box, conf=0.9) for t, *box in rows), "ocr"),)
    )
    fields = extract(reading, types)
    assert fields.doc_type == "Công văn"
    assert fields.subject == "góp ý dự thảo Kế hoạch tiêm chủng mở rộng năm 2021"


def test_signer_name_in_fragments_out_of_order(types: DocTypes) -> None:
    reading = page(
        *HEADER,
        ("Nơi nhận:", 0.15, 0.70, 0.25),
        ("KT. GIÁM ĐỐC", 0.61, 0.70, 0.82),
        ("- Lưu: VT, VP.", 0.16, 0.72, 0.29),
        ("PHÓ GIÁM ĐỐC", 0.63, 0.72, 0.80),
        ("Trần", 0.593, 0.806, 0.651),
        ("Duyên", 0.764, 0.807, 0.842),
        ("Thị Kim", 0.658, 0.807, 0.757),
    )
    assert extract(reading, types).signer == "Trần Thị Kim Duyên"


def test_misread_recipient_dashes_and_label(types: DocTypes) -> None:
    reading = page(
        *HEADER,
        ("QUYẾT ĐỊNH", 0.46, 0.18, 0.61),
        ("Điều 3. Các cơ quan chịu trách nhiệm thi hành Quyết định này./.", 0.15, 0.40, 0.83),
        ("Ai nhận:", 0.15, 0.43, 0.25),  # "Nơi nhận:" misread
        ("TM. ỦY BAN NHÂN DÂN", 0.58, 0.43, 0.83),
        ("“TT. HĐND huyện:", 0.15, 0.45, 0.30),  # dash read as a quote, ";" as ":"
        ("¬ l", 0.18, 0.46, 0.25, 0.34),  # seal dust
        (". Tỉnh ủy;", 0.16, 0.47, 0.27),  # dash lost
        ("ojN PP,", 0.58, 0.47, 0.64, 0.46),  # signature strokes in the right column
        ("- Lưu: VT.", 0.15, 0.49, 0.24),
        ("CHỦ TỊCH", 0.65, 0.49, 0.76),
        ("Nguyễn Văn Hai", 0.62, 0.58, 0.80),
    )
    fields = extract(reading, types)
    assert fields.recipients == ("TT. HĐND huyện", "Tỉnh ủy", "Lưu: VT")
    assert fields.signer == "Nguyễn Văn Hai"


def test_body_line_with_nhan_colon_is_not_the_recipients_label(types: DocTypes) -> None:
    reading = plain(
        "QUYẾT ĐỊNH",
        "Khen thưởng tập thể, cá nhân",
        "Điều 1. Khen thưởng:",
        "Cá nhân: ông Lê Văn Tám;",
        "- Tập thể: Phòng Nội vụ.",
        "Điều 2. Quyết định có hiệu lực kể từ ngày ký./.",
        "CHỦ TỊCH",
        "Lê Văn Tám",
    )
    fields = extract(reading, types)
    assert fields.recipients == ()
    assert fields.signer == "Lê Văn Tám"


def test_number_on_the_line_after_its_label(types: DocTypes) -> None:
    reading = plain(
        "SỞ NỘI VỤ",
        "Số:",
        "15/KH-SNV",
        *MOTTO,
        "Huế, ngày 02 tháng 01 năm 2024",
        "KẾ HOẠCH",
        "Tổ chức hội nghị",
    )
    fields = extract(reading, types)
    assert fields.number == "15/KH-SNV" and fields.issuer == "SỞ NỘI VỤ"
    assert fields.date == dt.date(2024, 1, 2)


def test_low_confidence_lines_lower_field_confidence(types: DocTypes) -> None:
    sure = extract(nd30(**QD, conf=0.95), types)
    unsure = extract(nd30(**QD, conf=0.6), types)
    for name in ("number", "date", "subject", "issuer", "signer"):
        assert unsure.confidence[name] < sure.confidence[name], name


@pytest.mark.parametrize(
    ("printed", "signer"),
    [
        (["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Đại tá Lê Văn An"], "Đại tá Lê Văn An"),
        (["Q. HIỆU TRƯỞNG", "TS. Trần Thị Bích"], "TS. Trần Thị Bích"),
        (["TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ", "[Đã ký]", "Phạm Minh Chính"], "Phạm Minh Chính"),
    ],
)
def test_signature_blocks(printed: list[str], signer: str, types: DocTypes) -> None:
    fields = extract(nd30(**{**QD, "signature": printed}), types)
    assert fields.signer == signer
    assert fields.confidence["signer"] >= 0.9


@pytest.mark.parametrize(
    ("printed", "signer"),
    [
        # specks of the seal ring read before and after the name
        (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", ".. Vũ Thị Nhung"], "Vũ Thị Nhung"),
        (["GIÁM ĐỐC", "Lê Văn An ,"], "Lê Văn An"),
        (["GIÁM ĐỐC", "Nguyễn Văn An ii"], "Nguyễn Văn An"),
        # a title whose first word was misread as a surname is not the signer
        (["TM. ỦY BAN NHÂN DÂN", "HỒ TRƯỞNG PHÒNG", "Lý Thanh Hải"], "Lý Thanh Hải"),
        # a long surname one letter off is the surname; a short one is left as read
        (["GIÁM ĐỐC", "Huỳzh Quốc Bình"], "Huỳnh Quốc Bình"),
        (["GIÁM ĐỐC", "Huàng Văn Sỹ"], "Hoàng Văn Sỹ"),
        (["GIÁM ĐỐC", "Tý Văn Vinh"], "Tý Văn Vinh"),
        # a word the seal parted, its capital alone (and the surname's tone slipped)
        (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Vũ N gọc Lộc"], "Vũ Ngọc Lộc"),
        (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", ".Bũi N gọc Hà"], "Bùi Ngọc Hà"),
        (["GIÁM ĐỐC", "Lê Văn A"], "Lê Văn A"),  # a given name of one letter stays
    ],
)
def test_signer_among_ocr_specks(printed: list[str], signer: str, types: DocTypes) -> None:
    fields = extract(nd30(**{**QD, "signature": printed}, conf=0.9), types)
    assert fields.signer == signer


def test_recipients_label_needs_its_colon(types: DocTypes) -> None:
    """A body line "Nơi nhận hồ sơ ..." is not the Nơi nhận block."""
    reading = plain(
        "THÔNG BÁO",
        "Tuyển dụng viên chức năm 2024",
        "Nơi nhận hồ sơ: Phòng Nội vụ huyện.",
        "- Thời gian: giờ hành chính.",
        "Phòng Nội vụ thông báo để các cá nhân biết./.",
        "Nơi nhận",  # the colon lost: still the label
        "- Như trên;",
        "- Lưu: VT.",
    )
    assert extract(reading, types).recipients == ("Như trên", "Lưu: VT")


def test_stray_letter_in_the_type_abbreviation(types: DocTypes) -> None:
    """OCR read a stroke as I: 95/CTIr-UBND under CHƯƠNG TRÌNH is 95/CTr-UBND."""
    reading = nd30(**{**QD, "left": ["SỞ NỘI VỤ", "Số: 95/CTIr-UBND"], "title": ["CHƯƠNG TRÌNH"]})
    fields = extract(reading, types)
    assert fields.number == "95/CTr-UBND"
    assert 0.6 < fields.confidence["number"] < 0.9  # corrected: worth a look


@pytest.mark.parametrize(
    ("subject", "sure"),
    [
        ("Dự họp triển khai kiểm soát thủ tục hành chính", True),
        ("Triển khai Phần mềm E-office tại các đơn vị", True),  # a known loanword
        ("Kiểm tra công tác bảo đảm an toàn thông gì mạng â¡ lai", False),
        ("Về quản lý đ t đai trên địa bàn", False),  # letters lost to noise
        ("Dự họp triển khai kiểm soát thủ tục hành chính quyêt", False),  # a stop needs a tone
    ],
)
def test_a_subject_that_cannot_be_vietnamese_is_not_trusted(
    subject: str, sure: bool, types: DocTypes
) -> None:
    reading = page(
        *HEADER,
        ("GIẤY MỜI", 0.484, 0.182, 0.599),
        (subject, 0.303, 0.204, 0.780),
        *BODY,
    )
    fields = extract(reading, types)
    # "thông gì mạng": both neighbours vouch for the one word two letters away ("tin");
    # "chính quyêt", no syllable, is likely "chính quyền" (still flagged)
    assert fields.subject == subject.replace("thông gì", "thông tin").replace("quyêt", "quyền")
    assert (fields.confidence["subject"] >= 0.6) is sure


def test_a_name_that_cannot_be_vietnamese_is_not_trusted(types: DocTypes) -> None:
    def signer_conf(name: str) -> float:
        reading = page(
            *HEADER,
            ("GIẤY MỜI", 0.484, 0.182, 0.599),
            ("Dự họp triển khai kiểm soát thủ tục hành chính", 0.303, 0.204, 0.780),
            ("Nơi nhận:", 0.10, 0.70, 0.25),
            ("- Lưu: VT.", 0.10, 0.72, 0.25),
            ("GIÁM ĐỐC", 0.62, 0.70, 0.78),
            (name, 0.60, 0.85, 0.80),
        )
        fields = extract(reading, types)
        assert fields.signer == name
        return fields.confidence["signer"]

    assert signer_conf("Trần Văn Thắng") >= 0.6
    assert signer_conf("Trần Văn Thắnq") < 0.6  # "q" alone cannot end a syllable
