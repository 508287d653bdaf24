"""Vietnamese text helpers: NFC, tone-placement folding, keys, OCR repairs."""

from __future__ import annotations

import unicodedata

import pytest

from daemon.ocr.vntext import (
    clean,
    fix_number_label,
    fold_tones,
    is_upper_text,
    loose_key,
    nfc,
    squash,
    strip_aligned,
    tone_key,
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("thuỷ lợi", "thủy lợi"),
        ("HOẢ TỐC", "HỎA TỐC"),
        ("khoẻ", "khỏe"),
        ("Uỷ ban", "Ủy ban"),
        ("Thuỵ", "Thụy"),
        ("toà án", "tòa án"),
    ],
)
def test_fold_tones_moves_old_placement(old: str, new: str) -> None:
    assert fold_tones(old) == new
    assert fold_tones(new) == new  # the placement ND30 prints is left alone


@pytest.mark.parametrize(
    "word", ["quý", "quí", "Quý", "quỳ", "hoàng", "hoạch", "thuyền", "của", "khuya"]
)
def test_fold_tones_leaves_other_syllables(word: str) -> None:
    assert fold_tones(word) == word


def test_fold_tones_accepts_decomposed_input() -> None:
    assert fold_tones(unicodedata.normalize("NFD", "hoà")) == "hòa"


def test_nfc_and_clean() -> None:
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert nfc(decomposed) == "Quyết định"
    assert clean("Ðộc lập\u00a0-\u200b Tự do") == "Độc lập - Tự do"  # eth, NBSP, zero width
    assert clean("ð") == "đ"
    assert clean("A    B") == "A    B"  # column gaps survive for the layout rules
    assert squash("  A \t  B ") == "A B"


def test_keys() -> None:
    assert loose_key("Quyết  ĐỊNH") == "quyet dinh"
    assert loose_key("Đơn") == loose_key("DON") == "don"
    assert tone_key("UỶ BAN") == tone_key("Ủy ban") == "ủy ban"
    assert tone_key("Quyết định") != tone_key("Quyết đinh")  # tone_key keeps diacritics


def test_strip_aligned_keeps_offsets() -> None:
    text = "Khánh Sơn,  ngày 04 tháng 11"
    folded = strip_aligned(text)
    assert len(folded) == len(text)
    at = folded.index("ngay")
    assert text[at : at + 4] == "ngày"


@pytest.mark.parametrize(
    "misread",
    ["S6: 12/QĐ-UBND", "Sô: 12/QĐ-UBND", "S0: 12/QĐ-UBND", "S6 12/QĐ-UBND", "Sồ : 12/QĐ-UBND"],
)
def test_fix_number_label(misread: str) -> None:
    assert fix_number_label(misread) == "Số: 12/QĐ-UBND"


@pytest.mark.parametrize("text", ["Số: 12/QĐ-UBND", "SỞ NỘI VỤ", "So sánh", "Sơn La"])
def test_fix_number_label_leaves_other_lines(text: str) -> None:
    assert fix_number_label(text) == text


def test_is_upper_text() -> None:
    assert is_upper_text("ỦY BAN NHÂN DÂN")
    assert is_upper_text("PHÒNG GD&ĐT")
    assert not is_upper_text("Ban hành Quy chế của UBND huyện")
    assert not is_upper_text("12/")
