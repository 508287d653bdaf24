"""The document types file (rules/doc_types.toml) and its lookups."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from daemon.ocr.doctypes import DocTypes, DocTypesError

ROOT = Path(__file__).resolve().parents[2]

# Nghị định 30/2020/NĐ-CP, Điều 7 and Phụ lục III.
ND30 = {
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Quy chế": "QC",
    "Quy định": "QyĐ",
    "Thông cáo": "TC",
    "Thông báo": "TB",
    "Hướng dẫn": "HD",
    "Chương trình": "CTr",
    "Kế hoạch": "KH",
    "Phương án": "PA",
    "Đề án": "ĐA",
    "Dự án": "DA",
    "Báo cáo": "BC",
    "Biên bản": "BB",
    "Tờ trình": "TTr",
    "Hợp đồng": "HĐ",
    "Công văn": None,
    "Công điện": "CĐ",
    "Bản ghi nhớ": "GN",
    "Bản thỏa thuận": "TTh",
    "Giấy ủy quyền": "GUQ",
    "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG",
    "Phiếu chuyển": "PC",
    "Phiếu báo": "PB",
}


@pytest.fixture(scope="module")
def types() -> DocTypes:
    return DocTypes.load(ROOT / "rules" / "doc_types.toml")


def test_shipped_file_has_every_nd30_type(types: DocTypes) -> None:
    for name, abbr in ND30.items():
        found = types.by_name(name)
        assert found is not None and found.abbr == abbr, name


def test_normative_types_and_letters(types: DocTypes) -> None:
    for name, abbr in (
        ("Nghị định", "NĐ"),
        ("Thông tư", "TT"),
        ("Thông tư liên tịch", "TTLT"),
        ("Luật", None),
    ):
        found = types.by_name(name)
        assert found is not None and found.normative and found.abbr == abbr
    for name in ("Đơn", "Đơn khiếu nại", "Đơn tố cáo", "Đơn kiến nghị", "Đơn phản ánh"):
        found = types.by_name(name)
        assert found is not None and found.letter
    assert not types.by_name("Quyết định").letter  # type: ignore[union-attr]


def test_names_are_nfc_and_sentence_case(types: DocTypes) -> None:
    import unicodedata

    for doc_type in types:
        assert unicodedata.is_normalized("NFC", doc_type.name)
        assert doc_type.name[0].isupper() and doc_type.name[1:] == doc_type.name[1:].lower()


@pytest.mark.parametrize("printed", ["QUYẾT ĐỊNH", "quyết định", "Quyết định (cá biệt)"])
def test_by_name_any_case_and_alias(printed: str, types: DocTypes) -> None:
    assert types.by_name(printed).name == "Quyết định"  # type: ignore[union-attr]


def test_by_name_folds_tone_placement(types: DocTypes) -> None:
    assert types.by_name("BẢN THOẢ THUẬN").name == "Bản thỏa thuận"  # type: ignore[union-attr]
    assert types.by_name("Giấy uỷ quyền").name == "Giấy ủy quyền"  # type: ignore[union-attr]


def test_by_name_loose_only_when_asked(types: DocTypes) -> None:
    assert types.by_name("QUYET DINH") is None
    assert types.by_name("QUYET DINH", loose=True).name == "Quyết định"  # type: ignore[union-attr]


def test_by_abbr_is_exact_about_d(types: DocTypes) -> None:
    assert types.by_abbr("HĐ").name == "Hợp đồng"  # type: ignore[union-attr]
    assert types.by_abbr("HD").name == "Hướng dẫn"  # type: ignore[union-attr]
    assert types.by_abbr("ĐA").name == "Đề án"  # type: ignore[union-attr]
    assert types.by_abbr("DA").name == "Dự án"  # type: ignore[union-attr]
    assert types.by_abbr("QD") is None


def test_by_abbr_case_and_old_forms(types: DocTypes) -> None:
    assert types.by_abbr("QYĐ").name == "Quy định"  # type: ignore[union-attr]
    assert types.by_abbr("TTR").name == "Tờ trình"  # type: ignore[union-attr]
    assert types.by_abbr("CTr").name == "Chương trình"  # type: ignore[union-attr]
    assert types.by_abbr("CT").name == "Chỉ thị"  # type: ignore[union-attr]
    assert types.by_abbr("UQ").name == "Giấy ủy quyền"  # type: ignore[union-attr]
    assert types.by_abbr("UBND") is None


@pytest.mark.parametrize(
    ("ocr", "name", "least"),
    [
        ("QUYẾT ĐỊNH", "Quyết định", 1.0),
        ("QUYÉT ĐỊNH", "Quyết định", 0.9),  # wrong diacritic
        ("QUYẾT ĐlNH", "Quyết định", 0.7),  # l for I
        ("KÉ HOẠCH", "Kế hoạch", 0.9),
        ("TỜ TRlNH", "Tờ trình", 0.7),
        ("BẢO CAO |.", "Báo cáo", 0.9),  # the stamp's frame beside it
        ("BÁOCÁO __", "Báo cáo", 0.8),  # its space lost, a rule read beside it
        ("_—_ CHƯƠNG TRÌNH", "Chương trình", 1.0),  # a long dash among the marks
    ],
)
def test_match_title_corrects_ocr(ocr: str, name: str, least: float, types: DocTypes) -> None:
    found = types.match_title(ocr)
    assert found is not None and found.type.name == name and found.score >= least


@pytest.mark.parametrize(
    "text",
    ["CHỦ TỊCH", "ỦY BAN NHÂN DÂN", "GIÁM ĐỐC", "PHÓ CHỦ TỊCH", "HUYỆN KHÁNH SƠN", "KẾT LUẬN", ""],
)
def test_match_title_rejects_other_caps_lines(text: str, types: DocTypes) -> None:
    assert types.match_title(text) is None


def test_match_title_letters_by_prefix(types: DocTypes) -> None:
    found = types.match_title("ĐƠN KHIẾU NẠI (lần hai)")
    assert found is not None and found.type.name == "Đơn khiếu nại" and found.rest == "(lần hai)"
    found = types.match_title("ĐƠN XIN XÁC NHẬN")
    assert found is not None and found.type.name == "Đơn" and found.rest == "XIN XÁC NHẬN"
    assert types.match_title("QUYẾT ĐỊNH THÀNH LẬP") is None  # only letters run on


def test_correct_returns_nearest(types: DocTypes) -> None:
    found = types.correct("THONG BA0")
    assert found is not None and found.type.name == "Thông báo"
    assert types.correct("XYZ") is None


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("", "at least one [[type]]"),
        ("[[type]]\nabbr = 'X'\n", "'name' must be a non-empty string"),
        ("[[type]]\nname = 'A'\ncolour = 1\n", "unknown key(s) colour"),
        ("[[type]]\nname = 'A'\nletter = 'yes'\n", "'letter' must be true or false"),
        ("[[type]]\nname = 'A'\n[[type]]\nname = 'a'\n", "name 'a' is given twice"),
        (
            "[[type]]\nname = 'A'\nabbr = 'X'\n[[type]]\nname = 'B'\nold_abbr = ['x']\n",
            "abbreviation 'x' is given twice",
        ),
        ("[[type]\n", "not valid TOML"),
        ("[[type]]\nname = 'A'\n[other]\n", "unknown table(s) other"),
    ],
)
def test_bad_files_name_the_problem(toml: str, message: str) -> None:
    with pytest.raises(DocTypesError, match=re.escape(message)):
        DocTypes.from_toml(toml, source="t.toml")


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocTypesError, match="cannot read"):
        DocTypes.load(tmp_path / "nope.toml")


def test_office_can_add_a_type(tmp_path: Path) -> None:
    path = tmp_path / "doc_types.toml"
    path.write_text("[[type]]\nname = 'Thông tri'\nabbr = 'TT'\n", encoding="utf-8")
    types = DocTypes.load(path)
    assert len(types) == 1 and types.by_abbr("TT").name == "Thông tri"  # type: ignore[union-attr]
