from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from daemon.ocr.model import Fields
from daemon.rules import RulesError, fold, load_rules
from daemon.workdays import Calendar

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_fold_ignores_case_tone_placement_and_marks() -> None:
    assert fold("Hoà Bình") == fold("HÒA BÌNH") == "hoa binh"
    assert fold("Đơn  khiếu nại") == "don khieu nai"


def test_shipped_rules_set_aside_secrets_and_complaints() -> None:
    rules = load_rules(RULES)
    assert rules.set_aside_reason(Fields(secrecy="Tối mật")) is not None
    assert rules.set_aside_reason(Fields(doc_type="Đơn tố cáo")) is not None
    assert rules.set_aside_reason(Fields(doc_type="Quyết định")) is None
    assert rules.set_aside_reason(Fields(doc_type="Công văn", urgency="Khẩn")) is None


def test_due_dates_count_working_days() -> None:
    rules = load_rules(RULES)
    friday = dt.date(2026, 4, 24)
    # Khẩn: 3 working days; the weekend, Giỗ Tổ's Monday 27/4, 30/4 and 1/5 skipped.
    assert rules.due_date(friday, "Khẩn") == dt.date(2026, 5, 4)
    assert rules.due_date(dt.date(2026, 4, 28), "Khẩn") == dt.date(2026, 5, 5)
    assert rules.due_date(friday, None) == dt.date(2026, 5, 6)  # the default: 5 working days


def test_calendar() -> None:
    cal = Calendar(
        yearly_off={(1, 1): "x"}, extra_days_off={dt.date(2026, 2, 17): "x"}, national=False
    )
    assert not cal.is_working_day(dt.date(2026, 1, 1))
    assert not cal.is_working_day(dt.date(2026, 2, 17))
    assert cal.add_working_days(dt.date(2026, 2, 16), 1) == dt.date(2026, 2, 18)


def test_routes_and_errors_name_the_file(tmp_path: Path) -> None:
    for name in ("doc_types.toml", "holidays.toml"):
        (tmp_path / name).write_text((RULES / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "routing.toml").write_text(
        '[[route]]\ndoc_type = "Giấy mời"\nunit = "Văn phòng"\n'
        '[[route]]\nissuer_contains = "sở tài chính"\nunit = "Phòng TC-KH"\n',
        encoding="utf-8",
    )
    rules = load_rules(tmp_path)
    assert rules.unit_for(Fields(doc_type="Giấy mời")) == "Văn phòng"
    assert rules.unit_for(Fields(issuer="SỞ TÀI CHÍNH TỈNH KHÁNH HÒA")) == "Phòng TC-KH"
    assert rules.unit_for(Fields(doc_type="Quyết định")) is None
    (tmp_path / "routing.toml").write_text('[due]\n"Khẩn" = -1\n', encoding="utf-8")
    with pytest.raises(RulesError, match="routing.toml: \\[due\\] Khẩn"):
        load_rules(tmp_path)
