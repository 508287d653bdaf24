"""The issuer's short form in the ký hiệu agrees with the issuer (ND30 Phụ lục I)."""

from __future__ import annotations

import pytest

from daemon.ocr.issuer_code import (
    agency_code_doubtful,
    agency_code_garbled,
    agreed,
    code_cut_at_a_gap,
    drafting_unit_disagrees,
    letter_alone_in_code,
    letter_repeated_in_code,
    short_forms,
    speck_in_code,
    type_alone_in_code,
    unit_code_doubtful,
    unit_filed_as,
)


@pytest.mark.parametrize(
    ("agency", "form"),
    [
        ("ỦY BAN NHÂN DÂN HUYỆN HIỆP HÒA", "UBND"),
        ("HỘI ĐỒNG NHÂN DÂN TỈNH PHÚ THỌ", "HĐND"),
        ("SỞ NỘI VỤ", "SNV"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "SVHTTDL"),
        ("BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "BKHĐT"),
        ("CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC", "VTLTNN"),  # the level word "Cục" left out
        ("TRƯỜNG THCS NGUYỄN HUỆ", "THCSNH"),  # an abbreviation kept whole
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "SLĐTBXH"),  # "xã hội" is no commune
        ("CỤC QUẢN LÝ HOẠT ĐỘNG XÂY DỰNG", "QLHĐXD"),  # "quản" (to manage) is no "quận"
        ("BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG HUYỆN ĐÔNG ANH", "BQLDAĐTXD"),
        ("SỞ NỘI VỤ ĐỊA PHƯƠNG", "SNVĐP"),  # "phương" is no "phường"
        ("ỦY BAN NHÂN DÂN HUYEN HIỆP HÒA", "UBND"),  # a level word read without its marks
    ],
)
def test_short_forms_are_the_initials_without_the_locality(agency: str, form: str) -> None:
    assert form in short_forms(agency)


def test_a_code_one_slip_from_the_issuers_form_is_corrected() -> None:
    ubnd = "ỦY BAN NHÂN DÂN XÃ CÁT HANH"
    assert agreed("61/QĐ-UBN", ubnd, None) == ("61/QĐ-UBND", True)  # a letter lost
    cuc = "CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC"
    assert agreed("4544/CT-VTLUTNN", cuc, "BỘ NỘI VỤ") == ("4544/CT-VTLTNN", True)  # one added
    assert agreed("409/QĐ-BKHDT", "BỘ KẾ HOẠCH VÀ ĐẦU TƯ", None) == ("409/QĐ-BKHĐT", True)
    svh = "SỞ VĂN HÓA, THỂ 'THAO VÀ DU LỊCH"  # a stroke read as ' on both
    assert agreed("1163/KH-SVHT'DL", svh, None) == ("1163/KH-SVHTTDL", True)


def test_an_agency_code_with_a_letter_read_twice_is_corrected() -> None:
    """ "HĐĐXD" for HĐXD, the code Cục Quản lý hoạt động xây dựng signs with (a run of its
    initials), was registered at 0.72 on a fresh seed's old-copier page. Codes with a
    doubled letter of their own, or a unit's, are left."""
    cuc = "CỤC QUẢN LÝ HOẠT ĐỘNG XÂY DỰNG"
    assert agreed("859/HĐĐXD-KHTC", cuc, "BỘ XÂY DỰNG") == ("859/HĐXD-KHTC", True)
    kh = frozenset({"KH"})  # the type's abbreviation before the agency's code
    assert agreed("12/KH-HĐXXD", cuc, None, exempt=kh) == ("12/KH-HĐXD", True)
    stttt = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert agreed("77/STTTT-VP", stttt, None) == ("77/STTTT-VP", False)
    snn = "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"
    assert agreed("5/SNNPTNT-PTNNT", snn, None) == ("5/SNNPTNT-PTNNT", False)  # a unit's


