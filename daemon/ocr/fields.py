"""Register fields from a Reading: the entry point of field extraction.

`extract_fields` reads an ND30 document (Nghị định 30/2020/NĐ-CP, Phụ lục I) the way a
clerk does: số và ký hiệu, date and place from the header, the type from its title (or
"V/v" for a công văn), the trích yếu under it, the agencies top left, the marks under the
number, "Nơi nhận:" and the signer at the end of the body. Number and date come only from
the header, never from "Căn cứ ... số 12/2020/NĐ-CP ngày ..." lines in the body.

Each field gets a confidence in 0..1: the OCR confidence of the lines it came from, scaled
by how well it checks out (the ký hiệu's abbreviation agrees with the type, the date is a
real past date, the issuer reads like an agency name...). A field not found is None with
confidence 0 for the key fields; for the marks, "no mark" is itself a finding.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from itertools import pairwise, zip_longest
from statistics import fmean
from typing import Any

from daemon.ocr import gazetteer
from daemon.ocr.doctypes import DocType, DocTypes
from daemon.ocr.fields_addressees import read_addressees
from daemon.ocr.fields_checks import (
    SPELLING_PENALTY,
    SUBJECT_MARKS,
    capitalised,
    capitals_misread,
    doubted_comma_splits_a_pair,
    doubted_word_alone,
    doubted_words,
    doubted_year_as_issued,
    judge_places,
    looks_whole,
    mended_years,
    slip_beside_number,
    spelling,
    trim_edges,
    undo_slips,
    ve_viec_as_written,
    with_abbreviations_mended,
    with_first_word_whole,
    with_head_under_stamp,
    with_lost_head,
    with_place_completed,
    with_type_name_capitalised,
    with_words_under_specks,
    without_specks,
    without_specks_in_compounds,
    without_stamp_opening,
    without_stamp_tail,
)
from daemon.ocr.fields_closing import Closing, find_closing
from daemon.ocr.fields_header import (
    UNREAD,
    Header,
    chars_lost_before,
    chars_lost_between,
    find_header,
    split_agency,
    subject_lines,
    subject_may_go_on,
)
from daemon.ocr.fields_layout import SPECK_LETTERS, Layout, WLine, mean_conf, prepare
from daemon.ocr.fields_lexicon import (
    agency_by_letters,
    breaks_phrase,
    compound_ended,
    correct_diacritics,
    ends_cut_short,
    first_half_lost,
    known_agency,
    known_pair,
    number_lost,
    starts_mid_compound,
    with_list_commas,
    with_lost_agency_word,
    without_speck_dash,
    without_speck_inside,
    word_lost_between,
    words_lost_after,
    written_pair,
    year_unannounced,
)
from daemon.ocr.fields_parse import Number, parse_date_line, parse_number, restore_abbr
from daemon.ocr.fields_vocab import SURNAME_FORMS, SURNAMES, agency_like
from daemon.ocr.issuer_code import (
    agency_code_doubtful,
    agency_code_garbled,
    agreed,
    code_cut_at_a_gap,
    drafting_unit_disagrees,
    letter_alone_in_code,
    letter_repeated_in_code,
    speck_in_code,
    type_alone_in_code,
    unit_code_doubtful,
    unit_filed_as,
)
from daemon.ocr.model import FIELD_NAMES, Fields, Reading
from daemon.ocr.names import UNKNOWN_SURNAME, checked_name, is_middle_name
from daemon.ocr.places import SCHOOL_LEVELS, checked_agency, checked_place, place_of_agency
from daemon.ocr.syllables import foreign_or_invalid, is_syllable
from daemon.ocr.vntext import (
    has_digit,
    holds_print,
    is_upper_text,
    loose_key,
    one_edit_apart,
    squash,
    tone_of,
)

__all__ = ["extract_fields"]

_VV = re.compile(
    r"^[\W_]*(?:[VYW]\s*[/⁄¡|!]\s*(?:[VYWU2]|[A-Z](?=[\s:.]))?|V7?[VW]W?(?=\s)|V(?=\s+[a-zà-ỹđ]))"
    r"\s*[:.]?\s*",
    re.IGNORECASE,
)  # "V/v", and as OCR reads it (see fields_header._VV_KEY)
_ODD_IN_NUMBER = re.compile(r"[^0-9A-Za-zĐđ/\-&.]")
_I_BEFORE_SMALL = re.compile(r"I[a-zđ]")
# 68, 36a; "B71" is a slip, and so is a capital after the digits ("23L" for 231, 3190 c0164:
# registered at 0.80): a number's letter is a small one
_NUMBER_HEAD = re.compile(r"\d+[a-zđ]?(?:\.\d+)?")
_FEWEST_NAMES = 3  # words in a signer's name read by OCR, at least, to be trusted as whole
_NOT_VIETNAMESE = re.compile(r"[FJWZfjwz]")  # no agency's name holds them ("JY BAN NHÂN DÂN")
_JOINING_MARKS = frozenset({"-", "–", "&"})  # "SỞ VĂN HÓA - THỂ THAO" keeps its dash
# ... but no dash comes before "và" or a unit of the country's divisions
_NO_DASH_BEFORE = frozenset({"và", "tỉnh", "huyện", "quận", "thị", "thành", "xã", "phường"})
_EDGE_JUNK = re.compile(rf"^[\W_{SPECK_LETTERS}]+|(?<=\w)[\s\W_{SPECK_LETTERS}]+$")
_REFERENCE = re.compile(r"ban hanh kem theo\s+(.+?)\s+so\s*:?\s*(?=\S)")
_NEAR_SURNAME = 0.75  # similarity (difflib ratio) of a misread surname to the real one
_CORRECTED_NUMBER = 0.85  # as sure as a ký hiệu whose type abbreviation was restored
_SPOILED_NUMBER = 0.5  # ... unless OCR read its number less surely than this
# An issuer read less surely ("SỞ CÔNG THƯƠNG Sa": the stamp's top) corrects no ký hiệu to its
# initials (521/QĐ-SCT to SCTS); it goes to the clerk anyway.
_SURE_ISSUER = 0.8
# A word with a digit (or a numeral) OCR is less sure of: the number may be another ("II" at
# 0.77 where III was printed, 6315 c0153). Raised from 0.7: of 37 seeds' 7,400 scans, 27
# right documents more go to the clerk (a seed's zero-touch 0.7-1.3 points, 2 on old copies).
_UNSURE_NUMBER = 0.8
_HIDDEN_DIGIT = 0.5  # ... and one read this unsurely caps the date's confidence
_SURE_READ = 0.85  # ... unless it is the year of issue, on a line read surely otherwise
_NUMBERS = re.compile(r"\d+|\b[IVX]{1,4}\b")
_CODE_DISAGREES = 0.5  # a code of the ký hiệu disagrees with "Lưu:" or the issuer
# A "Về việc" taken for a công văn's V/v on a page with a type's title ("TỜ TRÌNH"): the
# title's own trích yếu, read out of its place (the stamp joined it to the line above).
_VV_BESIDE_TITLE = 0.3
_GOES_ON = 0.3  # a trích yếu that may go on under the stamp is the clerk's to finish
_ONE_LINE_SLACK = 0.3  # a subject is no surer than its least sure line, give or take
_GUESSED_DIGIT = 0.5  # a date with a letter read for one of its digits is the clerk's to check
_TYPE_AGREED = 0.9  # a type read in the title that the ký hiệu's abbreviation confirms


def extract_fields(reading: Reading, types: DocTypes, *, today: dt.date | None = None) -> Fields:
    """The register fields of `reading`, each with a confidence.

    `today` bounds the document date (a date after it is a misreading); default: today.
    """
    today = today or dt.date.today()
    layout = prepare(reading)
    head = find_header(layout, types, today)
    subject, body_start = subject_lines(layout, head)
    closing = find_closing(layout, body_start)

    values: dict[str, Any] = {}
    conf: dict[str, float] = {}
    doc_type = _doc_type(head, types, values, conf)
    named = " ".join(ln.text for ln in subject)  # the years it names vouch for the date's
    _number_date(layout, head, types, doc_type, today, values, conf, named)
    lost = chars_lost_before(layout, head, subject)
    _subject(head, subject, values, conf, lost, chars_lost_between(layout, head, subject))
    if subject_may_go_on(layout, subject, body_start):
        conf["subject"] = min(conf["subject"], _GOES_ON)
    _agencies(head, values, conf)
    if values["place"] and conf["place"] < 1.0:  # read by OCR: the issuer's place vouches
        values["place"] = place_of_agency(
            values["place"], (values["issuer"], values["parent_issuer"])
        )
    if values["number"] and conf["number"] < 1.0 and conf["issuer"] >= _SURE_ISSUER:
        rest = head.number.rest if head.number else ""
        _number_agrees(values, conf, types, rest)  # read by OCR: the issuer's code checks it
    _marks(head, values, conf, whole_text=reading.text_source == "text-layer")
    _closing(closing, values, conf)
    if values["number"] and conf["number"] < 1.0 and _ky_hieu_disagrees(values, types):
        conf["number"] = min(conf["number"], _CODE_DISAGREES)
        values["number"] = unit_filed_as(values["number"], values["recipients"])
    values["addressees"], conf["addressees"] = read_addressees(
        layout, body_start, doc_type, values["recipients"]
    )
    scores = {name: round(min(max(conf.get(name, 0.0), 0.0), 1.0), 3) for name in FIELD_NAMES}
    return Fields(**values, confidence=scores)


def _doc_type(
    head: Header, types: DocTypes, values: dict[str, Any], conf: dict[str, float]
) -> DocType | None:
    """The type from the title, else "Công văn" for a V/v, else from the ký hiệu."""
    found: DocType | None = None
    score, read_apart = 0.0, True  # read_apart: not from the ký hiệu itself
    if head.title_match is not None and head.title is not None:
        found = head.title_match.type
        score = head.title_match.score * (head.title_line.conf if head.title_line else 1.0)
    elif head.vv_lines and (cong_van := types.by_name("Công văn")) is not None:
        found, score = cong_van, 0.9 * mean_conf(head.vv_lines)
    elif head.number is not None and head.number.kind_abbr:
        found, read_apart = types.by_abbr(head.number.kind_abbr), False
        score = 0.5 * mean_conf(head.number_lines) if found else 0.0
    if found is not None and head.number is not None and head.number.kind_abbr in found.abbrs:
        # The ký hiệu agrees: two readings apart name one type ("GIẤYMỜI" read unsurely,
        # "302/GM-SVHTTDL"), which no slip of either would make.
        score = max(min(1.0, score + 0.1), _TYPE_AGREED if read_apart else 0.0)
    values["doc_type"] = found.name if found else None
    conf["doc_type"] = score
    return found


def _number_date(
    layout: Layout,
    head: Header,
    types: DocTypes,
    doc_type: DocType | None,
    today: dt.date,
    values: dict[str, Any],
    conf: dict[str, float],
    named: str = "",
) -> None:
    number, date, place = head.number, head.date.date if head.date else None, None
    n_conf = sum(map(_label_spared, head.number_lines)) / max(len(head.number_lines), 1)
    d_conf = (
        min(head.date_line.conf, _digits_conf(head.date_line, named))
        if head.date_line and date
        else 0.0
    )
    if head.date is not None and head.date.guessed:
        d_conf *= _GUESSED_DIGIT
    if head.date is not None:
        place = head.date.place
    if number is None and doc_type is not None:
        number, ref_date = _referenced(layout, doc_type, today)
        n_conf = 0.3  # the clerk confirms a number found outside the header
        if date is None and ref_date is not None:
            date, d_conf = ref_date, 0.3
    if number is not None:
        number = restore_abbr(number, types, doc_type)
        n_conf *= _number_check(number, doc_type, types)
        least = min((line.number_conf for line in head.number_lines), default=1.0)
        if number.corrected and least < _SPOILED_NUMBER:
            # "Số: 16840/H1D- SNN" at 0.41 (1840/HD-SNN): what spoiled the code may have
            # spoiled the digits
            n_conf = min(n_conf, _SPOILED_NUMBER)
    values["number"] = number.text.rstrip("_-.,:;") if number else None  # "4272/QĐ-VL_"
    values["date"] = date
    p_conf = head.date_line.conf if place and head.date_line else 0.0
    if place and p_conf < 1.0:  # read by OCR: the gazetteer judges it
        place, as_placed = checked_place(place)
        p_conf *= as_placed
    values["place"] = place
    conf["number"] = n_conf if number else 0.0
    conf["date"] = d_conf if date else 0.0
    conf["place"] = p_conf


def _label_spared(line: WLine) -> float:
    """The confidence of a line holding the number, its label read no worse than the number
    beside it: a "Số:" garbled by a speck or the stamp ("-_§ố:", ".§đ:", read at 0.1) says
    nothing of the number, where a cleanly read one is what the threshold was set on. As
    read when the line's words are not OCR's own, or its confidence was lowered since."""
    read = _read_words(line)
    first = next((i for i, (word, _) in enumerate(read) if has_digit(word)), 0)
    confs = [conf for _, conf in read]
    if not first or abs(fmean(confs) - line.conf) > 1e-3:
        return line.conf
    number = fmean(confs[first:])
    return fmean([*(max(c, number) for c in confs[:first]), *confs[first:]])


def _digits_conf(line: WLine, named: str = "") -> float:
    """A date line's confidence as far as its digits go: capped where OCR had a digit's
    word hardly read (a scanner's streak crossed it: `pageocr`), else no cap. Not the
    number's: Tesseract reads a ký hiệu's words at 0.2-0.5 on good print. Nor the year's
    when a speck after it is what OCR doubted ("năm 2016." at 0.07) and the trích yếu,
    `named`, prints that year too: read twice alike."""
    if line.number_conf >= _HIDDEN_DIGIT:
        return 1.0
    read = _read_words(line)
    if read:
        least = min(range(len(read)), key=lambda i: (not has_digit(read[i][0]), read[i][1]))
        year = _YEAR_THEN_SPECK.fullmatch(" ".join(word for word, _ in read[least:]))
        if year and re.search(rf"\b{year[1]}\b", named):
            return 1.0
    return line.number_conf


def _read_words(line: WLine) -> list[tuple[str, float]]:
    """The line's words with OCR's confidence in each; none where its words are no longer
    the ones OCR read (a text layer, or a line cut or joined since)."""
    words = line.text.split()
    if len(words) != len(line.word_confs):
        return []
    return list(zip(words, line.word_confs, strict=True))


def _last_word_conf(line: WLine) -> float:
    """OCR's confidence in the line's last word; 1.0 where its words are not OCR's."""
    words = _read_words(line)
    return words[-1][1] if words else 1.0


_YEAR_THEN_SPECK = re.compile(r"((?:19|20)\d\d)\s?[.,:;'`]")


def _number_check(number: Number, doc_type: DocType | None, types: DocTypes) -> float:
    """How well the ký hiệu fits the type: 68/QĐ-UBND for a Quyết định is right."""
    head = number.text.split("/")[0]
    if not any(c.isdigit() for c in head):
        return 0.3  # the number itself is blank or unread
    if not _NUMBER_HEAD.fullmatch(head):
        return 0.5  # "B71/QĐ-UBND": a letter read where a digit was printed (3?)
    if _ODD_IN_NUMBER.search(number.text.rstrip("_-.,:;")) or number.joined or number.guessed:
        return 0.5  # "SGỗGDĐT": a ký hiệu is Latin letters, Đ and digits; "169 1/", "B79": guesses
    if number.cut:
        return 0.5  # "10/BC-": what followed the dash (the agency's code) was lost
    if _I_BEFORE_SMALL.search(number.text):
        return 0.5  # "KIrVB": small letters follow the capital of a Tr, Th, Tg ...; I has none
    kind = number.kind_abbr
    if kind is None:
        return 0.6
    if doc_type is None:
        return 0.8
    if kind in doc_type.abbrs:
        return 0.85 if number.corrected else 1.0
    if types.by_abbr(kind) is not None:
        return 0.5  # the ký hiệu names another type
    if doc_type.abbr is None:  # công văn: agency first, a unit's code perhaps mended (TTr)
        return 0.85 if number.corrected else 1.0
    return 0.7  # a missing type


def _number_agrees(
    values: dict[str, Any], conf: dict[str, float], types: DocTypes, rest: str
) -> None:
    """The ký hiệu's agency code one slip away from the issuer's short form is corrected
    (61/QĐ-UBN for a Ủy ban nhân dân), or cut at a gap OCR read inside it, the rest in
    `rest` ("TB-ST TTI"); and then no surer than any corrected ký hiệu."""
    issuers = values["issuer"], values["parent_issuer"]
    whole = code_cut_at_a_gap(values["number"], rest, *issuers)
    number, changed = agreed(whole, *issuers, exempt=types.abbrs)
    changed = changed or whole != values["number"]
    if changed:
        values["number"] = number
        conf["number"] = min(conf["number"], _CORRECTED_NUMBER)


def _ky_hieu_disagrees(values: dict[str, Any], types: DocTypes) -> bool:
    """Whether the ký hiệu's codes disagree with what the rest of the document says: its
    drafting unit with "Lưu:", its two-letter agency code with the issuer's initials; or
    its unit's code is a slip of a common one."""
    number = values["number"]
    return (
        drafting_unit_disagrees(number, values["recipients"], type_abbrs=types.abbrs)
        or agency_code_doubtful(
            number, values["issuer"], values["parent_issuer"], type_abbrs=types.abbrs
        )
        or agency_code_garbled(
            number, values["issuer"], values["parent_issuer"], type_abbrs=types.abbrs
        )
        or unit_code_doubtful(number, type_abbrs=types.abbrs)
        or speck_in_code(number)
        or letter_alone_in_code(number)
        or type_alone_in_code(number, type_abbrs=types.abbrs)
        or letter_repeated_in_code(number, values["recipients"])
    )


def _referenced(
    layout: Layout, doc_type: DocType, today: dt.date
) -> tuple[Number | None, dt.date | None]:
    """No header number: an appendix line "(Ban hành kèm theo Quyết định số: 935/QĐ-UBND
    ngày 28/02/2018)" names the document itself when the type is the document's own."""
    lines = layout.lines
    names = {loose_key(n) for n in doc_type.names}
    for i, line in enumerate(lines):
        text = line.text + (" " + lines[i + 1].text if i + 1 < len(lines) else "")
        match = _REFERENCE.search(loose_key(text))
        if match is None or match.group(1) not in names:
            continue
        rest = squash(text)[match.end() :]
        number = parse_number(rest)
        parsed = parse_date_line(rest, today)
        return number, parsed.date if parsed else None
    return None, None


def _subject(
    head: Header,
    subject: list[WLine],
    values: dict[str, Any],
    conf: dict[str, float],
    lost: float = 0.0,
    between: Sequence[float] = (),
) -> None:
    """The trích yếu from the lines under the title (`lost`: the characters its first line
    lacks at its start, see `chars_lost_before`; `between`: those each pair of them lacks
    between them, see `chars_lost_between`), or from a V/v block."""
    rest = head.title_match.rest if head.title_match else ""  # "ĐƠN XIN ..." goes on
    read_from: list[WLine] = []
    if subject or rest:
        text, lone = trim_edges(squash(" ".join([rest, *_bridged(subject, between)])))
        read_from = subject or ([head.title_line] if head.title_line else [])
        score = _spoilt_by_one(read_from)
        score *= SPELLING_PENALTY if lone else 1.0  # its closing mark may be lost too
        score *= 1.0 if len(subject) < 6 else 0.6
        if doubted_comma_splits_a_pair([(ln.text, _last_word_conf(ln)) for ln in subject]):
            score = min(score, SPELLING_PENALTY)
        if head.spoiled_title:  # what spoiled the title may have spoiled the lines under it
            score = min(score, SPELLING_PENALTY)
    elif head.vv_lines:
        text, _ = trim_edges(_VV.sub("", squash(" ".join(ln.text for ln in head.vv_lines))))
        read_from = head.vv_lines
        score = _spoilt_by_one(read_from)  # the stamp's "AT An" at 0.03 joined to a V/v
        if head.title is not None:  # a type's title: its trích yếu is under it, not a V/v
            score = min(score, _VV_BESIDE_TITLE)
    else:
        text, score = "", 0.0
    text = without_specks_in_compounds(text)  # they hide nothing
    whole = looks_whole(text, titled=bool(subject))  # judged as read, other specks and all
    if (filled := with_words_under_specks(text)) != text:
        text, whole = filled, min(whole, SPELLING_PENALTY)
    unsure = min((ln.number_conf for ln in read_from), default=1.0) < _UNSURE_NUMBER
    if unsure and not (score >= _SURE_READ and _issue_year_only(text, values["date"])):
        whole = min(whole, SPELLING_PENALTY)  # "giai đoạn 2021-2026" for 2024: OCR doubted it
    tidy = without_specks(without_stamp_tail(text))
    if tidy != text:  # the stamp or specks lay on it: what they hid is not known
        whole = min(whole, SPELLING_PENALTY)
    text = tidy
    if subject:
        whole_first = with_first_word_whole(text)
        headed = with_head_under_stamp(
            whole_first, lost - (len(whole_first) - len(text)), values["doc_type"]
        )
        if headed != whole_first:
            whole = min(whole, SPELLING_PENALTY)
        text = capitalised(headed)
    words = [w for w in text.split() if holds_print(w) or w in SUBJECT_MARKS]  # not "ˆ"
    issued = values["date"].year if values["date"] else None
    text = mended_years(" ".join(words), issued)
    text = doubted_year_as_issued(text, issued, values["doc_type"]) if unsure else text
    mended = correct_diacritics(text) if words else ""
    if slip_beside_number(text, mended) and not _issue_year_only(mended, values["date"]):
        whole = min(whole, SPELLING_PENALTY)  # (its issue year: a slip would not make it)
    text, placed = judge_places(mended) if words else ("", 1.0)
    if (whole_place := with_place_completed(text, values["place"])) != text:
        text, whole = whole_place, min(whole, SPELLING_PENALTY)  # "huyện Tháp": Tháp Mười
    # "Soát thủ tục ...": "kiểm" was lost; "... kiểm tra bảo": the stamp ate "vệ môi trường";
    # "tiêm chủng mở năm 2023": "rộng" was; "... chuyển đổi số năm": the year was
    cut_short = ends_cut_short(text) or breaks_phrase(text)
    # "vào lớp năm 2016": the grade was
    lost = year_unannounced(text) or number_lost(text)
    if (subject and starts_mid_compound(text)) or cut_short or lost:
        whole = SPELLING_PENALTY
    if (typed := with_type_name_capitalised(text)) != text:  # "ban hành kế hoạch": a K
        text, whole = typed, min(whole, SPELLING_PENALTY)  # read as k, or written so?
    text, slipped = undo_slips(with_abbreviations_mended(text))
    text = with_list_commas(text)  # again: a slip undone may have made the list ("chá": cháy)
    if subject and subject[-1].conf < UNREAD:
        text = _phrase_ended(text)
    read = [pair for ln in read_from for pair in _read_words(ln)]
    if doubted_word_alone(text, doubted_words(read)):
        whole = min(whole, SPELLING_PENALTY)
    text = ve_viec_as_written(text) if subject else text
    if (opened := without_stamp_opening(text)) != text:
        text, whole = opened, min(whole, SPELLING_PENALTY)  # "ĐEN có Bảo đảm ...": its words
    if subject and (restored := with_lost_head(text)) != text:
        text, whole = restored, min(whole, SPELLING_PENALTY)  # the stamp may have eaten more
    values["subject"] = text or None
    conf["subject"] = score * placed * spelling(values["subject"]) * whole * slipped


def _bridged(lines: list[WLine], between: Sequence[float] = ()) -> list[str]:
    """The trích yếu's lines' texts, with the word the stamp ate at the end of one put back
    where a phrase of official writing puts one word only between its last word and the
    next line's first ("... Thông tin tại" over "họp về tiếp công dân": cuộc), or the
    word that ends a phrase going on one way only, where the lines' places say a word of
    its width is missing between them (`between`, characters: "dịch bệnh truyền" over
    "trong dịp Tết ...", centred right of the title's middle: nhiễm)."""
    texts = [ln.text for ln in lines]
    widths = list(between) or [0.0] * len(texts)
    for k, (line, below) in enumerate(pairwise(lines)):
        last, first = _LETTERS.findall(line.text), _LETTERS.findall(below.text)
        if min(line.conf, below.conf) >= UNREAD or not (last and first):
            continue
        if (lost := word_lost_between(last[-1], first[0])) is not None:
            texts[k] = f"{texts[k]} {lost}"
        elif len(last) > 1 and not written_pair(last[-1], first[0]):
            ended = words_lost_after(last[-2], last[-1])
            if len(ended) == 1 and _lost_before(ended[0], first[0], widths[k]):
                texts[k] = f"{texts[k]} {ended[0]}"
            elif (opened := first_half_lost(last[-1], first[0])) is not None:
                # the line below starts mid-compound ("trữ tồn đọng ..."), where the lines'
                # places show room for the half it lacks: a word misread above ("van" for
                # văn over "thư") or a name's ("Diễn" over "Châu") leaves none
                room = widths[k] / (len(opened) + 1)
                if first[0].islower() and _LEAST_LOST <= room <= _MOST_LOST:
                    texts[k] = f"{texts[k]} {opened}"
    return texts


_MOST_LOST = 2.0  # the characters missing at most, as a share of a lost word's and a space
_LEAST_LOST = 0.5  # ... and at least, where nothing but the room says a word was lost


def _lost_before(word: str, first: str, width: float) -> bool:
    """Whether `word`, which must end the line above, was lost before a line starting
    with `first`: `first` is not it misread ("thực" over "phâm trên ..."), and the room
    missing between the lines (`width`, characters) is not too wide for it. Too little
    room does not say that nothing was lost: a line the stamp lay on is boxed with the
    stamp's ink that hid the word ("Ban Chỉ" over "chuyển đổi số": đạo)."""
    return loose_key(word) != loose_key(first) and width / (len(word) + 1) <= _MOST_LOST


def _phrase_ended(text: str) -> str:
    """A trích yếu whose last line the stamp lay on, ending in the middle of a phrase of
    official writing that goes on one way only, with that phrase's end ("... bảo vệ môi":
    trường). Flagged as it was: more may have been lost."""
    words = _LETTERS.findall(text)
    if len(words) < 2 or not text.rstrip()[-1:].isalpha():
        return text
    lost = words_lost_after(words[-2], words[-1])
    if not lost and (ended := compound_ended(words[-2], words[-1])) is not None:
        # "... giảm nghèo bền": the compound's end, and the phrase's it may go on to
        lost = [ended, *words_lost_after(words[-1], ended)]
    return " ".join([text.rstrip(), *lost])


_LETTERS = re.compile(r"[^\W\d_]+")


def _spoilt_by_one(lines: list[WLine]) -> float:
    """The confidence of a trích yếu read from `lines`: one doubtful line (half under the
    clerk's stamp, say) spoils the whole, whatever the others' mean."""
    return min(mean_conf(lines), min(ln.conf for ln in lines) + _ONE_LINE_SLACK)


def _issue_year_only(text: str, date: dt.date | None) -> bool:
    """Whether every number in a trích yếu is the year the document was issued ("... năm
    2019" dated 2019): a digit misread would have to make that very year by chance. A
    Roman numeral is a number too ("quý II năm 2020": the II may have lost a stroke)."""
    numbers = _NUMBERS.findall(text)
    return date is not None and bool(numbers) and all(n == str(date.year) for n in numbers)


def _agencies(head: Header, values: dict[str, Any], conf: dict[str, float]) -> None:
    parent, issuer = split_agency(head.issuer_lines)
    issuer_text, issuer_named = _checked_agency(issuer)
    parent_text, parent_named = _checked_agency(parent)
    placed = 1.0 if head.number is not None else 0.85  # found above "Số:" as ND30 puts it
    values["issuer"] = issuer_text or None
    values["parent_issuer"] = parent_text or None
    conf["issuer"] = (
        mean_conf(issuer)
        * placed
        * (1.0 if agency_like(issuer_text) else 0.7)
        * spelling(issuer_text)
        * (SPELLING_PENALTY if _NOT_VIETNAMESE.search(issuer_text) else 1.0)
        * issuer_named
        if issuer_text
        else 0.0
    )
    if parent_text:
        conf["parent_issuer"] = (
            mean_conf(parent) * (1.0 if agency_like(parent_text) else 0.7) * parent_named
        )
    else:
        conf["parent_issuer"] = 0.8 if issuer_text else 0.5


def _checked_agency(lines: list[WLine]) -> tuple[str, float]:
    """An agency's name and how far its place and form are to be trusted (OCR only)."""
    text = _agency_name(lines)
    if not text or mean_conf(lines) >= 1.0:
        return text, 1.0
    # flagged: what made the speck may have hidden more
    specked = without_speck_dash(without_speck_inside(text))
    clean = with_lost_agency_word(specked)  # ... and a "và" put back, unless the name is known
    clean = agency_by_letters(clean) or clean  # ... and its marks, where one name has its letters
    name, factor = checked_agency(clean)
    doubt = specked != text or (clean != specked and not known_agency(clean))
    doubt = doubt or bool(capitals_misread(name))  # "SỞ TUTPI PHÁP": no abbreviation
    return name, factor * (SPELLING_PENALTY if doubt else 1.0)


def _surname(signer: WLine) -> tuple[str, float]:
    """The signer's name with a misread surname spelled right ("Đố Hữu Dũng"), on OCR only
    (a text layer prints what the person is called, however rare), and the factor its
    confidence is multiplied by: a surname guessed from a word that is no syllable at all
    ("Bäi", "Nøô") is likely right but still worth a look."""
    first, _, rest = signer.text.partition(" ")
    if signer.conf >= 1.0 or not rest:
        return signer.text, 1.0
    second, _, given = rest.partition(" ")
    if given and not _is_surname(first):
        if _is_surname(second):
            return rest, UNKNOWN_SURNAME  # "Sẻ Dương Thanh Sơn": a speck of the seal read first
        if len(first) == 1 and " " in given and (form := _misread_surname(second)):
            return f"{form} {given}", UNKNOWN_SURNAME  # "X Bài Ngọc Dũng": a speck, then Bùi
    form, factor = SURNAME_FORMS.get(loose_key(first)) or _near_surname(loose_key(first)), 1.0
    if form is not None and (toned := _toned_twin(first, form)) is not None:
        form, factor = toned, UNKNOWN_SURNAME  # "Phạn": Phạm's tone mark, Phan's letters
    # A word that is no surname where one stands: the seal or the copier slipped one letter
    # ("Bäi", and real syllables too: "Bài Xuân Trung", "Đã Thị Thu Trang"). A middle name
    # there ("Thị Thu Liên") says the surname was lost: no guess.
    slipped = given and loose_key(first) not in SURNAMES and not is_middle_name(first)
    if form is None and (foreign_or_invalid(first) or slipped):
        form, factor = _one_slip_surname(first), UNKNOWN_SURNAME
    if form is None and len(first) == 1 and first.isalpha():
        form, factor = _surname_of_letter(first), UNKNOWN_SURNAME
    if form is None:
        return signer.text, 1.0
    upper = first.isupper() and len(first) > 1 and rest.isupper()  # NGUYỄN VĂN A
    return f"{form.upper() if upper else form} {rest}", factor


def _toned_twin(read: str, form: str) -> str | None:
    """The one surname a letter from `read` that carries its tone mark, where the surname
    with its letters does not ("Phạn": Phạm, not Phan): an old copier blurs a letter, the
    seal's ring breaks one ("m" into "n"), and a tone mark read was printed. A word read
    with no tone mark at all tells nothing ("Vu": its marks lost, Vũ)."""
    tone = tone_of(read)
    if not tone or tone_of(form) == tone or not read[:1].isupper():
        return None
    key = loose_key(read)
    near = {s for k, s in SURNAME_FORMS.items() if _m_for_n(k, key) and tone_of(s) == tone}
    return near.pop() if len(near) == 1 else None


def _m_for_n(a: str, b: str) -> bool:
    """Whether two keys differ only in one letter, an m for an n or the reverse."""
    changed = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    return len(a) == len(b) and len(changed) == 1 and set(changed[0]) == {"m", "n"}


def _is_surname(word: str) -> bool:
    return SURNAME_FORMS.get(loose_key(word)) is not None


def _one_slip_surname(word: str) -> str | None:
    """The one surname a word one letter off ("Bäi" -> Bùi, "Võã" -> Võ; its marks aside when
    none is with them: "Nco" -> Ngô) or with letters lost under the seal ("Hnh" -> Huỳnh,
    "Pm" -> Phạm) can be, if only one can."""
    near = [s for s in SURNAME_FORMS.values() if one_edit_apart(word.casefold(), s.casefold())]
    if not near and len(word) >= 2:  # "Nco": a letter and a mark slipped, Ngô
        near = [s for k, s in SURNAME_FORMS.items() if one_edit_apart(loose_key(word), k)]
    if len(near) > 1:
        near = [s for s in near if _vowel_alike(word, s)] or near
    if not near and len(word) >= 2:
        key = loose_key(word)
        near = [s for k, s in SURNAME_FORMS.items() if k[0] == key[0] and _within(key, k)]
    if not near and len(word) >= _LONG_SURNAME:  # "Nguyẫx": two letters off, no other near
        return _far_surname(loose_key(word))
    return near[0] if len(near) == 1 else None


def _far_surname(key: str) -> str | None:
    """The one surname a long misread one is much nearer than any other ("nguyax": Nguyễn,
    two letters off, the next four)."""
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, known).ratio(), known) for known in SURNAME_FORMS),
        reverse=True,
    )
    best, second = scored[0][0], scored[1][0]
    return SURNAME_FORMS[scored[0][1]] if best >= _FAR and best - second >= _AHEAD else None


