"""A deadline written in a document: "báo cáo về Sở Nội vụ trước ngày 15/12/2026".

Many incoming documents name their own hạn giải quyết in the body: "trước ngày ...", "hạn chót
...", "chậm nhất ngày ...", "không muộn hơn ngày ...". When one is found it wins over the
rules' count of working days. Only a date after such a cue counts, so the document's own date
line at the top ("Khánh Hòa, ngày 10 tháng 12 năm 2026") and the dates of the documents it
cites ("Quyết định số 12/QĐ-UBND ngày 01/3/2026") are not taken for a deadline; that date line
is also left out explicitly, in case a cue happens to stand just before it.

Matching is done on a folded copy of the text (lower case, no diacritics, đ -> d, one
character for one, so positions agree with the original): OCR that dropped a tone mark
("truoc ngay 15/12/2026") still matches. Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re

import daemon.ocr.vntext as vntext

#: A written deadline further than this after receipt is taken for a misreading.
HORIZON = dt.timedelta(days=731)
#: A date written without its year ("trước ngày 15/12") is the next such day within this.
YEARLESS_HORIZON = dt.timedelta(days=183)
_WINDOW = 60  # characters after a cue in which its date must start

_CUE = re.compile(
    r"\b(?:truoc|han chot|han cuoi|thoi han|han nop|han gui|han bao cao|han hoan thanh"
    r"|gia han|cham nhat|khong muon hon|khong qua)\b"
)
# A sentence ends the cue's reach: ; ! ? a blank line, or a full stop followed by a space.
_STOP = re.compile(r"[;!?]|\.\s|\n\s*\n")
_DATE = re.compile(
    r"(?<![\d/.-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<y>\d{4}))?(?![\d/-])"
    r"|(?<!\d)(?P<wd>\d{1,2})\s+thang\s+(?P<wm>\d{1,2})(?:\s*,?\s*nam\s+(?P<wy>\d{4}))?(?!\d)"
)
# "<place>, ngày 10 tháng 12 năm 2026": the document's own date line.
_DATE_LINE = re.compile(
    r"[a-z]+(?:[ \t]+[a-z]+){0,5}[ \t]*,[ \t]*ngay[ \t]+"
    r"\d{1,2}(?:[ \t]+thang[ \t]+\d{1,2}[ \t]+nam[ \t]+|[/.-]\d{1,2}[/.-])\d{4}"
)
_HEADER_CHARS = 2000  # the date line stands in the header, near the top


# Lower case without diacritics, đ -> d, one character for each of the text's (NFC): the
# readers' own fold, so cues match however the marks were written.
fold = vntext.strip_aligned


def deadline_in(text: str, received: dt.date) -> dt.date | None:
    """The earliest deadline written in `text` on or after `received` and within the
    horizon, or None. `received` is the (local) date the document arrived."""
    if isinstance(received, dt.datetime):
        received = received.date()
    folded = fold(text)
    skip = _date_line(folded)
    found: list[dt.date] = []
    for cue in _CUE.finditer(folded):
        window = folded[cue.end() : cue.end() + _WINDOW]
        stop = _STOP.search(window)
        window = window[: stop.start()] if stop else window
        for match in _DATE.finditer(window):
            if skip and skip[0] <= cue.end() + match.start() < skip[1]:
                continue
            day = _date_of(match, received)
            if day is not None:
                found.append(day)
                break  # the first sane date after a cue is its deadline
    return min(found, default=None)


def _date_line(folded: str) -> tuple[int, int] | None:
    """The span of the document's own date line ("Khánh Hòa, ngày ..."), if in the header."""
    match = _DATE_LINE.search(folded, 0, _HEADER_CHARS)
    return match.span() if match else None


def _date_of(match: re.Match[str], received: dt.date) -> dt.date | None:
    """The date a match names, if it is real and a sane deadline for `received`."""
    day, month, year = (
        (match["d"], match["m"], match["y"])
        if match["d"]
        else (match["wd"], match["wm"], match["wy"])
    )
    try:
        if year is not None:
            found = dt.date(int(year), int(month), int(day))
            return found if received <= found <= received + HORIZON else None
        found = dt.date(received.year, int(month), int(day))
        if found < received:
            found = dt.date(received.year + 1, int(month), int(day))
    except ValueError:  # 31/02, month 13, 16.30 (a time) and the like
        return None
    return found if found <= received + YEARLESS_HORIZON else None
