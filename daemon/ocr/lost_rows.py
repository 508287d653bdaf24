"""Title lines that Tesseract's layout analysis skipped, found on the cut's own ink.

On a noisy page (an old copier's specks, what is left of a stamp beside the title) Tesseract's
automatic page segmentation sometimes drops a whole line of the trích yếu: the rows above and
below come back, that one does not, and what is read looks complete ("Ban hành Quy chế về sắp
xếp, tinh" / [gọn tổ chức bộ máy của Sở Nội vụ]). The cut's ink profile shows such a line as
a band of rows the height of the lines read, with no line read across it; it is read again on
its own as one line (`--psm 7`), between the left and right edges of the lines around it so
that specks beside it stay out.

The clerk's stamp beside the title hides such a line twice: its sides ink every row they run
down, so the profile shows the stamp's whole height as one band, and its own words, read on
one line with the title's, spoil it ("|iouomaee KẾHOẠCH"). The profile is taken without the
stamps' ink, and a line lost beside a stamp is read from the stamp's edge.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from daemon.ocr.model import Line

_DARK = 128  # a pixel of ink
_MIN_ROW_INK = 0.004  # share of the cut's width a row's ink must reach to be part of a line
_HEIGHTS = (0.6, 1.6)  # a lost line is about as tall as the lines read
_MIN_INK = 0.3  # ... and holds at least this share of their median ink
_MARGIN = 0.03  # of the cut's width, kept on each side of the lines around it

_FRAME = 0.004  # page widths: a stamp frame's thickness, smeared by an old copier
_CLEAR = 0.02  # page widths: a line this far from a stamp does not go on under it

Band = tuple[int, int]
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (page pixels)
ReadLine = Callable[[Image.Image, tuple[int, int]], list[Line]]


def reread(
    cut: Image.Image,
    found: list[Line],
    origin: tuple[int, int, int, int],
    read: ReadLine,
    stamps: tuple[Box, ...] = (),
    least: int = 2,
) -> list[Line]:
    """Lines of `cut` (a region at `origin` = left, top, page width, page height) that its
    ink shows but `found` lacks, each read again by `read(image, (left, top))`. `stamps`:
    the boxes of stamps on the page (page pixels), whose ink is no line's. Looked for when
    `least` lines were read: where one line is all a region may hold (the date under the
    motto), the profile would turn up noise; where it never is (the agency's column with
    its number), one sets the height to look for."""
    if len(found) < max(1, least):
        return []
    left, top, page_w, page_h = origin
    ink = np.asarray(cut) < _DARK
    inside = _inside(ink.shape, stamps, (left, top), page_w)
    ink &= ~inside
    profile = ink.sum(axis=1)
    bands = _bands(profile, max(3, round(_MIN_ROW_INK * cut.width)))
    spans = [(ln.y0 * page_h - top, ln.y1 * page_h - top) for ln in found]
    heights = sorted(y1 - y0 for y0, y1 in spans)
    height = heights[len(heights) // 2]
    inks = sorted(int(profile[b0:b1].sum()) for b0, b1 in bands if _read_across(b0, b1, spans))
    if not inks:
        return []
    usual_ink = inks[len(inks) // 2]
    x0 = max(0, round(min(ln.x0 * page_w - left for ln in found) - _MARGIN * cut.width))
    x1 = min(cut.width, round(max(ln.x1 * page_w - left for ln in found) + _MARGIN * cut.width))
    clear = round(_CLEAR * page_w)
    out: list[Line] = []
    for b0, b1 in bands:
        tall = _HEIGHTS[0] * height <= b1 - b0 <= _HEIGHTS[1] * height
        inked = profile[b0:b1].sum() >= _MIN_INK * usual_ink
        if tall and inked and not _read_across(b0, b1, spans):
            pad = max(2, (b1 - b0) // 4)
            y0, y1 = max(0, b0 - pad), min(cut.height, b1 + pad)
            x_from, x_to = _beside_stamps(ink[y0:y1], inside[y0:y1], x0, x1, clear)
            out += read(cut.crop((x_from, y0, x_to, y1)), (left + x_from, top + y0))
    return out


def _inside(
    shape: tuple[int, ...], stamps: tuple[Box, ...], at: tuple[int, int], page_w: int
) -> np.ndarray:
    """Where the stamps lie on a cut at `at` (page pixels), widened by their frame's
    thickness: a side set down askew strays out of the box found for it."""
    inside = np.zeros(shape, dtype=bool)
    reach = max(1, round(_FRAME * page_w))
    for x0, y0, x1, y1 in stamps:
        rows = slice(max(0, y0 - at[1] - reach), max(0, y1 - at[1] + reach))
        cols = slice(max(0, x0 - at[0] - reach), max(0, x1 - at[0] + reach))
        inside[rows, cols] = True
    return inside


def _beside_stamps(
    ink: np.ndarray, inside: np.ndarray, x0: int, x1: int, clear: int
) -> tuple[int, int]:
    """The stretch `x0`..`x1` of a band to read, less a stamp left or right of its ink
    and `clear` of it: read with the line, the stamp's words spoil it. A line that runs up
    to the stamp may go on under it ("... năm" | "2015"), and is read with it."""
    cols = np.flatnonzero(ink.any(axis=0))
    stamp_cols = np.flatnonzero(inside.any(axis=0))
    if cols.size == 0 or stamp_cols.size == 0:
        return x0, x1
    first, last = int(cols[0]), int(cols[-1])
    before, after = stamp_cols[stamp_cols < first], stamp_cols[stamp_cols > last]
    if before.size and first - before[-1] > clear:
        x0 = max(x0, int(before[-1]) + 1)
    if after.size and after[0] - last > clear:
        x1 = min(x1, int(after[0]))
    return x0, x1


def _bands(profile: np.ndarray, least: int) -> list[Band]:
    """Runs of rows with at least `least` pixels of ink."""
    rows = np.flatnonzero(profile >= least)
    if rows.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) > 1)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    ends = np.concatenate((rows[breaks], [rows[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _read_across(b0: int, b1: int, spans: list[tuple[float, float]]) -> bool:
    """Whether a line read covers the middle of band `b0`..`b1`."""
    middle = (b0 + b1) / 2
    return any(y0 <= middle <= y1 for y0, y1 in spans)