_LONG_SURNAME = 5  # letters: Nguyễn, Huỳnh, Hoàng, Trương, Dương, Phùng ...
_FAR, _AHEAD = 0.6, 0.2  # difflib ratios: near enough, and that much nearer than the next


def _vowel_alike(read: str, surname: str) -> bool:
    """Whether `read` has the letters of `surname`, marks aside ("Vù": Vũ), or the letter
    that tells them apart is one of a shape with the one read: a round letter for a round
    one ("Và", "Vã", "Vẽ": Võ, not Vũ, which an old copier's blur does not close into a
    bowl)."""
    a, b = loose_key(read), loose_key(surname)
    if len(a) != len(b):
        return False
    changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return not changed or (len(changed) == 1 and all(c in _ROUND for c in changed[0]))


_ROUND = frozenset("aceo")  # letters with a round bowl


def _misread_surname(word: str) -> str | None:
    """The surname a word is, or the one it is one slip or a few lost letters from."""
    key = loose_key(word)
    return SURNAME_FORMS.get(key) or _near_surname(key) or _one_slip_surname(word)


def _surname_of_letter(letter: str) -> str | None:
    """The one surname a lone letter can be left of: the seal took the letters before it
    ("E Ngọc Liên": Lê, "Ý Công Sơn": Lý) or after it ("B Thu Nhung": Bùi)."""
    key = loose_key(letter)
    fits = {s for k, s in SURNAME_FORMS.items() if k.endswith(key) or k.startswith(key)}
    return fits.pop() if len(fits) == 1 else None


