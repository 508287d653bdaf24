"""The surname under the seal's ring, told by its shape among the few Vietnamese surnames.

On a bilevel or old-copier scan the seal's ring is as black as print. Where it crosses the
signer's name, whitening the ring (`seal_ring`) takes the strokes under it too, and
Tesseract reads the surname as garbage ("Ảnh Thị Hạnh", "?zó Ngọc Lộc") or drops it. The
given names beside it read well, and a surname is one of a few dozen words. So the given
names as read are set in the typefaces a Vietnamese document is printed in (ND30: Times New
Roman, bold for the signer; Liberation Serif has its metrics) until one fits the row at
some size, and then each surname is set before them in that face and size and compared
with the ink left of them, the ring's band left out of the count; when none alone fits
clearly, each with Thị or Văn after it (the ring often takes the middle name too). One
must fit clearly better than every other, or the name is left as read.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from daemon.ocr.fields_vocab import SURNAME_FORMS
from daemon.ocr.seal_ring import Ring

# Bold serif faces a signer's name is set in, the first found of each family used; the
# first family is Times New Roman's (ND30's typeface) and its metric twin.
FACES = (
    (
        "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman_Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    ),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",),
)
_POINTS = np.arange(11.0, 16.01, 0.5)  # a signer's name is set in 13-14 pt; scans vary
_INK = 128
_SHIFT = 3  # pixels the given names' setting is moved about the first guess, each way
_REFINED = 5  # ... for this many faces and sizes of those that fit best where first put
_MIN_FIT = 0.7  # Dice overlap of the given names set and as scanned, for the face to count
_MIN_SURNAME = 0.6  # ... of the surname chosen
_MARGIN = 0.08  # ... more than the next surname's
_BAND_PAD = 1.5  # pixels of the ring's band beyond its stroke that the count leaves out


@dataclass(frozen=True)
class Match:
    head: str  # the surname, or it and a middle name the ring hid with it ("Lê Thị")
    given: str  # the given names it stands before
    fit: float  # overlap (Dice) of the head as set and as scanned, 0..1
    margin: float  # ... above the next best head's


def surname(
    strip: Image.Image, dpi: int, ring: Ring, origin: tuple[int, int], given: Sequence[str]
) -> Match | None:
    """The surname (and middle name) printed on `strip` (grey, one row of print) before
    one of `given`, the given names as read, each ending the other ("Hữu Vinh", "Vinh"), or
    None when no face fits them or no head fits clearly best. `origin` is the strip's
    top-left corner in the ring's coordinates."""
    known = ~_band(strip.size[::-1], ring, origin)
    scan = _Scan((np.asarray(strip) < _INK) & known, known)
    fit = _fit(scan, dpi, max(given, key=len))  # the most ink to fit the face to
    if fit is None:
        return None
    face, pixels, right, baseline = fit
    matches = (_head(scan, face, pixels, right, baseline, words) for words in given)
    return max((m for m in matches if m is not None), key=lambda m: m.fit, default=None)


def _head(
    scan: _Scan,
    face: str,
    pixels: int,
    right: int,
    baseline: int,
    given: str,
) -> Match | None:
    """The head that fits best before `given`, ending at column `right`, if clearly."""
    rest = _set(face, pixels, given)
    rest_left = right - (rest.right - rest.left)
    pen = right - (rest.right - rest.origin)  # where the pen set the given names from
    # Each head is set alone (the same few words on every page: they are kept) and put
    # where its pen would start, a space before the given names.
    font = _font(face, pixels)
    word = _word_left(scan, rest_left, round(font.getlength(" ")))
    for heads in (_SURNAMES, _HEADS):  # a middle name only when no surname alone fits clearly
        scores = sorted(
            (_headed(scan, face, pixels, head, (pen, rest_left), baseline, word), head)
            for head in heads
        )
        (best, head), (second, _) = scores[-1], scores[-2]
        if best >= _MIN_SURNAME and best - second >= _MARGIN:
            return Match(head, given, best, best - second)
    return None


_SURNAMES = tuple(sorted(set(SURNAME_FORMS.values())))
# The ring may take the middle name with the surname: "Lê Thị" before "Minh Hằng". Thị and
# Văn are far the commonest (most women's names and many men's carry one).
_MIDDLES = ("Thị", "Văn")
_HEADS = (*_SURNAMES, *(f"{name} {middle}" for name in _SURNAMES for middle in _MIDDLES))


@dataclass(frozen=True)
class _Scan:
    """The strip's ink, and where the ring's band leaves it known."""

    seen: np.ndarray  # ink off the band
    known: np.ndarray  # pixels off the band

    @cached_property
    def solid(self) -> np.ndarray:
        """Ink with at least three inked neighbours: strokes of print, not a copier's specks."""
        padded = np.pad(self.seen, 1).astype(np.uint8)
        h, w = self.seen.shape
        neighbours = sum(
            padded[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]
            for dy, dx in itertools.product((-1, 0, 1), repeat=2)
        )
        return self.seen & (neighbours >= 4)  # itself and three more


@dataclass(frozen=True)
class _Setting:
    ink: np.ndarray  # the text set black on white, as booleans
    baseline: int  # its row
    origin: int  # the column the pen started from
    left: int  # first and last inked columns
    right: int

    @property
    def width(self) -> int:
        return self.right - self.left + 1


@cache
def _font(path: str, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, pixels)


@cache
def faces() -> tuple[str, ...]:
    """The first installed face of each family."""
    found = (next((p for p in family if Path(p).exists()), None) for family in FACES)
    return tuple(path for path in found if path is not None)


