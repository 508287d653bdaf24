"""OCR of one page raster into a Page: levelled, upright, ND30 header columns apart.

Orientation detection (Tesseract OSD) costs about 0.45 s a page even at half resolution,
a third of the OCR itself, and almost every scan arrives upright. So OSD runs only when a
cheap test says the text runs vertically (`regions.looks_sideways`), or when the reading
comes out poor (low confidence or hardly any text on an inked page), which is what an
upside-down page gives. Skew is measured on the small ink map (~60 ms) and corrected when
it passes half a degree (a rotation of ~0.2 s), which keeps the header gutter straight.
"""

from __future__ import annotations

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


def ocr_page(raster: Raster, settings: ReadingSettings, *, header: bool) -> Page:
    """Read a grey page raster; `header` looks for the two ND30 header columns."""
    ink = regions.ink_map(raster.image)
    if regions.looks_sideways(ink):
        turned = _upright(raster, settings)
        if turned is not None:
            raster, ink = turned, regions.ink_map(turned.image)
    raster, ink = _levelled(raster, ink)
    page, plan = _read(raster, settings, header, ink)
    if plan.text_rows >= 2 and _poor(page.lines):
        turned = _upright(raster, settings)
        if turned is not None:
            retry, _ = _read(turned, settings, header, None)
            if _score(retry.lines) > _score(page.lines):
                page = retry
    return page


def _levelled(raster: Raster, ink: np.ndarray) -> tuple[Raster, np.ndarray]:
    angle = regions.skew_angle(ink)
    if abs(angle) < _MIN_SKEW:
        return raster, ink
    image = raster.image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return Raster(image, raster.dpi), regions.ink_map(image)


def _read(
    raster: Raster, settings: ReadingSettings, header: bool, ink: np.ndarray | None
) -> tuple[Page, regions.Plan]:
    plan = regions.plan(raster.image, header=header, ink=ink)
    lines: list[Line] = []
    for region in plan.regions:
        lines += tesseract.ocr_lines(
            raster.image,
            lang=settings.language,
            psm=region.psm,
            timeout=settings.ocr_timeout,
            dpi=raster.dpi,
            box=region.box,
        )
    width, height = raster.size_pt
    return Page(tuple(layout.reading_order(lines)), "ocr", width, height), plan


def _upright(raster: Raster, settings: ReadingSettings) -> Raster | None:
    """The raster turned upright per Tesseract OSD, or None when it is upright or unsure."""
    image, dpi = raster.image, raster.dpi
    if dpi >= 250:  # OSD needs no more than ~150 dpi; halving saves most of its time
        image, dpi = image.reduce(2), dpi // 2
    found = tesseract.detect_orientation(image, timeout=settings.ocr_timeout, dpi=dpi)
    if found is None or found.rotate == 0 or found.confidence < _MIN_OSD_CONF:
        return None
    # OSD's "rotate" is clockwise; PIL turns counter-clockwise for positive angles.
    return Raster(raster.image.rotate(-found.rotate, expand=True), raster.dpi)


def _chars(lines: tuple[Line, ...]) -> int:
    return sum(sum(c.isalnum() for c in line.text) for line in lines)


def _score(lines: tuple[Line, ...]) -> float:
    return sum(line.conf * sum(c.isalnum() for c in line.text) for line in lines)


def _poor(lines: tuple[Line, ...]) -> bool:
    chars = _chars(lines)
    return chars < _MIN_CHARS or _score(lines) / chars < _POOR_CONF
