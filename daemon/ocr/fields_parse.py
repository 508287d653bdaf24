"""Parse one printed value: số và ký hiệu, a date with its place, an urgency or secrecy mark."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from daemon.ocr.doctypes import DocType, DocTypes
from daemon.ocr.fields_layout import NUMBER_LABEL_RE, NUMBER_RE, SPECK_LETTERS, strip_markup
from daemon.ocr.vntext import edit_distance, loose_key, squash, strip_aligned, tone_key

_DIGIT_LOOKALIKES = str.maketrans("OoIl|BS", "0011185")

# Agency codes with Đ that OCR often prints as D; restored only when a whole piece matches.
_D_CODES = (
    "HĐND",
    "HĐTP",
    "ĐHQG",
    "BGDĐT",
    "SGDĐT",
    "PGDĐT",
    "GDĐT",
    "LĐTBXH",
    "BLĐTBXH",
    "SLĐTBXH",
    "LĐLĐ",
    "TLĐ",
    "ĐKT",
    "NĐ",
)
_D_CODE_OF = {c.replace("Đ", "D"): c for c in _D_CODES}


def _undot(text: str) -> str:
    return text.replace("Đ", "D").replace("đ", "d")


@dataclass(frozen=True)
class Number:
    text: str  # as printed, spaces removed: 68/QĐ-UBND
    rest: str  # what followed it on the line (a mark stamped next to it, say)
    kind_abbr: str | None  # the first piece of the ký hiệu: QĐ in 68/QĐ-UBND, UBND in 245/UBND-VP
    corrected: bool = False  # restore_abbr changed letters of the ký hiệu (not just Đ for D)
    joined: bool = False  # digits a gap split were joined ("169 1/KH-SCT"): worth a look
    cut: bool = False  # read up to a dash ("10/BC-"): what followed it was lost
    guessed: bool = False  # a letter read for its first digit ("B79": 8, or 3?): a guess


_SLASHES = str.maketrans({"⁄": "/", "∕": "/"})  # fraction slash, division slash
_SPLIT_DIGITS = re.compile(r"\d+( )\d+\s*/")


def parse_number(text: str) -> Number | None:
    """The số và ký hiệu after a "Số:" label (the label itself optional), or None."""
    text = text.translate(_SLASHES)  # "558/2015⁄NQ-HĐND": a fraction slash is a slash
    label = NUMBER_LABEL_RE.match(text)
    start = label.end() if label else 0
    split = _SPLIT_DIGITS.match(text, start)
    if split:  # a gap read inside the number: "169 1/KH-SCT"
        text = text[: split.start(1)] + text[split.end(1) :]
    match = NUMBER_RE.match(text, start)
    if match is None:
        return None
    raw = re.sub(r"\s+", "", match.group(0))
    raw = re.sub(r"[–—]", "-", raw).rstrip(f".,;:´`'{SPECK_LETTERS}")  # "3279/TB-UBND.ˆ"
    # ".492/GM-UBND", "04/TTr-.MNHS": a speck before the number or a code; the first may
    # be a digit's remains, so the number is doubted as a corrected one
    bare = raw.lstrip(_SPECKS)
    speck_before = bare != raw and bare[:1].isdigit()
    raw = _SPECK_IN_CODE.sub("-", bare if speck_before else raw)
    parts = raw.split("/")
    guessed = False
    if parts[0] and not parts[0].isdigit() and any(c.isdigit() for c in parts[0]):
        # 1O5 -> 105, B79 -> 879 (a B or an S only as its first character: a number's own
        # letter comes last); keep a suffix letter (36a)
        head = re.match(r"[BS]?[0-9OoIl|]+", parts[0])
        if head:
            parts[0] = head.group(0).translate(_DIGIT_LOOKALIKES) + parts[0][head.end() :]
            guessed = head.group(0)[0] in "BS"
    number = "/".join(parts)
    # "45UBND-VP", "255/2015NQ-HĐND": OCR dropped the thin slash
    lost_slash = re.fullmatch(r"(\d+|\d+/(?:19|20)\d\d)([A-ZĐ][\w\-]*-[\w\-]+)", number)
    if lost_slash:
        number = f"{lost_slash.group(1)}/{lost_slash.group(2)}"
        parts = number.split("/")
    if not any(c.isalnum() for c in number):
        return None
    kind = next((p.split("-")[0] for p in parts[1:] if p[:1].isalpha()), None)
    cut = text[match.end() : match.end() + 1] in ("-", "–")  # "10/BC- ...", not "10/BC -"
    return Number(
        number,
        squash(text[match.end() :]),
        kind,
        corrected=speck_before,
        joined=split is not None,
        cut=cut,
        guessed=guessed,
    )


_SPECKS = ".,;:´`'-"
_SPECK_IN_CODE = re.compile(r"-[.,;:´`']+(?=[A-ZĐ])")


def restore_abbr(number: Number, types: DocTypes, doc_type: DocType | None) -> Number:
    """`number` with OCR slips in its ký hiệu undone: an Đ read as D (QD-UBND -> QĐ-UBND),
    or a stray letter in the type's abbreviation (CTIr-UBND -> CTr-UBND, when the title
    says Chương trình).

    The type abbreviation is restored from the document's own type when that is known,
    else when exactly one known abbreviation fits; agency codes from a short list (HĐND).
    """
    kind = number.kind_abbr
    fixed = _own_abbr(kind, doc_type) if kind is not None else None
    if kind is not None and fixed is None:
        bare = _undot(kind).casefold()
        fits = {t.abbr for t in types if t.abbr and _undot(t.abbr).casefold() == bare}
        fixed = fits.pop() if types.by_abbr(kind) is None and len(fits) == 1 else kind
    pieces = re.split(r"([/\-])", number.text)
    if kind is not None and fixed != kind:
        pieces[pieces.index(kind)] = fixed or kind
    # A công văn's ký hiệu starts with the agency's code, taken for a type's when no type
    # has it ("124/HĐĐND-VP"): it is mended as an agency code.
    read = pieces
    pieces = [_agency_code(p) if p != fixed or types.by_abbr(p) is None else p for p in pieces]
    letters_changed = kind is not None and _undot(fixed or "").casefold() != _undot(kind).casefold()
    letters_changed |= any(a != b and b == "TTr" for a, b in zip(read, pieces, strict=True))
    return replace(number, text="".join(pieces), kind_abbr=fixed, corrected=letters_changed)


def _agency_code(piece: str) -> str:
    """A known agency code OCR garbled: D for Đ (HDND), or a letter doubled (HĐĐND); or the
    inspectorate's TTr, the one unit's code with a small letter, a stroke of its T misread
    ("SNN-TIr")."""
    if piece in _D_CODE_OF:
        return _D_CODE_OF[piece]
    if piece != "TTr" and _one_stroke_off(piece, "TTr"):
        return "TTr"
    doubled = (i for i in range(1, len(piece)) if piece[i] == piece[i - 1])
    undoubled = {piece[:i] + piece[i + 1 :] for i in doubled}
    known = [_D_CODE_OF.get(u, u) for u in undoubled if _D_CODE_OF.get(u, u) in _D_CODES]
    return known[0] if len(known) == 1 else piece


def _own_abbr(kind: str, doc_type: DocType | None) -> str | None:
    """The document type's own abbreviation when `kind` is it, misread."""
    for abbr in doc_type.abbrs if doc_type else ():
        if _undot(abbr).casefold() == _undot(kind).casefold():
            return abbr
        if len(kind) == len(abbr) + 1 and len(abbr) >= 2 and _has_subsequence(kind, abbr):
            return abbr  # one character too many: a stroke read as I, l or |
        if _one_stroke_off(kind, abbr):
            return abbr  # TIr for TTr
        narrow, own = kind.translate(_NARROW), abbr.translate(_NARROW)
        if own != abbr and (
            narrow == own or _has_subsequence(narrow, own) and len(kind) == len(abbr) + 1
        ):
            return abbr  # TTT, TTTT for TTr: a narrow small letter read as a capital
    return None


