from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from daemon.ocr.gazetteer import Gazetteer, GazetteerError, Unit, load

GAZETTEER = Path(__file__).resolve().parents[2] / "rules" / "gazetteer.tsv"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load(GAZETTEER)


def test_the_shipped_file_parses_and_is_cached(gazetteer: Gazetteer) -> None:
    assert load(GAZETTEER) is gazetteer
    assert all(isinstance(unit, Unit) for unit in gazetteer.units)
    codes = Counter((unit.era, unit.code) for unit in gazetteer.units)
    assert max(codes.values()) == 1  # a code names one unit within its era


def test_counts_are_plausible_for_each_era(gazetteer: Gazetteer) -> None:
    counts = Counter((unit.era, unit.level) for unit in gazetteer.units)
    assert len(gazetteer.provinces("2008")) == counts["2008", "province"] == 63
    assert len(gazetteer.provinces("2025")) == counts["2025", "province"] == 34
    assert len(gazetteer.provinces()) == 63 + 34
    assert counts["2008", "district"] > 600
    assert counts["2025", "district"] == 0
    assert counts["2008", "commune"] > 9_000
    assert counts["2025", "commune"] > 3_000


def test_every_unit_below_a_province_has_its_parent_in_the_same_era(
    gazetteer: Gazetteer,
) -> None:
    codes = {(unit.era, unit.code): unit for unit in gazetteer.units}
    expected_parent_level = {
        ("2008", "district"): "province",
        ("2008", "commune"): "district",
        ("2025", "commune"): "province",
    }
    for unit in gazetteer.units:
        if unit.level == "province":
            assert unit.parent_code == ""
            continue
        parent = codes[unit.era, unit.parent_code]
        assert parent.level == expected_parent_level[unit.era, unit.level], unit


@pytest.mark.parametrize(
    "place",
    [
        "Khánh Sơn",
        "Hiệp Hòa",
        "Hiệp Hoà",
        "Tây Sơn",
        "Bắc Giang",
        "Hà Nội",
        "HÀ NỘI",
        "TP. Hồ Chí Minh",
        "Tp. Hồ Chí Minh",
        "Tp Hồ Chí Minh",
        "TP.Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "Khánh Hòa",
        "Khánh Hoà",
        "KHÁNH HOÀ",
        "Tỉnh Bắc Giang",
        "Quận 1",
        "Thuỷ Nguyên",
        "Ea H’Leo",
    ],
)
def test_known_places_are_found(gazetteer: Gazetteer, place: str) -> None:
    assert gazetteer.known_place(place)


@pytest.mark.parametrize(
    "place",
    ["Khánh Sớn", "Hiệp Hoà Bắc", "Hiệp Hòa Bắc", "Tây Sớn", "Ha Noi", "Bắc Giamg", "1", "TP.", ""],
)
def test_misspellings_and_fragments_are_not_places(gazetteer: Gazetteer, place: str) -> None:
    assert not gazetteer.known_place(place)


def test_find_matches_short_names_whatever_the_case_and_tone_placement(
    gazetteer: Gazetteer,
) -> None:
    khanh_son = gazetteer.find("khánh sơn")
    assert ("2008", "district", "Huyện Khánh Sơn") in {(u.era, u.level, u.name) for u in khanh_son}
    [district] = [u for u in khanh_son if u.level == "district"]
    [province] = [u for u in gazetteer.provinces("2008") if u.code == district.parent_code]
    assert province.name == "Tỉnh Khánh Hòa"
    assert gazetteer.find("Khánh Hoà") == gazetteer.find("KHÁNH HÒA") != []
    assert gazetteer.find("Khánh Sớn") == []
    assert {u.era for u in gazetteer.find("Hồ Chí Minh") if u.level == "province"} == {
        "2008",
        "2025",
    }


def test_children_are_per_era_because_province_codes_recur(gazetteer: Gazetteer) -> None:
    [bac_giang] = [u for u in gazetteer.provinces("2008") if u.short == "Bắc Giang"]
    districts = gazetteer.children(bac_giang.code, era="2008")
    assert "Huyện Hiệp Hòa" in {u.name for u in districts}
    assert {u.level for u in districts} == {"district"}
    communes_2025 = gazetteer.children(bac_giang.code, era="2025")  # Bắc Ninh's code since 2025
    assert communes_2025 and {u.level for u in communes_2025} == {"commune"}
    both = gazetteer.children(bac_giang.code)
    assert len(both) == len(districts) + len(communes_2025)


def test_a_unit_is_found_by_its_era_and_code(gazetteer: Gazetteer) -> None:
    """Province codes recur across eras: Đồng Tháp is 87 in 2008, 82 in 2025."""
    found = [gazetteer.unit("2008", "87"), gazetteer.unit("2025", "82")]
    assert [unit.short if unit else None for unit in found] == ["Đồng Tháp", "Đồng Tháp"]
    assert gazetteer.unit("2008", "no such code") is None


def test_a_malformed_file_is_refused(tmp_path: Path) -> None:
    header = "era\tlevel\tcode\tname\tshort\tparent_code\n"
    bad_level = tmp_path / "level.tsv"
    bad_level.write_text(header + "2008\tcounty\t01\tTỉnh X\tX\t\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="level"):
        load(bad_level)
    no_header = tmp_path / "header.tsv"
    no_header.write_text("2008\tprovince\t01\tTỉnh X\tX\t\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="first line"):
        load(no_header)
    with pytest.raises(GazetteerError):
        load(tmp_path / "missing.tsv")