@lru_cache(maxsize=4096)
def _set(face: str, pixels: int, text: str) -> _Setting:
    """`text` set in `face` at `pixels` per em."""
    font = _font(face, pixels)
    left, top, right, bottom = (round(v) for v in font.getbbox(text, anchor="ls"))
    image = Image.new("L", (right - left + 4, bottom - top + 4), 255)
    ImageDraw.Draw(image).text((2 - left, 2 - top), text, font=font, fill=0, anchor="ls")
    ink = np.asarray(image) < _INK
    columns = np.nonzero(ink.any(axis=0))[0]
    if len(columns) == 0:
        return _Setting(ink, 2 - top, 2 - left, 0, 0)
    return _Setting(ink, 2 - top, 2 - left, int(columns[0]), int(columns[-1]))


def _band(shape: tuple[int, int], ring: Ring, origin: tuple[int, int]) -> np.ndarray:
    """Pixels of `shape` on the ring's strokes, where the scan tells nothing of the print."""
    ys, xs = np.mgrid[: shape[0], : shape[1]]
    d = np.hypot(xs + origin[0] - ring.x, ys + origin[1] - ring.y)
    band = np.zeros(shape, dtype=bool)
    for radius, width in ring.rings:
        band |= np.abs(d - radius) <= width / 2 + _BAND_PAD
    return band


def _fit(scan: _Scan, dpi: int, given: str) -> tuple[str, int, int, int] | None:
    """Face, pixels per em, last column and baseline row of the given names on the strip:
    the setting whose ink overlaps the scan's best, if well enough."""
    columns = np.nonzero(scan.solid.sum(axis=0) >= 2)[0]
    rows = scan.solid.sum(axis=1)
    if len(columns) == 0:
        return None
    right = int(columns[-1])
    baseline = int(np.nonzero(rows >= 0.3 * rows.max())[0][-1])  # below: dots, descenders
    coarse = sorted(
        (
            _placed(scan, face, round(points / 72 * dpi), given, right, baseline, (0,))
            for face in faces()
            for points in _POINTS
        ),
        reverse=True,
    )
    fine = [  # the few best faces and sizes, moved a pixel at a time
        _placed(scan, face, pixels, given, x, y, range(-_SHIFT, _SHIFT + 1))
        for _, face, pixels, x, y in coarse[:_REFINED]
    ]
    if not fine or max(fine)[0] < _MIN_FIT:
        return None
    return max(fine)[1:]


def _placed(
    scan: _Scan,
    face: str,
    pixels: int,
    text: str,
    right: int,
    baseline: int,
    shifts: Sequence[int],
) -> tuple[float, str, int, int, int]:
    """The overlap of `text` set in `face` at `pixels` with the scan's ink about it, the
    setting moved by `shifts` each way about (right, baseline) to where the overlap is
    greatest; and where that is."""
    setting = _set(face, pixels, text)
    zone = (right - setting.width + 1 - _SHIFT, right + 1 + _SHIFT)
    return max(
        (_dice(scan, setting, x, y, zone), face, pixels, x, y)
        for x, y in itertools.product([right + d for d in shifts], [baseline + d for d in shifts])
    )


def _headed(
    scan: _Scan,
    face: str,
    pixels: int,
    head: str,
    given: tuple[int, int],
    baseline: int,
    word: int,
) -> float:
    """The overlap of `head` set alone, its pen starting a space before the given names'
    (`given`: their pen's column and their first inked one), or a pixel either side, with
    the scan's ink from its first column or the word's (`word`), whichever is further left,
    to the given names: ink there the head does not explain counts against it, the seal's
    further left does not."""
    setting = _set(face, pixels, head)
    start = given[0] - round(_font(face, pixels).getlength(f"{head} "))
    right = start + setting.right - setting.origin
    left = min(word, start + setting.left - setting.origin)
    zone = (max(0, left - 1), given[1])
    return max(_dice(scan, setting, right + dx, baseline, zone) for dx in (-1, 0, 1))


def _word_left(scan: _Scan, end: int, space: int) -> int:
    """The first column of the ink left of column `end` up to a gap wider than a space and
    a half: the word or words printed before the given names."""
    inked = np.asarray(scan.solid.any(axis=0))
    left, blank = end, 0
    for x in range(end - 1, -1, -1):
        if inked[x]:
            left, blank = x, 0
        else:
            blank += 1
            if blank > 1.5 * space:
                break
    return left


def _dice(
    scan: _Scan,
    setting: _Setting,
    right: int,
    baseline: int,
    zone: tuple[int, int],
) -> float:
    """Overlap (Dice) of the setting, placed with its last inked column at `right` and its
    baseline on row `baseline`, with the scan's ink in the strip's columns `zone`, over the
    pixels the ring leaves known."""
    seen, known = scan.seen, scan.known
    h, w = seen.shape
    x0, y0 = right - setting.right, baseline - setting.baseline  # the setting's (0, 0)
    sh, sw = setting.ink.shape
    left, end = max(0, zone[0]), min(w, zone[1])
    if left >= end:
        return 0.0
    theirs = int(np.count_nonzero(seen[:, left:end]))
    top, bottom = max(0, y0), min(h, y0 + sh)
    a, b = max(left, x0), min(end, x0 + sw)
    if top >= bottom or a >= b:
        return 0.0
    ink = setting.ink[top - y0 : bottom - y0, a - x0 : b - x0]
    mine = int(np.count_nonzero(ink & known[top:bottom, a:b]))
    both = int(np.count_nonzero(ink & seen[top:bottom, a:b]))
    return 2 * both / max(1, mine + theirs)
