"""The seal's rings, found by shape and whitened, where colour cannot lift the seal.

Every signed document carries the agency's round seal over the signature and often over the
signer's name. In a colour scan its red ink fades away in the red channel; in a grey scan it is
a lighter grey than print. On an old copier, a fax or a bilevel scan it is as black as print,
and Tesseract either takes the signature column for a picture and reads nothing of it, or
reads the ring into the name ("<2 pha%&uân Nghĩa" for Phan Xuân Nghĩa).

A seal is two concentric circles 28 to 46 mm across, the agency's name between them and a
star or emblem inside. Print has no circles: a circle of ink that covers most of its own
circumference, and little of the circles just inside and outside it, is the seal's ring.
Rings are searched on a map of ink pooled to ~50 dpi, by correlating it with thin rings of
each radius (FFT, NumPy only), then measured at full resolution and whitened, with a second
ring inside the first, except where a stroke of print crosses them. The letters between and
inside stay (they read as specks the sifting drops). The page reader whitens a ring as dark
as print before reading the column; a lighter one it leaves to the grey levels, and reads the
signer's name both ways (`pageocr._with_name`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from PIL import Image

_WORK_DPI = 50  # the ring search runs at about this resolution
_DIAMETER_MM = (28.0, 46.0)  # seals of agencies and their units (35-42 mm usual)
_INNER_SHARE = (0.55, 0.9)  # the inner ring's radius against the outer one's
_MIN_COVER = 0.55  # share of a ring's circumference that is ink
_MIN_CONTRAST = 0.3  # ... above the rings a few pixels inside and outside it
_HALO = 1  # pixels whitened beyond a ring's measured stroke
_PRINT_LEVEL = 100  # print is darker than this even blurred (as `signature` finds)
_INK = 128  # darker than this is ink on the (already binarised or grey) page


@dataclass(frozen=True)
class Ring:
    x: float  # centre in the image's pixels
    y: float
    rings: tuple[tuple[float, float], ...]  # (radius, stroke width): the outer ring, the inner
    level: int  # the outer ring's grey

    @property
    def as_dark_as_print(self) -> bool:
        """Whether only its shape tells it from print: a lighter ring is left to the grey
        levels (`signature`), which keep the print it crosses whole."""
        return self.level < _PRINT_LEVEL


def find(image: Image.Image, dpi: int) -> Ring | None:
    """The seal's outer ring on `image` (grey), or None when no ring stands out."""
    step = max(1, round(dpi / _WORK_DPI))
    dark = np.asarray(image) < _INK
    pooled = _pooled(dark, step)
    scale = dpi / step / 25.4  # work pixels per mm
    low, high = (round(d / 2 * scale) for d in _DIAMETER_MM)
    if min(pooled.shape) < 2 * low:
        return None
    best: tuple[float, int, int, int] | None = None
    covers = _Covers(pooled, high + 3)
    for r in range(low, high + 1):
        ringed = covers[r] >= _MIN_COVER
        if not ringed.any():  # no ring of this size: its neighbours' maps are not needed
            continue
        contrast = covers[r] - np.maximum(covers[r - 3], covers[r + 3])
        score = np.where(ringed, contrast, -1.0)
        at = np.unravel_index(int(np.argmax(score)), score.shape)
        top = float(score[at])
        if top >= _MIN_CONTRAST and (best is None or top > best[0]):
            best = (top, int(at[0]), int(at[1]), r)
    if best is None:
        return None
    _, y, x, r = best
    inner = _inner(covers, y, x, r)
    cx, cy, radius, width = _refined(dark, (x + 0.5) * step, (y + 0.5) * step, r * step, step)
    rings = [(radius, width)]
    if inner:
        rings.append(_refined(dark, cx, cy, inner * step, step, centre_known=True)[2:])
    return Ring(cx, cy, tuple(rings), _level(np.asarray(image), cx, cy, radius, width))


def whitened(image: Image.Image, ring: Ring) -> Image.Image:
    """`image` with the seal's rings painted the paper's colour, each as wide as its stroke, except
    where a stroke of print crosses the ring (ink just inside and just outside it)."""
    grey = np.array(image)
    h, w = grey.shape
    dark = grey < _INK
    paper = int(np.median(grey))  # white would draw a ring of its own on a grey page
    for radius, width in ring.rings:
        reach = width / 2 + _HALO
        ys, xs = np.nonzero(dark)
        d = np.hypot(xs - ring.x, ys - ring.y)
        on = np.abs(d - radius) <= reach
        ys, xs, d = ys[on], xs[on], d[on]
        unit_x, unit_y = (xs - ring.x) / np.maximum(d, 1), (ys - ring.y) / np.maximum(d, 1)
        crossed = np.ones(len(xs), dtype=bool)
        for side, past in itertools.product((-1, 1), (2, 4)):  # a speck is not a stroke
            out = radius + side * (reach + past) - d  # from the pixel to past the band
            px = np.clip(np.rint(xs + unit_x * out).astype(int), 0, w - 1)
            py = np.clip(np.rint(ys + unit_y * out).astype(int), 0, h - 1)
            crossed &= dark[py, px]
        grey[ys[~crossed], xs[~crossed]] = paper
    return Image.fromarray(grey)


