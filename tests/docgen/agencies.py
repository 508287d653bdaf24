"""Issuing agencies: who they are, how their name is printed, who signs for them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tests.docgen import vocab

# District-level governments were abolished on 1 July 2025 (and communes merged): documents
# from them are dated before that.
LAST_DISTRICT_DAY = dt.date(2025, 6, 30)


@dataclass(frozen=True)
class Agency:
    kind: str  # ubnd, hdnd, department, office, ministry, school (keys of TYPES_BY_KIND)
    level: str  # central, province, district, commune
    name: str  # in running text: "Ủy ban nhân dân huyện Khánh Sơn"
    short: str  # in running text, abbreviated: "UBND huyện Khánh Sơn"
    issuer_lines: tuple[str, ...]  # as printed, capitals
    parent_lines: tuple[str, ...]
    code: str  # ký hiệu of the agency: UBND, STC, BTC
    units: tuple[str, ...]  # drafting units, for công văn numbers and "Lưu: VT, X"
    place: str  # địa danh
    province: str
    locality: str  # "huyện Khánh Sơn", "tỉnh Khánh Hòa", "cả nước"
    head: str  # CHỦ TỊCH, GIÁM ĐỐC...
    deputy: str
    collective: str | None  # "ỦY BAN NHÂN DÂN": signs "TM." for the body
    superior: str  # who it reports to, in running text
    superior_code: str  # the superior's ký hiệu, for documents this one cites

    @property
    def chief(self) -> str:
        """The head's title in running text: "Chủ tịch UBND huyện X", "Giám đốc Sở Y tế"."""
        if self.short.startswith("Phòng "):
            return f"Trưởng phòng {self.short.removeprefix('Phòng ')}"
        return f"{self.head.capitalize()} {self.short}"

    @property
    def latest(self) -> dt.date | None:
        """The last day this agency existed, when that is before today."""
        return LAST_DISTRICT_DAY if self.level in ("district", "commune") else None


def split_name(caps: str, max_chars: int = 24) -> tuple[str, ...]:
    """Break a long agency name over two lines at the most balanced word boundary.

    Like a clerk would: never leave a dash or comma to start a line, and prefer to start the
    second line with "VÀ".
    """
    if len(caps) <= max_chars:
        return (caps,)
    words = caps.split()
    best: tuple[float, tuple[str, str]] | None = None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        cost = float(max(len(first), len(second)))
        if words[i] in ("-", ",") or first.endswith("-"):
            cost += 100
        if words[i] == "VÀ":
            cost -= 4
        if best is None or cost < best[0]:
            best = (cost, (first, second))
    assert best is not None
    return best[1]


def random_agency(rng: random.Random) -> Agency:
    builders = (
        (_ubnd_district, 24),
        (_ubnd_province, 14),
        (_ubnd_commune, 9),
        (_department, 20),
        (_office, 10),
        (_ministry, 8),
        (_ministry_dept, 5),
        (_hdnd, 5),
        (_school, 5),
    )
    build = rng.choices([b for b, _ in builders], [w for _, w in builders])[0]
    return build(rng)


def _province(rng: random.Random) -> str:
    return rng.choice(sorted(vocab.PROVINCES))


def _district(rng: random.Random) -> tuple[str, str, str]:
    province = _province(rng)
    kind, name = rng.choice(vocab.PROVINCES[province])
    return province, kind, name


def _ubnd(
    level: str,
    locality: str,
    *,
    place: str,
    province: str,
    units: tuple[str, ...],
    superior: tuple[str, str],
    parent: tuple[str, ...] = (),
) -> Agency:
    """An Ủy ban nhân dân of `locality` ("huyện Khánh Sơn"); `superior` is who it reports
    to in running text, with that one's ký hiệu."""
    return Agency(
        "ubnd",
        level,
        f"Ủy ban nhân dân {locality}",
        f"UBND {locality}",
        ("ỦY BAN NHÂN DÂN", locality.upper()),
        parent,
        "UBND",
        units,
        place,
        province,
        locality,
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "ỦY BAN NHÂN DÂN",
        *superior,
    )


def _ubnd_district(rng: random.Random) -> Agency:
    province, kind, name = _district(rng)
    return _ubnd(
        "district",
        f"{kind} {name}",
        place=name,
        province=province,
        units=vocab.UNITS_DISTRICT,
        superior=(f"UBND tỉnh {province}", "UBND"),
    )


def _ubnd_province(rng: random.Random) -> Agency:
    province = _province(rng)
    return _ubnd(
        "province",
        f"tỉnh {province}",
        place=province,
        province=province,
        units=vocab.UNITS_PROVINCE,
        superior=("Thủ tướng Chính phủ", "TTg"),
    )