def test_an_agency_code_run_into_the_units_is_parted() -> None:
    """ "421/KCBVP" (its hyphen lost) was registered at 0.71 on a training seed's office
    scan: the agency's code (a run of the issuer's initials) and the unit's after it."""
    cuc = "CỤC QUẢN LÝ KHÁM, CHỮA BỆNH"
    assert agreed("421/KCBVP", cuc, "BỘ Y TẾ") == ("421/KCB-VP", True)
    assert agreed("15/SNVTCCB", "SỞ NỘI VỤ", None) == ("15/SNV-TCCB", True)
    assert agreed("15/SNV", "SỞ NỘI VỤ", None) == ("15/SNV", False)  # no unit: as it is
    # a code of its own after a type's is left
    qd = frozenset({"QĐ"})
    assert agreed("7/QĐ-SNVTCCB", "SỞ NỘI VỤ", None, exempt=qd) == ("7/QĐ-SNVTCCB", False)


def test_a_digit_between_a_codes_capitals_is_a_speck() -> None:
    """'171/S5TNMT-NVD' at 0.68 on a fresh seed's old copier: no code is written so."""
    stnmt = "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
    assert agreed("171/S5TNMT-NVD", stnmt, "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ") == (
        "171/STNMT-NVD",
        True,
    )
    assert agreed("171/S5TXMT-NVD", stnmt, None) == ("171/S5TXMT-NVD", False)  # not its form
    assert speck_in_code("171/S5TXMT-NVD")  # ... doubted
    assert not speck_in_code("171/STNMT-NVD")
    assert not speck_in_code("123/CAT-PC03")  # a unit's number ends its code
    assert not speck_in_code("15/2016/TT-BCT")


def test_a_code_of_one_letter_lost_its_end() -> None:
    """'1017/GM-S' for GM-STTTT at 0.93 on a fresh seed's office scan (2424 s0001): a
    registered number nobody flagged. No agency or unit is coded by one letter."""
    assert letter_alone_in_code("1017/GM-S")
    assert letter_alone_in_code("25/S-VP")
    assert not letter_alone_in_code("1017/GM-STTTT")
    assert not letter_alone_in_code("15/2016/TT-BCT")
    assert not letter_alone_in_code("123/CAT-PC03")
    # ... nor by one letter and digits (4721 c0197: "TT-S1" for TT-BTC, silent at 0.66)
    assert letter_alone_in_code("1039/2024/TT-S1")
    assert not letter_alone_in_code("25/2022/QH15")


def test_a_code_of_one_letter_repeated_is_doubted_unless_luu_names_it_so() -> None:
    """ "1089/SGDĐT-TTT" at 0.68 for TTr (5959 s0124, a fresh seed's office scan):
    Tesseract drops and adds a letter repeated; "Lưu: VT." names no unit to vouch for it."""
    assert letter_repeated_in_code("1089/SGDĐT-TTT", ["Như trên", "Lưu: VT."])
    assert not letter_repeated_in_code("1089/SGDĐT-TTT", ["Lưu: VT, TTT."])  # read alike
    assert not letter_repeated_in_code("15/STTTT-TTTT", None)  # Thông tin và Truyền thông
    assert not letter_repeated_in_code("15/2016/TT-BCT", None)  # a Thông tư


def test_codes_that_agree_or_name_a_unit_are_left() -> None:
    ubnd = "ỦY BAN NHÂN DÂN HUYỆN KHÁNH SƠN"
    assert agreed("68/QĐ-UBND", ubnd, None) == ("68/QĐ-UBND", False)
    assert agreed("593/TTr-TCKH", ubnd, None) == ("593/TTr-TCKH", False)  # the drafting unit
    assert agreed("245/UBND-VP", ubnd, None) == ("245/UBND-VP", False)
    # A type's abbreviation is never taken for the agency's code.
    assert agreed("12/UBN-VP", ubnd, None, exempt=frozenset({"UBN"})) == ("12/UBN-VP", False)
    # Three letters one off another three-letter form is as likely another agency's code.
    assert agreed("12/KH-SNN", "SỞ NỘI VỤ", None) == ("12/KH-SNN", False)
    assert agreed("12/KH-STC", None, None) == ("12/KH-STC", False)


def test_specks_in_the_agency_or_the_code_make_no_letter() -> None:
    cuc = "CỤC VĂN THƯ _ VÀ LƯU TRỮ NHÀ NƯỚC"
    assert short_forms(cuc) == frozenset({"CVTLTNN", "VTLTNN"})
    assert agreed("4417/TB-VT_LTNN", cuc, None) == ("4417/TB-VTLTNN", True)