def _within(part: str, whole: str) -> bool:
    """Whether the letters of `part` appear in `whole` in the same order."""
    rest = iter(whole)
    return all(letter in rest for letter in part)


def _near_surname(key: str) -> str | None:
    """The one surname a misread one is close to ("huyzh" -> Huỳnh, "huang" -> Hoàng); none
    for short ones, where one letter off is another name (Lý, Vũ, Hồ)."""
    if len(key) < 4:
        return None
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, known).ratio(), known) for known in SURNAME_FORMS),
        reverse=True,
    )
    if scored[0][0] < _NEAR_SURNAME or scored[0][0] == scored[1][0]:
        return None
    return SURNAME_FORMS[scored[0][1]]


def _full_word(word: str) -> bool:
    """Whether a word before a period in an agency's name is a word, not an abbreviation
    ("TP.", "TX."): three letters or more, or marked as no abbreviation is ("LÝ", 4721
    c0188)."""
    return len(word) > 2 or not word.isascii()


def _agency_name(lines: list[WLine]) -> str:
    """Wrapped agency lines as one name, without OCR's specks at the ends ("_BỘ", "ĐỒNG ."),
    inside a known pair ("HỘI. ĐỒNG"), a word read twice, or lower-case dust after capitals."""
    words = _EDGE_JUNK.sub("", squash(" ".join(ln.text for ln in lines))).split()
    out: list[str] = []
    for word in words:
        if word.isupper() and word[-1:] in "'’`" and len(word) > 1:
            word = word[:-1]  # "BỘ Y' TẾ": no agency's name holds an apostrophe
        # ... nor starts a word with a mark: "SỞ 'Y TẾ", "TÀI NGUYÊN .VÀ", 'THỂ "THAO'
        if word[:1] in "'’`.\"“”" and word[1:2].isalpha() and word[1:].isupper():
            word = word[1:]
        if out and (word == out[-1] or _piece_of(word.strip("[]|"), out[-1])):
            continue  # "KHÁNH KHÁNH HÒA", "TRẤN [RẤN": two overlapping fragments of one line
        if (parts := _run_together(word)) != [word]:
            out.extend(parts[:-1])  # "CỤC VĂNTHƯ VÀ LƯU TRỮ": two syllables run together
            word = parts[-1]
        if out and word.isdigit() and out[-1] in _UNNUMBERED:
            continue  # "TỈNH 1 LÂM ĐỒNG": provinces and districts have names, not numbers
        if not any(c.isalnum() for c in word) and word not in _JOINING_MARKS:
            continue  # "NHÂN DÂN . TỈNH", "VĂN THƯ _ VÀ": a speck between two words
        if out and out[-1] in _JOINING_MARKS and word.casefold() in _NO_DASH_BEFORE:
            out.pop()  # "NÔNG NGHIỆP - VÀ PHÁT TRIỂN", "NHÂN DÂN - HUYỆN": a speck
        if out and out[-1][-1:] == ":" and word.isupper():
            out[-1] = out[-1][:-1]  # "NHÂN DÂN: HUYỆN": no agency's name holds a colon
        if out and (fewer := _letter_too_many(word, out[-1])) is not None:
            word = fewer  # "PHÁT TRIẾỂN": a vowel read twice, with two marks
        if out and out[-1][-1:] in ".," and known_pair(out[-1][:-1], word.rstrip(".,")):
            out[-1] = out[-1][:-1]
        elif out and out[-1][-1:] == "." and _full_word(out[-1][:-1]) and word.isupper():
            out[-1] = out[-1][:-1]  # "NHÂN DÂN. THỊ TRẤN", "QUẢN LÝ. KHÁM": no abbreviation
        out.append(word)
    while len(out) > 1 and out[-1].islower() and is_upper_text(" ".join(out[:-1])):
        out.pop()  # "BỘ Y TẾ hưng"
    # "TRẤN TH THẮNG", "ĐỒNG T THÁP": the start of the next word read on its own
    out = [w for w, after in zip_longest(out, out[1:], fillvalue="") if not _start_of(w, after)]
    # "TRƯỜNG TIỂU HỌC - TRẦN QUỐC TOẢN": no dash parts a school's level from its name
    return correct_diacritics(_SCHOOL_DASH.sub(r"\1 ", " ".join(out)), agency=True)


