"""Where to OCR on a scanned page: the ND30 header columns apart, then the rest.

`--psm 3` on a whole ND30 page can merge the agency (left) and the national motto (right)
into one line, and recognises the merged line worse (NOTES.md). We find the header's gutter
on a cheap, downscaled ink map (text rows by horizontal projection, then the strip every
header row leaves blank) and OCR the two header blocks and the body as separate regions.
The cuts fall on blank strips, so no text is ever split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from daemon.ocr import layout

_TARGET_WIDTH = 640  # ink map width in pixels: ~75 dpi for A4, enough to see text rows
_SPACE_CLOSE = 0.8  # gaps narrower than this many row heights are word spaces
_MAX_CLOSE = 0.015  # ... but never close a gap wider than this share of the width
_SIDEWAYS_RATIO = 0.8
_MAX_SKEW = 3.0  # degrees; a sheet fed more crooked than this is rare
_SKEW_STEP = 0.25
_HEADER_PSM = 4  # one column of lines of varying size
_BODY_PSM = 3  # automatic layout


@dataclass(frozen=True)
class Region:
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels of the page image
    psm: int
    name: str  # "page", "header-left", "header-right", "body"


@dataclass(frozen=True)
class Plan:
    regions: tuple[Region, ...]
    text_rows: int  # rows of ink found: 0-1 means a (nearly) blank page


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
    gutter = layout.find_gutter(rows)
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


def ink_map(image: Image.Image) -> np.ndarray:
    """A boolean map of dark pixels, downscaled by min-pooling so thin strokes survive."""
    grey = np.asarray(image.convert("L") if image.mode != "L" else image)
    f = max(1, grey.shape[1] // _TARGET_WIDTH)
    h, w = grey.shape[0] // f * f, grey.shape[1] // f * f
    pooled = grey[:h, :w].reshape(h // f, f, w).min(axis=1)  # two cheap passes, not one 4-D
    pooled = pooled.reshape(h // f, w // f, f).min(axis=2)
    return pooled < _threshold(pooled)


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

    Tries angles within +-3 degrees on the small ink map and keeps the one whose row
    profile is sharpest (text rows and gaps best separated).
    """
    if ink.sum() < 100:
        return 0.0
    small = Image.fromarray(ink.astype(np.uint8) * 255)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, _SKEW_STEP):
        turned = np.asarray(small.rotate(float(angle), resample=Image.Resampling.NEAREST))
        rows = turned.sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def _threshold(grey: np.ndarray) -> int:
    """Otsu's threshold, kept within sane bounds for paper scans."""
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
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


def _row_boxes(ink: np.ndarray, top: int, bottom: int) -> list[tuple[float, float, float, float]]:
    """The inked runs of one text row as page-fraction boxes, word spaces closed."""
    height, width = ink.shape
    columns: list[bool] = np.any(ink[top:bottom], axis=0).tolist()
    close = min(_SPACE_CLOSE * (bottom - top), _MAX_CLOSE * width)
    runs: list[list[int]] = []
    for x, flag in enumerate(columns):
        if not flag:
            continue
        if runs and x - runs[-1][1] <= close:
            runs[-1][1] = x + 1
        else:
            runs.append([x, x + 1])
    return [(a / width, top / height, b / width, bottom / height) for a, b in runs]
