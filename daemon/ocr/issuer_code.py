"""The issuer's short form in the ký hiệu must agree with the issuer (ND30 Phụ lục I).

A ký hiệu names the type and then the issuing agency by the initials of its name, without
its locality: 68/QĐ-UBND for "ỦY BAN NHÂN DÂN HUYỆN HIỆP HÒA", 12/SNV-TCBC for "SỞ NỘI VỤ",
409/QĐ-BKHĐT for "BỘ KẾ HOẠCH VÀ ĐẦU TƯ", 4544/CT-VTLTNN for "CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ
NƯỚC" (the level word "Cục" left out). Codes that stand for a unit that drafted the document
(-TCKH, -VP) need not agree with anything, so disagreement alone proves nothing. But a code
one letter away from the issuer's own short form (UBN, VTLUTNN, BKHDT) is OCR damage with
exactly one correction, and is corrected.

A công văn's ký hiệu ends with the drafting unit instead of a type (393/STNMT-TTr), and the
"Nơi nhận" files its copy under the same unit ("Lưu: VT, TTr."): when the two disagree, one
of them was misread (`drafting_unit_disagrees`).
"""

from __future__ import annotations

import re

from daemon.ocr.fields_vocab import STROKE_SPECKS
from daemon.ocr.vntext import edit_distance, nfc, one_edit_apart, strip_aligned