def _letter_too_many(word: str, before: str) -> str | None:
    """A word in capitals that is no syllable, but a vowel less, one of two side by side,
    the one word that makes a pair of the lexicon with the word before it ("PHÁT TRIẾỂN":
    TRIỂN, the vowel read twice with two marks); None otherwise. A consonant too many is a
    word run into the next ("ỦY BANN DÂN": NHÂN lost), which the issuer's checks flag."""
    if len(word) < 3 or not word.isalpha() or not word.isupper() or is_syllable(word.lower()):
        return None
    vowels = [loose_key(letter) in "aeiouy" for letter in word]
    fits = {
        word[:i] + word[i + 1 :]
        for i in range(len(word))
        if vowels[i] and ((i > 0 and vowels[i - 1]) or (i + 1 < len(word) and vowels[i + 1]))
    }
    fits = {fewer for fewer in fits if known_pair(before, fewer)}
    return fits.pop() if len(fits) == 1 else None


def _run_together(word: str) -> list[str]:
    """A word in capitals that is no syllable but two run together, as the one way to part
    it into two syllables the lexicon pairs ("VĂNTHƯ") or a place's name is ("HUYỆN ANLÃO");
    as it is otherwise ("UBND")."""
    if len(word) < 4 or not word.isalpha() or not word.isupper() or is_syllable(word.lower()):
        return [word]
    places = gazetteer.shipped()
    splits = [
        [word[:i], word[i:]]
        for i in range(2, len(word) - 1)
        if is_syllable(word[:i].lower())
        and is_syllable(word[i:].lower())
        and (known_pair(word[:i], word[i:]) or places.known_place(f"{word[:i]} {word[i:]}"))
    ]
    return splits[0] if len(splits) == 1 else [word]


