"""Place names read by OCR, judged by the gazetteer (rules/gazetteer.tsv).

A misread mark turns a place into a name no unit bears ("Cấm Xuyên" for Cẩm Xuyên): the
syllable check passes it, the gazetteer does not. When exactly one unit is spelled with the
same letters, that is the place; otherwise the name is not trusted as read. An agency's name
carries its place after its type ("ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN") and is judged the same
way; a wing of the page read into it ("PHÒNG TƯ PHÁP - Số: 156/KH-TP") is not an agency's name.
"""

from __future__ import annotations

import functools
import re

from daemon.ocr import gazetteer
from daemon.ocr.fields_vocab import SURNAME_FORMS, UNIT_TYPES
from daemon.ocr.gazetteer import name_key
from daemon.ocr.names import checked_name
from daemon.ocr.vntext import loose_key, nfc, one_edit_apart

UNKNOWN_PLACE = 0.5  # confidence factor of a place no unit bears
NOT_A_NAME = 0.3  # ... of an agency's name holding a number or "Số:"

# The type of unit before the place in an agency's name, longest first.
_SOCIETY = r"(?!\s+hội\s*$)"  # "XÃ HỘI" is society: "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"
_UNIT_TYPE = re.compile(
    r"\b(" + "|".join(t + _SOCIETY if t == "xã" else t for t in UNIT_TYPES) + r")\s+",
    re.IGNORECASE,
)
# "ỦY BAN NHÂN DÂN" and "HỘI ĐỒNG NHÂN DÂN" are followed by their unit: "HUYỆN KIẾN XƯƠNG".
_COUNCIL = re.compile(r"(?:ủy ban|hội đồng) nhân dân\b", re.IGNORECASE)
_COUNCIL_SLIP = re.compile(r"(ủy ban|hội đồng) nhân (\w+)", re.IGNORECASE)
_TYPE_WORDS = ("TỈNH", "HUYỆN", "XÃ", "QUẬN", "PHƯỜNG")  # one-word types a slip can hit
# A school's level after "Trường", as a trích yếu writes it (an issuer's line in capitals).
SCHOOL_LEVELS = "(?:THCS|THPT|TH|MN|Tiểu học|Mầm non|Trung học cơ sở|Trung học phổ thông)"
# Schools are named after a person more often than not: "TRƯỜNG THCS NGUYỄN HUỆ".
_SCHOOL = re.compile(rf"(trường\s+{SCHOOL_LEVELS}\s+)(\D+)$", re.IGNORECASE)
# The levels of unit each type word names (a city is a province or a district).
_LEVELS = {
    "tỉnh": ("province",),
    "thành phố": ("province", "district"),
    "huyện": ("district",),
    "quận": ("district",),
    "thị xã": ("district",),
    "xã": ("commune",),
    "phường": ("commune",),
    "thị trấn": ("commune",),
}
_PARTY = re.compile(r"ủy\s+", re.IGNORECASE)  # the party's committee: HUYỆN ỦY, TỈNH ỦY
_NUMBERED = re.compile(r"\bsố\s*:|\d+\s*/", re.IGNORECASE)  # "Số:", "156/KH-TP"


def checked_place(name: str, unit_type: str = "") -> tuple[str, float]:
    """`name` (a place as written on the date line) put right when exactly one unit is
    spelled with its letters, and the factor its confidence is to be multiplied by. The
    `unit_type` written before it narrows the units: "huyện Lạng Giảng" is the district
    Lạng Giang, not the commune Làng Giàng; "huyện Tiên Hải", a commune's name, is the one
    district spelled with its letters, Tiền Hải."""
    places = gazetteer.shipped()
    levels = _LEVELS.get(unit_type.strip().casefold())
    if levels == ("province",):
        return _checked_province(places, name)
    candidates = places.spelled_like(name)
    placed = (
        [c for c in candidates if any(u.level in levels for u in places.find(c))] if levels else []
    )
    if places.known_place(name):
        # "huyện Tiên Hải": a commune's name, one mark off the district Tiền Hải
        if len(placed) == 1 and name_key(placed[0]) != name_key(name):
            return _cased(placed[0], name), 1.0
        if levels == ("commune",) and not _of_type(places.find(name), unit_type):
            return name, UNKNOWN_PLACE  # "thị trấn Tế Thắng": a xã's name, a speck read "TẾ"
        if _written_above(places.find(name), unit_type):
            # "thành phố Bảo Lạc": a huyện's name, a vowel off the city Bảo Lộc (0.94 on a
            # fresh seed's office scan): the one unit of the type written a letter off, if
            # one is. Doubted.
            typed = _one_off_of_type(name, unit_type)
            return (_cased(typed, name) if typed else name), UNKNOWN_PLACE
        return name, 1.0
    if levels and len(candidates) > 1:
        candidates = placed
    if levels == ("commune",):  # "THỊ TRẤN TE THẮNG": the xã Tế Thắng is none
        candidates = [c for c in candidates if _of_type(places.find(c), unit_type)]
    if len(candidates) == 1 and _written_above(places.find(candidates[0]), unit_type):
        typed = _one_off_of_type(name, unit_type)  # "thành phố Bảo Lậc": Bảo Lộc, not Bảo Lạc
        return _cased(typed or candidates[0], name), UNKNOWN_PLACE
    if len(candidates) == 1:
        return _cased(candidates[0], name), 1.0
    if not candidates and levels == ("district",):
        # "huyện Thụ Xuân": no place is spelled so, one district one letter off, its mark
        # and all (Thọ Xuân; Phú Xuân and Như Xuân are two off). Still doubted.
        near = _one_letter_off(name, _districts())
        if near is not None:
            return _cased(near, name), UNKNOWN_PLACE
    return name, UNKNOWN_PLACE


