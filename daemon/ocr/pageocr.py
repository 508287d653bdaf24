"""OCR of one page raster into a Page: levelled, upright, ND30 header columns apart.

Orientation detection (Tesseract OSD) costs about 0.45 s a page even at half resolution,
a third of the OCR itself, and almost every scan arrives upright. So OSD runs only when a
cheap test says the text runs vertically (`regions.looks_sideways`), or when the reading
comes out poor (low confidence or hardly any text on an inked page), which is what an
upside-down page gives. Skew is measured on the small ink map (~50 ms) and corrected when
it passes half a degree, which keeps the header gutter straight: the ink map is turned to
plan the regions, and each region is cut out of the page already turned (one affine
transform per region), instead of turning the whole page (~0.15 s at 300 dpi).

Two passes share this: `ocr_fields` reads only the blocks that hold register fields (the
fast first pass), `ocr_page` the whole page (the later full-text pass for search).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr import layout, regions, tesseract
from daemon.ocr.images import Raster
from daemon.ocr.model import Line, Page

_POOR_CONF = 0.6  # below this mean confidence the page may be upside down or sideways
_MIN_CHARS = 20  # fewer letters/digits than this on an inked page is a poor reading too
_MIN_OSD_CONF = 2.0  # Tesseract OSD orientation confidence worth acting on
_MIN_SKEW = 0.5  # degrees; less is left to Tesseract
_SCRIBBLE_CONF = 0.6  # print in the signature column reads at 0.8+, the scribble far lower
_SEALED = ("closing", "closing-left", "closing-right", "body")  # read from the red channel


Planner = Callable[[Image.Image, np.ndarray | None], regions.Plan]


def ocr_page(raster: Raster, settings: ReadingSettings, *, header: bool) -> Page:
    """Read a whole grey page raster; `header` looks for the two ND30 header columns."""
    return _ocr(raster, settings, lambda image, ink: regions.plan(image, header=header, ink=ink))


def ocr_fields(raster: Raster, settings: ReadingSettings, *, first: bool, last: bool) -> Page:
    """Read the blocks of a page that hold register fields: the header and title on the
    `first` page, the closing block ("Nơi nhận:", signature) on the `last`."""
    return _ocr(
        raster,
        settings,
        lambda image, ink: regions.field_plan(image, first=first, last=last, ink=ink),
    )


def _ocr(raster: Raster, settings: ReadingSettings, planner: Planner) -> Page:
    """Level and turn upright, then OCR the regions `planner` picks."""
    ink = regions.ink_map(raster.image)
    if regions.looks_sideways(ink):
        turned = _upright(raster, settings)
        if turned is not None:
            raster, ink = turned, regions.ink_map(turned.image)
    angle = regions.skew_angle(ink)
    if abs(angle) < _MIN_SKEW:
        angle = 0.0
    else:
        ink = regions.turn_ink(ink, angle)
    page, plan = _read(raster, settings, planner(raster.image, ink), angle)
    if plan.regions and plan.text_rows >= 2 and _poor(page.lines):
        turned = _upright(raster, settings)
        if turned is not None:
            retry, _ = _read(turned, settings, planner(turned.image, None), 0.0)
            if _score(retry.lines) > _score(page.lines):
                page = retry
    return page


def _read(
    raster: Raster, settings: ReadingSettings, plan: regions.Plan, angle: float
) -> tuple[Page, regions.Plan]:
    """OCR each region of the page turned by `angle` degrees (counter-clockwise)."""
    lines: list[Line] = []
    for region in plan.regions:
        source = raster.image
        if raster.red is not None and region.name in _SEALED:
            source = raster.red  # the red seal fades away; black and blue ink stay
        found = tesseract.ocr_lines(
            _cut(source, region.box, angle),
            lang=settings.language,
            psm=region.psm,
            timeout=settings.ocr_timeout,
            dpi=raster.dpi,
            page=(region.box[0], region.box[1], *raster.image.size),
        )
        if region.name == "closing-right":  # the handwritten signature, read as "text"
            found = [line for line in found if line.conf >= _SCRIBBLE_CONF]
        lines += found
    width, height = raster.size_pt
    return Page(tuple(layout.reading_order(lines)), "ocr", width, height), plan


def _cut(image: Image.Image, box: tuple[int, int, int, int], angle: float) -> Image.Image:
    """`image.rotate(angle).crop(box)` (same centre, same size), computing only the box."""
    if angle == 0.0:
        return image.crop(box)
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    cx, cy = image.width / 2, image.height / 2
    # Output pixel (x, y) of the box is (x + left, y + top) on the turned page, which
    # comes from the page point turned back by `angle` about the centre (as PIL rotates).
    dx, dy = box[0] - cx, box[1] - cy
    matrix = (cos, -sin, cos * dx - sin * dy + cx, sin, cos, sin * dx + cos * dy + cy)
    size = (box[2] - box[0], box[3] - box[1])
    return image.transform(
        size, Image.Transform.AFFINE, matrix, Image.Resampling.BILINEAR, fillcolor=255
    )


def _upright(raster: Raster, settings: ReadingSettings) -> Raster | None:
    """The raster turned upright per Tesseract OSD, or None when it is upright or unsure."""
    image, dpi = raster.image, raster.dpi
    if dpi >= 250:  # OSD needs no more than ~150 dpi; halving saves most of its time
        image, dpi = image.reduce(2), dpi // 2
    found = tesseract.detect_orientation(image, timeout=settings.ocr_timeout, dpi=dpi)
    if found is None or found.rotate == 0 or found.confidence < _MIN_OSD_CONF:
        return None
    # OSD's "rotate" is clockwise; PIL turns counter-clockwise for positive angles.
    return raster.turned(-found.rotate)


def _chars(lines: tuple[Line, ...]) -> int:
    return sum(sum(c.isalnum() for c in line.text) for line in lines)


def _score(lines: tuple[Line, ...]) -> float:
    return sum(line.conf * sum(c.isalnum() for c in line.text) for line in lines)


def _poor(lines: tuple[Line, ...]) -> bool:
    chars = _chars(lines)
    return chars < _MIN_CHARS or _score(lines) / chars < _POOR_CONF
