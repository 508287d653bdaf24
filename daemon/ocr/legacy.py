"""Legacy Vietnamese 8-bit font encodings (TCVN3/ABC and VNI) in PDF text layers.

Before Unicode, Vietnamese offices typed in fonts such as `.VnTime` (TCVN3) or `VNI-Times`
(VNI) that draw Vietnamese letters at Latin-1 code points; the text layer of such a PDF reads
as mojibake ("Céng hßa x· héi", "Coäng hoøa xaõ hoäi"). This module recognises them, by font
name and by character statistics. Converting them to Unicode is a later issue: `converter()`
is the hook the text layer calls, and until it returns a function those pages are OCR'd.
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


def converter(encoding: LegacyEncoding) -> Callable[[str], str] | None:
    """A function turning legacy-encoded text into NFC Unicode, or None when there is none yet.

    Hook for the TCVN3/VNI conversion tables (a later issue). Callers must treat None as
    "cannot use this text layer" and OCR the page instead.
    """
    return None
