"""How far OCR's text of a field is to be trusted, and its slips undone where that is clear.

A trích yếu is judged as Vietnamese and ND30 allow: every word spelled as the language can
(`spelling`), no specks, broken numbers or words cut off (`looks_whole`), places that the
gazetteer knows among the units their type word names and schools named after persons
(`judge_places`), and words that look like OCR's slip into another real syllable
(`undo_slips`). Each check gives the factor the field's confidence is multiplied by.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise

from daemon.ocr import gazetteer
from daemon.ocr.fields_lexicon import (
    common_pair,
    common_word,
    compound_of,
    known_pair,
    listed_pair,
    misread_words,
    paired_word_starting,
    whole_first_word,
    with_list_commas,
    word_lost_between,
    written_pair,
)
from daemon.ocr.fields_vocab import (
    ABOUT_TYPES,
    LONE_CONSONANTS,
    STAMP_DEN,
    STROKE_SPECKS,
    SUBJECT_HEADS,
    TITLES,
    UNIT_TYPES,
    announces_number,
)
from daemon.ocr.names import checked_name
from daemon.ocr.places import (
    SCHOOL_LEVELS,
    UNKNOWN_PLACE,
    checked_place,
    completed_place,
    namesake,
    namesake_factor,
)
from daemon.ocr.syllables import foreign_or_invalid, is_syllable, merged_letters
from daemon.ocr.vntext import (
    capital_after_small,
    fold_word,
    has_digit,
    holds_print,
    is_upper_text,
    loose_key,
    nfc,
    one_edit_apart,
    speck_word,
)

# A unit named in a trích yếu: its type, then its name in capitalised words ("tỉnh Bình Định").
_NAMED_PLACE = re.compile(
    rf"\b((?:{'|'.join(UNIT_TYPES)})\s+)"
    r"((?:[A-ZĐÂĂÊÔƠƯÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÂĂÊÔƠƯÀ-Ỹ][\wÀ-ỹ]*){0,3})"
)
_CAPITALISED = r"(?:[A-ZĐÂĂÊÔƠƯÀ-Ỹ][\wÀ-ỹ]*)"
# ... and one whose first word lost its capital ("huyện khánh Vĩnh")
_SMALL_PLACE = re.compile(
    rf"\b((?:{'|'.join(UNIT_TYPES)})\s+)([a-zà-ỹđ][\wà-ỹ]*)((?:\s+{_CAPITALISED}){{1,2}})\b"
)
_SCHOOL_NAME = re.compile(
    rf"\b(Trường\s+{SCHOOL_LEVELS}\s+)({_CAPITALISED}(?:\s+{_CAPITALISED}){{0,3}})"
)
SUBJECT_MARKS = frozenset({"-", "–", "—", "&", "/", ",", "+"})  # "giai đoạn 2021 - 2025"


def undo_slips(text: str) -> tuple[str, float]:
    """A trích yếu with OCR's slips undone where clear ("chống dị bệnh" -> dịch, "giảm qghèo"
    -> nghèo), and the penalty when one is not sure ("chuyển đổi hổ trên", "qghèo"). Two
    slips side by side are undone in turn: the one a sound neighbour vouches for first, then
    the other, which that neighbour vouches for once put right ("luyên truven": truyền, then
    Tuyên)."""
    factor = 1.0
    for _ in range(_SLIP_PASSES):
        undone = text
        for slip in misread_words(text):
            if not slip.sure:
                factor = SPELLING_PENALTY
            if slip.fix is not None:
                text = re.sub(rf"(?<!\w){re.escape(slip.word)}(?!\w)", slip.fix, text, count=1)
        if text == undone:
            break
    return text, factor


_SLIP_PASSES = 3  # slips in a row undone one from the other, at most


def doubted_comma_splits_a_pair(lines: Sequence[tuple[str, float]]) -> bool:
    """Whether a trích yếu line (text, OCR's confidence in its last word) ends in a comma
    OCR doubted between two words the regulations write together and never as a list
    ("... sơ kết công tác công tác," at 0.54 / "văn thư, lưu trữ ...": the pen's "Số: 2116"
    of the stamp over the line's end read as a comma, 7302 c0193). A comma read surely
    there is print's ("phòng cháy," / "chữa cháy")."""
    for (line, conf), (below, _) in pairwise(lines):
        last, _, _ = line.rpartition(",")
        if conf >= _DOUBTED_WORD or not line.endswith(",") or not last or not below:
            continue
        word, first = last.split(" ")[-1], below.split(" ")[0].rstrip(",.;:")
        if written_pair(word, first) and not listed_pair(word, first):
            return True
    return False


def capitalised(text: str) -> str:
    """A trích yếu under a title as printed: it starts with a capital, and "việc" is never
    its first word ("việc thành lập ..." lost its "Về" to a speck or the stamp). Still
    flagged by `looks_whole`: what took the first word may have taken more."""
    if text.startswith("việc "):
        return "Về " + text
    first, space, rest = text.partition(" ")
    if len(first) > 2 and first[1].isupper() and not first.isupper():
        word = first.capitalize()  # "KẾt quả": the Ế's hat read as a capital's
        first = word if is_syllable(word) else first
    return first[:1].upper() + first[1:] + space + rest


def ve_viec_as_written(text: str) -> str:
    """A trích yếu's opening "Về việc" as it is written, whatever case OCR gave a letter its
    capital looks like ("VỀ việc": blur; "Về Việc": the stamp's side down the v)."""
    opening = _VE_VIEC.match(text)
    return f"Về việc{text[opening.end() :]}" if opening and not is_upper_text(text) else text


_VE_VIEC = re.compile(r"(?:VỀ|Về) (?:VIỆC|Việc|việc)(?!\w)")


def doubted_word_alone(text: str, doubted: set[str]) -> bool:
    """Whether a word of a trích yếu that OCR doubted (its letters in `doubted`, loose keys)
    pairs with neither neighbour: no pair of the lexicon or the regulations vouches for it
    ("chữ ký số trọng gửi, nhận" for trong, read at 0.67 in a line read at 0.92). A word
    they pair is right for all OCR's doubt; so is the "năm" before a year. A comma after it
    before a word that says when ("rừng, mùa khô") is the speck OCR doubted."""
    words = text.split(" ")
    for i, word in enumerate(words):
        bare = word.rstrip(",;")
        if not (bare.isalpha() and bare.islower()) or loose_key(bare) not in doubted:
            continue
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if bare == "năm" and after[:1].isdigit():
            continue
        if word.endswith(",") and after in _WHEN:
            return True  # "chữa cháy rừng, mùa khô năm 2025" (0.68): no list goes on so
        left = listed_pair if before.endswith(",") else written_pair
        right = listed_pair if word.endswith(",") else written_pair
        if not (left(before.rstrip(",;"), bare) or right(bare, after.rstrip(",;"))):
            return True
    return False


_DOUBTED_WORD = 0.8  # OCR's confidence in a word of good print is 0.93-0.97
# Words that say when, which a trích yếu's list of like things never goes on with
_WHEN = frozenset({"mùa", "năm", "quý", "tháng", "dịp", "đợt", "giai"})


def doubted_words(confs: list[tuple[str, float]]) -> set[str]:
    """The loose keys of the words (as read, with OCR's confidence) OCR doubted."""
    return {loose_key(word.strip(",;.:")) for word, conf in confs if conf < _DOUBTED_WORD}


def with_type_name_capitalised(text: str) -> str:
    """A trích yếu that names the document it issues, approves or drafts in small letters
    that look like its capitals ("ban hành kế hoạch") with the name as ND30 writes it ("Kế
    hoạch"): OCR tells K from k, C from c, by size alone, which a stamp's frame beside it
    upsets. The caller keeps the field flagged: it may have been written so."""
    return _TYPE_SMALL.sub(lambda found: found[1] + found[2][0].upper() + found[2][1:], text)


_TYPE_SMALL = re.compile(
    r"\b((?:[Bb]an hành|[Pp]hê duyệt|[Dd]ự thảo) )(kế hoạch|chương trình|chỉ thị|công văn)\b"
)


def with_first_word_whole(text: str) -> str:
    """A trích yếu that starts in small letters with the end of a word the stamp ate the
    start of ("ê duyệt Kế hoạch ..."), with that word whole when only one word of official
    writing ends so and pairs with the next ("phê duyệt"). The caller keeps the field
    flagged: the stamp may have eaten more ("Về việc" before it)."""
    words = text.split(" ", 2)
    if len(words) < 2 or not words[0][:1].islower():
        return text
    whole = whole_first_word(words[0], words[1])
    return " ".join([whole, *words[1:]]) if whole else text


def with_head_under_stamp(text: str, lost: float, doc_type: str | None) -> str:
    """A trích yếu that starts in small letters, its line `lost` characters short at its
    start of being centred under the title, with the opening the stamp ate put back when
    one fits that width: "Về việc" (eight characters with its space) before a decision's,
    a directive's, a submission's, a notice's ("thành lập Tổ công tác ...": the stamp ate
    "Về việc "), "Kết luận" before "của" (a notice of conclusions), "Dự họp" before an
    invitation's. As read otherwise. The caller keeps the field flagged."""
    first = text.split(" ", 1)[0]
    if lost < 1 or not first[:1].islower():
        return text
    heads = [
        head
        for head, fits in (
            ("Về việc", doc_type in ABOUT_TYPES and fold_word(first) != "của"),
            ("Kết luận", fold_word(first) == "của"),
            ("Dự họp", doc_type == "Giấy mời"),
        )
        if fits and abs(len(head) + 1 - lost) <= _HEAD_SLACK
    ]
    return f"{heads[0]} {text}" if len(heads) == 1 else text


_HEAD_SLACK = 1.5  # characters: a line's width per character is the mean of its own


def slip_beside_number(read: str, mended: str) -> bool:
    """Whether a word right before a number was mended ("tháng đầu nằm 2021" -> năm): what
    spoiled the word may have spoiled a digit beside it, which no lexicon can tell (2021
    for 2024, read at 0.96 under a dark stamp). The caller trusts the document's own issue
    year there: a slip would have to make that very year."""
    before, after = read.split(), mended.split()
    if len(before) != len(after):
        return False
    return any(
        a != b and has_digit(nxt) for a, b, nxt in zip(before, after[:-1], after[1:], strict=False)
    )


def with_lost_head(text: str) -> str:
    """A trích yếu whose first word is the second of two it often opens with, the first
    eaten by the clerk's stamp ("Hình thực hiện ..." for Tình hình, "Quả công tác ..."),
    with it put back when one such opening ends in that word and the two words as read
    are not an opening of their own ("Khai thác ..."). The caller keeps the field
    flagged: the stamp may have eaten more."""
    words = text.split(maxsplit=2)
    if len(words) < 2 or not words[0][:1].isupper():
        return text
    first, second = fold_word(words[0]), fold_word(words[1])
    heads = _folded_heads()
    if any(b == second and loose_key(a) == loose_key(first) for a, b, _ in heads):
        return text  # an opening, or a slip in its first word ("Vệ việc", "Báo đảm")
    lost = [printed for _, b, printed in heads if b == first]
    if len(lost) != 1 or loose_key(first) == loose_key(second):
        return text  # "Hình hình ...": the opening's first word slipped, not lost
    return " ".join([lost[0], words[0].lower(), *words[1:]])


@functools.cache
def _folded_heads() -> tuple[tuple[str, str, str], ...]:
    """Each common opening's two words folded, and its first word as printed."""
    return tuple((fold_word(a), fold_word(b), a) for a, b in (h.split() for h in SUBJECT_HEADS))


def mended_years(text: str, issued: int | None) -> str:
    """A trích yếu with a year no trích yếu writes put right when one reading is near: one
    digit read as another ("năm 2915" in a document of 2015, "2019-2821"), or one read
    twice ("năm 20119"), making a year within a few of the document's own; of several, the
    document's own year ("năm 20241" in 2024), which a trích yếu names more than any other,
    or the one next to it when the others are far ("năm 209" in 2018: 2019); failing all,
    that year where only its century's digits are wrong ("năm 0917" in 2017).
    Left as read when none or several others are (the field is flagged by `looks_whole`
    either way)."""
    if issued is None:
        return text

    def mended(found: re.Match[str]) -> str:
        for readings in _readings(found.group(2)):  # the likelier slips first
            near = {y for y in readings if -_YEARS_BEFORE <= int(y) - issued <= _YEARS_AFTER}
            if len(near) > 1 and str(issued) in near:  # "năm 20241" in 2024: 2024, not 2021
                near = {str(issued)}
            if len(near) > 1:  # "năm 209" in 2018: 2019, a year off, not 2009, nine
                near = _next_to_issued(near, issued)
            if near:
                return found.group(1) + near.pop() if len(near) == 1 else found.group(0)
        digits, own = found.group(2), str(issued)
        if len(digits) == 4 and not _A_YEAR.fullmatch(digits) and digits[2:] == own[2:]:
            return found.group(1) + own  # its century misread: "năm 0917" in 2017
        return found.group(0)

    return _YEAR_SLOT.sub(mended, text)


def _next_to_issued(years: set[str], issued: int) -> set[str]:
    """Of several readings of a year, the one a year or less from the document's own when
    every other is `_FAR_YEARS` or more from it; all of them otherwise."""
    near = {y for y in years if abs(int(y) - issued) <= 1}
    far = all(abs(int(y) - issued) >= _FAR_YEARS for y in years - near)
    return near if len(near) == 1 and far else years


_FAR_YEARS = 5


def doubted_year_as_issued(text: str, issued: int | None, doc_type: str | None = None) -> str:
    """A trích yếu whose numbers OCR doubted, with a year one digit off the year its
    document was issued read as that year ("năm 2046" in a document of 2016), unless that
    year is in it already or the year is one of a span's. A trích yếu names the year of
    its document more than any other, and a doubted digit is the likelier slip; the caller
    keeps the field flagged. A plan or a draft may name the next year too ("góp ý dự thảo
    Kế hoạch ... năm 2022" in 2021; a Kế hoạch of November on the next year's work): where
    that reads as well, it is left as read."""
    if issued is None or str(issued) in text:
        return text
    ahead = doc_type in _AHEAD_TYPES or _AHEAD.search(text) is not None
    years = [str(issued), str(issued + 1)] if ahead else [str(issued)]

    def mended(found: re.Match[str]) -> str:
        digits, spanned = found.group(2), _SPAN_ON.match(text, found.end())
        if len(digits) != 4 or not found.group(1) or spanned:
            return found.group(0)  # a span's years: the other bounds them ("2021-2026")
        near = [y for y in years if sum(a != b for a, b in zip(digits, y, strict=True)) <= 1]
        return found.group(1) + near[0] if len(near) == 1 else found.group(0)

    return _YEAR_SLOT.sub(mended, text)


_SPAN_ON = re.compile(r"\s*[-–]\s*\d")
_AHEAD_TYPES = frozenset({"Kế hoạch", "Chương trình", "Đề án", "Phương án", "Dự án"})
_AHEAD = re.compile(r"\b(?:kế hoạch|dự thảo|phương hướng|chương trình|đề án)\b", re.IGNORECASE)


def _readings(digits: str) -> list[set[str]]:
    """The years `digits`, no year, may have been, likelier first: one digit another; one
    lost anywhere ("năm 202"); or one read twice ("20119"), else one more digit anywhere
    (the stamp's: "năm 23023")."""
    if len(digits) == 4 and not _A_YEAR.fullmatch(digits):
        return [{digits[:i] + d + digits[i + 1 :] for i in range(4) for d in "0123456789"}]
    if len(digits) == 3:
        return [{digits[:i] + d + digits[i:] for i in range(4) for d in "0123456789"}]
    if len(digits) == 5:
        twice = {digits[:i] + digits[i + 1 :] for i in range(4) if digits[i] == digits[i + 1]}
        return [twice, {digits[:i] + digits[i + 1 :] for i in range(5)}]
    return []


_A_YEAR = re.compile(r"19[4-9]\d|20\d\d")
_YEARS_BEFORE, _YEARS_AFTER = 15, 10  # a trích yếu's years around its document's
# A year's place: after "năm" (its marks lost or misread too: "nam", "nằm"), "giai đoạn",
# or a year and a dash.
_YEAR_SLOT = re.compile(
    r"(\b(?:n[aăâàáảãạằắẳẵặầấẩẫậ]m|đoạn)\s*|(?<=\d[-–]))(\d{3,5})\b", re.IGNORECASE
)


def without_stamp_tail(text: str) -> str:
    """A trích yếu without the clerk's stamp read at its end: the receiving agency's name in
    capitals ("... tố cáo UBND HUYỆN TÂY SƠN đt"). A trích yếu in small letters writes places
    and agencies with one capital, so two or more words in capitals at its end, one of them
    toned, are the stamp's. The caller keeps the field flagged: the stamp lay over it."""
    words = text.split()
    end, shouted, toned = len(words), 0, False
    while end > 0:
        word = words[end - 1].strip(",.;:()\"“”'")
        if len(word) >= 2 and word.isalpha() and word.isupper():
            shouted += 1
            toned = toned or _TONED_CAPS.fullmatch(word) is not None
        elif end < len(words) or len(word) > 2:  # a speck may end the line: "... SƠN đt"
            break
        end -= 1
    rest = " ".join(words[:end])
    if shouted >= 2 and toned and any(c.islower() for c in rest):
        return rest
    return text


def without_stamp_opening(text: str) -> str:
    """A trích yếu the clerk's stamp's own words, read in line with it, open: its "ĐẾN"
    and the hand's marks after it ("ĐEN có bảo đảm ..."), or a short word before a
    capitalised opening ("sơ Kết Luận của ...": the stamp's "SỞ"), less them, where one
    of the common openings follows within three words ("Bảo đảm", "Kết luận", printed so).
    The caller keeps the field flagged: the stamp lay over it."""
    words = text.split()
    heads = _openings()
    for k in range(1, min(4, len(words) - 1)):
        head_word = fold_word(words[k])
        head = heads.get((head_word, fold_word(words[k + 1])))
        if head is None:
            continue
        den = _STAMPS_DEN.fullmatch(words[0]) is not None
        if den and not written_pair(words[k - 1], words[k]):
            return " ".join([head, *words[k + 2 :]])
        stray = len(words[0]) <= _STRAY_LETTERS and (fold_word(words[0]), head_word) not in heads
        if k == 1 and stray and words[1][:1].isupper():
            return " ".join([head, *words[k + 2 :]])
        # A letter alone before an opening in small letters ("I triển khai ..."), a word in
        # capitals before a capitalised one it makes no pair with ("Hiệp Kiểm tra ..."):
        # the stamp's print or ink, read as a word.
        letter = len(words[0]) == 1 and words[0].isalpha()
        capital = words[0][:1].isupper() and words[1][:1].isupper()
        if k == 1 and (letter or capital and not written_pair(words[0], words[1])):
            return " ".join([head, *words[k + 2 :]])
        return text
    return text


@functools.cache
def _openings() -> dict[tuple[str, str], str]:
    """Each common opening as printed, by its two words folded."""
    return {(a, b): f"{printed} {b}" for a, b, printed in _folded_heads()}


_STRAY_LETTERS = 3  # a word this short before a capitalised opening: the stamp's ("SỞ")
_STAMPS_DEN = re.compile(rf"{STAMP_DEN}\W*")  # the stamp's "ĐẾN", however read


def without_specks(text: str) -> str:
    """A trích yếu without specks OCR read as marks where print has none: a full stop or an
    exclamation or question mark between words in small letters ("số liệu phòng. cháy",
    "công! tác", glued: "thiên tai.và") or before a capitalised one ("phê duyệt. Kế
    hoạch"), a colon inside a phrase ("phần mềm: quản lý"), a dash doubled in a
    span of years ("2017- -2019"), a dash after a comma before a small word ("tiếp công dân,
    - giải quyết"), a colon inside a word ("L:ao động") or a stop after an I ("I.âm Hà":
    the L's foot), a mark no trích yếu holds glued to a word's end ("phòng#, chống"; a bar
    there is a comma's tail: "phòng| chống") or a bar glued to a word's start ("|Kế
    hoạch": the stamp's frame), a
    capital alone after its closing number ("giai đoạn 2020-2024 H") or a number of a digit
    or two ("năm 2022 1": the clerk's pen), a comma between the two words of a compound
    with no space after it ("Kiểm,tra"; elsewhere it is print's, its space lost) or
    with one, when neither word pairs outwards ("Ban, hành Quy chế") or after a document's
    name before a small word ("dự thảo Kế hoạch, tuyển sinh"), a semicolon between
    small words (a trích yếu's list has commas: "quản lý; sử dụng"), a mark between "năm"
    and its year ("năm: 2020", "năn,2023", "năm-2015") or a number word and its number
    ("lớp-10"), or inside a year ("năm 202.4", "202-4"),
    a digit alone between two words that pair ("người có 0 công"), a space on one side of a
    span's dash ("2023- 2025") or in its place ("2018 2020"), an l read as a bracket
    ("chỉnh ]ý"), an apostrophe after a word that no quotation opened ("quý II' năm 2019"),
    a consonant alone between the halves of a compound ("chỉnh h lý") or before a word it starts ("t
    tài liệu": the word's edge read twice) or read apart from the word it starts ("C ác tập
    thể": các), a leader's title's capital read twice ("của C chủ tịch"), a
    quotation mark opening at the end ("năm 2020“") or, closing nowhere, before a small
    word ("tiêu cực "tỉnh Bắc Giang"), a capital inside a word ("quản lÝ") or on one of a
    phrase ("thành Tích xuất sắc"), a digit with a bracket no bracket opened ("bộ máy 0)
    năm 2016"), a stop before
    the first capital (".Kiểm tra"), the quarter's word with its mark lost before its
    numeral ("quy III": quý, nothing else is numbered so), and the storm's ("bảo số II":
    bão) and its number's ("bão sẽ I": số); and a list's comma OCR lost in a fixed
    phrase ("tiếp công dân giải quyết khiếu nại"). The caller keeps the field flagged:
    what made the speck may have hidden more."""
    quoted = _OPENING_APOSTROPHE.search(text) is not None
    text = _LEAD_STOP.sub("", text)  # ".Kiểm tra ...": a speck before its first capital
    text = _STOP_MID.sub(" ", text)
    text = _STOP_GLUED.sub(" ", text)
    text = _COLON_MID.sub(_colon_in_phrase, text)
    text = _STOP_BEFORE_CAPITAL.sub(" ", text)
    text = _DOUBLE_DASH.sub("-", text)
    text = _DASH_AFTER_COMMA.sub(", ", text)
    text = _COLON_IN_WORD.sub("", text)
    text = _STOP_IN_YEAR.sub(
        lambda m: m[1] + m[2] if _A_YEAR.fullmatch(m[1] + m[2]) else m[0], text
    )
    text = _DIGIT_BETWEEN.sub(_digit_unspecked, text)
    text = _SPAN_SPACED.sub(_span_closed, text)
    text = _BAR_AFTER_WORD.sub(",", text)
    text = _MARK_AFTER_WORD.sub("", text)
    text = _COMMA_IN_WORD.sub(_comma_mended, text)
    text = _COMMA.sub(_comma_in_compound, text)
    text = _COMMA_AFTER_TYPE.sub(_comma_after_type, text)
    text = _MARK_BEFORE_WORD.sub("", text)
    text = _SEMICOLON.sub(_semicolon_in_list, text)
    text = _MARK_BEFORE_YEAR.sub(_year_unmarked, text)
    text = _MARK_BEFORE_NUMBER.sub(_number_unmarked, text)
    text = _BAR_FOR_L.sub(_l_unbarred, text)
    text = _SPECK_LETTER.sub(_letter_unspecked, text)
    text = _SPLIT_ONSET.sub(_onset_rejoined, text)
    text = _CAPITAL_ECHO.sub(_capital_unechoed, text)
    if text.count("“") != text.count("”"):  # a quotation that closes nowhere: a speck
        text = _OPEN_QUOTE.sub("", text)
    if text.count('"') % 2:
        text = _OPEN_STRAIGHT_QUOTE.sub("", text)
    if not quoted:  # a quote mark that opens nowhere: a speck
        text = _CLOSING_APOSTROPHE.sub("", text)
    text = _SPLIT_YEAR.sub(_year_mended, text)
    text = " ".join(_unglued(word) for word in text.split(" "))
    text = _unglued_between(text)
    text = _QUARTER.sub("quý", text)
    text = _STORM_NUMBER.sub("số", _STORM.sub("bão", text))
    text = _CAPITAL_INSIDE.sub(_capital_unshouted, text)
    text = _capitals_in_phrases(text)
    if "(" not in text:
        text = _DIGIT_BRACKET.sub("", text)
    text = _NUMERAL_AFTER.sub(_numeral_mended, text)
    text = _LONE_END_NUMBER.sub(_number_unannounced, text)
    return with_list_commas(_LETTER_AFTER_NUMBER.sub("", text))


def _span_closed(match: re.Match[str]) -> str:
    """A span of years with a space beside its dash or in its place ("2023- 2025", "2018
    2020": the dash lost), written as print writes it; two years in a row that are no span
    (the later first) as read."""
    first, last = match[1], match[2]
    return f"{first}-{last}" if "-" in match[0] or "–" in match[0] or last > first else match[0]


def _l_unbarred(match: re.Match[str]) -> str:
    """A word whose l was read as a bracket or a bar ("chỉnh ]ý tài liệu"), with its l,
    when the word before pairs with it so (chỉnh lý)."""
    before, rest = match[1], match[2]
    word = "l" + rest
    return f"{before} {word}" if written_pair(before, word) else match[0]


_BAR_FOR_L = re.compile(r"([^\W\d_]+) (?:[-–_]+ )?[\]|!]([a-zà-ỹđ]+)\b")  # "chỉnh -_ ]ý"


def _digit_unspecked(match: re.Match[str]) -> str:
    """A digit alone between two words that pair, after a word no number follows: a speck
    ("người có 0 công", 0.93 on a fresh seed's old copier). "lớp 6 năm" keeps its grade."""
    before, after = match[1], match[2]
    if announces_number(before) or not written_pair(before, after):
        return match[0]
    return before + " "


def _capitals_in_phrases(text: str) -> str:
    """ "cá nhân có thành Tích xuất sắc": a capitalised word between small ones that makes
    a phrase of official writing with the word before it is that phrase's, its capital a
    misread (no name goes on in small letters)."""
    words = text.split(" ")
    for i in range(1, len(words) - 1):
        before, word, after = words[i - 1], words[i], words[i + 1]
        if not (word[:1].isupper() and word[1:].islower() and before.islower()):
            continue
        if after.islower() and common_pair(before, word.lower()):
            words[i] = word.lower()
    return " ".join(words)


# "bộ máy 0) năm 2016": a digit and a closing bracket no bracket opened, between words
_DIGIT_BRACKET = re.compile(r" \d[)\]}](?= )")


def _capital_unshouted(match: re.Match[str]) -> str:
    """A word in small letters with a capital read after one ("quản lÝ"), in small letters
    when that is a syllable: no print of a Vietnamese word has a capital there."""
    word = match[0]
    return word.lower() if capital_after_small(word) and is_syllable(word.lower()) else word


_CAPITAL_INSIDE = re.compile(r"[^\W\d_]+")


def _letter_unspecked(match: re.Match[str]) -> str:
    """A consonant alone after a word, gone when nothing can hide there: between the two
    halves of a compound ("chỉnh h lý"), or before the word it starts ("t tài liệu"); or
    the word it is the remains of, the one it starts that the word before pairs with ("cá
    nhân c thành tích": có), unless that word names items ("điểm b", "khoản c") or the
    letter starts the next word read apart from it."""
    before, letter, after = match.groups()
    if known_pair(before, after) or after.startswith(letter):
        return before
    named = before.islower() and before not in _ITEM_WORDS
    split = is_syllable(letter + after)  # "huyện l ục Nam": Lục, read apart (_onset_rejoined)
    word = paired_word_starting(before, letter) if named and not split else None
    return f"{before} {word}" if word else match[0]


_ITEM_WORDS = frozenset({"điểm", "khoản", "mục", "tiết", "phần", "phụ", "lục"})


# (after a list's comma too: "phòng, c chống")
_SPECK_LETTER = re.compile(rf"\b([^\W\d_]+,?) ([{LONE_CONSONANTS}])(?= ([a-zà-ỹđ]+))")


def _colon_in_phrase(match: re.Match[str]) -> str:
    """A colon between two words official writing pairs ("phần mềm: quản lý văn bản") is a
    speck; one before what it introduces ("báo cáo kết quả: phổ biến, ...") may be print."""
    before, after = match.groups()
    return f"{before} " if written_pair(before, after) else match[0]


def _capital_unechoed(match: re.Match[str]) -> str:
    """ "C chủ tịch" as "Chủ tịch": a leader's title, which a trích yếu writes with its
    capital, the capital read twice; "về việc C chuyển đổi" is a speck's, not this."""
    letter, word, after = match.groups()
    title = loose_key(f"{word} {after}")
    if word[0] != letter.lower() or not any(t.startswith(title) for t in TITLES):
        return match[0]
    return letter + word[1:]


def _onset_rejoined(match: re.Match[str]) -> str:
    """A word's first consonant read apart from the rest ("khen thưởng C ác tập thể"), joined
    again when the two make a word of official writing, or a syllable where the rest is no
    word of it ("giai d ạn": dạn, which the pair check puts right, đoạn): a consonant is no
    word on its own."""
    letter, rest = match.groups()
    joined = (letter.lower() if rest[0].islower() else letter) + rest
    starts_vowel = loose_key(rest[:1]) in tuple("aeiouy")
    written = common_word(joined) or not common_word(rest)
    return joined if starts_vowel and is_syllable(joined) and written else match[0]


_SPLIT_ONSET = re.compile(rf"(?<![\w/.-])([{LONE_CONSONANTS}]) ([^\W\d_]+)", re.IGNORECASE)


def _number_unannounced(match: re.Match[str]) -> str:
    """A number of a digit or two ending the trích yếu after a word that never comes
    before one ("... các cơ quan, đơn vị 1") or after the closing year ("năm 2022 1"): the
    clerk's pen, read; "lớp 10", "đợt 2", "Phường 5" as printed."""
    return match[0] if announces_number(match[1]) else match[1]


# After a word or a year, not any number ("Điều 5 2" is left to the other checks)
_LONE_END_NUMBER = re.compile(r"\b([^\W\d_]+|(?:19|20)\d\d) \d{1,2}$")


def _numeral_mended(match: re.Match[str]) -> str:
    """The Roman numeral of a quarter or a storm as printed, when its misreading allows but
    one ("quý EV" -> IV, "quý Ï" -> I, "bão số H" -> II: two strokes joined by a speck;
    "quý HII" -> III: an H is two strokes, or one a speck crossed where two make no
    numeral); anything else as it was (a storm may have an Arabic number)."""
    read = match[2]
    if read.isdigit():
        return match[0]  # "quý 1", "bão số 1": as printed
    for strokes in (_strokes(read.replace("H", "II")), _strokes(read.replace("H", "I"))):
        if strokes in ("I", "II", "III", "IV"):
            return match[1] + strokes
    return match[0]


def _strokes(read: str) -> str:
    """A Roman numeral's upright strokes as I, however OCR read them."""
    strokes = "".join("I" if c in _STROKES else c for c in read)
    return "IV" if strokes.endswith("V") and len(strokes) == 2 else strokes  # a V: the 4th


def _comma_mended(match: re.Match[str]) -> str:
    """A comma glued between two words: a speck inside a compound, else the comma print
    sets, its space lost."""
    return f"{match[1]} {match[2]}" if known_pair(match[1], match[2]) else f"{match[1]}, {match[2]}"


def _comma_in_compound(match: re.Match[str]) -> str:
    """ "Ban, hành Quy chế", "Kết quả công, tác": a comma between the two words of a
    compound (as read, or one of the lexicon's with a mark misread: "phận, mềm"), neither of
    which pairs with its other neighbour, is a speck. In a list the words beside the comma
    pair outwards ("cán bộ, công chức"; marks aside: "phòng chay, chữa cháy"), or the
    regulations write the two as one ("gửi, nhận")."""
    a, b = match[1], match[2]
    compound = (a, b) if written_pair(a, b) else compound_of(a, b)  # "phận, mềm": a slip too
    if compound is None or listed_pair(*compound):
        return match[0]
    before = _WORD_BEFORE.search(match.string, 0, match.start())
    after = _WORD_AFTER.match(match.string, match.end())
    if (before and _pairs_loosely(before[1], a)) or (after and _pairs_loosely(b, after[1])):
        return match[0]
    return f"{a} {b}"


def _comma_after_type(match: re.Match[str]) -> str:
    """ "góp ý dự thảo Kế hoạch, tuyển sinh ...": a comma after the name of a document the
    trích yếu names, before a small word, is a speck: the name goes on ("Kế hoạch tuyển
    sinh"), and the regulations list types with capitals ("Báo cáo, Tờ trình"), or small
    letters only when all are ("kế hoạch, chương trình")."""
    following = match[2]
    return match[0] if following.lower() in _TYPE_WORDS else f"{match[1]} {following}"


def _pairs_loosely(a: str, b: str) -> bool:
    """Whether `a` `b` are a known pair, as read or with a mark misread ("phòng chay")."""
    return known_pair(a, b) or compound_of(a, b) is not None


def _semicolon_in_list(match: re.Match[str]) -> str:
    """ "quản lý; sử dụng" -> "quản lý, sử dụng": a trích yếu is one phrase, its lists
    part their items with commas."""
    a, b = match.groups()
    return f"{a}, {b}" if a.islower() and b.islower() else match[0]


def without_specks_in_compounds(text: str) -> str:
    """A trích yếu without the specks read between the two small words of one compound of
    the lexicon ("xây - dựng", "khen ˆ - thưởng", "đầu tư. công", "an. toàn", "cấp _
    nước", "cải., cách"). Nothing can hide between the halves of one word, so unlike
    `without_specks`' these leave the field trusted. Print's dash joins capitalised names
    ("Tài chính - Kế hoạch"), spaced; one glued between the halves ("Kế-hoạch") is a speck
    all the same. A mark in a list the regulations write may be its comma ("phòng.
    chống"); a comma alone, a list's own, is `without_specks`' to judge."""
    text = _MARKS_BETWEEN.sub(_marks_in_compound, text)
    return _MARKS_AND_COMMA.sub(_marks_in_compound, text)


def _marks_in_compound(match: re.Match[str]) -> str:
    a, marks, b = match.groups()
    both_small = a.islower() and b.islower()
    small = both_small or marks in ("-", "–")
    # a dash alone between two small words the regulations write as one ("phục - vụ") too,
    # and one glued between the halves of one with a mark misread ("để-nghị": đề nghị)
    dashed = both_small and marks.strip() in ("-", "–") and written_pair(a, b)
    glued = both_small and marks in ("-", "–") and compound_of(a, b) is not None
    inside = small and (common_pair(a, b) or dashed or glued) and not listed_pair(a, b)
    return f"{a} {b}" if inside else match[0]


def with_words_under_specks(text: str) -> str:
    """A trích yếu with the word a speck stands for put back: a mark alone between two small
    words that make no pair, where a phrase of official writing puts one word only between
    them ("bảo đảm an _ thực phẩm": toàn, the stamp's ink read as the mark where the word
    was). The caller flags the field: the word is likely, not read."""
    return _SPECK_BETWEEN.sub(_word_under_speck, text)


def _word_under_speck(match: re.Match[str]) -> str:
    a, b = match[1], match[2]
    lost = word_lost_between(a, b) if a.islower() and b.islower() else None
    return match[0] if lost is None else f"{a} {lost} {b}"


# A mark no print sets alone between words (not a dash, a colon or a stop: print's own)
_SPECK_BETWEEN = re.compile(r"([^\W\d_]+)\s+[_—~=ˆ^`]+\s+([^\W\d_]+)")


def _year_unmarked(match: re.Match[str]) -> str:
    """ "năm: 2020", "năn,2023", "nằm. 2019": a year's "năm" (as OCR may read it) and the
    year, a speck between them; any other word before a mark and a number as it was."""
    word = match[1]
    key = loose_key(word)
    year = word.islower() and (key == "nam" or one_edit_apart(key, "nam"))
    return f"{word} " if year else match[0]


def _number_unmarked(match: re.Match[str]) -> str:
    """ "lớp-10", "quý:2": a word a number follows and the number, a speck between them (2190
    c0155, a fresh seed's old copier, registered "vào lớp-10" at 0.95); else as it was."""
    word = match[1]
    return f"{word} " if word.islower() and announces_number(word) else match[0]


def _year_mended(match: re.Match[str]) -> str:
    """A year a speck split ("201;7"), or the dash of a span of years read as a mark
    ("2026:2030"); anything else as it was."""
    left, _, right = match.groups()
    if len(left) == len(right) == 4:  # "2018:2420": the second year is `mended_years`'s
        return f"{left}-{right}" if _YEAR.fullmatch(left) else match[0]
    return left + right if _YEAR.fullmatch(left + right) else match[0]


def _unglued(word: str) -> str:
    """A word in small letters that is no syllable but two run together, perhaps with a
    speck between them ("trênđịa", "táclsắp"), when only one way splits it so. Two tones,
    or a đ inside, tell two syllables; without them ("truyen") a lost tone is likelier."""
    if not word.isalpha() or not word.islower() or not foreign_or_invalid(word):
        return word
    tones = sum(mark in _TONE_MARKS for mark in unicodedata.normalize("NFD", word))
    if tones < 2 and "đ" not in word[1:]:
        return word
    splits = {
        f"{word[:i]} {word[j:]}"
        for i in range(1, len(word))
        for j in (i, i + 1)
        if j == i or word[i] in STROKE_SPECKS
        if _two_letter_syllable(word[:i]) and _two_letter_syllable(word[j:])
    }
    return splits.pop() if len(splits) == 1 else word


def _unglued_between(text: str) -> str:
    """`text` with a word in small letters that is no syllable split in two where only one
    split makes each half pair with its neighbour ("trật tựan toàn": tự an, 1784 c0156):
    one tone or none does not tell two syllables (`_unglued`), the neighbours do."""
    words = text.split(" ")
    for k in range(1, len(words) - 1):
        word, before = words[k], words[k - 1]
        if not (word.isalpha() and word.islower() and foreign_or_invalid(word)):
            continue
        after = next((w for w in words[k + 1 :] if any(c.isalpha() for c in w)), "")  # " . "
        splits = {
            (word[:i], word[i:])
            for i in range(1, len(word))
            if is_syllable(word[:i])
            and is_syllable(word[i:])
            and written_pair(before, word[:i])
            and written_pair(word[i:], after)
        }
        if len(splits) == 1:
            words[k] = " ".join(splits.pop())
    return " ".join(words)


def _two_letter_syllable(word: str) -> bool:
    return len(word) >= 2 and is_syllable(word)


_OPENING_APOSTROPHE = re.compile(r"(?:^|\s)['‘`]\w")
_CLOSING_APOSTROPHE = re.compile(r"(?<=\w)['’`]+(?=\s|$)")
_STOP_MID = re.compile(r"(?<=[a-zà-ỹđ])[.!?]\s+(?=[a-zà-ỹđ])")  # no trích yếu asks or cries
_STOP_GLUED = re.compile(r"(?<=[a-zà-ỹđ]{2})[.!?](?=[a-zà-ỹđ]{2})")  # "thiên tai.và tìm kiếm"
_COLON_MID = re.compile(r"([a-zà-ỹđ]{2,}):\s+(?=([a-zà-ỹđ]+))")  # see _colon_in_phrase
# A capital read apart before the title it starts, the title read whole in small letters
# ("Kết luận của C chủ tịch"): the title with its capital.
_CAPITAL_ECHO = re.compile(r"(?<=[a-zà-ỹđ] )([BCDĐGHKLMNPQRSTVX]) ([a-zà-ỹđ]+)(?= ([a-zà-ỹđ]+))")
_STOP_BEFORE_CAPITAL = re.compile(r"(?<=[a-zà-ỹđ]{2})\.\s+(?=[A-ZĐÀ-Ỹ])")  # "phê duyệt. Kế hoạch"
_DOUBLE_DASH = re.compile(r"(?<=\d)-\s+-(?=\d)")  # "2017- -2019"
_DASH_AFTER_COMMA = re.compile(r",\s+[-–—]\s+(?=[a-zà-ỹđ])")  # "công dân, - giải quyết"
# "L:ao động"; "I.âm Hà" (the L's foot read as a stop: the place's check puts the L back)
_COLON_IN_WORD = re.compile(r"(?<=[^\W\d_]):(?=[^\W\d_])|(?<=\bI)\.(?=[a-zà-ỹđ])")
# "năm 202.4": a speck inside the year
_STOP_IN_YEAR = re.compile(r"(?<=\bn[aăâ]m )(\d{1,3})[.,\-–](\d{1,3})\b", re.IGNORECASE)
# "giai đoạn 2023- 2025": a space on one side of a span's dash, which print sets on both or
# neither, is OCR's (fresh seed 1246 c0165, registered unflagged at 0.95)
_SPAN_SPACED = re.compile(r"\b((?:19|20)\d\d)(?: [-–]|[-–] | )((?:19|20)\d\d)\b")
_DIGIT_BETWEEN = re.compile(r"([^\W\d_]+) \d (?=([^\W\d_]+))")
_COMMA = re.compile(r"([^\W\d_]+), ([^\W\d_]+)")
# The names of documents a trích yếu names, as it writes them (ND30 Phụ lục III)
_TYPE_NAMES = (
    "Nghị quyết|Quyết định|Chỉ thị|Quy chế|Quy định|Thông cáo|Thông báo|Hướng dẫn|"
    "Chương trình|Kế hoạch|Phương án|Đề án|Dự án|Báo cáo|Tờ trình|Công văn|Nghị định|"
    "Thông tư|Công điện|Quy hoạch"
)
# a small word that may start a list's next item after one: another type, "văn bản", "các"
_TYPE_WORDS = frozenset(name.split()[0].lower() for name in _TYPE_NAMES.split("|")) | {
    "văn",
    "các",
    "những",
}
# after a word (not the trích yếu's first), before one in small letters
_COMMA_AFTER_TYPE = re.compile(rf"(?<=[^\W\d_] )({_TYPE_NAMES}), ([a-zà-ỹđ][^\W\d_]*)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
_WORD_AFTER = re.compile(r"\s+([^\W\d_]+)")
_BAR_AFTER_WORD = re.compile(r"(?<=[^\W\d_])\|(?= )")  # "phòng| chống": a comma's tail
# "phòng#, chống": a mark no trích yếu holds, glued to a word's end
_MARK_AFTER_WORD = re.compile(r"(?<=[^\W\d_])[#@$%*<>=~^\\{}]+(?=[ ,]|$)")
_COMMA_IN_WORD = re.compile(r"([^\W\d_]+),([^\W\d_]+)")  # "Kiểm,tra"
_LETTER_AFTER_NUMBER = re.compile(r"(?<=\d)\s+[A-ZĐ]$")
# "tìm ;kiếm", "bồi _dưỡng", "huyện 'Tam Nông": no trích yếu holds an apostrophe
_MARKS_BETWEEN = re.compile(r"([^\W\d_]+)((?:\s*[-–—ˆ^`~.!?_|:])+)\s*([^\W\d_]+)")
_MARKS_AND_COMMA = re.compile(r"([^\W\d_]+)([.:;'`]+,|,[.:;'`]+)\s*([^\W\d_]+)")  # "cải., cách"
_SEMICOLON = re.compile(r"([^\W\d_]+);\s+([^\W\d_]+)")
_MARK_BEFORE_YEAR = re.compile(r"\b([^\W\d_]{1,4})[,:;.-]\s?(?=(?:19|20)\d\d\b)")
_MARK_BEFORE_NUMBER = re.compile(r"\b([^\W\d_]{2,6})[,:;.-]\s?(?=\d{1,2}\b)")
# "tìm ;kiếm", "về -chỉnh lý" (a dash glued to a small word: print's list dash has a space)
# ... and a bar glued to any word: no print sets one ("dự thảo |Kế hoạch": the stamp's frame)
_MARK_BEFORE_WORD = re.compile(r"(?<=\s)(?:[;,_„‚|~`\-–]+(?=[a-zà-ỹđ])|['’|]+(?=[^\W\d_]))")
_OPEN_STRAIGHT_QUOTE = re.compile(r'(?<=\s)"(?=[a-zà-ỹđ])')
_OPEN_QUOTE = re.compile(r"(?<=\s)“(?=[a-zà-ỹđ])|(?<=\w)“$")  # "... năm 2020“": opens nothing
# "quy III": the quarter's word, its mark lost (no other "quy" takes a Roman numeral)
_QUARTER = re.compile(r"\bq(?:uy|úy|ùy|ủy|ũy|ụy)(?=\s+(?:I{1,3}|IV)\b)")
# "bảo số HI": the storm's word, its mark slipped, before a Roman numeral (read or misread)
_STORM = re.compile(
    r"\bb(?:ảo|áo|ào|ạo|ao)(?=\s+s[^\W\d_]{1,2}\s+[IlLHVEFTX1|!ÏÍÌÎ]{1,4}(?![\w/-]))"
)
# "bão sẽ I": its "số" misread; nothing else stands between a storm and its numeral
_STORM_NUMBER = re.compile(r"(?<=\bbão )s[^\W\d_]{1,2}(?=\s+[IlLHVEFTX1|!ÏÍÌÎ]{1,4}(?![\w/-]))")
# "quý I".."quý IV", "bão số II": a Roman numeral, misread ("quý EV", "quý Ï", "bão số H")
# what the upright stroke of an I is read as (T: its foot lost; L: its foot read long)
_STROKES = "Il1|!EFTLÏÍÌÎïíì"
_NUMERAL_AFTER = re.compile(rf"(\b(?:quý|bão số)\s+)([{_STROKES}HV]{{1,3}})(?![\w/-])")
_SPLIT_YEAR = re.compile(r"\b(\d{1,4})([;:,'’])(\d{1,4})\b")
_YEAR = re.compile(r"19[4-9]\d|20\d\d")
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def trim_edges(text: str) -> tuple[str, bool]:
    """A trích yếu without what OCR adds at its ends: a list dash or a speck before it
    ("- Về việc", "'Kiểm tra", "[triển khai": a stamp's frame), a dash or punctuation after
    it ("2020-2025—"), a full stop after its last word or number (a speck: ND30 ends no
    trích yếu with one; "TP." keeps its own), a bracket before it that closes nowhere, a
    dotted rule or a speck before or after it ("ˆ Công tác", "2024.....", "2018 ˆ"), and a
    quotation mark at its start that closes nowhere or a letter alone before two words that
    pair ("ý góp ý dự thảo": the pair's letter read twice), and whether there was one."""
    text = _FULL_STOP.sub("", text.strip(" -–—•_`'‘’:,;[|"))
    if text[:1] == "(" and ")" not in text:  # "(Quy định ...": a bracket closing nowhere
        text = text[1:].lstrip()
    while text and _speck(text.split(" ", 1)[0]):  # "ˆ Công tác", "1} Kết quả": specks
        text = text.split(" ", 1)[1] if " " in text else ""
    while text and _speck(text.rsplit(" ", 1)[-1]):  # "... năm 2018 ˆ"
        text = text.rsplit(" ", 1)[0] if " " in text else ""
    text = _DOTTED_TAIL.sub("", text)
    if text[:1] in '"“' and sum(text.count(q) for q in '"“”') % 2 == 1:
        return text[1:].lstrip(), True
    head = text.split(" ", 3)
    if len(head) >= 3 and len(head[0]) == 1 and head[0].isalpha() and known_pair(*head[1:3]):
        return " ".join(head[1:]), True  # "ý góp ý dự thảo": a letter alone before a pair
    return text, False


def _speck(word: str) -> bool:
    return not holds_print(word) or speck_word(word)


def judge_places(text: str) -> tuple[str, float]:
    """A trích yếu with the places it names ("trên địa bàn huyện Cấm Xuyên") judged by the
    gazetteer as the date line's place is, a school's name as a person's ("Trường THCS Chu
    Vẫn Ăn"), and the factor its confidence is multiplied by."""
    factor = 1.0

    def judged(match: re.Match[str]) -> str:
        nonlocal factor
        place, as_placed = checked_place(match.group(2), match.group(1))
        factor = min(factor, as_placed)
        return match.group(1) + place

    def named(match: re.Match[str]) -> str:  # a school is named after a person or a place
        nonlocal factor
        name = match.group(2)
        hero = namesake(name)
        if hero is not None:  # "Trường THCS Chu Văn Ân": Chu Văn An, doubted
            factor = min(factor, namesake_factor(hero, name))
            return match.group(1) + hero
        if gazetteer.shipped().known_place(name):
            return match.group(0)
        name, as_named = checked_name(name)
        factor = min(factor, as_named)
        return match.group(1) + name

    text = _TYPE_AFTER_AREA.sub(_unit_type_mended, text)
    unspecked = _SPECK_BEFORE_NAME.sub(_unit_type_unspecked, text)
    if unspecked != text:  # what made the speck may have hidden more
        text, factor = unspecked, UNKNOWN_PLACE
    text = _SO_BEFORE_NAME.sub(_department_mended, text)
    text = _SMALL_PLACE.sub(_place_capitalised, text)
    text, ruled = _ministries_judged(text)
    return _SCHOOL_NAME.sub(named, _NAMED_PLACE.sub(judged, text)), min(factor, ruled)


def with_place_completed(text: str, near: str | None) -> str:
    """A trích yếu ending on a place whose name the stamp cut short ("... trên địa bàn
    huyện Tháp"), with the name whole where one unit of the type written is named so in
    the date line's province (`completed_place`: Tháp Mười). The caller keeps the field
    flagged: the stamp may have eaten more after it."""
    last = next((m for m in _NAMED_PLACE.finditer(text) if m.end() == len(text)), None)
    if last is None:
        return text
    whole = completed_place(last[1], last[2], near)
    return text[: last.start(2)] + whole if whole else text


def _unit_type_mended(match: re.Match[str]) -> str:
    """ "trên địa bàn xa Kỳ Tân": after "địa bàn", before a name, the word is a unit's type;
    one with the letters of exactly one type is that type, its mark lost ("xa": xã)."""
    word = match[2]
    types = [t for t in _ONE_WORD_TYPES if loose_key(t) == loose_key(word)]
    return f"{match[1]}{types[0]}" if len(types) == 1 and word != types[0] else match[0]


def _unit_type_unspecked(match: re.Match[str]) -> str:
    """A speck where a unit's type stands before a place's name: the type every unit of the
    name bears, when they bear one (xã). Where a type stands: after "địa bàn" ("đ Bình
    Tường", 7171 c0163; "1B Mỹ Hương", 2961 c0200), or where the speck holds the type's end
    with a mark or a digit ("cộng đồng »ã Hoàng Vân", 7529 s0079)."""
    word = match[2]
    letters = "".join(c for c in word if c.isalpha())
    marked = letters != word and bool(letters)  # "»ã": a type's end, with a mark
    if len(word) > _SPECK_WORD or word in UNIT_TYPES or not (match[1] or marked):
        return match[0]  # (a short word before a name, "và Đào tạo", is print's)
    name = _NAME_AFTER.match(match.string, match.end())
    borne = {unit.type_word for unit in gazetteer.shipped().find(name[1])} if name else set()
    kind = borne.pop() if len(borne) == 1 else None
    if kind is None or not (match[1] or kind.endswith(letters)):
        return match[0]
    return f"{match[1] or ''}{kind}"


_SPECK_WORD = 2  # characters: a word this short where a unit's type stands is a speck
# A word of one or two characters before a capitalised word, after "địa bàn" (as read) or
# not: a speck where a unit's type stood
_SPECK_BEFORE_NAME = re.compile(r"(\bđịa bàn? )?(?<!\S)(\S{1,2})(?= [A-ZĐÀ-Ỹ])")
_NAME_AFTER = re.compile(rf" ({_CAPITALISED}(?: {_CAPITALISED}){{0,2}})\b")


_ONE_WORD_TYPES = tuple(t for t in UNIT_TYPES if " " not in t)


def _department_mended(match: re.Match[str]) -> str:
    """ "Giám đốc Sơ Giao thông vận tải": a capitalised word with the letters of "Sở" before
    a capitalised word a department's name starts with is "Sở", its mark misread."""
    return f"Sở {match[2]}" if known_pair("sở", match[2]) else match[0]


_SO_BEFORE_NAME = re.compile(r"\b(S[oòóỏõọôồốổỗộơờớởỡợ]) ([A-ZĐ][^\W\d_]*)")
_TYPE_AFTER_AREA = re.compile(r"(\bđịa bàn? )([a-zà-ỹđ]+)(?= [A-ZĐÀ-Ỹ])")


def _ministries_judged(text: str) -> tuple[str, float]:
    """A trích yếu with the ministries it names judged by rules/ministries.tsv: a name one
    slip of marks or letters from exactly one ministry's ("Bộ Từ pháp", read at 0.89 under
    the stamp) is put right, and the factor is the unknown place's; a name that is no
    ministry's at all ("Bộ Chỉ huy Quân sự") is left alone."""
    factor = 1.0
    for found in reversed(list(_MINISTRY.finditer(text))):
        start = found.end()
        rest = text[start:]
        fits = [
            name
            for name in _ministries()
            if loose_key(rest[: len(name)]) == loose_key(name)
            and not rest[len(name) : len(name) + 1].isalnum()
        ]
        if len(fits) == 1 and not rest.startswith(fits[0]):
            text = text[:start] + fits[0] + rest[len(fits[0]) :]
            factor = UNKNOWN_PLACE
    return text, factor


@functools.cache
def _ministries() -> tuple[str, ...]:
    names = (nfc(row.strip()) for row in gazetteer.shipped_rows("ministries.tsv"))
    return tuple(name for name in names if name)


_MINISTRY = re.compile(r"\bBộ (?=[A-ZĐÀ-Ỹ])")


def _place_capitalised(match: re.Match[str]) -> str:
    """A place after its unit's type whose first word lost its capital ("huyện khánh Vĩnh",
    at 0.88 on a fresh seed's old copier): capitalised when the gazetteer knows it, unless
    the type and that word are a compound of their own ("bảo hiểm xã hội An Giang")."""
    kind, first = match.group(1).split()[-1], match.group(2)
    place = " ".join(w.capitalize() for w in (first + match.group(3)).split())
    if f"{kind} {first}" in _TYPE_COMPOUNDS or not gazetteer.shipped().known_place(place):
        return match.group(0)
    return match.group(1) + place


# A unit's type and the word after it that make a word of their own, not a place.
_TYPE_COMPOUNDS = frozenset({"xã hội", "xã viên", "tỉnh ủy", "huyện ủy", "tỉnh táo"})


_FULL_STOP = re.compile(r"(?:(?<=[a-zà-ỹđ]{2})|(?<=\d))\.$")  # "... năm 2017.": a speck
_LEAD_STOP = re.compile(r"^\.+\s*(?=[A-ZĐÀ-Ỹ])")
_DOTTED_TAIL = re.compile(r"\.{2,}[-–—.]*$")  # a dotted rule or specks read after the last word


def looks_whole(text: str, *, titled: bool) -> float:
    """1.0 when a trích yếu looks whole and clean, else the penalty: one under a title starts
    with a capital ("việc đẩy mạnh ..." lost its "Về"), quotation marks come in pairs, no word
    is bare punctuation ("số liệu __ cải cách") nor starts with or holds any ("tìm ;kiếm",
    "đất:đai", "2022 ;1!6"), no capital follows a small letter ("dịCh"), a year has four
    digits ("năm 2 25"), a quarter a numeral ("quý EV") and a grade 1 to 12 ("lớp 19"), the
    first months are "6 tháng đầu năm" (not "tháng 6 đầu năm": read out of order), and
    a sentence holds no word
    in capitals that is a syllable rather than an abbreviation
    ("chuyển đổi SỐ"; UBND, HĐND and the like have no tone mark), it does not end on two
    lone characters ("năm 2016 7 ụ": specks; its other unfinished endings: `ends_cut_short`),
    nor hold a word twice in a row ("các cơ cơ quan")."""
    if not text:
        return 0.0
    cut = titled and text[0].islower()
    quotes = sum(text.count(q) for q in '"“”') % 2 == 1
    dust = any(
        not any(c.isalnum() for c in word) and (len(word) > 1 or word not in SUBJECT_MARKS)
        for word in text.split()
    )
    year = any(p.search(text) for p in (_BROKEN_YEAR, _ODD_YEAR, _BAD_QUARTER, _MONTHS_SWAPPED))
    dust = dust or bool(
        _MARK_IN_WORD.search(text) or _ODD_MARK_BY_DIGIT.search(text) or _MARK_MID.search(text)
    )
    dust = dust or capital_after_small(text)
    words = [v.strip(',.;:()"“”') for v in text.split()]
    shouting = not is_upper_text(text) and any(
        _TONED_CAPS.fullmatch(w) and (len(w) > 1 or i > 0)  # "khen Ị thường": a speck
        for i, w in enumerate(words)
    )
    cut = cut or (len(words) > 2 and all(len(w) == 1 for w in words[-2:]))  # "năm 2016 7 ụ"
    twice = _WORD_TWICE.search(text) is not None
    dust = dust or _SPLIT_WORDS.search(text) is not None
    shouting = shouting or any(_near_abbreviation(w) for w in words)
    return SPELLING_PENALTY if cut or quotes or dust or year or shouting or twice else 1.0


def with_abbreviations_mended(text: str) -> str:
    """A trích yếu with a word one letter off exactly one of the abbreviations every trích
    yếu uses put right ("UBXND", "UBXD" -> UBND). `looks_whole` flags it as read."""

    def mended(found: re.Match[str]) -> str:
        word = found.group(0)
        near = [known for known in _ABBREVIATIONS if one_edit_apart(word, known)]
        return near[0] if len(near) == 1 else word

    return _CAPITALS_WORD.sub(mended, text)


_CAPITALS_WORD = re.compile(r"(?<!\w)[A-ZĐ]{3,5}(?!\w)")


def _near_abbreviation(word: str) -> bool:
    """Whether `word` is one letter off the abbreviations every trích yếu uses, and not one
    of them: "UBXD" is UBND misread (UBKT, Ủy ban Kiểm tra, is two letters off)."""
    return word.isupper() and any(one_edit_apart(word, known) for known in _ABBREVIATIONS)


_ABBREVIATIONS = ("UBND", "HĐND")


_BROKEN_YEAR = re.compile(
    r"\bnăm\s+(?:\d{1,3}(?:\s+\d+|\b(?![/.-]))|[^\s\d]\d{3}\b)", re.IGNORECASE
)  # "năm 2 25", "năm ?016"
# Punctuation that starts a word or sits between its letters: "tìm ;kiếm", "đất:đai".
_MARK_IN_WORD = re.compile(
    r"(?:^|\s)[;:!?,.][^\W\d_]|[^\W\d_][;:!?'’\"][^\W\d_]|[a-zà-ỹđ]\.[a-zà-ỹđ]"
)  # a dot between small letters too ("đơn.vị"); TP.HCM has capitals
# A number does not hold marks no number is written with, nor sticks to a word by one:
# "năm 2022 ;1!6", "năm:2016", "năm,2023" are specks.
_ODD_MARK_BY_DIGIT = re.compile(
    r"\d[!?;|¡¿°^*_~]|[!?;|¡¿°^*_~]\d|[^\W\d_][:;,]\d|\d[^\W\d_]\d"
)  # and a letter between digits: "giai đoạn 2g15-2019" (COVID-19, QL1A, 5G have none)
# OCR's doubled syllable does not belong ("các cơ cơ quan").
_WORD_TWICE = re.compile(r"(?<!\w)(\w+) \1(?!\w)", re.IGNORECASE)
# "kết quả: phổ biến", "số liệu phòng. cháy", "công! tác", "quản lý; sử dụng": a speck read
# as a mark (a trích yếu lists with commas)
_MARK_MID = re.compile(r"[:.!?;]\s+[a-zà-ỹđ]")
# A year of a trích yếu falls between the Republic's founding and this century's end, in
# four digits: "nhiệm vụ năm 2922", "giai đoạn 2021-2926", "năm 20253" are misread.
_ODD_YEAR = re.compile(
    r"\b(?:năm|đoạn|(?:19|20)\d\d\s*[-–])\s*(?!(?:19[4-9]\d|20\d\d)\b)\d{4,}\b", re.IGNORECASE
)
# A dash between two words of a sentence: "xây - dựng nông thôn" is one word split by a speck.
_SPLIT_WORDS = re.compile(r"[a-zà-ỹđ] [-–—] [a-zà-ỹđ]")
# A quarter is I, II, III or IV (or 1 to 4): "quý EV" is a misread numeral. A storm has a
# number too, Roman or Arabic: "bão số TV" is misread; a grade, 1 to 12.
# Small letters or capitals, not capitalised: "Trường THCS Lê Quý Đôn" is a name.
_BAD_QUARTER = re.compile(
    r"\b(?:quý|QUÝ)\s+(?!(?:I{1,3}|IV|[1-4])\b)\S+"
    r"|\b(?:bão|BÃO)\s+[sS][^\W\d_]\s+(?!(?:[IVX]+|\d+)\b)\S+"
    # A school year's grade runs from 1 to 12: "vào lớp 19" is a misread 10 (fresh seed 7474)
    r"|\b(?:lớp|LỚP)\s+(?!(?:[1-9]|1[0-2])\b)\d+"
)
# "6 tháng đầu năm" (the first six months) read out of order: no one writes "tháng 6 đầu
# năm" (7302 c0151: a box widened back over the "6" before it).
_MONTHS_SWAPPED = re.compile(r"\btháng\s+\d{1,2}\s+(?:đầu|cuối)\s+năm\b", re.IGNORECASE)
_TONED_CAPS = re.compile(
    r"[A-ZĐÂĂÊÔƠƯ]*[ÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ][A-ZĐÂĂÊÔƠƯ]*"
)


# A word that cannot be Vietnamese, or a consonant standing alone, in a subject, an agency or
# a name is OCR damage ("â¡ lai", "đ t đai", "uMêuviệo"): the value is not to be trusted as
# read, whatever Tesseract's own confidence says.
SPELLING_PENALTY = 0.5
_LONE_CONSONANT = re.compile(rf"(?<![\w/])[{LONE_CONSONANTS}](?![\w/])", re.IGNORECASE)
# "huyện I.âm Hà": a capital and a full stop run into small letters (L read as I.); print
# abbreviates with capitals after the stop ("TP.HCM") or a space ("TP. Huế").
_CAPITAL_STOP_WORD = re.compile(r"(?<!\w)[A-ZĐ]\.[a-zà-ỹđ]")


# Loanwords official documents print as they are ("Phần mềm E-office", "mạng Internet").
LOANWORDS = frozenset(
    [
        "office",
        "email",
        "mail",
        "internet",
        "online",
        "website",
        "web",
        "wifi",
        "zalo",
        "camera",
        "video",
        "covid",
        "container",
        "server",
        "smartphone",
        "app",
        "fanpage",
        "facebook",
        "youtube",
        "logo",
        "marketing",
        "startup",
    ]
)


def capitals_misread(text: str) -> list[str]:
    """The words of `text` in capitals that are no syllable yet hold two vowels or more
    ("SỞ TUTPI PHÁP"): a word misread, not an abbreviation, whose letters are its words'
    initials, consonants mostly (UBND, HĐND, THCS, MTTQ), which `foreign_or_invalid` lets
    pass."""
    return [
        word
        for word in nfc(text).split()
        if len(word) > 2
        and word.isalpha()
        and word.isupper()
        and not is_syllable(word)
        and sum(loose_key(c) in "aeiouy" for c in word) >= 2
    ]


def spelling(text: str | None) -> float:
    """1.0 when every word of `text` is spelled as Vietnamese (or a known loanword) can be,
    else the penalty."""
    if not text:
        return 1.0
    unknown = [w for w in foreign_or_invalid(text) if w.casefold() not in LOANWORDS]
    damaged = (
        unknown
        or merged_letters(text)
        or _LONE_CONSONANT.search(text)
        or _CAPITAL_STOP_WORD.search(text)
    )
    return SPELLING_PENALTY if damaged else 1.0
