"""Where to OCR on a scanned page: the ND30 header columns apart, then the rest.

`--psm 3` on a whole ND30 page can merge the agency (left) and the national motto (right)
into one line, and recognises the merged line worse (NOTES.md). We find the header's gutter
on a cheap, downscaled ink map (text rows by horizontal projection, then the strip every
header row leaves blank) and OCR the two header blocks and the body as separate regions.
The cuts fall on blank strips, so no text is ever split.

`field_plan` is the cheap first pass: only the blocks that hold register fields. Body text
in an ND30 document is justified from margin to margin, while the title, the trích yếu and
the closing blocks ("Nơi nhận:", the signature) are centred or set in half-width columns.
So the title region runs from the header down to the first margin-to-margin row, and the
closing region from the last such row to the bottom of the last page.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from PIL import Image

from daemon.ocr import copier, layout, stamps

_TARGET_WIDTH = 640  # ink map width in pixels: ~75 dpi for A4, enough to see text rows
_SPACE_CLOSE = 0.8  # gaps narrower than this many row heights are word spaces
_MAX_CLOSE = 0.015  # ... but never close a gap wider than this share of the width
_WORD_SPACE = 0.009  # a word space of the header's bold capitals is narrower (~0.007)
_SIDEWAYS_RATIO = 0.8
_MAX_SKEW = 3.0  # degrees; a sheet fed more crooked than this is rare
_SKEW_STEP = 0.25
_HEADER_PSM = 4  # one column of lines of varying size
_BODY_PSM = 3  # automatic layout


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page
Rows = list[list[Box]]  # the inked runs of each text row, top to bottom


@dataclass(frozen=True)
class Region:
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels of the page image
    psm: int
    name: str  # "page", "header-left", "header-right", "body"
    # header-right: the pixel row where the rows under the national motto start. The motto
    # is printed on every document and holds no field, so the reader reads from here down
    # and the whole column only when no date line shows there (see `pageocr`).
    under_motto: int | None = None


_MERGED_LINES = 3.0  # a row this many times the usual height is lines run together
_TITLE_MAX_ROWS = 10  # the type name, a trích yếu of a few lines, the authority line
_FRAME_SLACK = 0.03  # a body row ends this close to the right edge of the text frame...
_INDENT_SLACK = 0.10  # ...and starts this close to its left edge (first-line indents)
_CLOSING_WINDOW = (0.30, 0.65)  # where the gap between "Nơi nhận:" and the signature lies
_CUT_BINS = 1000  # resolution of the search for that gap, per page width
_MIN_CUT_BINS = 5  # a gap narrower than 0.5% of the width is a word space
_MARGIN = 0.01  # blank kept around the text of a region (page fractions)
_CENTRE_SLACK = 0.03  # a centred row's middle is this close to the text frame's (page widths)
_SPECK_WIDTH = 0.008  # page widths: narrower than a letter of body text (~1.7 mm on A4)
_ALIGN = 0.01  # page widths: the rows of a text frame start (and end) this close together
_THIN_ROW = 0.006  # page heights: a row lower is a rule or dust (a line of print is ~0.015)
_EDGE_REACH = 0.004  # a stamp frame's edge askew lies this close to the box found for it


@dataclass(frozen=True)
class Plan:
    regions: tuple[Region, ...]
    text_rows: int  # rows of ink found: 0-1 means a (nearly) blank page
    stamps: tuple[tuple[int, int, int, int], ...] = ()  # ĐẾN stamps found (page pixels)


def plan(image: Image.Image, *, header: bool = True, ink: np.ndarray | None = None) -> Plan:
    """The regions to OCR on a grey page image, header columns apart when found.

    `ink` is the page's `ink_map` when the caller already has it.
    """
    if ink is None:
        ink = ink_map(image)
    bands = _bands(ink)
    whole = Region((0, 0, image.width, image.height), _BODY_PSM, "page")
    if not header or len(bands) < 2:
        return Plan((whole,), len(bands))
    rows = [_row_boxes(ink, top, bottom) for top, bottom in bands]
    gutter = _gutter(rows, ink, bands)
    if gutter is None:
        return Plan((whole,), len(bands))
    x = round(gutter.x * image.width)
    y = round(gutter.bottom * image.height)
    regions = (
        Region((0, 0, x, y), _HEADER_PSM, "header-left"),
        Region((x, 0, image.width, y), _HEADER_PSM, "header-right"),
        Region((0, y, image.width, image.height), _BODY_PSM, "body"),
    )
    return Plan(regions, len(bands))


def field_plan(
    image: Image.Image,
    *,
    first: bool,
    last: bool,
    inks: InkMaps | None = None,
    angle: float = 0.0,
) -> Plan:
    """The regions holding register fields: header columns and title on the first page,
    the closing block on the last; the whole page when the layout is not recognised.

    `inks` are the page's ink maps, when the caller has them; `angle` its skew (degrees).
    """
    inks = inks or InkMaps(image)
    # The clerk's stamp ties the rows beside it into one band and hides the title: the rows
    # are found with it cleared, and the title then runs down to the body (see `stamps`).
    # Its ink is often paler than print: it is looked for on a map of faint ink too.
    marks = stamps.find(inks.levelled(angle, faint=True)) if first else []
    ink = stamps.cleared(inks.levelled(angle), marks)
    boxes = tuple(_pixels(mark, image) for mark in marks)
    bands = _bands(ink)
    whole = Plan((Region((0, 0, image.width, image.height), _BODY_PSM, "page"),), len(bands), boxes)
    if len(bands) < 2:
        return whole
    rows = [_row_boxes(ink, top, bottom) for top, bottom in bands]
    body = _body_rows([_without_frame_edge(row, marks) for row in rows])
    found: list[Region] = []
    end = 0  # rows already covered by the first page's regions
    if first:
        gutter = _gutter(rows, ink, bands)
        if gutter is None:
            return whole
        header, end = _header_regions(
            rows, body, gutter, image.width, image.height, stamped=bool(marks)
        )
        found = list(header)
    if last:
        start = max([end, *(i + 1 for i, is_body in enumerate(body) if is_body)])
        if start < len(rows):
            found += _closing_regions(rows, start, image)
    return Plan(tuple(found), len(bands), boxes)


def _pixels(box: Box, image: Image.Image) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    w, h = image.width, image.height
    return round(x0 * w), round(y0 * h), round(x1 * w), round(y1 * h)


def _gutter(rows: Rows, ink: np.ndarray, bands: list[tuple[int, int]]) -> layout.Gutter | None:
    """The header's gutter. A long agency name ("BỘ GIÁO DỤC VÀ ĐÀO TẠO") can run up to the
    motto, closer than the gaps the rows were closed over: the gutter is then looked for
    on rows with only word spaces closed, lest the whole page be read as one block."""
    found = layout.find_gutter(rows)
    if found is None:
        found = layout.find_gutter([_row_boxes(ink, *band, most=_WORD_SPACE) for band in bands])
    return found


def _header_regions(
    rows: Rows,
    body: list[bool],
    gutter: layout.Gutter,
    width: int,
    height: int,
    *,
    stamped: bool = False,
) -> tuple[tuple[Region, ...], int]:
    """Header columns and the title block below them, and how many rows they cover.

    On a `stamped` page the rows beside the stamp lost ink with it, so they need not look
    centred: the title block runs to the first margin-to-margin row of the body. So it does
    when no row under the header looks centred at all (an old copier's specks)."""
    centre = _frame_centre(rows)
    # A short centred title ("QUYẾT ĐỊNH") can leave the gutter window open: the header
    # ends at the first centred row, lest the title be cut in two. A row parted at the
    # gutter is still the header (a long "Số:" beside the date can look centred).
    taken = next(
        (i for i in range(2, gutter.rows) if _opens_title(rows, i, centre, gutter.x)), gutter.rows
    )
    x, y = round(gutter.x * width), _between(rows, taken, height)
    left, right = _frame(rows, width)
    top = _between(rows, 0, height)
    end = _title_end(rows, body, taken, centre, stamped=stamped)
    if end == taken:  # no row looked centred: specks of an old copier widen them all
        end = _title_end(rows, body, taken, centre, stamped=True)
    if end == taken and taken < len(rows) and _merged(rows, taken):
        end = taken + 1  # title, trích yếu and body run together beside the stamp: read it
    elif stamped and end < len(rows) and _merged(rows, end) and end - taken < _TITLE_MAX_ROWS:
        end += 1  # the trích yếu and the body run together beside the stamp: read them
    under_motto = _under_motto(rows[:taken], gutter.x, height)
    regions = [
        Region((left, top, x, y), _HEADER_PSM, "header-left"),
        Region((x, top, right, y), _HEADER_PSM, "header-right", under_motto),
    ]
    if end > taken:
        bottom = _between(rows, end, height)
        regions.append(Region((left, y, right, bottom), _BODY_PSM, "title"))
    return tuple(regions), end


def _opens_title(rows: Rows, index: int, centre: float, gutter: float) -> bool:
    """Whether row `index` under the header's first rows is centred and not parted at the
    gutter. A row too low for print is the marks above the row under it ("QUYẾT ĐỊNH"'s
    hat), a rule or dust (above the number and the date): it goes with the row under it."""
    while rows[index][0][3] - rows[index][0][1] < _THIN_ROW and index + 1 < len(rows):
        index += 1
    return _centred(rows[index], centre) and not _parted(rows[index], gutter)


def _under_motto(header: Rows, gutter: float, height: int) -> int | None:
    """Where the right header column's rows under its first two (the quốc hiệu and tiêu
    ngữ) begin; None when it has no third row (the date line) to read there. A band of
    specks alone (the dots under the motto's capitals) is no row."""
    right = [
        i for i, boxes in enumerate(header) if any(b[0] >= gutter and not _speck(b) for b in boxes)
    ]
    if len(right) < 3:
        return None
    return _between(header, right[2], height)


def _merged(rows: Rows, index: int) -> bool:
    """Whether row `index` is several lines run together (the stamp's frame or hand tied
    them), as tall as _MERGED_LINES of the page's usual rows."""
    heights = sorted(max(b[3] for b in row) - min(b[1] for b in row) for row in rows if row)
    row = rows[index]
    tall = max(b[3] for b in row) - min(b[1] for b in row) if row else 0.0
    return bool(heights) and tall > _MERGED_LINES * heights[len(heights) // 2]


def _title_end(rows: Rows, body: list[bool], taken: int, centre: float, *, stamped: bool) -> int:
    """The row after the title block that starts at row `taken`: centred rows, or on a
    `stamped` page any rows, up to the body's first margin-to-margin row."""
    end = taken
    while (
        end < len(rows)
        and end - taken < _TITLE_MAX_ROWS
        and (stamped or _centred(rows[end], centre) or _specks_only(rows[end], end, rows))
        and not body[end]
    ):
        end += 1
    return end


def _specks_only(boxes: list[Box], index: int, rows: Rows) -> bool:
    """A row of specks alone (dust between the title and the trích yếu) with more rows
    below it: no row of its own, so it ends no block."""
    return index + 1 < len(rows) and all(_speck(b) for b in boxes)


def _closing_regions(rows: Rows, start: int, image: Image.Image) -> list[Region]:
    """The closing block, as its two columns when they stand apart: "Nơi nhận:" on the
    left, the signature block on the right. Read as one region, Tesseract can run a line
    of the recipients into the signature scribble beside it and lose it."""
    whole = [_span(rows, start, len(rows), image, "closing")]
    # The columns start below the last row running across both (the end of the body).
    first = max([start, *(i + 1 for i in range(start, len(rows)) if _spans_window(rows[i]))])
    if first == len(rows):  # (one row left can be the whole block: seal and scribble join it)
        return whole
    cut = _column_cut(rows[first:])
    if cut is None:
        return whole
    top, bottom = _between(rows, first, image.height), _between(rows, len(rows), image.height)
    left, right = _frame(rows, image.width)
    x = round(cut * image.width)
    return [
        Region((left, top, x, bottom), _BODY_PSM, "closing-left"),
        Region((x, top, right, bottom), _BODY_PSM, "closing-right"),
    ]


def _spans_window(boxes: list[Box]) -> bool:
    lo, hi = _CLOSING_WINDOW
    return any(b[0] < lo and b[2] > hi for b in boxes)


def _column_cut(rows: Rows) -> float | None:
    """The middle of the widest strip of _CLOSING_WINDOW no row inks, if text lies on
    both sides of it."""
    lo, hi = _CLOSING_WINDOW
    inked = np.zeros(_CUT_BINS + 1, dtype=bool)
    boxes = [b for row in rows for b in row if not _speck(b)]  # specks fill any gap
    for x0, _, x1, _ in boxes:
        inked[int(x0 * _CUT_BINS) : int(np.ceil(x1 * _CUT_BINS)) + 1] = True
    blank = ~inked[int(lo * _CUT_BINS) : int(hi * _CUT_BINS)]
    best_start, best_len = layout.widest_run(blank.tolist())
    if best_len < _MIN_CUT_BINS:
        return None
    cut = lo + (best_start + best_len / 2) / _CUT_BINS
    if not any(b[2] <= cut for b in boxes) or not any(b[0] >= cut for b in boxes):
        return None
    return cut


def _span(
    rows: Rows,
    start: int,
    end: int,
    image: Image.Image,
    name: str,
) -> Region:
    """A full-width region from between rows start-1/start to between rows end-1/end."""
    top, bottom = _between(rows, start, image.height), _between(rows, end, image.height)
    left, right = _frame(rows, image.width)
    return Region((left, top, right, bottom), _BODY_PSM, name)


def _frame(rows: Rows, width: int) -> tuple[int, int]:
    """Pixel columns of all rows' letters and a margin: a region never cuts off text, a
    mark in the margin the text frame leaves out included."""
    boxes = [b for row in rows for b in _letters(row)]
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    return round(max(0.0, left - _MARGIN) * width), round(min(1.0, right + _MARGIN) * width)


def _extent(rows: Rows) -> tuple[float, float]:
    """Left and right edges of the text frame: where rows start and end, the outermost
    that another row lines up with. An old copier's speck or dark mark in the margin is no
    text: taken for the frame's edge, it would leave no row reaching from edge to edge,
    and with no body found the title block would swallow the closing block."""
    letters = [_letters(row) for row in rows]
    starts = sorted(min(b[0] for b in row) for row in letters)
    ends = sorted((max(b[2] for b in row) for row in letters), reverse=True)
    return _lined_up(starts), _lined_up(ends)


def _lined_up(edges: list[float]) -> float:
    """The first of `edges` (sorted, outermost first) the next one lies within _ALIGN of;
    the first itself when none does (a page of one row)."""
    return next((a for a, b in itertools.pairwise(edges) if abs(b - a) <= _ALIGN), edges[0])


def _letters(boxes: list[Box]) -> list[Box]:
    """A row's runs without the specks beside them (all of them if all are specks)."""
    return [b for b in boxes if not _speck(b)] or boxes


def _speck(box: Box) -> bool:
    return box[2] - box[0] < _SPECK_WIDTH


def _between(rows: Rows, index: int, height: int) -> int:
    """The pixel row halfway between row index-1 and row index, or a margin beyond the
    first and the last row (blank paper costs Tesseract time too)."""
    if index == 0:
        return round(max(0.0, min(b[1] for b in rows[0]) - _MARGIN) * height)
    if index == len(rows):
        return round(min(1.0, max(b[3] for b in rows[-1]) + _MARGIN) * height)
    above = max(b[3] for b in rows[index - 1])
    below = min(b[1] for b in rows[index])
    return round((above + below) / 2 * height)


def _without_frame_edge(boxes: list[Box], marks: list[Box]) -> list[Box]:
    """A row's runs without a speck at a stamp's right side, its last: the frame, set down
    askew, leaves its edge a pixel beyond the box found for it on some rows, which then
    reached the right margin and passed for the body's (a trích yếu's second line, cut off
    the title). Remains of a letter beside its left side stay (a body line under it)."""
    if not boxes:
        return boxes
    last = max(boxes, key=lambda b: b[2])
    at_edge = _speck(last) and any(
        m[1] <= last[1] and last[3] <= m[3] and abs(last[0] - m[2]) < _EDGE_REACH for m in marks
    )
    if not at_edge:
        return boxes
    return [b for b in boxes if b is not last] or boxes


def _body_rows(rows: Rows) -> list[bool]:
    """Which rows run from the left edge of the text frame (or an indent) to its right edge."""
    left, right = _extent(rows)
    frame = right - left
    return [
        min(b[0] for b in boxes) <= left + _INDENT_SLACK * frame
        and max(b[2] for b in boxes) >= right - _FRAME_SLACK * frame
        and _widest(boxes) >= 0.5 * frame
        for boxes in rows  # a row's own specks stay: beside a stamp, a letter's remains
    ]


def _frame_centre(rows: Rows) -> float:
    left, right = _extent(rows)
    return (left + right) / 2


def _centred(boxes: list[Box], centre: float) -> bool:
    """Whether a row is one centred run (a title, a trích yếu line), not two columns.
    A speck off to the side (an old copier's) neither parts the row nor moves its middle."""
    boxes = _letters(boxes)
    x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
    gaps = (b[0] - a[2] for a, b in zip(boxes, boxes[1:], strict=False))
    split = max(gaps, default=0.0) >= layout.COLUMN_GAP
    return not split and abs((x0 + x1) / 2 - centre) <= _CENTRE_SLACK


def _parted(boxes: list[Box], x: float) -> bool:
    """Whether a row has ink on both sides of `x` and none across it. A speck on one side
    (an old copier's, beside a title under the header) parts nothing."""
    boxes = _letters(boxes)
    return (
        any(b[2] <= x for b in boxes)
        and any(b[0] >= x for b in boxes)
        and not any(b[0] < x < b[2] for b in boxes)
    )


def _widest(boxes: list[Box]) -> float:
    return max(b[2] - b[0] for b in boxes)


def ink_map(image: Image.Image, *, faint: bool = False) -> np.ndarray:
    """A boolean map of dark pixels, downscaled by min-pooling so thin strokes survive.

    `faint` also counts ink half-way between print and paper (a stamp's pale ink)."""
    inks = InkMaps(image)
    return inks.faint if faint else inks.printed


class InkMaps:
    """A page's maps of print and of faint ink (`ink_map`), both from one pooled copy of its
    grey: copying the page out of PIL and pooling it were most of the time a map took."""

    def __init__(self, image: Image.Image) -> None:
        self._pooled = _min_pooled(np.asarray(image.convert("L") if image.mode != "L" else image))
        self._hist = np.bincount(self._pooled.ravel(), minlength=256)

    @cached_property
    def printed(self) -> np.ndarray:
        return copier.cleaned(self._pooled < _threshold(self._hist))

    @cached_property
    def faint(self) -> np.ndarray:
        paper = _percentile(self._hist, 0.75)
        threshold = (_threshold(self._hist) + paper) // 2
        # Specks never make the long ruled lines the faint map is searched for: left there.
        return copier.cleaned(self._pooled < threshold, specks=False)

    def levelled(self, angle: float, *, faint: bool = False) -> np.ndarray:
        """The print (or faint ink) map turned by `angle` degrees, the page's skew."""
        ink = self.faint if faint else self.printed
        return turn_ink(ink, angle) if angle else ink


def _min_pooled(grey: np.ndarray) -> np.ndarray:
    """The darkest pixel of each f x f block, f chosen for a map ~_TARGET_WIDTH wide.

    As a running minimum of strided views (rows, then columns): a tenth of the time of
    numpy's min over a reshaped axis, which walks the page a pixel at a time."""
    f = max(1, grey.shape[1] // _TARGET_WIDTH)
    h, w = grey.shape[0] // f * f, grey.shape[1] // f * f
    rows = grey[0:h:f, :w].copy()
    for i in range(1, f):
        np.minimum(rows, grey[i:h:f, :w], out=rows)
    pooled = rows[:, 0::f].copy()
    for i in range(1, f):
        np.minimum(pooled, rows[:, i::f], out=pooled)
    return pooled


def _percentile(hist: np.ndarray, q: float) -> int:
    """`int(np.percentile(values, 100 * q))` (linear interpolation) from the values'
    histogram, without sorting them."""
    count = int(hist.sum())
    if count == 0:
        return 0
    position = q * (count - 1)
    below = int(position)
    cumulative = np.cumsum(hist)
    low = int(np.searchsorted(cumulative, below, side="right"))
    high = int(np.searchsorted(cumulative, min(below + 1, count - 1), side="right"))
    return int(low + (position - below) * (high - low))


def turn_ink(ink: np.ndarray, angle: float) -> np.ndarray:
    """The ink map of the page turned by `angle` degrees (counter-clockwise, same size)."""
    small = Image.fromarray(ink.astype(np.uint8) * 255)
    return np.asarray(small.rotate(angle, resample=Image.Resampling.NEAREST)) > 127


def looks_sideways(ink: np.ndarray) -> bool:
    """Whether the text lines run vertically (a page scanned turned by 90 degrees).

    Horizontal lines of text make the row profile of the ink alternate sharply (lines and
    gaps) while the column profile stays even; sideways text does the opposite. Measured
    on ND30 scans: row/column variation ratio >= 1.9 upright (even at 2 degrees of skew),
    <= 0.51 sideways.
    """
    rows, cols = _variation(ink.sum(axis=1)), _variation(ink.sum(axis=0))
    return rows > 0 and cols > 0 and rows / cols < _SIDEWAYS_RATIO


def _variation(profile: np.ndarray) -> float:
    inked = np.flatnonzero(profile)
    if len(inked) < 10:
        return 0.0
    span = profile[inked[0] : inked[-1] + 1].astype(np.float64)
    return float(span.std() / span.mean())


def skew_angle(ink: np.ndarray) -> float:
    """The small rotation (degrees, counter-clockwise) that makes the text rows level.

    Tries angles within +-3 degrees on the small ink map, every half degree and then a
    quarter degree either side of the best, and keeps the one whose row profile is
    sharpest (text rows and gaps best separated). On a page of upright text the sharpness
    has one peak over that range, so the half-degree steps climb from 0 towards it and
    stop where it falls again: 5-7 trial rotations for a page fed straight instead of 15
    (each a rotation of the map, 2 ms); the same angle as trying every step on all 305
    upright scans of five corpora. A page that looks sideways (when OSD could not turn
    it) has no such single peak: there every step is tried.
    """
    if ink.sum() < 100:
        return 0.0
    small = Image.fromarray(ink.astype(np.uint8) * 255)
    tried: dict[float, float] = {}

    def sharpness(angle: float) -> float:
        if angle not in tried:
            tried[angle] = _sharpness(small, angle)
        return tried[angle]

    step = 2 * _SKEW_STEP
    if looks_sideways(ink):
        steps = np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, step)
        best = max((float(a) for a in steps), key=sharpness)
    else:
        best = 0.0
        while True:
            ahead = [a for a in (best - step, best + step) if abs(a) <= _MAX_SKEW]
            better = max(ahead, key=sharpness, default=best)
            if sharpness(better) <= sharpness(best):
                break
            best = better
    return max((best - _SKEW_STEP, best, best + _SKEW_STEP), key=sharpness)


def _sharpness(small: Image.Image, angle: float) -> float:
    turned = np.asarray(small.rotate(angle, resample=Image.Resampling.NEAREST))
    # Whole numbers, exact as floats were (far below 2**53), in half the time.
    rows = turned.sum(axis=1, dtype=np.uint32).astype(np.int64)
    return float(np.square(np.diff(rows)).sum())


def _threshold(hist: np.ndarray) -> int:
    """Otsu's threshold of a grey histogram, kept within sane bounds for paper scans."""
    hist = hist.astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    return int(np.clip(np.argmax(between), 80, 200))


def _bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows holding ink (text rows), ignoring specks and hairlines."""
    counts = ink.sum(axis=1)
    inky = counts >= max(2, ink.shape[1] // 300)
    bands: list[tuple[int, int]] = []
    start = None
    for y, flag in enumerate([*inky.tolist(), False]):
        if flag and start is None:
            start = y
        elif not flag and start is not None:
            if y - start >= 3:  # rules under the agency name are 1-2 rows tall
                bands.append((start, y))
            start = None
    return bands


def _row_boxes(ink: np.ndarray, top: int, bottom: int, most: float = _MAX_CLOSE) -> list[Box]:
    """The inked runs of one text row as page-fraction boxes, gaps up to `most` of the
    width closed (word spaces, and a little more)."""
    height, width = ink.shape
    columns: list[bool] = np.any(ink[top:bottom], axis=0).tolist()
    close = min(_SPACE_CLOSE * (bottom - top), most * width)
    runs: list[list[int]] = []
    for x, flag in enumerate(columns):
        if not flag:
            continue
        if runs and x - runs[-1][1] <= close:
            runs[-1][1] = x + 1
        else:
            runs.append([x, x + 1])
    return [(a / width, top / height, b / width, bottom / height) for a, b in runs]