# A locality begins at its level word; what follows it is not part of the short form. With
# its marks: "QUẢN LÝ" (to manage) is no "QUẬN", "ĐỊA PHƯƠNG" no "PHƯỜNG".
_LEVELS = ("TỈNH", "HUYỆN", "XÃ", "THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "QUẬN", "PHƯỜNG")
# The kind of agency, which a short form may leave out: VTLTNN for Cục Văn thư và Lưu trữ NN.
_KINDS = frozenset({"CUC", "TONG", "SO", "BO", "PHONG", "BAN", "TRUONG", "CHI", "VIEN"})
_JOINERS = frozenset({"VA", "CUA"})  # "Kế hoạch và Đầu tư": và has no letter in BKHĐT
_CODE = re.compile(r"[^\W\d_]+")
_MIN_CODE = 3  # a short form: two letters (VP, TH) name a unit, not the agency
_MIN_SLIP = 4  # a shorter code one letter off another is as likely another code


def short_forms(*agencies: str | None, shortest: int = _MIN_CODE) -> frozenset[str]:
    """The short forms the ký hiệu may give `agencies` (the issuer, its parent), of
    `shortest` letters or more."""
    forms: set[str] = set()
    for agency in agencies:
        if not agency:
            continue
        head = _before_locality(_words(agency))
        kinds = (head, head[1:]) if head and _fold(head[0]) in _KINDS else (head,)
        for part in kinds:
            code = "".join(_initial(w) for w in part if _fold(w) not in _JOINERS)
            if len(code) >= shortest:
                forms.add(code)
    return frozenset(forms)


def agreed(
    number: str, issuer: str | None, parent: str | None, *, exempt: frozenset[str] = frozenset()
) -> tuple[str, bool]:
    """`number` with an agency code one slip away from the issuer's short form corrected,
    and whether it was. A code that is a short form, or one of `exempt` (the types'
    abbreviations), or near none or several short forms, is left as read."""
    forms = short_forms(issuer, parent)
    if not forms or "/" not in number:
        return number, False
    head, _, tail = number.partition("/")
    bare = re.sub(r"['’_]", "", tail)  # a stroke of a letter read as ' or _
    pieces = re.split(r"([\-/])", bare)
    changed = bare != tail
    agency = next((i for i, p in enumerate(pieces) if p.isalpha() and p not in exempt), None)
    for i, piece in enumerate(pieces):
        unspecked = _SPECK_DIGIT.sub("", piece)  # "S5TNMT": a speck read as a digit
        if unspecked != piece and unspecked in forms:
            pieces[i], changed = unspecked, True
            continue
        if len(piece) < _MIN_CODE or not piece.isalpha() or piece in forms or piece in exempt:
            continue
        near = {form for form in forms if _one_slip(piece, form)}
        if not near and i == agency:
            near = _read_twice(piece, forms) or _hyphen_lost(piece, forms, alone=len(pieces) == 1)
        if len(near) == 1:
            pieces[i] = near.pop()
            changed = True
    return (f"{head}/{''.join(pieces)}", True) if changed else (number, False)


def code_cut_at_a_gap(number: str, rest: str, issuer: str | None, parent: str | None) -> str:
    """`number` with the word of capitals read after it (`rest`, what followed on its line)
    put back in its last code, where OCR cut that code at a gap it read inside ("1543/TB-ST
    TTI" for TB-STTTT, 7302 c0200): the code is a part of the issuer's short form, and with
    the word it is that form, or one slip of it (`agreed` then mends the slip). As read
    otherwise: a word beside the number is as often a mark stamped there ("KHẨN")."""
    word, code = rest.split(" ", 1)[0], _codes(number)[-1]
    forms = short_forms(issuer, parent)
    if not (word.isalpha() and word.isupper() and code.isalpha()) or code in forms:
        return number
    if not any(code in form and len(code) < len(form) for form in forms):
        return number
    joined, _ = agreed(number + word, issuer, parent)
    return joined if _codes(joined)[-1] in forms else number


# A digit between the capitals of a code ("S5TNMT"): a speck OCR read as one. A unit's
# number ends a code (the police's PC03), never stands inside it.
_SPECK_DIGIT = re.compile(r"(?<=[A-ZĐ])\d(?=[A-ZĐ])")


def _read_twice(read: str, forms: frozenset[str]) -> set[str]:
    """The agency codes `read` may be with a letter read twice ("HĐĐXD"): each a run of
    four letters or more inside a short form (Cục Quản lý hoạt động xây dựng signs HĐXD,
    its initials CQLHĐXD), where `read` as it stands is in none. A unit's code (PTNN) is
    not asked: it need agree with nothing."""
    if any(read in form for form in forms):
        return set()
    once = {read[:i] + read[i + 1 :] for i in range(len(read) - 1) if read[i] == read[i + 1]}
    return {code for code in once if len(code) >= _MIN_SLIP and any(code in f for f in forms)}


def _hyphen_lost(read: str, forms: frozenset[str], *, alone: bool) -> set[str]:
    """The agency's code and the drafting unit's with the hyphen between them lost
    ("421/KCBVP" for KCB-VP, Cục Quản lý Khám, chữa bệnh): the longest run of three letters
    or more of a short form that `read` starts with, two capitals or more after it, when
    `read` is the ký hiệu's only code."""
    if not alone or any(read in form for form in forms):
        return set()
    for cut in range(len(read) - 2, _MIN_CODE - 1, -1):
        head, unit = read[:cut], read[cut:]
        if any(head in form for form in forms) and unit.isupper():
            return {f"{head}-{unit}"}
    return set()


def _words(agency: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", nfc(agency).upper())  # words of letters: no speck


def _fold(word: str) -> str:
    return strip_aligned(word).upper()


def _before_locality(words: list[str]) -> list[str]:
    for i in range(1, len(words)):
        if [_fold(w) for w in words[i : i + 2]] == ["XA", "HOI"]:
            continue  # "THƯƠNG BINH VÀ XÃ HỘI": society, not a commune
        for level in _LEVELS:
            said = level.split()
            run = words[i : i + len(said)]
            if len(run) == len(said) and all(map(_says, run, said)):
                return words[:i]
    return words


def _says(word: str, level: str) -> bool:
    """Whether `word` is the level word `level`: with its marks, or read without any
    ("HUYEN")."""
    return word == level or (_fold(word) == word and word == _fold(level))


def _initial(word: str) -> str:
    """The letter a word gives a short form: its first (Đ kept, other marks dropped), or the
    whole word when it is itself an abbreviation (THCS, UBND)."""
    if len(word) > 1 and not any(c in "AEIOUY" for c in _fold(word)):
        return word
    first = word[0]
    return first if first == "Đ" else _fold(first)


def _one_slip(read: str, form: str) -> bool:
    """Whether `read` is `form` with one letter lost, added or changed, or Đ read as D."""
    if read.replace("Đ", "D") == form.replace("Đ", "D"):
        return True
    return len(form) >= _MIN_SLIP and one_edit_apart(read, form)


def drafting_unit_disagrees(
    number: str, recipients: list[str] | None, *, type_abbrs: frozenset[str]
) -> bool:
    """Whether a công văn's ký hiệu names a drafting unit (the code after the agency's, no
    type before it) that its "Lưu: VT, ..." line, naming units, does not."""
    codes = _codes(number)
    if len(codes) < 2 or codes[0] in type_abbrs:
        return False
    units = _filed_units(recipients) - {"VT"}
    return bool(units) and not any(_same_unit(codes[-1].strip(" ._"), unit) for unit in units)


def unit_filed_as(number: str, recipients: list[str] | None) -> str:
    """The ký hiệu with its last code as its "Lưu:" line names the unit, where a speck read
    as a stroke is all that parts them ("13/SXD-TTIr", Lưu: VT, TTr: 13/SXD-TTr); the ký
    hiệu as read otherwise. The caller keeps the number doubted."""
    code = _codes(number)[-1] if "-" in number else ""
    units = _filed_units(recipients) if code else set()
    for i, letter in enumerate(code):
        bare = code[:i] + code[i + 1 :]
        if letter in STROKE_SPECKS and len(bare) >= 2 and bare in units:
            return number[: len(number) - len(code)] + bare
    return number


def _filed_units(recipients: list[str] | None) -> set[str]:
    """The units' codes the "Lưu: VT, TTr (02b)." line names, each before the count of its
    copies; none without such a line."""
    filed = next((r for r in recipients or [] if _fold(r).startswith("LUU")), "")
    if ":" not in filed:
        return set()
    return {m[0] for u in re.split(r"[,;]", filed.split(":", 1)[1]) if (m := _CODE.search(u))}


def _same_unit(code: str, unit: str) -> bool:
    """Whether two readings of a unit's code may be one: alike, alike but for the small
    letters one of them lost ("TTr" read "TT"), one capital of a code units use read as
    another in Lưu's small print ("QLNS", "QUNS"), or a letter of it read twice in Lưu's
    ("NNN" for NN). "TTT" for TTr is none of these, nor "NG" for NC: a slip in the ký
    hiệu (the two read alike, or neither a code units use: either may have slipped)."""
    capitals = [re.sub(r"[^A-ZĐ]", "", c) for c in (code, unit)]
    slips = [a + b for a, b in zip(code, unit, strict=False) if a != b]
    changed = len(code) == len(unit) and len(slips) == 1 and slips[0].isupper()
    luu_slipped = code in _UNITS and unit not in _UNITS  # the slip is Lưu's, not the ký hiệu's
    doubled = any(
        unit[i] == unit[i + 1] and unit[:i] + unit[i + 1 :] == code for i in range(len(unit) - 1)
    )
    return code == unit or capitals[0] == capitals[1] or (changed and luu_slipped) or doubled


def agency_code_doubtful(
    number: str, issuer: str | None, parent: str | None, *, type_abbrs: frozenset[str]
) -> bool:
    """Whether the ký hiệu's agency code (after the type's, if any) is one letter off the
    issuer's two-letter short form ("VI" for VL, Cục Việc làm; "TIL" for TL, Cục Thủy lợi):
    too short a code to correct (`agreed` leaves it), but no reason to trust either."""
    codes = _after_type(number, type_abbrs)
    code = codes[0] if codes else ""
    forms = short_forms(issuer, parent, shortest=2)
    if len(code) not in (2, 3) or code in type_abbrs or code in forms:
        return False
    return any(len(form) == 2 and one_edit_apart(code, form) for form in forms)


def agency_code_garbled(
    number: str, issuer: str | None, parent: str | None, *, type_abbrs: frozenset[str]
) -> bool:
    """Whether the ký hiệu's agency code (after the type's, if any) is two letters or fewer
    off the issuer's short form of four letters or more, and neither it nor a part of it
    ("929/QĐ-UBI" for UBND, at 0.89 on a fresh seed's old copier): too far to correct,
    too near to be another agency's. A code that is part of a short form is the agency's
    own (Cục Quản lý Khám, chữa bệnh signs KCB)."""
    codes = _after_type(number, type_abbrs)
    code = codes[0] if codes else ""
    forms = short_forms(issuer, parent, shortest=_MIN_SLIP)
    if len(code) < 2 or not code.isalpha() or any(code in form for form in forms):
        return False
    return any(edit_distance(code, form, 2) <= 2 for form in forms)


# The units that draft most agencies' documents, by the codes ký hiệu and "Lưu:" give them:
# văn phòng, the phòng of a Sở or a UBND, the ban of a council.
_UNITS = frozenset({
    "VP", "TCKH", "KHTC", "TCCB", "TCBC", "TCHC", "HCTC", "HCTH", "HCQT", "NV", "TP", "TTr",
    "KT", "KTHT", "KTTH", "KHTH", "KTN", "KGVX", "VHXH", "VHTT", "TNMT", "GDĐT", "YT",
    "LĐTBXH", "QLĐT", "NNPTNT", "QLNS", "QLCS", "QLCL", "QLDA", "XDNĐ", "NVD", "PC", "TH",
    "NC", "HTQT", "QHQT", "KHĐT", "CCHC", "XDCB", "TĐKT", "BTXH", "ĐKKD", "QLGD", "KHCN",
    "TTTT", "KSTT", "PCTN", "QLĐĐ", "QLXD", "TCDN", "QLVB",
})  # fmt: skip


def speck_in_code(number: str) -> bool:
    """Whether a code of the ký hiệu has a digit between its capitals ("171/S5TNMT-NVD",
    at 0.68 on a fresh seed's old copier): no code is written so; `agreed` takes it out
    when the rest is the issuer's short form, and the number is doubted otherwise."""
    return any(_SPECK_DIGIT.search(code) for code in _codes(number))


def letter_alone_in_code(number: str) -> bool:
    """Whether a code of the ký hiệu is one letter ("1017/GM-S" for GM-STTTT at 0.93 on a
    fresh seed's office scan: Tesseract drops a letter repeated, and then its repeats), or
    one letter and digits ("TT-S1" for TT-BTC at 0.66 on fresh seed 4721's old copier): no
    agency or unit is coded by one letter, so the code's end was lost or misread."""
    codes = [code.strip(" ._") for code in _codes(number)]
    return any(len(code) == 1 or sum(c.isalpha() for c in code) == 1 for code in codes)


def type_alone_in_code(number: str, *, type_abbrs: frozenset[str]) -> bool:
    """Whether the ký hiệu is a type's abbreviation alone ("134/TB" for TB-UBND at 0.70 on
    fresh seed 1784's old copier): ND30 puts the issuer's code after the type's, so it was
    lost (the stamp, or a streak, over it)."""
    codes = [code.strip(" ._") for code in _codes(number)]
    return len(codes) == 1 and codes[0] in type_abbrs


def letter_repeated_in_code(number: str, recipients: list[str] | None) -> bool:
    """Whether a code of the ký hiệu is one letter three times or more, no unit's code that
    agencies use ("SGDĐT-TTT" at 0.68 on a fresh seed's office scan, for TTr: Tesseract
    drops and adds a letter repeated), and "Lưu:" does not name it so too (read alike
    twice, it is the unit's own; "TTTT" in Lưu's small print is a letter read twice)."""
    named = _filed_units(recipients)
    return any(
        len(code) >= 3
        and len(set(code)) == 1
        and code not in _UNITS
        and not any(_same_unit(code, unit) for unit in named)
        for code in (c.strip(" ._") for c in _codes(number))
    )


def unit_code_doubtful(number: str, *, type_abbrs: frozenset[str]) -> bool:
    """Whether the ký hiệu's last code, a drafting unit's (after the agency's), is one
    letter off a unit's code most agencies use and is none itself ("TCGKH" for TCKH, at
    0.74 on a training seed's old copier): doubted, not corrected, since an agency may
    have a unit of its own one letter from those (codes of four letters or more only)."""
    codes = _after_type(number, type_abbrs)  # 12/QĐ-UBND-TCKH: the agency's, the unit's
    if len(codes) < 2:
        return False
    unit = codes[-1]
    if len(unit) < _MIN_SLIP or unit in _UNITS or not unit.isalpha():
        return False
    return any(one_edit_apart(unit, known) for known in _UNITS)


def _codes(number: str) -> list[str]:
    """The codes of a ký hiệu after its number (and year: 15/2016/TT-BCT), in order."""
    return number.rsplit("/", 1)[-1].split("-")


def _after_type(number: str, type_abbrs: frozenset[str]) -> list[str]:
    """The codes of a ký hiệu after its type's, if it has one (the agency's, a unit's), as
    read less the specks at their ends."""
    codes = [code.strip(" ._") for code in _codes(number)]
    return codes[1:] if codes and codes[0] in type_abbrs else codes
