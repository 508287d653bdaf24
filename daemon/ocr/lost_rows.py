"""Title lines that Tesseract's layout analysis skipped, found on the cut's own ink.

On a noisy page (an old copier's specks, what is left of a stamp beside the title) Tesseract's
automatic page segmentation sometimes drops a whole line of the trích yếu: the rows above and
below come back, that one does not, and what is read looks complete ("Ban hành Quy chế về sắp
xếp, tinh" / [gọn tổ chức bộ máy của Sở Nội vụ]). The cut's ink profile shows such a line as
a band of rows the height of the lines read, with no line read across it; it is read again on
its own as one line (`--psm 7`), between the left and right edges of the lines around it so
that specks beside it stay out.
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

Band = tuple[int, int]
ReadLine = Callable[[Image.Image, tuple[int, int]], list[Line]]


def reread(
    cut: Image.Image, found: list[Line], origin: tuple[int, int, int, int], read: ReadLine
) -> list[Line]:
    """Lines of `cut` (a region at `origin` = left, top, page width, page height) that its
    ink shows but `found` lacks, each read again by `read(image, (left, top))`."""
    if len(found) < 2:
        return []
    left, top, page_w, page_h = origin
    ink = np.asarray(cut) < _DARK
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
    out: list[Line] = []
    for b0, b1 in bands:
        tall = _HEIGHTS[0] * height <= b1 - b0 <= _HEIGHTS[1] * height
        inked = profile[b0:b1].sum() >= _MIN_INK * usual_ink
        if tall and inked and not _read_across(b0, b1, spans):
            pad = max(2, (b1 - b0) // 4)
            y0, y1 = max(0, b0 - pad), min(cut.height, b1 + pad)
            out += read(cut.crop((x0, y0, x1, y1)), (left + x0, top + y0))
    return out


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