_STROKES = frozenset("TIl1|!FJ")  # letters OCR swaps for one another in narrow capitals
_NARROW = str.maketrans({c: "|" for c in "TIl1|!FJrt"})  # ... and with narrow small ones


def _one_stroke_off(kind: str, abbr: str) -> bool:
    if len(kind) != len(abbr) or len(abbr) < 2:
        return False
    diffs = [(a, b) for a, b in zip(kind, abbr, strict=True) if a != b]
    return len(diffs) == 1 and diffs[0][0] in _STROKES and diffs[0][1] in _STROKES


def _has_subsequence(text: str, part: str) -> bool:
    chars = iter(text)
    return all(c in chars for c in part)


_DIGITS = r"[0-9oilb]"  # on the folded text: O, I, l and B read for 0, 1, 1 and 8
_GAP = r"[\s|\-_.,:]*"  # "tháng|02", "ngày-02": a speck between the words
# "tháng" with its vowel misread too ("thúng 8", 3359 c0158): the digits around it and
# "năm" and a year after it leave no doubt what it is
_DAY_MONTH_YEAR = (
    rf"(?P<d>{_DIGITS}{{1,2}}){_GAP}th[a-z]ng{_GAP}(?P<m>{_DIGITS}{{1,2}}){_GAP}"
    rf"nam{_GAP}(?P<y>{_DIGITS}{{4}})"
)
_DATE_WORDS = re.compile(rf"ngay{_GAP}{_DAY_MONTH_YEAR}")
# "Tuyên Quang, HH 23 tháng 6 năm 2016": "ngày" lost to a copier's noise, the rest whole
_DATE_UNNAMED = re.compile(rf"(?<![\w/]){_DAY_MONTH_YEAR}")
_DATE_LOOKALIKES = str.maketrans("oilb", "0118")
_DATE_NUMERIC = re.compile(
    r"(?<![\w/])(?:ngay\s*)?(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})(?![\w/])"
)


