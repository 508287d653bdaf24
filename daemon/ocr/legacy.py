"""Legacy Vietnamese 8-bit font encodings (TCVN3/ABC and VNI) in PDF text layers.

Before Unicode, Vietnamese offices typed in fonts such as `.VnTime` (TCVN3) or `VNI-Times`
(VNI) that draw Vietnamese letters at Latin-1 code points; the text layer of such a PDF reads
as mojibake ("Céng hßa x· héi", "Coäng hoøa xaõ hoäi"). This module recognises them, by font
name and by character statistics, and converts them to NFC Unicode: `converter()` is the hook
the text layer calls.

TCVN3 (TCVN 5712:1993, VN3) has one byte per letter and lower-case letters only, apart from
Ă Â Ê Ô Ơ Ư Đ: capitals with tones are drawn by separate fonts (`.VnTimeH`, names ending in
"H") from the lower-case codes, so text in those fonts must be upper-cased (`caps_font`).
VNI spells a letter as a base letter followed by a mark character ("oä" = ộ), and has single
characters for ơ ư đ and the toned i / ỵ.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Literal

LegacyEncoding = Literal["tcvn3", "vni"]

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_TCVN3_FONT = re.compile(r"^\.?vn[a-z]", re.IGNORECASE)  # .VnTime, .VnArialH, VnTimes
_VNI_FONT = re.compile(r"^vni[-_ ]", re.IGNORECASE)  # VNI-Times, VNI-Helve

_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _vietnamese_letters() -> frozenset[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    for vowel in _VOWELS:
        letters.update(unicodedata.normalize("NFC", vowel + tone) for tone in _TONES)
    return frozenset(letters | {c.upper() for c in letters})


#: Every letter a Vietnamese (or plain Latin) word may contain, precomposed (NFC).
VIETNAMESE_LETTERS = _vietnamese_letters()

# Latin-1 letters and signs no Vietnamese word contains, typical of each legacy encoding.
_TCVN3_MARKS = frozenset("µ¸¶·¹¨©ª«¬®ß¡¢£¤¥¦§°±²³´º»¼½¾Æ×ÞÌÎÏÑÖØÜ")
_VNI_MARKS = frozenset("øûïäåöëüñÄÅÖËÜÏØÛ")


def font_encoding(font_name: str) -> LegacyEncoding | None:
    """The legacy encoding a PDF font name announces (`ABCDEF+.VnTimeH` -> tcvn3)."""
    name = _SUBSET_PREFIX.sub("", font_name.strip())
    if _VNI_FONT.match(name):
        return "vni"
    if _TCVN3_FONT.match(name):
        return "tcvn3"
    return None


def text_encoding(text: str) -> LegacyEncoding | None:
    """The legacy encoding the characters of `text` betray, or None for plausible Unicode.

    Real Vietnamese (or English) text has next to no Latin-1 letters outside the Vietnamese
    alphabet; mojibake has them in every other word.
    """
    letters = [c for c in text if c.isalpha() or c in _TCVN3_MARKS]
    if len(letters) < 20:
        return None
    tcvn3 = sum(c in _TCVN3_MARKS for c in letters)
    vni = sum(c in _VNI_MARKS for c in letters)
    strange = sum(c not in VIETNAMESE_LETTERS and "\u00a0" <= c <= "\u024f" for c in letters)
    if strange < 5 or strange < 0.03 * len(letters):
        return None
    return "vni" if vni > tcvn3 else "tcvn3"


def caps_font(font_name: str) -> bool:
    """Whether a TCVN3 font draws capitals from lower-case codes (`.VnTimeH`, `.VnArialH`)."""
    name = _SUBSET_PREFIX.sub("", font_name.strip())
    base = re.split(r"[,-]", name, maxsplit=1)[0]  # ".VnTimeH,Bold" / ".VnTimeH-Bold"
    return font_encoding(name) == "tcvn3" and base.endswith("H")


def converter(encoding: LegacyEncoding) -> Callable[[str], str] | None:
    """A function turning legacy-encoded text into NFC Unicode.

    Returns None for an encoding without a table; callers then treat the text layer as
    unusable and OCR the page.
    """
    return {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}.get(encoding)


# TCVN3: per base letter, its codes for the plain letter and the five tones in the order of
# _TONES (none, grave, acute, hook, tilde, dot); "" where the plain letter is ASCII.
_TCVN3_ROWS = {
    "a": "aµ¸¶·¹",
    "ă": "¨»¾¼½Æ",
    "â": "©ÇÊÈÉË",
    "e": "eÌÐÎÏÑ",
    "ê": "ªÒÕÓÔÖ",
    "i": "i×ÝØÜÞ",
    "o": "oßãáâä",
    "ô": "«åèæçé",
    "ơ": "¬êíëìî",
    "u": "uïóñòô",
    "ư": "\xadõøö÷ù",
    "y": "yúýûüþ",
}
_TCVN3_CAPS = {"¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ", "®": "đ"}

# VNI: the mark characters after a base vowel, lower case (upper case after capitals).
_VNI_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
# Single characters: ơ ư đ (also bases for the tone marks), and i / y with a tone.
_VNI_SINGLE = {
    "ô": "ơ",
    "ö": "ư",
    "ñ": "đ",
    "ì": "ì",
    "í": "í",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
}


def _tcvn3_table() -> dict[str, str]:
    table = dict(_TCVN3_CAPS)
    for base, codes in _TCVN3_ROWS.items():
        for code, tone in zip(codes, _TONES, strict=True):
            if not code.isascii():
                table[code] = unicodedata.normalize("NFC", base + tone)
    return table


def _vni_pairs() -> dict[str, str]:
    """Two-character VNI spellings ("oä") -> NFC letters, both cases."""
    pairs: dict[str, str] = {}

    def add(base: str, marks: dict[str, str], modifier: str) -> None:
        for mark, tone in marks.items():
            letter = unicodedata.normalize("NFC", base + modifier + tone)
            for b, m, out in (
                (base, mark, letter),
                (base.upper(), mark.upper(), letter.upper()),
                (base.upper(), mark, letter.upper()),
            ):
                pairs[b + m] = out

    for vowel in "aeiouy":
        add(vowel, _VNI_TONES, "")
    for vowel, hat in (("a", "\u0302"), ("e", "\u0302"), ("o", "\u0302")):
        add(vowel, _VNI_HAT, hat)
    add("a", _VNI_BREVE, "\u0306")
    for code, base in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in _VNI_TONES.items():
            letter = unicodedata.normalize("NFC", base + tone)
            pairs[code + mark] = letter
            pairs[code.upper() + mark.upper()] = letter.upper()
            pairs[code.upper() + mark] = letter.upper()
    return pairs


_TCVN3 = str.maketrans(_tcvn3_table())
_VNI_PAIRS = _vni_pairs()
_VNI_SINGLES = {**_VNI_SINGLE, **{k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}}


# TCVN3 puts "ư" at 0xAD, the soft hyphen, which PDFium hands back as "-": "n-íc" is
# "nước", "S-" is "Sư". A hyphen is read back as "ư" where only a letter makes sense: after a
# letter and before a lower-case letter or the end of the word, or opening a word before
# what can follow "ư" there (ưu, ưng, ươ...). Between capitals (QĐ-UBND), around digits and
# with spaces (Tự do - Hạnh phúc) it stays a hyphen.
_TCVN3_LOWER = "".join(
    code for code, letter in _tcvn3_table().items() if letter.islower() and code != "\xad"
)
_TCVN3_LETTER = f"A-Za-z{re.escape(''.join(_tcvn3_table()))}"
_TCVN3_SOFT_HYPHEN = re.compile(
    rf"(?<=[{_TCVN3_LETTER}])-(?=[a-z{re.escape(_TCVN3_LOWER)}]|\s|$)"
    rf"|(?<![^\s])-(?=u|ng|[{re.escape(_TCVN3_ROWS['ơ'])}])"
)


def tcvn3_to_unicode(text: str) -> str:
    """TCVN3 (ABC) text as NFC Unicode: "Céng hßa x· héi" -> "Cộng hòa xã hội"."""
    text = _TCVN3_SOFT_HYPHEN.sub("\xad", text)
    return unicodedata.normalize("NFC", text.translate(_TCVN3))


def vni_to_unicode(text: str) -> str:
    """VNI text as NFC Unicode: "Coäng hoøa xaõ hoäi" -> "Cộng hòa xã hội".

    Two-character spellings first ("oâ" is ô, "ôù" is ớ), then the single characters.
    """
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = _VNI_PAIRS.get(text[i : i + 2])
        if pair is not None:
            out.append(pair)
            i += 2
            continue
        out.append(_VNI_SINGLES.get(text[i], text[i]))
        i += 1
    return unicodedata.normalize("NFC", "".join(out))
