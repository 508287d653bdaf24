"""A deadline written in a document's text: the cues, the Vietnamese date forms, and what must
not be taken for one (the document's own date line, cited documents, past dates, misreadings)."""

from __future__ import annotations

import datetime as dt

import pytest

from daemon.register.deadline import deadline_in, fold

RECEIVED = dt.date(2026, 12, 3)
D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đề nghị các đơn vị báo cáo về Sở Nội vụ trước ngày 15/12/2026.", D(2026, 12, 15)),
        ("gửi về Văn phòng UBND tỉnh trước ngày 15-12-2026 để tổng hợp", D(2026, 12, 15)),
        ("hoàn thành trước ngày 15 tháng 12 năm 2026", D(2026, 12, 15)),
        ("Hạn chót nhận hồ sơ: ngày 20/12/2026", D(2026, 12, 20)),
        ("hạn chót 17 giờ 00 ngày 20/12/2026", D(2026, 12, 20)),
        ("Thời gian gửi chậm nhất ngày 10/12/2026", D(2026, 12, 10)),
        ("chậm nhất là ngày 05 tháng 01 năm 2027", D(2027, 1, 5)),
        ("không muộn hơn ngày 18/12/2026", D(2026, 12, 18)),
        ("trước 16h30 ngày 11/12/2026", D(2026, 12, 11)),
        ("trước 16.30 ngày 11.12.2026", D(2026, 12, 11)),  # 16.30 is a time, not a date
        ("báo cáo về UBND huyện (qua Phòng Nội vụ) trước\nngày 15/12/2026", D(2026, 12, 15)),
        ("TRƯỚC NGÀY 15/12/2026", D(2026, 12, 15)),
        ("truoc ngay 15/12/2026 (OCR dropped the marks)", D(2026, 12, 15)),
        ("trước ngày 15 / 12 / 2026", D(2026, 12, 15)),
        ("trước ngày 3/12/2026", D(2026, 12, 3)),  # the day it arrived
        ("thời hạn: đến ngày 30/12/2026", D(2026, 12, 30)),
        ("đề nghị gia hạn đến ngày 20/01/2027", D(2027, 1, 20)),
    ],
)
def test_a_written_deadline_is_found(text: str, expected: dt.date) -> None:
    assert deadline_in(text, RECEIVED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trước ngày 15/12", D(2026, 12, 15)),
        ("trước ngày 20 tháng 12", D(2026, 12, 20)),
        ("trước ngày 10/01", D(2027, 1, 10)),  # a December letter means next January
        ("trước ngày 01/12", None),  # two days ago, or eleven months on: neither is sane
        ("trước ngày 15/7", None),
    ],
)
def test_a_date_without_its_year_is_the_next_one_within_half_a_year(
    text: str, expected: dt.date | None
) -> None:
    assert deadline_in(text, RECEIVED) == expected


HEADER = """ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN KHÁNH SƠN               Độc lập - Tự do - Hạnh phúc
Số: 512/UBND-VP          Khánh Sơn, ngày 10 tháng 12 năm 2026
V/v báo cáo kết quả thực hiện công tác văn thư, lưu trữ năm 2026
"""


def test_the_document_s_own_date_line_is_not_a_deadline() -> None:
    assert deadline_in(HEADER + "Kính gửi: Các phòng, ban.\n", RECEIVED) is None
    # Even with a cue just before it (a header read out of order by OCR).
    assert deadline_in("Khẩn, gửi trước\nKhánh Sơn, ngày 10 tháng 12 năm 2026", RECEIVED) is None
    assert deadline_in("Hà Nội, ngày 10/12/2026\ntrước ngày 12/12/2026", RECEIVED) == D(
        2026, 12, 12
    )


def test_the_deadline_in_a_whole_letter_is_found_below_its_date_line() -> None:
    body = (
        "Căn cứ Quyết định số 1234/QĐ-UBND ngày 15/12/2026 của UBND tỉnh;\n"
        "Để có cơ sở tổng hợp, đề nghị Thủ trưởng các đơn vị báo cáo về UBND huyện (qua "
        "Phòng Nội vụ) trước ngày 20 tháng 12 năm 2026. Trân trọng./.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    )
    assert deadline_in(HEADER + body, RECEIVED) == D(2026, 12, 20)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Quyết định số 12/QĐ-UBND ngày 15/12/2026 của UBND tỉnh",  # cited, no cue
        "Kế hoạch thực hiện trong năm 2026",
        "các văn bản ban hành trước ngày 01/7/2025",  # before receipt
        "trước ngày 15/12/2062",  # beyond the horizon: a misreading
        "trước ngày 31/02/2027",  # no such day
        "trước ngày 15/13/2026",  # no such month
        "Số: 15/12/2026-UBND",  # no cue
        "hạn chế sử dụng từ ngày 15/12/2026",  # hạn chế is not a hạn
        "trước đây. Ngày 15/12/2026 là ngày hội",  # the sentence ended after the cue
        "trước ngày 15122026",
    ],
)
def test_no_deadline_is_invented(text: str) -> None:
    assert deadline_in(text, RECEIVED) is None


def test_the_earliest_of_several_deadlines_wins() -> None:
    text = (
        "Báo cáo chính thức gửi trước ngày 28/12/2026; báo cáo nhanh gửi chậm nhất ngày 10/12/2026."
    )
    assert deadline_in(text, RECEIVED) == D(2026, 12, 10)


def test_only_the_first_sane_date_after_a_cue_counts() -> None:
    # The cited document's date after the deadline does not move it.
    text = "trước ngày 18/12/2026 theo Kế hoạch ngày 30/12/2026"
    assert deadline_in(text, RECEIVED) == D(2026, 12, 18)


def test_a_received_moment_is_taken_as_its_date() -> None:
    moment = dt.datetime(2026, 12, 3, 16, 0)
    assert deadline_in("trước ngày 3/12/2026", moment) == D(2026, 12, 3)


def test_decomposed_text_is_read_like_composed_text() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Hạn chót ngày 20/12/2026")
    assert deadline_in(text, RECEIVED) == D(2026, 12, 20)


def test_fold_keeps_one_character_for_each() -> None:
    for text in ("Đường Hoà thuỷ TRƯỚC", "İstanbul", "ngày 15 tháng 12"):
        assert len(fold(text)) == len(text)
    assert fold("Chậm nhất Trước ĐÃ") == "cham nhat truoc da"