@dataclass(frozen=True)
class DateLine:
    date: dt.date | None  # None when printed but not a real, past date
    place: str | None
    lead: int  # words printed before the date: a header date line has only its place there
    guessed: bool = False  # a B read for a digit ("ngày 0B"): worth a look


def parse_date_line(text: str, today: dt.date) -> DateLine | None:
    """A "<Place>, ngày 04 tháng 11 năm 2016" line (also 04/11/2016, or with "ngày" lost:
    then `guessed`), else None.

    A date that does not exist or lies after `today` comes back as date None.
    """
    folded = strip_aligned(text)
    match = _DATE_WORDS.search(folded) or _DATE_NUMERIC.search(folded)
    unnamed = match is None and (match := _DATE_UNNAMED.search(folded)) is not None
    if match is None:
        return None
    digits = [match.group(k) for k in ("d", "m", "y")]
    d, m, y = (int(part.translate(_DATE_LOOKALIKES)) for part in digits)
    guessed = unnamed or any("b" in part for part in digits)  # B is 8, or 13 run together, or 3
    if 32 <= d <= 39:  # "ngày 37": no month has it; OCR read a serif 2 as 3 (all seven
        d, guessed = d - 10, True  # such days on the outside bench's thirteen seeds were 2x)
    try:
        date: dt.date | None = dt.date(y, m, d)
    except ValueError:
        date = None
    if date is not None and not dt.date(1945, 9, 2) <= date <= today:
        date = None
    before = text[: match.start()]
    if unnamed and "," in before:
        before = before.rsplit(",", 1)[0]  # the place ends at its comma; "ngày" came after
    lead = len(before.split())
    return DateLine(date, _place(before), lead, guessed)


def _place(before: str) -> str | None:
    """The địa danh printed before the date: "Khánh Sơn," -> "Khánh Sơn"."""
    place = strip_markup(before.replace("*", ""))
    words = place.split()
    if len(words) > 6:  # something else ran into the line: keep the capitalised tail
        tail: list[str] = []
        for word in reversed(words):
            if not word[:1].isupper():
                break
            tail.insert(0, word)
        words = tail
    place = " ".join(words)
    return place if any(c.isalpha() for c in place) else None


@dataclass(frozen=True)
class Mark:
    field: str  # "urgency" or "secrecy"
    value: str  # canonical: Khẩn, Thượng khẩn, Hỏa tốc; Mật, Tối mật, Tuyệt mật
    score: float  # 1.0 when read with its diacritics, lower when only the letters matched


_MARKS: dict[str, tuple[str, str]] = {
    "khẩn": ("urgency", "Khẩn"),
    "thượng khẩn": ("urgency", "Thượng khẩn"),
    "hỏa tốc": ("urgency", "Hỏa tốc"),
    "hỏa tốc hẹn giờ": ("urgency", "Hỏa tốc"),  # the pre-2020 fourth level
    "mật": ("secrecy", "Mật"),
    "tối mật": ("secrecy", "Tối mật"),
    "tuyệt mật": ("secrecy", "Tuyệt mật"),
}
_MARKS_LOOSE = {loose_key(k): v for k, v in _MARKS.items()}


def parse_mark(text: str) -> Mark | None:
    """A stamped độ khẩn / độ mật mark standing alone on its line ("| MẬT |", "HOẢ TỐC").
    Its box's side may be read as a letter glued to it ("LMẬT", "MẬTI"): the mark then
    stands as if only its letters matched, for the clerk to confirm."""
    inner = strip_markup(text)
    found = _mark(inner)
    if found is not None or not inner:
        return found
    unboxed = inner[1:] if inner[0] in _BOX_SIDE else inner
    unboxed = strip_markup(unboxed[:-1] if unboxed[-1:] in _BOX_SIDE else unboxed)
    found = _mark(unboxed) if unboxed != inner else None
    if found is None:
        return _near_mark(inner)
    return replace(found, score=min(found.score, _LOOSE))


def _mark(inner: str) -> Mark | None:
    found = _MARKS.get(tone_key(inner))
    if found is not None:
        return Mark(found[0], found[1], 1.0)
    loose = _MARKS_LOOSE.get(loose_key(inner))
    return Mark(loose[0], loose[1], _LOOSE) if loose is not None else None


def _near_mark(inner: str) -> Mark | None:
    """A mark in capitals one letter off as read ("MẠẬT": its box's ink blurred a letter
    twice, 4159 c0157 on a fresh seed's old copier, where no mark at 0.90 let a Mật
    document through): the mark, for the clerk to confirm. A secret one is set aside."""
    key = loose_key(inner)
    near = [
        mark
        for known, mark in _MARKS_LOOSE.items()
        if known.count(" ") == key.count(" ") and edit_distance(key, known, 1) <= 1
    ]
    if len(near) == 1 and inner.isupper() and not any(c.isdigit() for c in inner):
        return Mark(near[0][0], near[0][1], _NEAR)
    return None


_LOOSE = 0.7  # a mark read without its diacritics, or with its box's side glued on
_NEAR = 0.3  # ... or a letter off
_BOX_SIDE = "IlL1|[]J!ÌÍỈĨỊ"  # what a box's side next to a word reads as (a speck on it)
