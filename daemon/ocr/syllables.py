"""Is a word a well-formed Vietnamese syllable? A check on OCR output, not a dictionary.

A written Vietnamese syllable is onset + rhyme + tone, and the orthography spells each part
in a few fixed ways, so the set of written syllables is small and closed: "hoàc" (a falling
tone on a syllable ending in a stop), "ngi" (must be "nghi"), "quyêt" (a stop needs sắc or
nặng) or "n8" cannot be Vietnamese whatever the page said, while a well-formed non-word such
as "ữu" passes. Loanwords (internet, email, covid) are not syllables: the caller decides.

Tone placement: the tone may sit on the rhyme's main vowel (the modern rule) or on its medial
o/u. The second seat covers old-style "hòa, thủy" beside "hoà, thuỷ" (both are printed, see
vntext) and the typing slip "tòan" for "toàn", which occurs in the clerks' own source texts
and still reads unambiguously. A tone on the "u" of "qu" ("qủa") is refused: that u belongs
to the onset.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from daemon.ocr.vntext import nfc

# --- Tables -------------------------------------------------------------------------------

# Combining tone marks by name; ngang (level) has none.
_HUYEN, _SAC, _HOI, _NGA, _NANG = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_TONE_MARKS = frozenset((_HUYEN, _SAC, _HOI, _NGA, _NANG))
# A stop-final syllable is short and checked: only these two tones fit it.
_STOP_TONES = frozenset((_SAC, _NANG))
_STOP_CODAS = ("p", "t", "c", "ch")

_VOWELS = frozenset("aăâeêioôơuưy")
_ALPHABET = _VOWELS | frozenset("bcdđghklmnpqrstvx")  # no f, j, w, z in native words

# Onsets as written. "gi" and "qu" are single consonants; "p" occurs in loanwords (pin, pa).
_ONSETS = (
    *("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n"),
    *("ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"),
)
# The front vowels decide between the spellings of /k/, /ɣ/ and /ŋ/: k, gh, ngh before them,
# c, g, ng elsewhere.
_FRONT_VOWELS = frozenset("ieêy")
_BEFORE_FRONT_ONLY = frozenset(("k", "gh", "ngh"))
_NEVER_BEFORE_FRONT = frozenset(("c", "g", "ng"))
# Onsets that cannot take a medial o/u: /kw/ is spelled "qu", and k, gh, ngh, gi never
# precede o or u in the medial's place. ("qu" has its own rhymes, with the medial built in.)
_NO_MEDIAL = frozenset(("c", "k", "gh", "ngh", "gi"))

# Rhymes without a medial, each written with a sắc on the letter that carries the tone.
# ă and â never end a syllable; "iê" is written "yê" without an onset, and "ia" keeps its i.
_PLAIN_RHYMES = """
    á ác ách ái ám án áng ánh áo áp át áu áy
    ắc ắm ắn ắng ắp ắt
    ấc ấm ấn ấng ấp ất ấu ấy
    é éc ém én éng éo ép ét
    ế ếch ếm ến ếnh ếp ết ếu
    í ích ím ín ính íp ít íu
    ý
    ía iếc iếm iến iếng iếp iết iếu
    yếm yến yết yếu
    ó óc ói óm ón óng óp ót oóc oóng
    ố ốc ối ốm ốn ống ốp ốt
    ớ ới ớm ớn ớp ớt
    ú úc úi úm ún úng úp út
    úa uốc uối uốm uốn uống uốt
    ứ ức ứi ứm ứng ứt ứu
    ứa ước ưới ướm ướn ướng ướp ướt ướu
"""
# Rhymes with the medial (the lip-rounding of hoa, tuần, thuyền): o before a, ă, e and u
# before â, ê, y, ơ. The medial is a second tone seat (old-style hòa, thủy).
_MEDIAL_RHYMES = """
    oá oác oách oái oám oán oáng oánh oáo oáp oát oáy
    oắc oắm oắn oắng oắt
    oé oén oéo oét
    uấn uấng uất uấy
    uế uếch uến uếnh uết
    uý uých uýnh uýt uýu
    uớ
    uyến uyết uýa
