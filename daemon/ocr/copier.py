"""What an old copier or a fax adds to a page's ink map that is not print.

Sensor specks put a little ink in every blank row between text rows, a streak from a dirty
scanner glass runs down the whole page through every row, and the dark edge of an open lid
fills the rows along one side: any of them ties all the text rows into one band, and the
layout of the page is lost (the whole page is then read at once, worse and slower). They are
taken off the ink map used for planning; the image Tesseract reads is left as it is.
"""

from __future__ import annotations

import numpy as np

from daemon.ocr import morph

_SPECK = 4  # map pixels: a speck of toner or sensor noise (an accent is as small, but close)
_SPECK_SPAN = 2  # ... within this reach of each of its pixels
_SPECK_REACH = 3  # ... and no print within this reach
_STREAK = 0.6  # a column inked over this share of the page's height is a streak or an edge
_EDGE_ROWS = 0.05  # rows this close to the top or bottom may hold the lid's dark edge...
_EDGE_FILL = 0.6  # ... when inked over this share of the width
_MARGIN_X = 0.03  # the paper's outer strips, as shares of its width and height
_MARGIN_Y = 0.02


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
