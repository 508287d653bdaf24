"""The clerk's "ĐẾN" stamp on a received page, found by its frame on the ink map.

ND30 (Phụ lục IV) has the clerk stamp every paper document received with a rectangle of about
50 x 35 mm, in the free space under the number or the date, where it often runs over the title
and the trích yếu. Its ink is red or violet, grey in a grey scan and often paler than print,
so colour cannot be relied on; its frame can. Uneven ink breaks the frame into pieces and
print touching it joins them to letters, so the stamp is found by its two sides: vertical runs
of ink longer than any letter, a stamp's width apart, side by side (print makes no such lines;
the seal's ring is steep for too short a stretch; a scanner streak runs down the whole page).

Its sides tie the rows of text beside it into one tall band, which hides the title from the
layout planner: planning on the ink map with the stamp's box cleared gives the rows back.
"""

from __future__ import annotations

import numpy as np

from daemon.ocr import morph

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page width/height

# Sizes as fractions of the page WIDTH (A4: 50 mm = 0.24, 35 mm = 0.17).
_SIDE = 0.045  # a vertical run of ink this long is a ruled line: no letter is this tall
_SIDES_APART = (0.12, 0.42)  # the stamp's width, loose enough for other makes
_MIN_HEIGHT = 0.11  # ... and its height (the seal's ring is steep for 0.09 at most)
_MAX_HEIGHT = 0.30
_OVERLAP = 0.6  # the two sides of one frame share most of their height
_JOIN = 5  # pixels: pieces of one side broken by uneven ink are joined across this


def find(ink: np.ndarray) -> list[Box]:
    """The boxes of stamp frames on a page's boolean ink map: two vertical ruled lines a
    stamp's width apart, side by side. Uneven ink breaks the frame into pieces and text
    touching it joins them to letters, so the frame is found by its sides, not as a whole:
    vertical runs longer than any letter, which print never makes."""
    height, width = ink.shape
    sides = _sides(ink)
    found: list[Box] = []
    used: set[int] = set()
    for i, left in enumerate(sides):
        for j, right in enumerate(sides):
            if i in used or j in used or not _pair(left, right, width):
                continue
            used |= {i, j}
            top, bottom = min(left[1], right[1]), max(left[3], right[3])
            found.append((left[0] / width, top / height, right[2] / width, bottom / height))
    return found


def _sides(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1 in map pixels) of vertical ruled lines at most a few degrees
    off the vertical: a one-pixel widening keeps a crooked line's runs long."""
    height, width = ink.shape
    wide = ink.copy()
    wide[:, 1:] |= ink[:, :-1]
    wide[:, :-1] |= ink[:, 1:]
    long_run = max(8, round(_SIDE * width))
    lines = morph.covered_by_runs(wide, long_run)
    return morph.components(morph.dilate(lines, _JOIN, 1))


def _pair(left: tuple[int, int, int, int], right: tuple[int, int, int, int], width: int) -> bool:
    """Whether two vertical lines are the left and right sides of one stamp."""
    apart = (right[2] - left[0]) / width
    top, bottom = max(left[1], right[1]), min(left[3], right[3])
    shorter = min(left[3] - left[1], right[3] - right[1])
    tall = (max(left[3], right[3]) - min(left[1], right[1])) / width
    return (
        left[0] < right[0]
        and _SIDES_APART[0] <= apart <= _SIDES_APART[1]
        and _MIN_HEIGHT <= tall <= _MAX_HEIGHT
        and bottom - top >= _OVERLAP * shorter
    )


def cleared(ink: np.ndarray, boxes: list[Box]) -> np.ndarray:
    """The ink map with everything inside `boxes` erased (the stamp and what is written in it)."""
    if not boxes:
        return ink
    height, width = ink.shape
    out = ink.copy()
    for x0, y0, x1, y1 in boxes:
        out[
            int(y0 * height) : int(np.ceil(y1 * height)), int(x0 * width) : int(np.ceil(x1 * width))
        ] = False
    return out