TYPES = frozenset({"QĐ", "TTr", "KH", "BC", "TB", "TT"})


@pytest.mark.parametrize(
    ("number", "filed", "disagrees"),
    [
        ("393/STNMT-TTT", "Lưu: VT, TT", True),  # two misreadings of TTr: one is wrong
        ("393/STNMT-TTr", "Lưu: VT, TTr", False),
        ("393/STNMT-TTr", "Lưu: VT, TTr (02b).", False),  # copies counted
        ("12/SNV-TCBC", "Lưu: VT; TCBC", False),  # ; read for ,
        ("12/SNV-TCBC", "Lưu: VT", False),  # no unit named: nothing to check
        ("68/QĐ-UBND", "Lưu: VT, NC", False),  # a type, then the agency: no drafting unit
        ("325/TTr-SGTVT", "Lưu: VT, KH", False),
        ("12/SNV", "Lưu: VT, TCBC", False),  # no unit in the ký hiệu
        ("1573/2016/TT-BCT", "Lưu: VT, PC", False),  # a type after the year
        ("105/SNN-TTr", "Lưu: VT, TT", False),  # Lưu's small r lost
        ("171/SNV-QLNS", "Lưu: VT, QUNS", False),  # a code units use, slipped in Lưu's
        ("171/SNV-QUNS", "Lưu: VT, QLNS", True),  # ... or in the ký hiệu: doubted
        ("1159/UBND-NG", "Lưu: VT, NC", True),
        ("1159/UBND-NC", "Lưu: VT, NG", False),
        ("1159/UBND-TH", "Lưu: VT, TP", True),  # two codes units use: either may be wrong
        ("171/SNV-QLNS", "Lưu: VT, KHTC", True),
        ("393/STNMT-TTT", "Lưu: VT, TTr", True),
    ],
)
def test_a_cong_vans_drafting_unit_is_the_one_its_copy_is_filed_under(
    number: str, filed: str, disagrees: bool
) -> None:
    recipients = ["Như trên", "Sở Tài chính", filed]
    assert drafting_unit_disagrees(number, recipients, type_abbrs=TYPES) is disagrees
    assert not drafting_unit_disagrees(number, ["Như trên"], type_abbrs=TYPES)


@pytest.mark.parametrize(
    ("number", "doubtful"),
    [
        ("2948/VI-KHTC", True),  # L read as I: one letter off Cục Việc làm's VL
        ("2948/VL-KHTC", False),
        ("2948/CVL-KHTC", False),
        ("2948/VP-KHTC", True),  # two letters, one off VL: as likely another code, so doubted
        ("2948/QĐ-VL", False),  # a type first: its agency code comes after
        ("2948/QĐ-VI", True),  # ... and is judged there
        ("2948/KH-VIL", True),  # a letter too many (5619 c0166: "KH-TIL" for TL at 0.90)
        ("2948/TCKH-VP", False),  # not two letters or three
    ],
)
def test_a_two_letter_agency_code_one_off_the_issuers_is_doubted(
    number: str, doubtful: bool
) -> None:
    """Too short to correct (`agreed` leaves it), but not to be trusted either."""
    found = agency_code_doubtful(
        number, "CỤC VIỆC LÀM", "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", type_abbrs=TYPES
    )
    assert found is doubtful


@pytest.mark.parametrize(
    ("number", "issuer", "garbled"),
    [
        ("929/QĐ-UBI", "ỦY BAN NHÂN DÂN HUYỆN TIỀN HẢI", True),  # UBND, two letters lost
        ("929/UBI-VP", "ỦY BAN NHÂN DÂN HUYỆN TIỀN HẢI", True),  # a công văn's, first
        ("929/QĐ-UBND", "ỦY BAN NHÂN DÂN HUYỆN TIỀN HẢI", False),
        ("929/QĐ-VP", "ỦY BAN NHÂN DÂN HUYỆN TIỀN HẢI", False),  # far from UBND: a unit's
        ("3519/KCB-KHTC", "CỤC QUẢN LÝ KHÁM, CHỮA BỆNH", False),  # part of its initials
        ("63/QĐ-HĐXD", "CỤC QUẢN LÝ HOẠT ĐỘNG XÂY DỰNG", False),
    ],
)
def test_an_agency_code_two_letters_off_the_issuers_is_doubted(
    number: str, issuer: str, garbled: bool
) -> None:
    """Too far from the issuer's short form to correct, too near to be another agency's:
    "929/QĐ-UBI" was registered unflagged but for another field (3434 c0187)."""
    assert agency_code_garbled(number, issuer, None, type_abbrs=TYPES) is garbled


