"""The red round seal (con dấu) and a handwritten-looking signature.

The seal is a raster image with an alpha channel, so its lettering never enters the PDF's
text layer (a reader would otherwise see the agency name twice, in a ring). The signature is
vector strokes, not text. Both are seeded from the document's own text, never from Python's
salted `hash`, so a spec always renders to the same bytes.
"""

from __future__ import annotations

import math
import random
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfgen.canvas import Canvas

from tests.docgen.fonts import SEAL_FONT

SEAL_RED = (205, 25, 35)
_SUPERSAMPLE = 2


def stable_seed(*parts: str) -> int:
    """A seed that is the same in every process (unlike `hash`)."""
    return zlib.crc32("\x1f".join(parts).encode("utf-8"))


@lru_cache(maxsize=32)
def seal_image(ring_text: str, diameter_px: int = 320, *, seed: int = 0) -> Image.Image:
    """A state seal: double ring, the agency's name around it, a star in the middle.

    Ink is uneven (alpha varies) as on a real stamp; the result is RGBA at `diameter_px`
    (320 px over 35 mm is about 230 dpi). Cached: callers must not modify it.
    """
    size = diameter_px * _SUPERSAMPLE
    ink = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(ink)
    centre = size / 2
    outer = size / 2 - 2 * _SUPERSAMPLE
    _ring(draw, centre, outer, size * 0.028)
    _ring(draw, centre, outer * 0.64, size * 0.01)
    radius = outer * 0.82
    # long names get smaller letters so they still fit the 290-degree arc without touching
    per_char = radius * math.radians(290.0) / max(1, len(ring_text))
    font = ImageFont.truetype(SEAL_FONT, int(min(size * 0.085, per_char * 1.25)))
    _text_on_ring(ink, ring_text, centre, radius, font)
    star = ImageFont.truetype(SEAL_FONT, int(size * 0.26))
    draw.text((centre, centre), "★", font=star, fill=255, anchor="mm")
    ink = ink.resize((diameter_px, diameter_px), Image.Resampling.LANCZOS)
    alpha = _uneven(ink, seed)
    seal = Image.new("RGBA", ink.size, SEAL_RED + (0,))
    seal.putalpha(alpha)
    return seal


def _ring(draw: ImageDraw.ImageDraw, centre: float, radius: float, thickness: float) -> None:
    box = (centre - radius, centre - radius, centre + radius, centre + radius)
    draw.ellipse(box, outline=255, width=max(1, round(thickness)))


def _text_on_ring(
    ink: Image.Image, text: str, centre: float, radius: float, font: ImageFont.FreeTypeFont
) -> None:
    """Letters upright along the circle, clockwise from lower left over the top."""
    span = math.radians(290.0)
    step = span / max(1, len(text) - 1)
    start = math.radians(-145.0)  # measured from the top, clockwise
    for i, char in enumerate(text):
        if char == " ":
            continue
        angle = start + i * step
        box = round(font.size * 2)
        glyph = Image.new("L", (box, box), 0)
        ImageDraw.Draw(glyph).text((box / 2, box / 2), char, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.sin(angle) - glyph.width / 2
        y = centre - radius * math.cos(angle) - glyph.height / 2
        ink.paste(255, (round(x), round(y)), glyph)


def _uneven(ink: Image.Image, seed: int) -> Image.Image:
    """Scale the ink by a smooth random field between 55% and 90% opacity."""
    rng = random.Random(seed)
    coarse = Image.new("L", (6, 6))  # a 6x6 field of ink densities, smoothed up
    coarse.putdata([rng.randint(140, 230) for _ in range(36)])
    field = coarse.resize(ink.size, Image.Resampling.BICUBIC)
    return Image.composite(field, Image.new("L", ink.size, 0), ink)


def draw_signature(canv: Canvas, x: float, y: float, width: float, *, seed: int) -> None:
    """A few flowing pen strokes in blue-black ink, left edge at (x, y), about `width` wide."""
    rng = random.Random(seed)
    canv.saveState()
    canv.setStrokeColorRGB(0.08, 0.12, 0.45)
    canv.setLineWidth(1.1)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    path = canv.beginPath()
    px, py = x, y + rng.uniform(-4, 4)
    path.moveTo(px, py)
    loops = rng.randint(3, 5)
    for i in range(loops):
        nx = x + width * (i + 1) / loops
        ny = y + rng.uniform(-6, 6)
        lift = rng.uniform(10, 22) * (1 if i % 2 == 0 else -0.6)
        path.curveTo(px + rng.uniform(4, 12), py + lift, nx - rng.uniform(4, 12), ny + lift, nx, ny)
        px, py = nx, ny
    # the closing flourish underlines the whole signature
    path.curveTo(px + 8, py - 10, x + width * 0.4, y - 14, x - 4, y - 8)
    canv.drawPath(path, stroke=1, fill=0)
    canv.restoreState()