_UNNUMBERED = frozenset({"TỈNH", "HUYỆN", "TRẤN", "XÃ"})
_SCHOOL_DASH = re.compile(rf"^(TRƯỜNG {SCHOOL_LEVELS}) [-–] ", re.IGNORECASE)


def _piece_of(word: str, before: str) -> bool:
    """Whether `word` is the end of the word before it read again ("TRẤN [RẤN")."""
    return len(word) > 1 and word.isupper() and len(word) < len(before) and before.endswith(word)


def _start_of(word: str, after: str) -> bool:
    """Whether `word`, a letter or two in capitals, is the start of the next word."""
    return (
        0 < len(word) <= 2
        and word.isalpha()
        and word.isupper()
        and after.startswith(word)
        and len(after) > len(word)
    )


def _marks(
    head: Header, values: dict[str, Any], conf: dict[str, float], *, whole_text: bool
) -> None:
    """Độ khẩn and độ mật. No mark found is a confident answer only where one would have been
    seen: in a header that was read, or anywhere in a real text layer. On a scan whose header
    could not be read it is not (and the incoming wing holds such a document for the clerk).
    The header was read when its motto, its number or its date line was (the reader skips
    the motto when the date line under it reads as one)."""
    read = head.has_motto or head.number is not None or head.date is not None
    searched = 0.9 if whole_text or read else 0.5
    for name in ("urgency", "secrecy"):
        found = [(m.score * ln.conf, m.value) for m, ln in head.marks if m.field == name]
        score, value = max(found) if found else (searched, None)
        values[name] = value
        conf[name] = score


def _closing(closing: Closing, values: dict[str, Any], conf: dict[str, float]) -> None:
    values["recipients"] = tuple(
        correct_diacritics(item, agency=True) for item in closing.recipients
    )
    if closing.recipients:
        conf["recipients"] = 0.95 * mean_conf(closing.recipient_lines)
    else:
        conf["recipients"] = 0.3 if closing.has_label else 0.5
    signer = closing.signer
    if signer is None:
        values["signer"], conf["signer"] = None, 0.0
        return
    name, guessed = _surname(signer)
    as_named = 1.0
    if signer.conf < 1.0:  # read by OCR: a text layer prints the name, however rare
        name, as_named = checked_name(name)
        if len(name.split()) < _FEWEST_NAMES:  # "Bùi Ngọc", "Ông Tiến": the seal ate one
            as_named *= UNKNOWN_SURNAME
    as_named *= guessed
    values["signer"] = name
    conf["signer"] = (
        signer.conf * (1.0 if closing.signer_anchored else 0.7) * as_named * spelling(name)
    )