def _ubnd_commune(rng: random.Random) -> Agency:
    province, dkind, dname = _district(rng)
    # a huyện has xã and thị trấn; a thị xã or thành phố has phường and xã
    kinds = ("xã", "thị trấn") if dkind == "huyện" else ("phường", "xã")
    kind, name = rng.choice([c for c in vocab.COMMUNES if c[0] in kinds])
    parent = (f"UBND {dkind} {dname}".upper(),) if rng.random() < 0.3 else ()
    return _ubnd(
        "commune",
        f"{kind} {name}",
        place=name,
        province=province,
        units=("VP",),
        superior=(f"UBND {dkind} {dname}", "UBND"),
        parent=parent,
    )


def _hdnd(rng: random.Random) -> Agency:
    province = _province(rng)
    return Agency(
        "hdnd",
        "province",
        f"Hội đồng nhân dân tỉnh {province}",
        f"HĐND tỉnh {province}",
        ("HỘI ĐỒNG NHÂN DÂN", f"TỈNH {province.upper()}"),
        (),
        "HĐND",
        ("VP",),
        province,
        province,
        f"tỉnh {province}",
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "HỘI ĐỒNG NHÂN DÂN",
        "Ủy ban Thường vụ Quốc hội",
        "UBTVQH15",
    )


def _department(rng: random.Random) -> Agency:
    province = _province(rng)
    name, code = rng.choice(vocab.DEPARTMENTS)
    parent = (
        (f"UBND TỈNH {province.upper()}",)
        if rng.random() < 0.6
        else ("ỦY BAN NHÂN DÂN", f"TỈNH {province.upper()}")
    )
    return Agency(
        "department",
        "province",
        name,
        name,
        split_name(name.upper()),
        parent,
        code,
        vocab.UNITS_DEPARTMENT,
        province,
        province,
        f"tỉnh {province}",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        None,
        f"UBND tỉnh {province}",
        "UBND",
    )


def _office(rng: random.Random) -> Agency:
    province, kind, dname = _district(rng)
    name, code = rng.choice(vocab.DISTRICT_OFFICES)
    return Agency(
        "office",
        "district",
        name,
        name,
        split_name(name.upper()),
        (f"UBND {kind} {dname}".upper(),),
        code,
        ("VP", code),
        dname,
        province,
        f"{kind} {dname}",
        "TRƯỞNG PHÒNG",
        "PHÓ TRƯỞNG PHÒNG",
        None,
        f"UBND {kind} {dname}",
        "UBND",
    )


def _ministry(rng: random.Random) -> Agency:
    name, code, _, _ = rng.choice(vocab.MINISTRIES)
    return Agency(
        "ministry",
        "central",
        name,
        name,
        split_name(name.upper()),
        (),
        code,
        vocab.UNITS_MINISTRY,
        "Hà Nội",
        "Hà Nội",
        "cả nước",
        "BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        None,
        "Thủ tướng Chính phủ",
        "TTg",
    )


def _ministry_dept(rng: random.Random) -> Agency:
    ministry, ministry_code, name, code = rng.choice(vocab.MINISTRIES)
    return Agency(
        "ministry",
        "central",
        name,
        name,
        split_name(name.upper()),
        split_name(ministry.upper(), 26),
        code,
        ("VP", "KHTC"),
        "Hà Nội",
        "Hà Nội",
        "cả nước",
        "CỤC TRƯỞNG",
        "PHÓ CỤC TRƯỞNG",
        None,
        f"Lãnh đạo {ministry}",
        ministry_code,
    )


def _school(rng: random.Random) -> Agency:
    province, kind, dname = _district(rng)
    name, code = rng.choice(vocab.SCHOOLS)
    return Agency(
        "school",
        "district",
        name,
        name,
        split_name(name.upper()),
        (f"UBND {kind} {dname}".upper(),),
        code,
        ("VP",),
        dname,
        province,
        f"{kind} {dname}",
        "HIỆU TRƯỞNG",
        "PHÓ HIỆU TRƯỞNG",
        None,
        f"Phòng Giáo dục và Đào tạo {kind} {dname}",
        "PGDĐT",
    )


def signature_lines(agency: Agency, doc_type: str, rng: random.Random) -> tuple[str, ...]:
    """Thẩm quyền ký (ND30 Điều 13): TM. for collective bodies, KT. for deputies, TL. ..."""
    head, deputy = agency.head, agency.deputy
    options: list[tuple[str, ...]] = [(head,), (f"KT. {head}", deputy)]
    if agency.collective:
        options = [
            (f"TM. {agency.collective}", head),
            (f"TM. {agency.collective}", f"KT. {head}", deputy),
        ]
        if doc_type in ("Công văn", "Giấy mời", "Thông báo") and agency.kind == "ubnd":
            options += [(f"KT. {head}", deputy), (f"TL. {head}", "CHÁNH VĂN PHÒNG")]
    elif doc_type in ("Công văn", "Giấy mời") and agency.kind in ("department", "ministry"):
        options.append((f"TL. {head}", "CHÁNH VĂN PHÒNG"))
    return rng.choice(options)
