"""What an old copier or a fax adds to a page's ink map that is not print.

Sensor specks put a little ink in every blank row between text rows, a streak from a dirty
scanner glass runs down the whole page through every row, and the dark edge of an open lid
fills the rows along one side: any of them ties all the text rows into one band, and the
layout of the page is lost (the whole page is then read at once, worse and slower). They are
taken off the ink map used for planning; the image Tesseract reads is left as it is.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

_SPECK = 4  # map pixels: a speck of toner or sensor noise (an accent is as small, but close)
_SPECK_REACH = 3  # ... and alone: no larger ink within this many map pixels
_STREAK = 0.6  # a column inked over this share of the page's height is a streak or an edge
_EDGE_ROWS = 0.05  # rows this close to the top or bottom may hold the lid's dark edge...
_EDGE_FILL = 0.6  # ... when inked over this share of the width
_EIGHT = np.ones((3, 3), dtype=bool)


def cleaned(ink: np.ndarray) -> np.ndarray:
    """The ink map without specks, streaks and dark edges (a new array)."""
    out = ink.copy()
    height, width = out.shape
    streaks = out.sum(axis=0) > _STREAK * height
    out[:, streaks] = False
    edge = max(1, round(_EDGE_ROWS * height))
    for rows in (slice(0, edge), slice(height - edge, height)):
        full = out[rows].sum(axis=1) > _EDGE_FILL * width
        out[rows][full] = False
    return _without_specks(out)


def _without_specks(ink: np.ndarray) -> np.ndarray:
    labels, count = ndimage.label(ink, structure=_EIGHT)
    if count == 0:
        return ink
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    small = sizes <= _SPECK
    small[0] = False
    tiny = small[labels]
    if not tiny.any():
        return ink
    reach = 2 * _SPECK_REACH + 1
    near = ndimage.binary_dilation(ink & ~tiny, structure=np.ones((reach, reach), dtype=bool))
    alone = np.unique(labels[tiny & ~near])  # a speck with any pixel out of reach of print
    touching = np.unique(labels[tiny & near])
    gone = np.setdiff1d(alone, touching)
    out = ink.copy()
    out[np.isin(labels, gone)] = False
    return out