@pytest.mark.parametrize(
    ("number", "doubted"),
    [
        ("1866/UBND-TCGKH", True),  # TCKH with a G read in (a training seed's old copier)
        ("12/QĐ-UBND-QLUNS", True),  # after a type's code and the agency's
        ("1866/UBND-TCKH", False),
        ("77/SNV-HCTH", False),  # a common unit's own code, one letter from HCTC
        ("77/SNV-ABCD", False),  # far from any: an agency's own unit
        ("12/QĐ-STTTT", False),  # the agency's code, one letter from TTTT: not a unit's
        ("12/UBND-VB", False),  # two letters: too close to tell
    ],
)
def test_a_units_code_one_letter_off_a_common_one_is_doubted(number: str, doubted: bool) -> None:
    assert unit_code_doubtful(number, type_abbrs=TYPES) is doubted


def test_a_ky_hieu_of_the_type_alone_lost_the_issuers_code() -> None:
    """1784 c0178: "134/TB" for 134/TB-UBND, registered at 0.70. A công văn's ký hiệu
    starts with the agency's code, and a law's is its issuer's alone (QH15)."""
    abbrs = frozenset({"TB", "QĐ", "KH"})
    assert type_alone_in_code("134/TB", type_abbrs=abbrs)
    assert type_alone_in_code("12/2020/QĐ", type_abbrs=abbrs)
    for whole in ("134/TB-UBND", "245/UBND-VP", "10/2022/QH15", "12/SNV"):
        assert not type_alone_in_code(whole, type_abbrs=abbrs)


@pytest.mark.parametrize(
    ("number", "rest", "meant"),
    [
        # 7302 c0200: "Số: 1543/TB-ST TTI", the code cut at a gap, registered at 0.83
        ("1543/TB-ST", "TTI", "1543/TB-STTTT"),
        ("1543/TB-ST", "TTTT ngày", "1543/TB-STTTT"),
        ("1543/TB-ST", "KHẨN", "1543/TB-ST"),  # a mark stamped beside the number
        ("1543/TB-STTTT", "KHẨN", "1543/TB-STTTT"),  # the code whole
        ("1543/TB-ST", "tti", "1543/TB-ST"),  # no code is in small letters
        ("1543/TB-ST", "", "1543/TB-ST"),
    ],
)
def test_a_code_cut_at_a_gap_is_joined_to_the_rest(number: str, rest: str, meant: str) -> None:
    issuer, parent = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert code_cut_at_a_gap(number, rest, issuer, parent) == meant


@pytest.mark.parametrize(
    ("number", "filed", "mended"),
    [
        # a speck read as a stroke inside the unit's code (fresh seeds 9183 s0112, 6389 s0032)
        ("13/SXD-TTIr", "Lưu: VT, TTr.", "13/SXD-TTr"),
        ("154/SNV-lTTr", "Lưu: VT, TTr (02b).", "154/SNV-TTr"),
        ("13/SXD-TTIr", "Lưu: VT, NC.", "13/SXD-TTIr"),  # no unit it could be
        ("13/SXD-TTr", "Lưu: VT, TTr.", "13/SXD-TTr"),  # as filed
        ("13/SXD-KHTC", "Lưu: VT, KHC.", "13/SXD-KHTC"),  # no stroke between them
        ("13/SXD-TTIr", None, "13/SXD-TTIr"),  # no Lưu line
    ],
)
def test_a_unit_code_a_stroke_off_the_unit_luu_names_is_that_unit(
    number: str, filed: str | None, mended: str
) -> None:
    assert unit_filed_as(number, ["Như trên", filed] if filed else ["Như trên"]) == mended