def _of_type(units: list[gazetteer.Unit], unit_type: str) -> bool:
    """Whether one of `units` is of the commune's type written ("thị trấn", "xã", "phường"):
    a speck can turn a town's name into a commune's of another type."""
    written = unit_type.strip().casefold()
    return any(u.name.casefold().startswith(written + " ") for u in units)


def _written_above(units: list[gazetteer.Unit], unit_type: str) -> bool:
    """Whether the type written before a place's name ranks above the type of each of its
    units of a district's level or a province's: "thành phố" before a huyện's name. A type
    ranking below is history (a huyện became a thị xã, then a city: "thị xã Cửa Lò" in a
    paper of 2005), and a name with no such unit says nothing."""
    written = _RANKS.get(unit_type.strip().casefold())
    ranks = [
        rank
        for u in units
        if u.level != "commune"
        for kind, rank in _RANKS.items()
        if u.name.casefold().startswith(kind + " ")
    ]
    return written is not None and bool(ranks) and written > max(ranks)


# A district's types, as they rise: a huyện becomes a thị xã or a quận, then a city.
_RANKS = {"huyện": 1, "thị xã": 2, "quận": 2, "thành phố": 3}


def _one_off_of_type(name: str, unit_type: str) -> str | None:
    """The one unit of a province's or district's level, of the type written, whose name is
    one letter off `name`, its mark and all; else None."""
    return _one_letter_off(name, _named_as(unit_type.strip().casefold()))


def _one_letter_off(name: str, names: frozenset[str]) -> str | None:
    """The one of `names` one letter off `name`, its mark and all; else None."""
    key = name_key(name)
    near = {other for other in names if one_edit_apart(key, name_key(other))}
    return near.pop() if len(near) == 1 else None


@functools.cache
def _named_as(unit_type: str) -> frozenset[str]:
    """The names of the provinces' and districts' units of a type ("thành phố"), both eras."""
    units = gazetteer.shipped().units
    return frozenset(u.short for u in units if u.level != "commune" and _of_type([u], unit_type))


@functools.cache
def _districts() -> frozenset[str]:
    """The districts' names, both eras: a place one letter off is looked for among them."""
    return frozenset(u.short for u in gazetteer.shipped().units if u.level == "district")


def _checked_province(places: gazetteer.Gazetteer, name: str) -> tuple[str, float]:
    """A place after "tỉnh": a province of either era, whose list is whole (districts and
    communes were renamed, merged and promoted: a name known at another level may be right).
    "tỉnh Hà Lĩnh", a commune's name, is Hà Tĩnh misread: the one province spelled with its
    letters, or else one letter off it (provinces are few and far apart)."""
    key = name_key(name)
    provinces = _provinces(places)
    if key in provinces:
        return name, 1.0
    letters = loose_key(key)
    candidates = {p for k, p in provinces.items() if loose_key(k) == letters}
    candidates = candidates or {p for k, p in provinces.items() if one_edit_apart(key, k)}
    if len(candidates) == 1:
        return _cased(candidates.pop(), name), 1.0
    return name, UNKNOWN_PLACE


@functools.cache
def _provinces(places: gazetteer.Gazetteer) -> dict[str, str]:
    """The provinces of both eras by the key names are compared in."""
    return {name_key(p.short): p.short for p in places.provinces()}


