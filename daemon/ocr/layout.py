"""Page geometry shared by the text layer and OCR: words -> rows -> lines split at columns.

All coordinates are fractions of the page (0..1, origin top left), as in `model.Line`.
An ND30 page puts two blocks side by side at the top (the issuing agency on the left, the
national motto on the right) and often only a few millimetres apart, so besides splitting
any row at wide gaps we look for the header's gutter: a vertical strip left blank by every
row of the header, and cut the header rows there.
"""

from __future__ import annotations

import difflib
import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from daemon.ocr.model import Line
from daemon.ocr.vntext import loose_key

#: A horizontal gap wider than this (fraction of page width) always separates two columns.
COLUMN_GAP = 0.04
#: Where the header gutter may lie, as fractions of page width.
GUTTER_WINDOW = (0.25, 0.70)
#: The header of an ND30 page ends well above this fraction of the page height.
HEADER_MAX_Y = 0.40
#: Gaps narrower than this many glyph heights are word spaces, not column gaps.
SPACE_EM = 0.6
_BINS = 360  # resolution of the gutter search across GUTTER_WINDOW
_MIN_GUTTER_BINS = 2  # the window is 0.45 of the width: 0.5 mm on A4 portrait


@dataclass(frozen=True, slots=True)
class Word:
    """A run of characters without spaces, with its box in page fractions."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0
    size: float = 0.0  # glyph height as a fraction of page height; 0 when unknown
    bold: bool = False

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class Gutter:
    """The blank strip between the two header columns, and where the header ends."""

    x: float  # the cut, fraction of page width
    bottom: float  # the header ends above this fraction of page height
    rows: int  # how many rows the header spans


class Boxed(Protocol):
    @property
    def x0(self) -> float: ...
    @property
    def y0(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def y1(self) -> float: ...


B = TypeVar("B", bound=Boxed)


def group_rows(
    items: Iterable[B], same: Callable[[Boxed, Boxed], bool] | None = None
) -> list[list[B]]:
    """Boxes sharing a baseline band, rows top to bottom, each row sorted left to right.

    A box joins a row when it overlaps the row's first box vertically by at least half
    the smaller height (or as `same` says); anchoring on the first box stops a slightly
    slanted run of rows from chaining into one.
    """
    same = same or _same_row
    rows: list[list[B]] = []
    for word in sorted(items, key=lambda w: (w.y0 + w.y1) / 2):
        for row in reversed(rows[-4:]):
            if same(row[0], word):
                row.append(word)
                break
        else:
            rows.append([word])
    for row in rows:
        row.sort(key=lambda w: w.x0)
    rows.sort(key=lambda r: min(w.y0 for w in r))
    return rows


def _same_row(a: Boxed, b: Boxed) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    smaller = min(a.y1 - a.y0, b.y1 - b.y0)
    if smaller <= 0:
        return abs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2) < 0.002
    return overlap >= 0.5 * smaller


def read_once(row: Sequence[Word]) -> list[Word]:
    """One line's words, left to right, less those Tesseract read twice over the same ink:
    its LSTM now and then emits a stretch of a line twice ("diplopia",
    tesseract-ocr/tesseract#884), and the line then holds two words whose boxes mostly
    overlap: "giảm" at 696-786 px and "giảm" at 700-798, "ng" at 808-860 inside "nghèo" at
    813-935, "ộc" inside "cuộc" ("... giảm giảm ng nghèo bền vững"). Twins are alike too:
    the letters of one are in the other, or most of them ("quả" and "quải"); a word with a
    box a seal's ink widened over its neighbour ("Trinh" over "Thị") is no twin. Of two
    twins, the one clearly wider is kept (the other is a piece of it read again), else the
    surer."""
    kept: list[Word] = []
    for word in sorted(row, key=lambda w: w.x0):
        if kept and _one_ink(kept[-1], word):
            if _the_twin(kept[-1], word) is kept[-1]:
                kept[-1] = word
        else:
            kept.append(word)
    return kept


def left_to_right(ranked: Sequence[tuple[int, Word]]) -> list[Word]:
    """A line's words left to right, each given with its rank in Tesseract's reading order.
    By where their boxes start, except a word whose box lies inside its left neighbour's,
    which stays where Tesseract read it: the ink beside a word (a streak, the rule under
    the trích yếu, a seal) can widen its box back over the word before it ("6" at
    0.513-0.525 inside "tháng" at 0.508-0.608 made "giao thông tháng 6 đầu năm", 7302
    c0151); only the order the text was read in tells which came first. A word starting
    as the wider one does is a piece of it read again ("Yˆ" inside "YTẾ", 4721 c0153), left
    where its start puts it."""
    line = sorted(ranked, key=lambda pair: pair[1].x0)
    for i in range(1, len(line)):
        (rank_before, before), (rank, word) = line[i - 1], line[i]
        piece = _first_letter(word.text) == _first_letter(before.text)
        if word.x1 <= before.x1 and rank < rank_before and not piece:
            line[i - 1], line[i] = line[i], line[i - 1]
    return [word for _, word in line]


def _first_letter(text: str) -> str:
    """A word's first letter or digit, marks and case aside ("Yˆ": y)."""
    return next((c for c in loose_key(text) if c.isalnum()), "")


_TWIN_OVERLAP = 0.5  # of the narrower word's width: two words this much over one ink
_PIECE = 1.5  # a word this much wider than its twin holds the piece read again
_ALIKE = 0.6  # difflib ratio of two words' letters: read from one ink


def _one_ink(a: Word, b: Word) -> bool:
    """Whether `a` and `b` were read over one ink: their boxes overlap by most of the
    narrower's width, and the piece is inside the whole (a box much wider than the other
    was widened, by a seal's or a stamp's ink, or holds the piece read again: "PHÒNG" at
    0.20-0.44 over "NÔNG" is no twin, 3737 s0115), or words of a width read alike."""
    narrower = min(a.x1 - a.x0, b.x1 - b.x0)
    over = narrower > 0 and min(a.x1, b.x1) - max(a.x0, b.x0) > _TWIN_OVERLAP * narrower
    if not over:
        return False
    first, second = sorted((loose_key(a.text), loose_key(b.text)), key=len)
    inside = first in second
    if _one_a_piece(a, b):
        return inside
    return inside or difflib.SequenceMatcher(None, first, second).ratio() >= _ALIKE


def _the_twin(a: Word, b: Word) -> Word:
    """Of two words read over one ink, the one to drop."""
    if _one_a_piece(a, b):
        return a if a.x1 - a.x0 < b.x1 - b.x0 else b
    return a if a.conf < b.conf else b


def _one_a_piece(a: Word, b: Word) -> bool:
    """Whether one of two words over one ink is much wider than the other."""
    wide_a, wide_b = a.x1 - a.x0, b.x1 - b.x0
    return max(wide_a, wide_b) > _PIECE * min(wide_a, wide_b)


def split_row(row: Sequence[Word], *, cut: float | None = None) -> list[list[Word]]:
    """Cut a left-to-right row into segments at wide gaps and at the gutter `cut`."""
    segments: list[list[Word]] = []
    for word in row:
        if segments:
            prev = segments[-1][-1]
            wide = word.x0 - prev.x1 > COLUMN_GAP
            across = cut is not None and prev.x1 <= cut + 0.002 and word.x0 >= cut - 0.002
            if not (wide or across):
                segments[-1].append(word)
                continue
        segments.append([word])
    return segments


def segments(row: Sequence[Word], *, aspect: float) -> list[tuple[float, float, float, float]]:
    """The boxes of a row with word spaces closed: gaps under ~0.6 em count as one run.

    `aspect` is page height / page width, to turn glyph sizes (fractions of the height)
    into widths. The runs feed `find_gutter`, which must not mistake a word space for it.
    """
    runs: list[list[float]] = []
    for word in row:
        em = max(word.size * aspect, 0.5 * (word.y1 - word.y0) * aspect)
        if runs and word.x0 - runs[-1][2] < SPACE_EM * em:
            run = runs[-1]
            run[1], run[2], run[3] = (
                min(run[1], word.y0),
                max(run[2], word.x1),
                max(run[3], word.y1),
            )
        else:
            runs.append([word.x0, word.y0, word.x1, word.y1])
    return [(r[0], r[1], r[2], r[3]) for r in runs]


def to_line(words: Sequence[Word]) -> Line:
    """One Line from the words of a segment: NFC text, union box, mean confidence."""
    text = unicodedata.normalize("NFC", " ".join(w.text for w in words))
    sizes = [w.size for w in words if w.size > 0]
    letters = sum(len(w.text) for w in words) or 1
    bold = sum(len(w.text) for w in words if w.bold) * 2 > letters
    return Line(
        text=text,
        x0=round(min(w.x0 for w in words), 5),
        y0=round(min(w.y0 for w in words), 5),
        x1=round(max(w.x1 for w in words), 5),
        y1=round(max(w.y1 for w in words), 5),
        conf=round(statistics.fmean(w.conf for w in words), 4),
        bold=bold,
        size=round(statistics.median(sizes), 5) if sizes else 0.0,
        number_conf=min((w.conf for w in words if numeral(w.text)), default=1.0),
        word_confs=tuple(round(w.conf, 4) for w in words),
    )


def numeral(text: str) -> bool:
    """Whether a word holds a number: a digit, or a Roman numeral alone ("quý III", which a
    lost stroke makes "quý II", a real quarter every check of the text accepts)."""
    return any(c.isdigit() for c in text) or _ROMAN.fullmatch(text) is not None


_ROMAN = re.compile(r"[IVX]{1,4}[.,;:]?")


def find_gutter(rows: Sequence[Sequence[tuple[float, float, float, float]]]) -> Gutter | None:
    """The ND30 header gutter from the boxes (x0, y0, x1, y1) of each row, top to bottom.

    Walks the rows from the top while some strip of GUTTER_WINDOW stays blank in all of
    them; the first row that closes every strip (a centred title) ends the header. Returns
    None unless at least two rows qualify and both sides of the strip hold text. Once a
    strip has had ink on both sides, one at the window's edge with no ink beyond that
    edge is a margin, not a gutter: a short agency name starting just inside the window
    ("BỘ NỘI VỤ") leaves one that the title and the indented body keep blank, and the
    walk went on down the page.
    """
    lo, hi = GUTTER_WINDOW
    step = (hi - lo) / _BINS
    blank = [True] * _BINS
    taken = 0
    beyond = (False, False)  # ink left of the window, right of it
    walled = False  # some strip has had ink on both sides (a speck above the header has not)
    for boxes in rows:
        if not boxes or min(b[1] for b in boxes) > HEADER_MAX_Y:
            break
        trial = list(blank)
        for x0, _, x1, _ in boxes:
            first, last = int((x0 - lo) / step), int((x1 - lo) / step)
            for i in range(max(first, 0), min(last, _BINS - 1) + 1):
                trial[i] = False
        seen = (
            beyond[0] or min(b[0] for b in boxes) < lo,
            beyond[1] or max(b[2] for b in boxes) > hi,
        )
        bounded = widest_run(_between(trial, *seen))[1] >= _MIN_GUTTER_BINS
        if not bounded and (walled or widest_run(trial)[1] < _MIN_GUTTER_BINS):
            break
        blank, taken, beyond, walled = trial, taken + 1, seen, walled or bounded
    if taken < 2:
        return None
    start, length = widest_run(_between(blank, *beyond))
    x = lo + (start + length / 2) * step
    header = [b for boxes in rows[:taken] for b in boxes]
    if not any(b[2] <= x for b in header) or not any(b[0] >= x for b in header):
        return None
    bottom = max(b[3] for b in header)
    if taken < len(rows) and rows[taken]:
        bottom = (bottom + min(b[1] for b in rows[taken])) / 2
    return Gutter(x=x, bottom=min(bottom, 1.0), rows=taken)


def _between(blank: list[bool], left_ink: bool, right_ink: bool) -> list[bool]:
    """`blank` less the run at its left end unless ink lies beyond it (`left_ink`), and
    likewise at its right: a strip with ink on one side only is a margin."""
    start, end = 0, len(blank)
    while not left_ink and start < end and blank[start]:
        start += 1
    while not right_ink and end > start and blank[end - 1]:
        end -= 1
    return [False] * start + blank[start:end] + [False] * (len(blank) - end)


def widest_run(flags: Sequence[bool]) -> tuple[int, int]:
    """(start, length) of the longest run of True in `flags` ((0, 0) when there is none)."""
    best_start, best_len, start = 0, 0, None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best_len:
                best_start, best_len = start, i - start
            start = None
    return best_start, best_len


def reading_order(lines: Iterable[Line]) -> list[Line]:
    """Lines top to bottom; lines on one baseline band (header columns) left to right.

    Two lines share a band when each one's middle lies within the other's height: a line
    made tall by a mark of the stamp above it ("Tình hình ... năm" under "BÁO CÁO") may
    overlap the line above by half its height, but does not reach its middle."""
    return [line for row in group_rows(lines, one_row) for line in row]


def one_row(a: Boxed, b: Boxed) -> bool:
    """Whether two boxes stand on one row: each holds the other's middle height."""
    return a.y0 <= (b.y0 + b.y1) / 2 <= a.y1 and b.y0 <= (a.y0 + a.y1) / 2 <= b.y1