"""
# After "qu" the medial is the onset's u: qua, quân, quy, quyết, and quốc beside them.
# "qui" is the older spelling of "quy" and still common in documents.
_QU_ONLY_RHYMES = "ốc í"

# Syllables of minority-language place names in official use (Đắk Lắk, Krông Búk, Kon Tum,
# Cư Jút, Bắc Kạn, Đăk Glei, Kbang): their spelling is not Vietnamese phonology, but they
# are printed in every document of those provinces.
_PLACE_NAME_SYLLABLES = frozenset(
    ("đắk", "đăk", "đak", "lắk", "krông", "búk", "kon", "jút", "kạn", "glei", "kbang", "plông")
)

# --- Text splitting (foreign_or_invalid) --------------------------------------------------

# Sentence punctuation that may cling to either end of a word.
_EDGE_PUNCTUATION = ".,;:!?…'\"“”‘’()[]{}«»<>-–—/*"
# Characters that legitimately join words inside one token: V/v, QĐ-UBND, TP.HCM, HĐND&UBND.
_JOINERS = re.compile(r"[/\-–—.,:&]")
# Units written with an exponent, which would otherwise look like letters glued to digits.
_UNITS = frozenset(("m2", "m3", "km2", "cm2", "cm3", "dm2", "dm3", "mm2", "m²", "m³", "km²"))
_ABBREVIATION_SMALL = frozenset("hrg")  # of Th, Ch, Nh, Ph, Kh, Tr, Ng, TTg
_SMALL_RUN = re.compile(r"[a-z]+")
_ABBREVIATION_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzĐđ")


@dataclass(frozen=True)
class _Rhyme:
    """A written rhyme (tone removed) and the letter positions that may carry its tone."""

    spelling: str
    seats: frozenset[int]
    has_medial: bool


def _parse_rhymes(table: str, *, medial: bool) -> dict[str, _Rhyme]:
    """Rhymes of a table keyed by spelling, each seat taken from the sắc written on it."""
    rhymes = {}
    for entry in table.split():
        letters, tones = _split_tones(entry)
        spelling, seat = "".join(letters), tones.index(_SAC)
        seats = frozenset((0, seat)) if medial else frozenset((seat,))
        rhymes[spelling] = _Rhyme(spelling, seats, medial)
    return rhymes


def _split_tones(word: str) -> tuple[list[str], list[str]]:
    """`word` (NFC, lower case) as each character's letter without tone, and its tone marks.

    A stray combining mark (a tone NFC could not put on its letter) gives the letter "", which
    no table holds, so it cannot slide a tone onto the next letter.
    """
    letters, tones = [], []
    for char in word:
        decomposed = unicodedata.normalize("NFD", char)
        bare = "".join(c for c in decomposed if c not in _TONE_MARKS)
        letters.append(unicodedata.normalize("NFC", bare))
        tones.append("".join(c for c in decomposed if c in _TONE_MARKS))
    return letters, tones


def _qu_rhymes(medial_rhymes: dict[str, _Rhyme]) -> dict[str, _Rhyme]:
    """Rhymes after "qu": the medial rhymes without their medial letter, plus quốc, qui."""
    rhymes = {
        rhyme.spelling[1:]: _Rhyme(
            rhyme.spelling[1:], frozenset(s - 1 for s in rhyme.seats if s), True
        )
        for rhyme in medial_rhymes.values()
    }
    rhymes.update(_parse_rhymes(_QU_ONLY_RHYMES, medial=False))
    return rhymes


_PLAIN = _parse_rhymes(_PLAIN_RHYMES, medial=False)
_MEDIAL = _parse_rhymes(_MEDIAL_RHYMES, medial=True)
_RHYMES = {**_PLAIN, **_MEDIAL}
_AFTER_QU = _qu_rhymes(_MEDIAL)


# --- Syllables ----------------------------------------------------------------------------


def is_syllable(word: str) -> bool:
    """Whether `word` (any case, NFC or NFD) is a well-formed Vietnamese syllable.

    Checks the spelling of onset and rhyme, that at most one letter carries one tone mark and
    sits where a tone may, and that a syllable ending in p, t, c, ch has sắc or nặng.
    """
    word = nfc(word).lower()
    if word in _PLACE_NAME_SYLLABLES:
        return True
    letters, tones = _split_tones(word)
    if not letters or any(letter not in _ALPHABET for letter in letters):
        return False
    marked = [i for i, tone in enumerate(tones) if tone]
    if len(marked) > 1 or any(len(tone) > 1 for tone in tones):
        return False
    tone_at = marked[0] if marked else None
    tone = tones[tone_at] if tone_at is not None else ""
    return any(
        _fits(onset, rhyme, start, tone_at, tone)
        for onset, rhyme, start in _readings("".join(letters))
    )


def _readings(letters: str) -> list[tuple[str, _Rhyme, int]]:
    """Every (onset, rhyme, index where the rhyme starts) the letters can be split into."""
    readings = []
    for onset in _ONSETS:
        if not letters.startswith(onset):
            continue
        rest = letters[len(onset) :]
        table = _AFTER_QU if onset == "qu" else _RHYMES
        if rest in table and not (onset == "gi" and rest[:1] in ("i", "y")):
            readings.append((onset, table[rest], len(onset)))
        # "gi" before i shares the i with the rhyme: gì, gìn, giếng (gi + iêng).
        if onset == "gi" and "i" + rest in _RHYMES:
            readings.append((onset, _RHYMES["i" + rest], 1))
    return readings


def _fits(onset: str, rhyme: _Rhyme, start: int, tone_at: int | None, tone: str) -> bool:
    """Whether this onset and rhyme may be written together with this tone at `tone_at`."""
    if not _onset_fits_rhyme(onset, rhyme):
        return False
    if rhyme.spelling.endswith(_STOP_CODAS) and tone not in _STOP_TONES:
        return False
    return tone_at is None or tone_at - start in rhyme.seats


def _onset_fits_rhyme(onset: str, rhyme: _Rhyme) -> bool:
    """The spelling rules that tie an onset's letters to the rhyme's first letter."""
    spelling = rhyme.spelling
    if rhyme.has_medial and onset in _NO_MEDIAL:
        return False
    front = spelling[0] in _FRONT_VOWELS
    if onset in _BEFORE_FRONT_ONLY and not front:
        return False
    if onset in _NEVER_BEFORE_FRONT and front:
        return False
    if spelling.startswith("yê") and onset and onset != "qu":  # tiên, yên, quyên
        return False
    return not (spelling.startswith("iê") and not onset)


# --- Text ---------------------------------------------------------------------------------


def foreign_or_invalid(text: str) -> list[str]:
    """The words of `text` that are not Vietnamese syllables, in order, as written.

    Abbreviations (UBND, QĐ, TTr), numbers and codes (12/KH-UBND, 1A, ND30, m2) and single
    letters (V/v, đ/c, enumeration labels) are skipped. A token with a character no word
    has (j]ữu¡trữ, sơ|) is reported whole, since its pieces would say nothing useful.
    """
    found: list[str] = []
    for token in nfc(text).split():
        core = token.strip(_EDGE_PUNCTUATION)
        if not any(char.isalpha() for char in core):
            continue
        pieces = [piece for piece in _JOINERS.split(core) if piece]
        if not all(piece.isalnum() for piece in pieces):
            found.append(token)
            continue
        found.extend(piece for piece in pieces if _is_suspect(piece))
    return found


def merged_letters(text: str) -> list[str]:
    """The words of `text` in capitals that are no syllable but would be one with a letter
    less: OCR ran two words into one ("ỦY BANN DÂN": NHÂN lost into BAN's N). Abbreviations
    pass as `foreign_or_invalid` lets them, and lose no letter into a syllable (UBND, MTTQ),
    except those of "nhân dân" (TAND, CAND), which are skipped."""
    found = []
    for token in nfc(text).split():
        core = token.strip(_EDGE_PUNCTUATION)
        if len(core) < 4 or not core.isalpha() or not core.isupper() or core.endswith("ND"):
            continue
        if not is_syllable(core) and any(
            is_syllable(core[:i] + core[i + 1 :]) for i in range(len(core))
        ):
            found.append(token)
    return found


def _is_suspect(piece: str) -> bool:
    """Whether a run of letters and digits should be reported as not Vietnamese."""
    if any(char.isdigit() for char in piece):
        return not _is_code(piece)
    if _is_abbreviation(piece) and not _words_run_together(piece):
        return False
    if len(piece) == 1 and piece.lower() in _ALPHABET:
        return False
    return not is_syllable(piece)


def _is_code(piece: str) -> bool:
    """A number or code (12a, 15km, 1A, ND30, m2), not letters garbled into digits (n8)."""
    letters = [char for char in piece if char.isalpha()]
    return (
        piece[0].isdigit()
        or all(char.isupper() and char in _ABBREVIATION_LETTERS for char in letters)
        or piece.lower() in _UNITS
    )


def _words_run_together(piece: str) -> bool:
    """Whether a long run of plain capitals is syllables OCR ran together ("NONHOASEN":
    MẦM NON HOA SEN lost its spaces) rather than an abbreviation, whose first letters make
    no syllables (UBMTTQ, LĐTBXH): it splits wholly into syllables of two letters or more."""
    if len(piece) < _RUN_TOGETHER:
        return False
    word = piece.lower()
    ends = {0}  # where a split into syllables can have got to
    for end in range(2, len(word) + 1):
        if any(start in ends and is_syllable(word[start:end]) for start in range(end - 1)):
            ends.add(end)
    return len(word) in ends


_RUN_TOGETHER = 6  # capitals at least this many may be words run together


def _is_abbreviation(piece: str) -> bool:
    """UBND, QĐ, TTr, ThS, TTg: capitals first, at least two, plain letters only (no ê,
    ư, tones); a small letter only where a word's first letters are two (Th, Tr, Nh ...)
    or its last is kept (TTg: Thủ tướng). "BRSHf", a stamp's words run together, is none."""
    return (
        len(piece) >= 2
        and piece[0].isupper()
        and sum(char.isupper() for char in piece) >= 2
        and all(char in _ABBREVIATION_LETTERS for char in piece)
        and all(run in _ABBREVIATION_SMALL for run in _SMALL_RUN.findall(piece))
    )
