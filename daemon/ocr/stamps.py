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

import itertools

import numpy as np

from daemon.ocr import morph

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page width/height
Side = tuple[int, int, int, int]  # a vertical ruled line's box on the ink map (pixels)

# Sizes as fractions of the page WIDTH (A4: 50 mm = 0.24, 35 mm = 0.17).
_SIDE = 0.045  # a vertical run of ink this long is a ruled line: no letter is this tall
_SIDES_APART = (0.12, 0.42)  # the stamp's width, loose enough for other makes
_MIN_HEIGHT = 0.11  # ... and its height (the seal's ring is steep for 0.09 at most)
_MAX_HEIGHT = 0.30
_OVERLAP = 0.5  # the two sides of one frame share half their height, or a ruled stretch
_JOIN = 5  # pixels: pieces of one side broken by uneven ink are joined across this ...
_BREAK = 0.025  # ... and, one under the other, across a gap this long (an old copier's)
_SIDE_SLACK = 2  # pixels: a side set down askew steps this far sideways at a break


def find(ink: np.ndarray) -> list[Box]:
    """The boxes of stamp frames on a page's boolean ink map: two vertical ruled lines a
    stamp's width apart, side by side. Uneven ink breaks the frame into pieces and text
    touching it joins them to letters, so the frame is found by its sides, not as a whole:
    vertical runs longer than any letter, which print never makes. Of the lines that could
    pair, the two sharing the most height are a frame's sides (a stroke of the clerk's
    hand inside it, or of print beside it, shares less)."""
    height, width = ink.shape
    sides = _sides(ink)
    pairs = [
        (left, right)
        for left, right in itertools.permutations(sides, 2)
        if _pair(left, right, width)
    ]
    pairs.sort(key=lambda pair: _shared(*pair), reverse=True)
    found: list[Box] = []
    used: list[Side] = []
    for left, right in pairs:
        if left in used or right in used:
            continue
        used += [left, right]
        top, bottom = min(left[1], right[1]), max(left[3], right[3])
        found.append((left[0] / width, top / height, right[2] / width, bottom / height))
    return found


def _sides(ink: np.ndarray) -> list[Side]:
    """Boxes (x0, y0, x1, y1 in map pixels) of vertical ruled lines at most a few degrees
    off the vertical: a one-pixel widening keeps a crooked line's runs long."""
    height, width = ink.shape
    wide = ink.copy()
    wide[:, 1:] |= ink[:, :-1]
    wide[:, :-1] |= ink[:, 1:]
    long_run = max(8, round(_SIDE * width))
    lines = morph.covered_by_runs(wide, long_run)
    return _rejoined(morph.components(morph.dilate(lines, _JOIN, 1)), round(_BREAK * width))


def _rejoined(pieces: list[Side], gap: int) -> list[Side]:
    """Pieces of one side that an old copier's uneven ink broke, one under the other
    within `gap` pixels and in line (a side set down askew steps sideways at the break),
    as one side. Two pieces side by side over some height (a seal's ring, curving) are
    not one straight line."""
    sides: list[Side] = []
    for piece in sorted(pieces, key=lambda p: p[1]):
        for i, side in enumerate(sides):
            in_line = piece[0] <= side[2] + _SIDE_SLACK and side[0] <= piece[2] + _SIDE_SLACK
            if in_line and -1 <= piece[1] - side[3] <= gap:
                sides[i] = (
                    min(side[0], piece[0]),
                    side[1],
                    max(side[2], piece[2]),
                    max(side[3], piece[3]),
                )
                break
        else:
            sides.append(piece)
    return sides


def _pair(left: Side, right: Side, width: int) -> bool:
    """Whether two vertical lines are the left and right sides of one stamp: side by
    side over half the shorter one's height, or a stretch longer than any letter (one
    of them broken short, the other not)."""
    apart = (right[2] - left[0]) / width
    shorter = min(left[3] - left[1], right[3] - right[1])
    tall = (max(left[3], right[3]) - min(left[1], right[1])) / width
    return (
        left[0] < right[0]
        and _SIDES_APART[0] <= apart <= _SIDES_APART[1]
        and _MIN_HEIGHT <= tall <= _MAX_HEIGHT
        and _shared(left, right) >= min(_OVERLAP * shorter, _SIDE * width)
    )


def _shared(left: Side, right: Side) -> int:
    """How many rows two vertical lines share."""
    return min(left[3], right[3]) - max(left[1], right[1])


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


# The frame's straight strokes over print (page widths): longer than any letter's stroke,
# and at most this thick (an old copier smears the frame to twice a pen's width).
_STROKE = 0.045
_STROKE_WIDTH = 0.004
_STROKE_GAP = 0.002  # uneven ink breaks a stroke: gaps this wide are bridged
_ALONG = 0.012  # ... and so far beyond the print it touches: a word's space
_SKEW = 0.07  # slope (4 degrees): a stamp set down by hand is seldom more askew


