"""The few operations on a boolean ink map that the planner needs, in NumPy alone.

SciPy's ndimage would do them, but it costs every reading process 28 MB of memory for three
calls on a 640-pixel map; these are exact for what they are used for, and as fast.
"""

from __future__ import annotations

import numpy as np

Bbox = tuple[int, int, int, int]  # x0, y0, x1, y1 (x1, y1 exclusive) in map pixels


def dilate(mask: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """`mask` grown by `rows` pixels up and down and `cols` left and right (a rectangle)."""
    return _along(_along(mask, rows, 0, np.logical_or), cols, 1, np.logical_or)


def box_count(mask: np.ndarray, reach: int) -> np.ndarray:
    """For each pixel, how many pixels of `mask` lie within `reach` of it (a square)."""
    side = 2 * reach + 1
    counts = mask.astype(np.uint8 if side * side <= 255 else np.int32)
    return _along(_along(counts, reach, 0, np.add), reach, 1, np.add)


def _along(values: np.ndarray, reach: int, axis: int, combine: np.ufunc) -> np.ndarray:
    """`combine` of each element with those up to `reach` either side along `axis` (zeros
    beyond the edges): 2 * reach whole-map operations on shifted views of a padded copy,
    which NumPy runs in SIMD, unlike a running sum (a tenth of the time on the ink map)."""
    if reach == 0:
        return values.copy()
    size = values.shape[axis]
    pad = [(0, 0)] * values.ndim
    pad[axis] = (reach, reach)
    padded = np.pad(values, pad)

    def shifted(k: int) -> np.ndarray:
        return padded[k : k + size] if axis == 0 else padded[:, k : k + size]

    out = shifted(0).copy()
    for k in range(1, 2 * reach + 1):
        combine(out, shifted(k), out=out)
    return out


def covered_by_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """The pixels of `mask` lying on a vertical run of at least `length` inked pixels."""
    height = mask.shape[0]
    if height < length:
        return np.zeros_like(mask)
    full = _all_down(mask, length)  # a full run of `length` starts at row y
    # A pixel lies on such a run when one starts within `length` rows above it or at it.
    starts = np.zeros((height + length - 1, *mask.shape[1:]), dtype=bool)
    starts[length - 1 : height] = full
    return mask & _any_down(starts, length)


def _all_down(mask: np.ndarray, length: int) -> np.ndarray:
    """For each row y <= height - length: whether all of rows y .. y + length - 1 are set
    (by doubling: log2(length) whole-map ANDs instead of a running sum)."""
    done, span = mask, 1
    while 2 * span <= length:
        done, span = done[:-span] & done[span:], 2 * span
    rest = length - span  # two windows of `span` overlapping to cover `length` exactly
    return done[:-rest] & done[rest:] if rest else done


def _any_down(mask: np.ndarray, length: int) -> np.ndarray:
    """For each row y <= height - length: whether any of rows y .. y + length - 1 is set."""
    done, span = mask, 1
    while 2 * span <= length:
        done, span = done[:-span] | done[span:], 2 * span
    rest = length - span
    return done[:-rest] | done[rest:] if rest else done


def components(mask: np.ndarray) -> list[Bbox]:
    """The bounding boxes of the 8-connected parts of a SPARSE mask (a few thousand pixels:
    it walks them one by one)."""
    height, width = mask.shape
    todo = set(zip(*np.nonzero(mask), strict=True))
    boxes: list[Bbox] = []
    while todo:
        start = todo.pop()
        stack, y0, y1, x0, x1 = [start], start[0], start[0], start[1], start[1]
        while stack:
            y, x = stack.pop()
            y0, y1, x0, x1 = min(y0, y), max(y1, y), min(x0, x), max(x1, x)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    near = (y + dy, x + dx)
                    if near in todo:
                        todo.remove(near)
                        stack.append(near)
        boxes.append((int(x0), int(y0), int(x1) + 1, int(y1) + 1))
    return boxes
