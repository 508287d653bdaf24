"""Deadlines: one written in a document's text (the cues, the Vietnamese date forms, and what
must not be taken for one: the document's own date line, cited documents, past dates,
misreadings), and the rules' due dates by độ khẩn, in working days or office hours."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from daemon.register.deadline import deadline_in, fold
from daemon.rules import Due, Rules, RulesError, load_rules

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


# --- the rules' due dates (rules/routing.toml [due]) ------------------------------------

RULES = Path(__file__).resolve().parents[2] / "rules"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _rules(tmp_path: Path, due: str) -> Rules:
    for name in ("doc_types.toml", "holidays.toml"):
        (tmp_path / name).write_text((RULES / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "routing.toml").write_text(f"[due]\n{due}", encoding="utf-8")
    return load_rules(tmp_path)


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [
        (None, Due(D(2026, 12, 10), None, "rule")),  # Thursday + 5 working days
        ("Khẩn", Due(D(2026, 12, 8), None, "urgency")),
        ("KHẨN", Due(D(2026, 12, 8), None, "urgency")),
        ("Thượng khẩn", Due(D(2026, 12, 7), None, "urgency")),
        # 4 office hours from Thursday 15:00: 2h that day, 2h on Friday morning.
        ("Hỏa tốc", Due(D(2026, 12, 4), dt.datetime(2026, 12, 4, 9, 30, tzinfo=HCM), "urgency")),
        ("Hoả tốc", Due(D(2026, 12, 4), dt.datetime(2026, 12, 4, 9, 30, tzinfo=HCM), "urgency")),
        ("Độ khẩn lạ", Due(D(2026, 12, 10), None, "rule")),  # unknown mark: the default
    ],
)
def test_the_shipped_rules_give_each_urgency_its_due_date(
    urgency: str | None, expected: Due
) -> None:
    received = dt.datetime(2026, 12, 3, 15, 0, tzinfo=HCM)
    assert load_rules(RULES).due(received, urgency) == expected


def test_a_deadline_written_in_the_document_wins_over_every_rule() -> None:
    received = dt.datetime(2026, 12, 3, 15, 0, tzinfo=HCM)
    text = HEADER + "Đề nghị báo cáo trước ngày 20/12/2026."
    for urgency in (None, "Khẩn", "Hỏa tốc"):
        assert load_rules(RULES).due(received, urgency, text) == Due(
            D(2026, 12, 20), None, "document"
        )


def test_receipt_is_counted_in_the_office_s_time_zone() -> None:
    # 20:00 UTC on Thursday is 03:00 on Friday in Hà Nội: Friday + 5 = the next Friday.
    received = dt.datetime(2026, 12, 3, 20, 0, tzinfo=dt.UTC)
    assert load_rules(RULES).due(received, None) == Due(D(2026, 12, 11), None, "rule")


def test_hours_given_in_words_and_no_due_date_when_the_rule_is_zero(tmp_path: Path) -> None:
    rules = _rules(tmp_path, '"Hỏa tốc" = "8 giờ"\n"Khẩn" = 0\ndefault = 0\n')
    received = dt.datetime(2026, 12, 4, 16, 0, tzinfo=HCM)  # Friday: 1h, then 7h on Monday
    due = rules.due(received, "Hỏa tốc")
    assert due == Due(D(2026, 12, 7), dt.datetime(2026, 12, 7, 16, 30, tzinfo=HCM), "urgency")
    assert rules.due(received, "Khẩn") is None
    assert rules.due(received, None) is None
    assert rules.due_date(D(2026, 12, 4), "Hỏa tốc") == D(2026, 12, 7)


def test_without_a_due_section_nothing_is_due(tmp_path: Path) -> None:
    rules = _rules(tmp_path, "")
    assert rules.due(dt.datetime(2026, 12, 4, 9, 0, tzinfo=HCM), "Khẩn") is None


@pytest.mark.parametrize("value", ["-1", '"4"', '"h"', '"-4h"', '"bốn giờ"', "true", "1.5"])
def test_a_bad_due_rule_is_named(tmp_path: Path, value: str) -> None:
    with pytest.raises(RulesError, match=r"routing.toml: \[due\] Khẩn: must be"):
        _rules(tmp_path, f'"Khẩn" = {value}\n')