def frame_strokes(ink: np.ndarray, page_width: int) -> np.ndarray:
    """The pixels of `ink` (a boolean map cut around a stamp from a page `page_width`
    pixels wide) on the frame's level strokes, its top and bottom, less where a letter
    crosses one: ink above and below the stroke, just beyond its width. A dark stamp's
    top runs through the title's letters ("hoạch xây" struck through, read as nothing);
    without it they are whole again but for the crossing. Its sides stay: they part the
    stamp's own words from the title's, which Tesseract would read as one line. The clerk
    stamps askew: a stroke is looked for at each slope up to _SKEW."""
    length = max(8, round(_STROKE * page_width))
    reach = max(2, round(_STROKE_WIDTH * page_width))
    gap = max(1, round(_STROKE_GAP * page_width))
    across = _straight(ink.T | _on_both_sides(ink.T, gap, axis=0), length).T & ink  # bridged
    # A stroke is thin: ink as thick as two of them across it is print (a bold word's
    # letters, run together by blur), not a frame.
    across &= ~morph.covered_by_runs(ink, 2 * reach)
    # Only where it runs along print: elsewhere it parts the stamp's words from the
    # title's, as its sides do.
    touching = across & _beside(ink & ~across, reach)
    along = morph.dilate(touching, 0, round(_ALONG * page_width))
    return _less_crossings(ink, across & along, reach)


def _beside(ink: np.ndarray, reach: int) -> np.ndarray:
    """For each pixel, whether `ink` lies within `reach` pixels above or below it, or
    beside it (a letter's stem the stroke ran into)."""
    return morph.dilate(ink, reach, 1)


def _less_crossings(ink: np.ndarray, stroke: np.ndarray, reach: int) -> np.ndarray:
    """A level stroke's pixels with its edges (a pixel off the straight run where the
    slope steps), less where letters cross it and the pixel beside each crossing."""
    crossed = _crossed(ink, stroke, reach, axis=0) & stroke
    return morph.dilate(stroke, 1, 0) & ink & ~morph.dilate(crossed, 1, 0)


def _straight(ink: np.ndarray, length: int) -> np.ndarray:
    """The pixels of `ink` on a straight vertical run of `length` at a slope up to _SKEW:
    the map is sheared so that each slope in turn stands upright. A slope this small moves
    a row by the same whole pixels as its neighbours: the shear moves bands of rows by
    slicing, not each pixel by an index."""
    height, width = ink.shape
    pad = int(_SKEW * height) + 1
    found = np.zeros_like(ink)
    steps = max(1, round(_SKEW * length))  # one pixel off over a stroke's length at most
    for slope in np.linspace(-_SKEW, _SKEW, 2 * steps + 1):
        bands = _bands(np.round(np.arange(height) * slope).astype(int))
        sheared = np.zeros((height, width + 2 * pad), dtype=bool)
        for top, bottom, shift in bands:
            sheared[top:bottom, pad - shift : pad - shift + width] = ink[top:bottom]
        runs = morph.covered_by_runs(sheared, length)
        for top, bottom, shift in bands:
            found[top:bottom] |= runs[top:bottom, pad - shift : pad - shift + width]
    return found


def _bands(shifts: np.ndarray) -> list[tuple[int, int, int]]:
    """The runs of rows with the same shift, as (first row, row past the last, shift)."""
    starts = [0, *(np.flatnonzero(np.diff(shifts)) + 1).tolist()]
    ends = [*starts[1:], len(shifts)]
    return [(top, bottom, int(shifts[top])) for top, bottom in zip(starts, ends, strict=True)]


def _on_both_sides(ink: np.ndarray, reach: int, axis: int) -> np.ndarray:
    """For each pixel, whether `ink` lies within `reach` pixels of it on both sides along
    `axis` (0: above and below, 1: left and right)."""
    return _crossed(ink, np.zeros_like(ink), reach, axis)


def _crossed(ink: np.ndarray, stroke: np.ndarray, reach: int, axis: int) -> np.ndarray:
    """For each pixel, whether ink that is not `stroke` lies on both sides of it along
    `axis` (0: above and below, 1: left and right), right beyond the stroke's pixels
    next to it and within `reach`: a letter that the stroke runs through."""
    other = ink & ~stroke
    sides = []
    for sign in (1, -1):
        seen, through = np.zeros_like(ink), np.ones_like(ink)
        for k in range(1, min(reach, ink.shape[axis] - 1) + 1):
            seen |= through & _shifted(other, sign * k, axis)
            through &= _shifted(stroke, sign * k, axis)
        sides.append(seen)
    return sides[0] & sides[1]


def _shifted(mask: np.ndarray, k: int, axis: int) -> np.ndarray:
    """`mask` moved `k` pixels along `axis` (down or right for k > 0), False where it came
    from beyond the edge: out[i] = mask[i - k]."""
    out = np.zeros_like(mask)
    src = [slice(None)] * 2
    dst = [slice(None)] * 2
    if k > 0:
        src[axis], dst[axis] = slice(None, -k), slice(k, None)
    else:
        src[axis], dst[axis] = slice(-k, None), slice(None, k)
    out[tuple(dst)] = mask[tuple(src)]
    return out
