"""The few operations on a boolean ink map that the planner needs, in NumPy alone.

SciPy's ndimage would do them, but it costs every reading process 28 MB of memory for three
calls on a 640-pixel map; these are exact for what they are used for, and as fast.
"""

from __future__ import annotations

import numpy as np

Bbox = tuple[int, int, int, int]  # x0, y0, x1, y1 (x1, y1 exclusive) in map pixels


def dilate(mask: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """`mask` grown by `rows` pixels up and down and `cols` left and right (a rectangle)."""
    out = mask.copy()
    for dy in range(1, rows + 1):
        out[dy:] |= mask[:-dy]
        out[:-dy] |= mask[dy:]
    grown = out.copy()
    for dx in range(1, cols + 1):
        out[:, dx:] |= grown[:, :-dx]
        out[:, :-dx] |= grown[:, dx:]
    return out


def box_count(mask: np.ndarray, reach: int) -> np.ndarray:
    """For each pixel, how many pixels of `mask` lie within `reach` of it (a square)."""
    return _window_sum(_window_sum(mask.astype(np.int32), reach, 0), reach, 1)


def _window_sum(values: np.ndarray, reach: int, axis: int) -> np.ndarray:
    """Sums over `reach` either side along `axis` (edges: what there is)."""
    size = values.shape[axis]
    padded = np.concatenate(
        [np.zeros_like(np.take(values, [0], axis=axis)), np.cumsum(values, axis=axis)], axis=axis
    )
    index = np.arange(size)
    upper = np.take(padded, np.minimum(index + reach + 1, size), axis=axis)
    lower = np.take(padded, np.maximum(index - reach, 0), axis=axis)
    return upper - lower


def covered_by_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """The pixels of `mask` lying on a vertical run of at least `length` inked pixels."""
    height = mask.shape[0]
    if height < length:
        return np.zeros_like(mask)
    runs = mask.astype(np.int32)
    counts = np.concatenate([np.zeros((1, mask.shape[1]), np.int32), np.cumsum(runs, axis=0)])
    full = (counts[length:] - counts[:-length]) == length  # a full window starts at row y
    starts = np.concatenate([np.zeros((1, mask.shape[1]), np.int32), np.cumsum(full, axis=0)])
    rows = np.arange(height)
    lo = np.clip(rows - length + 1, 0, full.shape[0])
    hi = np.clip(rows + 1, 0, full.shape[0])
    return mask & ((starts[hi] - starts[lo]) > 0)


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