def checked_agency(name: str) -> tuple[str, float]:
    """An agency's name with its place judged as `checked_place` does, and the factor."""
    if _NUMBERED.search(name):
        return name, NOT_A_NAME
    bare = _UNIT_TYPE.match(name)
    if bare and not _PARTY.match(name, bare.end()):
        return name, UNKNOWN_PLACE  # "HUYỆN QUỲNH PHỤ": a place, its agency's words lost
    school = _SCHOOL.match(name)
    if school and not _UNIT_TYPE.search(school.group(2)):
        person, factor = _person(school.group(2))
        return school.group(1) + person, factor
    slipped = _COUNCIL_SLIP.match(name)
    if slipped and not _COUNCIL.match(name) and one_edit_apart(slipped[2].casefold(), "dân"):
        # "ỦY BAN NHÂN DÂM": the council's fixed words, one letter misread (8024 c0173, a
        # wrong issuer at 0.92): put right, and doubted (what spoiled it may spoil more)
        people = "DÂN" if slipped[2].isupper() else "dân"
        name = name[: slipped.start(2)] + people + name[slipped.end(2) :]
        mended, factor = checked_agency(name)
        return mended, min(factor, UNKNOWN_PLACE)
    council = _COUNCIL.match(name)
    if council:  # a people's committee or council is named by its unit: its type comes next
        name, whole = _with_unit_type(name, council.end())
        if not whole:
            return name, UNKNOWN_PLACE
    types = list(_UNIT_TYPE.finditer(name))
    if not types:
        return name, 1.0
    found = types[-1]  # the last type word: "SỞ Y TẾ TỈNH KHÁNH HÒA"
    committee = _PARTY.match(name, found.end())  # "HUYỆN ỦY QUỲNH PHỤ": the place follows
    at = committee.end() if committee else found.end()
    place = name[at:].strip()
    if not place or re.search(r"[,;(]", place):
        return name, 1.0  # "các xã, thị trấn": not one place
    if place.isdigit():  # "PHƯỜNG 5": numbered units keep their type in their name
        return name, 1.0 if gazetteer.shipped().known_place(
            name[found.start() :]
        ) else UNKNOWN_PLACE
    right, factor = checked_place(place, found.group(1) if not committee else "")
    return name[:at].rstrip() + " " + right, factor


def _with_unit_type(name: str, at: int) -> tuple[str, bool]:
    """`name` ("ỦY BAN NHÂN DÂN UYỆN KIẾN XƯƠNG") with the unit type after the council's
    words put right when one type is one letter away, and whether a type and a place follow
    (a name that stops at "ỦY BAN NHÂN DÂN" lost its second line)."""
    rest = name[at:].split()
    if len(rest) < 2:
        return name, False
    if _UNIT_TYPE.match(" ".join(rest) + " "):
        return name, True

    def typed(fixed: str) -> str:  # the type as the word it stands for was cased
        fixed = fixed.upper() if rest[0].isupper() else fixed.lower()
        return f"{name[:at].rstrip()} {fixed} {' '.join(rest[1:])}"

    near = [t for t in _TYPE_WORDS if one_edit_apart(rest[0].upper(), t)]
    if len(near) == 1:
        return typed(near[0]), True
    # Its start lost ("HỘI ĐỒNG NHÂN DÂN NH TUYÊN QUANG", 4721 c0163): the one type of the
    # units so named that ends with what is left; doubted, as a name that lost a word
    ending = loose_key(rest[0])
    if len(ending) <= 2 and ending.isalpha():
        types = {u.type_word for u in gazetteer.shipped().find(" ".join(rest[1:]))}
        ends = {t for t in types if t and loose_key(t).endswith(ending)}
        if len(ends) == 1:
            return typed(ends.pop()), False
    return name, False


def _person(name: str) -> tuple[str, float]:
    """A school's name as a person's, and the factor its confidence is multiplied by: the
    namesake most schools bear spelled right when the name has its letters ("KIM ĐÔNG",
    a commune, for KIM ĐỒNG; "TRẦN QUỐC TOÁN" for TOẢN), doubted; else a surname read with
    a wrong mark put right ("NGUYÊN HUỆ" -> NGUYỄN HUỆ), and the name doubted where a
    signer's would be, but not mended: heroes' names are not common names ("LÊ THÁNH
    TÔNG"). A name that is a place (the commune the school serves) is left as it is."""
    hero = namesake(name)
    if hero is not None:
        return (hero.upper() if name.isupper() else hero), namesake_factor(hero, name)
    first, _, rest = name.partition(" ")
    form = SURNAME_FORMS.get(loose_key(first))
    if form is None or not rest or gazetteer.shipped().known_place(name):
        return name, 1.0
    _, factor = checked_name(name)
    return f"{form.upper() if first.isupper() else form} {rest}", factor


