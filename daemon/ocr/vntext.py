"""Vietnamese text helpers: NFC, tone-placement folding, diacritic-insensitive keys, OCR fixes.

Vietnamese has two conventions for where the tone mark sits in the open syllables "oa", "oe"
and "uy": "hòa, khỏe, thủy" (the placement ND30 itself prints: CỘNG HÒA, Hỏa tốc) and
"hoà, khoẻ, thuỷ". Both are correct and both occur in one office's mail, so every comparison
folds them to the first. "quý" is not such a case: the "u" belongs to the consonant "qu".
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Combining tone marks (the five Vietnamese tones; the level tone has none).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")

# OCR and legacy-font look-alikes of Đ/đ: Latin eth (U+00D0/U+00F0), African D (U+0189).
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ", "\u00a0": " "})
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """`text` in Unicode NFC, the one form stored and compared."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, look-alike Đ restored, invisible characters dropped, NBSP made a space.

    Runs of spaces are kept: a run of several spaces is how plain text shows a column gap.
    """
    return _INVISIBLE.sub("", nfc(text).translate(_LOOKALIKES))


def squash(text: str) -> str:
    """Whitespace runs collapsed to one space, ends stripped."""
    return _SPACES.sub(" ", text).strip()


def _split_tone(char: str) -> tuple[str, str]:
    """A letter as (letter without its tone, tone mark or '')."""
    decomposed = unicodedata.normalize("NFD", char)
    rest = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", rest), tone_of(char)


# Tone on the second vowel of an open "oa"/"oe"/"uy" at the end of a word: hoà, khoẻ, thuỷ.
# ("qu" + y is excluded: quý is the only spelling.)
_MOVED_TONE = re.compile(r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)")


def capital_after_small(text: str) -> bool:
    """Whether a capital follows a small letter anywhere in `text` ("dịCh", "nÁcC"): no
    print of a Vietnamese word has one there."""
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(text))


def tone_of(word: str) -> str:
    """The tone mark of a syllable ('' for the level tone): "Tuấn" -> the acute."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if c in _TONES)


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    base, tone = _split_tone(second)
    if (first in "oO") != (base in "aAeE"):  # only o+a, o+e, u+y are diphthongs to fold
        return match.group(0)
    return nfc(first + tone) + base


def fold_tones(text: str) -> str:
    """`text` (NFC) with old tone placement moved: hoà -> hòa, thuỷ -> thủy, HOẢ -> HỎA."""
    return _MOVED_TONE.sub(_move_tone, nfc(text))


def _strip_char(char: str) -> str:
    """One character without diacritics, lower case, always exactly one character."""
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base[0]


def strip_aligned(text: str) -> str:
    """`text` lower-cased without diacritics, same length as the NFC input.

    Offsets in the result are offsets in `text`, so a pattern can be matched on the folded
    form and the printed form sliced out of the original.
    """
    return "".join(_strip_char(c) for c in nfc(text))


def loose_key(text: str) -> str:
    """Diacritic-, case- and spacing-insensitive key: 'Quyết  định' -> 'quyet dinh'."""
    return squash(strip_aligned(text))


def fold_word(word: str) -> str:
    """A word as the shipped word lists write it: one tone placement, lower case (Hoà ->
    hòa); its diacritics kept."""
    return fold_tones(word).casefold()


def tone_key(text: str) -> str:
    """Case-, spacing- and tone-placement-insensitive key that keeps the diacritics."""
    return squash(fold_tones(clean(text)).casefold())


def has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def holds_print(text: str) -> bool:
    """Whether `text` holds a letter or a digit (ˆ, a modifier letter, is a speck)."""
    return any(unicodedata.category(c) in ("Lu", "Ll", "Nd") for c in text)


_PRINT_MARKS = ".,:;()/-%"  # marks print has in a short word ("1.", "a)", "5%")


def speck_word(word: str) -> bool:
    """Whether a word of one or two characters holds a mark no print gives there ("1}",
    "E—"): a speck or a stamp's ink OCR read beside a line, not a word of it. (A modifier
    letter alone, "ˆ", is a letter to Python: `holds_print` tells it.)"""
    return len(word) <= 2 and any(not c.isalnum() and c not in _PRINT_MARKS for c in word)


def is_upper_text(text: str, threshold: float = 0.8) -> bool:
    """Whether most letters of `text` are capitals (a heading, an agency name)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= threshold


# "Số:" as OCR tends to misread it: S6, S0, Sô, Sồ, Só... (checked on the folded form).
_NUMBER_LABEL = re.compile(r"\s*s\s?[o06](?:\s*[:;.]|\s+(?=\d))")


def fix_number_label(text: str) -> str:
    """A line starting with a misread "Số:" label ("S6:", "Sô:", "S0 :") restored to "Số:"."""
    text = nfc(text)
    match = _NUMBER_LABEL.match(strip_aligned(text))
    if match is None or text[: match.end()].strip().startswith("Số"):
        return text
    return "Số: " + text[match.end() :].lstrip()


def one_edit_apart(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one letter lost, added or changed (OCR's slip)."""
    return edit_distance(a, b, 1) == 1


def edit_distance(a: str, b: str, limit: int) -> int:
    """Letters lost, added or changed between `a` and `b` (Levenshtein), or `limit + 1` as
    soon as it is sure to pass `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
        if min(row) > limit:
            return limit + 1
    return row[-1]