def _level(grey: np.ndarray, x: float, y: float, radius: float, width: float) -> int:
    """The median grey of the ring's stroke, where nothing else lies on it (its lighter half)."""
    h, w = grey.shape
    reach = radius + max(1.0, width / 4)  # only the ring's square: 20 MB of floats less
    top, left = max(0, int(y - reach)), max(0, int(x - reach))
    bottom, right = min(h, int(y + reach) + 2), min(w, int(x + reach) + 2)
    ys, xs = np.ogrid[top:bottom, left:right]
    core = np.abs(np.hypot(xs - x, ys - y) - radius) <= max(1.0, width / 4)
    values = np.sort(grey[top:bottom, left:right][core])
    return int(np.median(values[len(values) // 2 :])) if len(values) else 255


def _refined(
    dark: np.ndarray, x: float, y: float, radius: float, step: int, *, centre_known: bool = False
) -> tuple[float, float, float, float]:
    """Centre, radius and stroke width of a ring found at work resolution, measured on the
    full-resolution ink: the centre and radius where the most ink lies on one circle
    (centres tried two pixels apart, then one about the best)."""
    ys, xs = np.nonzero(dark)
    near = np.abs(np.hypot(xs - x, ys - y) - radius) <= 2 * step
    ys, xs = ys[near].astype(np.float32), xs[near].astype(np.float32)
    if len(xs) == 0:
        return x, y, radius, float(step)
    low, bins = radius - 2 * step, 4 * step + 1
    best = (-1, x, y, radius)
    for span, stride in ((0, 1),) if centre_known else ((step, 2), (1, 1)):
        cx, cy = best[1], best[2]
        for dy in range(-span, span + 1, stride):
            for dx in range(-span, span + 1, stride):
                counts = _profile(xs, ys, cx + dx, cy + dy, low, bins)
                i = int(np.argmax(counts))
                if counts[i] > best[0]:
                    best = (int(counts[i]), cx + dx, cy + dy, low + i + 0.5)
    _, cx, cy, r = best
    counts = _profile(xs, ys, cx, cy, r - 2 * step, bins)
    strong = np.nonzero(counts >= counts.max() / 2)[0]
    width = float(strong.max() - strong.min() + 1)
    return cx, cy, float(r - 2 * step + strong.min() + width / 2), width


def _profile(
    xs: np.ndarray, ys: np.ndarray, x: float, y: float, low: float, bins: int
) -> np.ndarray:
    """How many ink pixels lie at each whole distance from `low` to `low + bins` of (x, y)."""
    d = np.hypot(xs - x, ys - y) - low
    keep = (d >= 0) & (d < bins)
    return np.bincount(d[keep].astype(np.int64), minlength=bins)


def _pooled(dark: np.ndarray, step: int) -> np.ndarray:
    """Whether any pixel of each `step` x `step` block is ink."""
    h, w = (dark.shape[0] // step) * step, (dark.shape[1] // step) * step
    blocks = dark[:h, :w].reshape(h // step, step, w // step, step)
    return np.asarray(blocks.any(axis=(1, 3)), dtype=np.float32)


class _Covers(dict[int, np.ndarray]):
    """For each radius asked for, the share of the circle of that radius around each pixel
    of the pooled map that is ink: a correlation with a thin ring, by FFT, the map's own
    transform computed once for every radius up to `largest`."""

    def __init__(self, pooled: np.ndarray, largest: int) -> None:
        super().__init__()
        self.size = pooled.shape
        # A ring centred on the map reaches `largest` + 1 beyond its edge: a transform that
        # long wraps only the zeros past the map round onto those rings (a circular
        # correlation as good as a linear one, at 60% of the size).
        self.shape = tuple(_fast_size(n + largest + 1) for n in pooled.shape)
        self.spectrum = np.fft.rfft2(pooled, self.shape)

    def __missing__(self, radius: int) -> np.ndarray:
        size = 2 * radius + 3
        yy, xx = np.mgrid[:size, :size] - (radius + 1)
        ring = (np.abs(np.hypot(xx, yy) - radius) < 0.5).astype(np.float32)
        full = np.fft.irfft2(self.spectrum * np.fft.rfft2(ring[::-1, ::-1], self.shape), self.shape)
        # The value for a ring centred on pixel (y, x) sits at (y + r + 1, x + r + 1): a
        # count of inked pixels, made whole again (the transform's rounding is not the map's).
        lag, (h, w) = radius + 1, self.size
        counts = np.rint(full[lag : lag + h, lag : lag + w])
        self[radius] = cover = counts / ring.sum()
        return cover


def _fast_size(n: int) -> int:
    """The least size >= `n` with no prime factor above 5, where an FFT is quickest (a
    multiple of 16 such as 272 = 16 x 17 takes a third longer than 288)."""
    while True:
        rest = n
        for prime in (2, 3, 5):
            while rest % prime == 0:
                rest //= prime
        if rest == 1:
            return n
        n += 1


def _inner(covers: _Covers, y: int, x: int, outer: int) -> int | None:
    """The radius of a second ring about the same centre, inside the outer one."""
    found: tuple[float, int] | None = None
    window = (slice(max(0, y - 1), y + 2), slice(max(0, x - 1), x + 2))
    for r in range(max(4, round(outer * _INNER_SHARE[0])), round(outer * _INNER_SHARE[1]) + 1):
        cover = float(covers[r][window].max())
        if cover < _MIN_COVER:  # no ring there: its neighbours' maps are not needed
            continue
        inside, outside = (float(covers[k][window].max()) for k in (r - 3, r + 3))
        if cover - max(inside, outside) >= _MIN_CONTRAST and (found is None or cover > found[0]):
            found = (cover, r)
    return found[1] if found else None
