"""Is a PDF page's text layer real, readable Vietnamese, or must the page be OCR'd?

Bad layers seen in office mail: glyphs without a Unicode mapping (pdfminer shows them as
`(cid:N)`, PDFium as U+FFFD or private-use code points), legacy TCVN3/VNI fonts (mojibake),
symbol soup from fonts with scrambled encodings, and scans carrying only a few words of
text (a signature stamp) or a copier's OCR layer without Vietnamese diacritics.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from daemon.ocr import legacy
from daemon.ocr.legacy import LegacyEncoding

#: Fewer non-space characters than this and the page is treated as having no text layer.
MIN_CHARS = 20
#: An image-dominated page (a scan) needs at least this much text to skip OCR.
MIN_CHARS_ON_SCAN = 200

_CID = re.compile(r"\(cid:\d+\)")
_MARKED = frozenset("ăâđêôơưĂÂĐÊÔƠƯ")


@dataclass(frozen=True)
class Verdict:
    real: bool
    reason: str = ""  # why the layer was refused, for the log; empty when real
    legacy: LegacyEncoding | None = None  # set when the layer is legacy-encoded mojibake


REAL = Verdict(True)


def judge(
    text: str, *, fonts: Collection[str] = (), unmapped: int = 0, scan_like: bool = False
) -> Verdict:
    """Judge the text of one page.

    `fonts` are the PDF font names used on the page, `unmapped` the number of characters
    PDFium could not map to Unicode, `scan_like` whether an image covers most of the page.
    """
    chars = [c for c in text if not c.isspace()]
    if len(chars) < MIN_CHARS:
        return Verdict(False, f"no text layer ({len(chars)} characters)")
    if _CID.search(text):
        return Verdict(False, "glyphs without Unicode mapping ((cid:N))")
    bad = unmapped + sum(_is_garbage(c) for c in chars)
    if bad > max(2, 0.02 * len(chars)):
        return Verdict(False, f"{bad} characters without Unicode mapping")
    encoding = _legacy(text, fonts)
    if encoding is not None:
        return Verdict(False, f"legacy {encoding.upper()} font encoding", legacy=encoding)
    alnum = sum(c.isalnum() for c in chars)
    if alnum < 0.5 * len(chars):
        return Verdict(False, "mostly symbols: scrambled font encoding")
    if scan_like:
        if len(chars) < MIN_CHARS_ON_SCAN:
            return Verdict(False, f"a scanned page with only {len(chars)} characters of text")
        if not _has_diacritics(chars):
            return Verdict(False, "a scanned page whose text layer lacks Vietnamese diacritics")
    return REAL


def _is_garbage(c: str) -> bool:
    code = ord(c)
    return (
        c == "\ufffd"
        or 0xE000 <= code <= 0xF8FF  # private use: symbol fonts without ToUnicode
        or (code < 0x20 and c not in "\t\n\r")
        or 0x7F <= code < 0xA0
    )


def _legacy(text: str, fonts: Collection[str]) -> LegacyEncoding | None:
    for name in fonts:
        found = legacy.font_encoding(name)
        if found is not None:
            return found
    return legacy.text_encoding(text)


def _has_diacritics(chars: list[str]) -> bool:
    """Vietnamese marks a large share of syllables; an OCR layer without them is useless."""
    letters = [c for c in chars if c.isalpha()]
    marked = sum(c in _MARKED or not c.isascii() for c in letters)
    return marked >= 0.05 * len(letters)
