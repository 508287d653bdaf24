"""What an old copier or a fax adds to a page's ink map that is not print.

Sensor specks put a little ink in every blank row between text rows, a streak from a dirty
scanner glass runs down the whole page through every row, and the dark edge of an open lid
fills the rows along one side: any of them ties all the text rows into one band, and the
layout of the page is lost (the whole page is then read at once, worse and slower). They are
taken off the ink map used for planning. The streak is taken off the image Tesseract reads
too (`unstreaked`): read through, it breaks every letter it crosses (on the accuracy bench's
old-copier scans: 14 issuers misread in 86 streaked grey pages, none in 98 clean ones).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from daemon.ocr import morph

_SPECK = 4  # map pixels: a speck of toner or sensor noise (an accent is as small, but close)
_SPECK_SPAN = 2  # ... within this reach of each of its pixels
_SPECK_REACH = 3  # ... and no print within this reach
_STREAK = 0.6  # a column inked over this share of the page's height is a streak or an edge
_EDGE_ROWS = 0.05  # rows this close to the top or bottom may hold the lid's dark edge...
_EDGE_FILL = 0.6  # ... when inked over this share of the width
_MARGIN_X = 0.03  # the paper's outer strips, as shares of its width and height
_MARGIN_Y = 0.02
# A streak in the image: a run of columns whose paper (the median of every _PAPER_STEP-th
# pixel) is darker than _DIM of the page's, at most _STREAK_WIDTH of the width across.
_PAPER_STEP = 8
_DIM = 0.8
_STREAK_WIDTH = 0.01
_BESIDE = 20  # pixel columns either side of a streak that show its paper
_OPAQUE = 48  # paper this dark under the dirt lets no print through (a bilevel scan's streak)


def cleaned(ink: np.ndarray, *, specks: bool = True) -> np.ndarray:
    """The ink map without streaks, dark edges and (unless told not to) specks; a new array."""
    out = ink.copy()
    height, width = out.shape
    # ND30's margins are 15-35 mm: nothing printed lies this close to the paper's edge, but
    # the lid's shadow and the glass's border do (and would set the text frame's left edge).
    side, top = max(1, round(_MARGIN_X * width)), max(1, round(_MARGIN_Y * height))
    out[:, :side] = out[:, -side:] = False
    out[:top] = out[-top:] = False
    streaks = out.sum(axis=0) > _STREAK * height
    out[:, streaks] = False
    edge = max(1, round(_EDGE_ROWS * height))
    for rows in (slice(0, edge), slice(height - edge, height)):
        full = out[rows].sum(axis=1) > _EDGE_FILL * width
        out[rows][full] = False
    return _without_specks(out) if specks else out


def _without_specks(ink: np.ndarray) -> np.ndarray:
    """The ink map less its specks: ink with at most _SPECK pixels close by (specks, but
    also an accent) and no print within _SPECK_REACH (an accent has its letter)."""
    sparse = ink & (morph.box_count(ink, _SPECK_SPAN) <= _SPECK)
    near_print = morph.dilate(ink & ~sparse, _SPECK_REACH, _SPECK_REACH)
    return ink & ~(sparse & ~near_print)


def streaks(image: Image.Image) -> list[tuple[int, int]]:
    """The pixel columns (start, end) of the scanner glass's streaks down `image` (mode "L")."""
    paper = _column_medians(_sampled_rows(image))
    dim = paper < _DIM * float(np.median(paper))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], dim.astype(np.int8), [0]))))
    widest = round(_STREAK_WIDTH * image.width)
    return [
        (int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a <= widest
    ]


def _sampled_rows(image: Image.Image) -> np.ndarray:
    """`np.asarray(image)[::_PAPER_STEP]`, without copying the whole page out of PIL first
    (a clean page has no streak, and that copy was most of the time it took to say so)."""
    size = (image.width, -(-image.height // _PAPER_STEP))
    # Output row y samples the page at 8 (y + 0.5) - 4 = 8 y: row 8 y exactly.
    step = (1, 0, 0, 0, _PAPER_STEP, -_PAPER_STEP / 2)
    return np.asarray(image.transform(size, Image.Transform.AFFINE, step, Image.Resampling.NEAREST))


def _column_medians(grey: np.ndarray) -> np.ndarray:
    """`np.median(grey, axis=0)` for 8-bit pixels, in a third of its time: each column
    sorted as a row by radix sort (NumPy's stable sort of bytes) instead of partitioned
    in place down the page."""
    rows = len(grey)
    ordered = np.sort(np.ascontiguousarray(grey.T), axis=1, kind="stable")
    return (ordered[:, (rows - 1) // 2].astype(np.float64) + ordered[:, rows // 2]) / 2


def opaque(image: Image.Image, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The streaks of `found` that let no print through (`unstreaked` guesses what they
    hid from the columns beside them: a digit under one may be another)."""
    sample = _sampled_rows(image)
    return [(x0, x1) for x0, x1 in found if _shade(sample, x0, x1).min() < _OPAQUE]


def _shade(sample: np.ndarray, x0: int, x1: int) -> np.ndarray:
    """Each streak column's paper: the median down the page's sampled rows."""
    return np.median(sample[:, x0:x1], axis=0)


def unstreaked(image: Image.Image, found: list[tuple[int, int]]) -> Image.Image:
    """`image` (mode "L") with the streaks `found` taken off.

    Dirt on the glass lets through a share of the light, the same down the whole column: a
    streak's pixels are brought back up by that share, which leaves the print under it as
    dark as beside it. A black streak (a bilevel scan's) hides the print: its pixels take the
    lighter of the columns on either side, so a stroke across it stays whole.
    """
    grey = np.asarray(image)
    out = grey.copy()
    sample = grey[::_PAPER_STEP]
    last = grey.shape[1] - 1
    for x0, x1 in found:
        beside = np.hstack((sample[:, max(0, x0 - _BESIDE) : x0], sample[:, x1 : x1 + _BESIDE]))
        paper = float(np.median(beside))
        shade = _shade(sample, x0, x1)
        if shade.min() >= _OPAQUE:
            out[:, x0:x1] = np.clip(grey[:, x0:x1] * (paper / shade), 0, 255)
        else:
            sides = np.maximum(grey[:, max(x0 - 1, 0)], grey[:, min(x1, last)])
            out[:, x0:x1] = sides[:, None]
    return Image.fromarray(out)
