"""OCR of one page raster into a Page: levelled, upright, ND30 header columns apart.

Orientation detection (Tesseract OSD) costs about 0.45 s a page even at half resolution,
a third of the OCR itself, and almost every scan arrives upright. So OSD runs only when a
cheap test says the text runs vertically (`regions.looks_sideways`), or when the reading
comes out poor (low confidence or hardly any text on an inked page), or when a page that
must carry an ND30 landmark (the motto on the first page, "Nơi nhận" on the last) shows none:
an upside-down page often reads as confident mirrored garbage, which only the missing
landmark gives away. Skew is measured on the small ink map (~50 ms) and corrected when
it passes half a degree, which keeps the header gutter straight: the ink map is turned to
plan the regions, and each region is cut out of the page already turned (one affine
transform per region), instead of turning the whole page (~0.15 s at 300 dpi).

Two passes share this: `ocr_fields` reads only the blocks that hold register fields (the
fast first pass), `ocr_page` the whole page (the later full-text pass for search).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr import layout, regions, signature, tesseract, vntext
from daemon.ocr.images import Raster
from daemon.ocr.model import Line, Page

_POOR_CONF = 0.6  # below this mean confidence the page may be upside down or sideways
_MIN_CHARS = 20  # fewer letters/digits than this on an inked page is a poor reading too
_MIN_OSD_CONF = 2.0  # Tesseract OSD orientation confidence worth acting on
_MIN_SKEW = 0.5  # degrees; less is left to Tesseract
_SCRIBBLE_CONF = 0.6  # print in the signature column reads at 0.8+, the scribble far lower
_SEALED = ("closing", "closing-left", "closing-right", "body")  # read from the red channel
# Print is near black (< 80 even blurred); the red seal comes out mid-grey (~130-170) in a
# grey scan and, paler, in the red channel of a colour one. Whitening everything lighter
# than this in the signature column drops the seal ring that hides the signer's name.
_SEAL_GREY = 100
_SEAL_LUT = [v if v <= _SEAL_GREY else 255 for v in range(256)]
_UNSEALED = ("closing-right",)  # not the recipients: their small print suffers
_NAME_SHARE = 0.55  # the signature column of a closing block read as one: its right part


Planner = Callable[[Image.Image, np.ndarray | None], regions.Plan]


def ocr_page(raster: Raster, settings: ReadingSettings, *, header: bool) -> Page:
    """Read a whole grey page raster; `header` looks for the two ND30 header columns."""
    return _ocr(
        raster,
        settings,
        lambda image, ink: regions.plan(image, header=header, ink=ink),
        _landmarks(first=header, last=False),
    )


def ocr_fields(raster: Raster, settings: ReadingSettings, *, first: bool, last: bool) -> Page:
    """Read the blocks of a page that hold register fields: the header and title on the
    `first` page, the closing block ("Nơi nhận:", signature) on the `last`."""
    return _ocr(
        raster,
        settings,
        lambda image, ink: regions.field_plan(image, first=first, last=last, ink=ink),
        _landmarks(first=first, last=last),
    )


# Landmarks an upright ND30 page shows, matched on the loose key with spaces removed so
# that OCR's stray spaces and lost marks do not hide them. Any one of them will do.
_MOTTO = ("conghoa", "xahoi", "chunghia", "doclap", "tudo", "hanhphuc")
_RECEIVERS = ("noinhan",)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _landmarks(*, first: bool, last: bool) -> tuple[str, ...]:
    return (_MOTTO if first else ()) + (_RECEIVERS if last else ())


def _has_landmark(lines: tuple[Line, ...], landmarks: tuple[str, ...]) -> bool:
    if not landmarks:
        return True
    text = _NON_ALNUM.sub("", vntext.loose_key(" ".join(line.text for line in lines)))
    return any(mark in text for mark in landmarks)


def _ocr(
    raster: Raster, settings: ReadingSettings, planner: Planner, landmarks: tuple[str, ...]
) -> Page:
    """Level and turn upright, then OCR the regions `planner` picks."""
    ink = regions.ink_map(raster.image)
    if regions.looks_sideways(ink):
        turned = _upright(raster, settings)
        if turned is not None:
            raster, ink = turned, regions.ink_map(turned.image)
    page, plan = _level_and_read(raster, settings, planner, ink)
    if not plan.regions or plan.text_rows < 2:
        return page
    if _poor(page.lines) or not _has_landmark(page.lines, landmarks):
        turned = _upright(raster, settings)
        if turned is not None:
            retry, _ = _level_and_read(turned, settings, planner, None)
            if _rank(retry.lines, landmarks) > _rank(page.lines, landmarks):
                page = retry
    return page


def _level_and_read(
    raster: Raster, settings: ReadingSettings, planner: Planner, ink: np.ndarray | None
) -> tuple[Page, regions.Plan]:
    """Measure the skew on the ink map, plan the regions on the levelled map, read them."""
    if ink is None:
        ink = regions.ink_map(raster.image)
    angle = regions.skew_angle(ink)
    if abs(angle) < _MIN_SKEW:
        angle = 0.0
    else:
        ink = regions.turn_ink(ink, angle)
    return _read(raster, settings, planner(raster.image, ink), angle)


def _read(
    raster: Raster, settings: ReadingSettings, plan: regions.Plan, angle: float
) -> tuple[Page, regions.Plan]:
    """OCR each region of the page turned by `angle` degrees (counter-clockwise)."""
    lines: list[Line] = []
    for region in plan.regions:
        source = raster.image
        if raster.red is not None and region.name in _SEALED:
            source = raster.red  # the red seal fades away; black and blue ink stay
        raw = _cut(source, region.box, angle)
        cut = raw.point(_SEAL_LUT) if region.name in _UNSEALED else raw
        found = tesseract.ocr_lines(
            cut,
            lang=settings.language,
            psm=region.psm,
            timeout=settings.ocr_timeout,
            dpi=raster.dpi,
            page=(region.box[0], region.box[1], *raster.image.size),
        )
        if region.name == "closing-right":  # the handwritten signature, read as "text"
            found = [line for line in found if line.conf >= _SCRIBBLE_CONF]
        if region.name in ("closing", "closing-right"):
            found = _with_name(found, raw, region, raster, settings)
        lines += found
    width, height = raster.size_pt
    return Page(tuple(layout.reading_order(lines)), "ocr", width, height), plan


def _with_name(
    found: list[Line],
    cut: Image.Image,
    region: regions.Region,
    raster: Raster,
    settings: ReadingSettings,
) -> list[Line]:
    """`found` with the signer's name row read again on its own (see `signature`)."""
    left = 0 if region.name == "closing-right" else round(cut.width * (1 - _NAME_SHARE))
    name = signature.read_name(
        cut.crop((left, 0, cut.width, cut.height)),
        lang=settings.language,
        dpi=raster.dpi,
        timeout=settings.ocr_timeout,
        origin=(region.box[0] + left, region.box[1], *raster.image.size),
    )
    if name is None:
        return found
    split = (region.box[0] + left) / raster.image.width
    kept = [
        line
        for line in found
        if not (name.y0 <= (line.y0 + line.y1) / 2 <= name.y1 and line.x1 > split)
    ]
    return [*kept, name]


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


def _rank(lines: tuple[Line, ...], landmarks: tuple[str, ...]) -> tuple[bool, float]:
    """Which of two readings of a page to keep: the one with a landmark, then the surer."""
    return _has_landmark(lines, landmarks), _score(lines)


def _poor(lines: tuple[Line, ...]) -> bool:
    chars = _chars(lines)
    return chars < _MIN_CHARS or _score(lines) / chars < _POOR_CONF
