"""TCVN3 (ABC) and VNI -> Unicode conversion tables."""

from __future__ import annotations

import unicodedata

import pytest

from daemon.ocr import legacy
from daemon.ocr.legacy import VIETNAMESE_LETTERS, caps_font, tcvn3_to_unicode, vni_to_unicode

# Every lower-case Vietnamese letter outside ASCII, NFC.
_LOWER = sorted(c for c in VIETNAMESE_LETTERS if c.islower() and not c.isascii())


@pytest.mark.parametrize(
    ("tcvn3", "unicode"),
    [
        ("Céng hßa x· héi chñ nghÜa ViÖt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Uû ban nh©n d©n tØnh Kh¸nh Hßa", "Uỷ ban nhân dân tỉnh Khánh Hòa"),
        ("QuyÕt ®Þnh vÒ viÖc ban hµnh", "Quyết định về việc ban hành"),
        ("B¶o Th¾ng, M\xadêng Kh\xad¬ng", "Bảo Thắng, Mường Khương"),
        ("n¨m 2016; th¼ng; ¨n; ½; ÆC", "năm 2016; thẳng; ăn; ẵ; ặC"),
        ("¡n, ¢m, £m, ¤ng, ¥i, ¦u", "Ăn, Âm, Êm, Ông, Ơi, Ưu"),
        ("Sè: 15/Q§-UBND", "Số: 15/QĐ-UBND"),
    ],
)
def test_tcvn3_words(tcvn3: str, unicode: str) -> None:
    assert tcvn3_to_unicode(tcvn3) == unicode


@pytest.mark.parametrize(
    ("tcvn3", "unicode"),
    [
        ("n-íc, tr-êng, ng-êi, ®-îc", "nước, trường, người, được"),
        ("S- ph¹m; th- viÖn; H-íng dÉn", "Sư phạm; thư viện; Hướng dẫn"),
        ("-u tiªn; -¬ng; -ng", "ưu tiên; ương; ưng"),
        ("Sè: 12/2020/N§-CP; Q§-UBND; TTr-UBND", "Số: 12/2020/NĐ-CP; QĐ-UBND; TTr-UBND"),
        ("Tù do - H¹nh phóc; 2020-2025; -Nh- trªn", "Tự do - Hạnh phúc; 2020-2025; -Như trên"),
    ],
)
def test_tcvn3_u_horn_read_back_as_a_hyphen(tcvn3: str, unicode: str) -> None:
    """TCVN3's "ư" is 0xAD, the soft hyphen, which PDFium returns as "-"."""
    assert tcvn3_to_unicode(tcvn3) == unicode


@pytest.mark.parametrize(
    ("vni", "unicode"),
    [
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("UÛY BAN NHAÂN DAÂN TÆNH KHAÙNH HOØA", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"),
        ("Quyeát ñònh; Ñieàu 1; thöôïng khaån", "Quyết định; Điều 1; thượng khẩn"),
        ("hoûa toác; naêm; thaúng; aên", "hỏa tốc; năm; thẳng; ăn"),
        ("ôû; ôùt; ngöôøi; kyû; yù; ñi", "ở; ớt; người; kỷ; ý; đi"),
        ("Soá: 15/QÑ-UBND", "Số: 15/QĐ-UBND"),
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ],
)
def test_vni_words(vni: str, unicode: str) -> None:
    assert vni_to_unicode(vni) == unicode


def test_tcvn3_covers_every_lower_case_letter_once() -> None:
    """The table is a bijection onto the Vietnamese letters: no letter missing or doubled."""
    table = legacy._tcvn3_table()
    produced = [v for v in table.values() if v.islower()]
    assert sorted(produced) == _LOWER
    assert all(len(code) == 1 and 0xA0 <= ord(code) <= 0xFF for code in table)


def test_vni_spells_every_letter_in_both_cases() -> None:
    """Each Vietnamese letter has a VNI spelling, and upper-case spellings give capitals."""
    inverse: dict[str, str] = {}
    for spelling, letter in {**legacy._VNI_PAIRS, **legacy._VNI_SINGLES}.items():
        inverse.setdefault(letter, spelling)
    for letter in _LOWER + [c.upper() for c in _LOWER]:
        assert letter in inverse or letter.isascii(), letter
        assert vni_to_unicode(inverse[letter]) == letter


def test_output_is_nfc_and_ascii_passes_through() -> None:
    text = "Ban hành kèm theo 12/2020/NĐ-CP (A-Z, a-z, 0-9)"
    ascii_only = "Nghi dinh 30/2020/ND-CP ngay 05/3/2020 - page 1/2"
    for convert in (tcvn3_to_unicode, vni_to_unicode):
        assert convert(ascii_only) == ascii_only
        out = convert("Céng hßa Coäng hoøa" + text)
        assert unicodedata.is_normalized("NFC", out)


def test_converter_hook() -> None:
    assert legacy.converter("tcvn3") is tcvn3_to_unicode
    assert legacy.converter("vni") is vni_to_unicode


@pytest.mark.parametrize(
    ("font", "caps"),
    [
        (".VnTimeH", True),
        ("ABCDEF+.VnArialH", True),
        (".VnTimeH,Bold", True),
        (".VnTime", False),
        (".VnArial-Bold", False),
        ("VNI-Times", False),
        ("TimesNewRomanPS-BoldMT", False),
    ],
)
def test_caps_fonts(font: str, caps: bool) -> None:
    assert caps_font(font) is caps