# People many schools are named after (national heroes, scholars and kings; written down
# by hand from common knowledge, not taken from an official list): a school's name with
# their letters is theirs, though a misread mark makes it a commune's ("Kim Đông") or
# another person's.
_NAMESAKES = """
Bế Văn Đàn; Chu Văn An; Đinh Tiên Hoàng; Hai Bà Trưng; Hà Huy Tập; Hoàng Hoa Thám;
Hoàng Văn Thụ; Hùng Vương; Huỳnh Thúc Kháng; Kim Đồng; Lê Hồng Phong; Lê Lợi; Lê Quý Đôn;
Lê Thánh Tông; Lê Văn Tám; Lương Thế Vinh; Lý Thường Kiệt; Lý Tự Trọng; Mạc Đĩnh Chi;
Ngô Gia Tự; Ngô Quyền; Nguyễn Bỉnh Khiêm; Nguyễn Đình Chiểu; Nguyễn Du; Nguyễn Hiền;
Nguyễn Huệ; Nguyễn Khuyến; Nguyễn Tất Thành; Nguyễn Thái Học; Nguyễn Thị Minh Khai;
Nguyễn Trãi; Nguyễn Văn Cừ; Nguyễn Văn Trỗi; Nguyễn Viết Xuân; Phan Bội Châu;
Phan Chu Trinh; Phan Đình Phùng; Quang Trung; Tô Vĩnh Diện; Trần Hưng Đạo; Trần Phú;
Trần Quốc Toản; Trần Quốc Tuấn; Trần Văn Ơn; Trương Định; Võ Thị Sáu; Võ Trường Toản
"""
_NAMESAKE_BY_KEY = {loose_key(n): nfc(n.strip()) for n in _NAMESAKES.split(";")}


def namesake(name: str) -> str | None:
    """The person a school is named after, as spelled, when `name` has their letters."""
    return _NAMESAKE_BY_KEY.get(loose_key(name))


def namesake_factor(hero: str, name: str) -> float:
    """How far a school's name read as `name` is to be trusted as `hero`'s: fully when they
    differ in the surname's marks at most (one surname has those letters: "NGUYÊN HUỆ"),
    else doubted ("KIM ĐÔNG" is a commune's name as well)."""
    read = nfc(name).casefold().split()
    return 1.0 if read[1:] == hero.casefold().split()[1:] else UNKNOWN_PLACE


def agency_places(name: str) -> set[str]:
    """The places an agency's name names after a unit's type, as the gazetteer writes them
    ("ỦY BAN NHÂN DÂN HUYỆN TIỀN HẢI": Tiền Hải; "SỞ Y TẾ TỈNH KHÁNH HÒA": Khánh Hòa)."""
    places = gazetteer.shipped()
    found: set[str] = set()
    for match in _UNIT_TYPE.finditer(name):
        if _PARTY.match(name, match.end()):
            continue  # "HUYỆN ỦY QUỲNH PHỤ": the party's committee; its place is left out
        rest = _UNIT_TYPE.split(name[match.end() :], maxsplit=1)[0].strip()
        found.update(u.short for u in places.find(rest))
    return found


def place_of_agency(place: str, agencies: tuple[str | None, ...]) -> str:
    """The date line's place, read by OCR, as the place one of `agencies` names where the
    two are the same letters or one letter apart, marks aside, and no other named place is:
    an agency dates its papers where it sits ("Tiền Hỏi", put right to the commune Tiên Hội,
    under ỦY BAN NHÂN DÂN HUYỆN TIỀN HẢI: Tiền Hải, 0.96 on a fresh seed's old copier)."""
    key = loose_key(place)
    named = {p for agency in agencies if agency for p in agency_places(agency)}
    near = {p for p in named if p != place and _letter_apart(key, loose_key(p))}
    return near.pop() if len(near) == 1 else place


def _letter_apart(a: str, b: str) -> bool:
    return a == b or one_edit_apart(a, b)


def _cased(name: str, like: str) -> str:
    return name.upper() if like.isupper() else name


def completed_place(unit_type: str, start: str, near: str | None) -> str | None:
    """The place a trích yếu ends on when the stamp cut its name short ("huyện Tháp": Tháp
    Mười; "tỉnh Đồng": Đồng Tháp): the one unit of the type written whose name starts with
    the words read, in the province the date line's place `near` is or lies in (an agency
    writes of its own province; without `near`, anywhere). None when `start` is a unit's
    whole name, or no unit or several are so named."""
    places = gazetteer.shipped()
    levels = _LEVELS.get(unit_type.strip().casefold())
    if levels is None or any(u.level in levels for u in places.find(start)):
        return None
    head = name_key(start) + " "
    provinces = {_province_of(places, u) for u in places.find(near)} if near else set()
    found = {
        u.short
        for u in places.units
        if u.level in levels
        and name_key(u.short).startswith(head)
        and (not provinces or _province_of(places, u) in provinces)
    }
    return _cased(found.pop(), start) if len(found) == 1 else None


def _province_of(places: gazetteer.Gazetteer, unit: gazetteer.Unit) -> tuple[str, str]:
    """The (era, code) of the province `unit` is or lies in."""
    while unit.parent_code:
        parent = places.unit(unit.era, unit.parent_code)
        if parent is None:
            break
        unit = parent
    return unit.era, unit.code
