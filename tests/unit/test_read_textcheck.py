"""Judging PDF text layers: real Vietnamese, or mojibake / unmapped glyphs that need OCR."""

from __future__ import annotations

import pytest

from daemon.ocr import legacy, textcheck

REAL = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
    "Số: 68/QĐ-UBND Khánh Sơn, ngày 04 tháng 11 năm 2016 QUYẾT ĐỊNH"
)
TCVN3 = "Céng hßa x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc Uû ban nh©n d©n tØnh"
VNI = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam Ñoäc laäp - Töï do - Haïnh phuùc UÛy ban nhaân"


def test_real_vietnamese_is_accepted() -> None:
    assert textcheck.judge(REAL) == textcheck.REAL


def test_english_is_accepted() -> None:
    text = "Memorandum of understanding between the parties on cooperation in 2024."
    assert textcheck.judge(text).real


def test_too_little_text() -> None:
    verdict = textcheck.judge("Trang 2")
    assert not verdict.real and "no text layer" in verdict.reason


def test_cid_glyphs() -> None:
    verdict = textcheck.judge(REAL + " (cid:12)(cid:45)")
    assert not verdict.real and "cid" in verdict.reason


@pytest.mark.parametrize("bad", ["\ufffd", "\ue00a", "\x07"])
def test_unmapped_private_use_and_control_characters(bad: str) -> None:
    verdict = textcheck.judge(REAL + bad * 5)
    assert not verdict.real and "without Unicode mapping" in verdict.reason


def test_unmapped_count_from_pdfium() -> None:
    assert not textcheck.judge(REAL, unmapped=30).real
    assert textcheck.judge(REAL, unmapped=1).real


@pytest.mark.parametrize(("text", "encoding"), [(TCVN3, "tcvn3"), (VNI, "vni")])
def test_legacy_encodings_by_characters(text: str, encoding: str) -> None:
    verdict = textcheck.judge(text)
    assert not verdict.real
    assert verdict.legacy == encoding
    assert encoding.upper() in verdict.reason


def test_legacy_encoding_by_font_name() -> None:
    verdict = textcheck.judge(
        "Cong hoa xa hoi chu nghia Viet Nam, ban hanh", fonts={"ABCDEF+.VnTime"}
    )
    assert verdict.legacy == "tcvn3"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("ABCDEF+.VnTimeH", "tcvn3"),
        (".VnArial", "tcvn3"),
        ("VNI-Times", "vni"),
        ("QWERTY+VNI-Helve-Condense", "vni"),
        ("TimesNewRomanPSMT", None),
        ("Verdana-Bold", None),
        ("DejaVuSerif", None),
    ],
)
def test_font_encoding(name: str, encoding: str | None) -> None:
    assert legacy.font_encoding(name) == encoding


def test_converters_for_both_legacy_encodings() -> None:
    """Tables exist for TCVN3 and VNI (tested in test_legacy.py); others go to OCR."""
    assert legacy.converter("tcvn3") is not None
    assert legacy.converter("vni") is not None


def test_symbol_soup() -> None:
    verdict = textcheck.judge("!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~ " * 3)
    assert not verdict.real and "symbols" in verdict.reason


def test_scan_with_only_a_stamp() -> None:
    stamp = "Ký bởi: Ủy ban nhân dân huyện Khánh Sơn, 04.11.2016"
    verdict = textcheck.judge(stamp, scan_like=True)
    assert not verdict.real and "scanned page" in verdict.reason
    assert textcheck.judge(stamp).real


def test_scan_with_a_copier_ocr_layer_without_diacritics() -> None:
    ascii_only = "CONG HOA XA HOI CHU NGHIA VIET NAM Doc lap Tu do Hanh phuc " * 5
    verdict = textcheck.judge(ascii_only, scan_like=True)
    assert not verdict.real and "diacritics" in verdict.reason
    assert textcheck.judge(REAL * 3, scan_like=True).real
