"""Born-digital PDF -> what an office copier makes of its printout.

`scan` renders each page with pypdfium2 at the scanner's resolution, presses the clerk's
"ĐẾN" stamp on the first page when there is one, then degrades it the way paper and scanners
do: a page fed crooked (skew) or turned over (90/180/270, the whole batch or one page of it),
soft focus (blur), sensor noise, an old copier's speckles, a streak from dirt on the glass, the
dark edge of an open lid, a fax's black-and-white, JPEG compression. `save_as` writes the
pages as the copier would: an image-only PDF, JPEG, PNG or multi-page TIFF (Group 4 when
black-and-white). Same inputs and seed, same pixels.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Literal

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from tests.docgen.stamp import Stamp, stamp_on

Format = Literal["pdf", "jpeg", "png", "tiff"]
SUFFIXES: dict[Format, str] = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}
_TURNS = {
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}


@dataclass(frozen=True)
class Degradation:
    """The knobs of `scan`, kept together so truth files can record them."""

    dpi: int = 300
    grey: bool = True
    skew_deg: float = 0.0  # small rotation, counter-clockwise, page size kept
    rotate: int = 0  # 0/90/180/270, counter-clockwise: the page fed sideways or upside down
    noise: float = 0.0  # standard deviation of Gaussian noise, as a fraction of full scale
    blur: float = 0.0  # Gaussian blur radius in pixels
    jpeg_quality: int | None = None  # a JPEG round trip at this quality
    seed: int = 0
    levels: int | None = None  # grey/colour levels per channel (a copier's "text" mode), 2-256
    stamp: Stamp | None = None  # the clerk's "ĐẾN" stamp on the first page
    stamp_top_mm: float = 0.0  # where the band under the header starts (from the spec)
    speckles: float = 0.0  # fraction of pixels turned black or white (old drum, dust)
    streak: bool = False  # a vertical line from dirt on the scanner glass
    lid_edge: bool = False  # the dark shadow of a lid left open, along one edge
    bilevel: bool = False  # black and white only, as a fax or a G4 TIFF
    turned_page: int | None = None  # one page of the batch fed the wrong way (0-based) ...
    turned_by: int = 0  # ... by this many degrees (90/180/270)

    def as_json(self) -> dict[str, object]:
        out = asdict(self)
        if self.stamp is not None:
            out["stamp"] = {**asdict(self.stamp), "received": self.stamp.received.isoformat()}
        return out


def scan(
    pdf_bytes: bytes,
    *,
    dpi: int = 300,
    grey: bool = True,
    skew_deg: float = 0.0,
    rotate: int = 0,
    noise: float = 0.0,
    blur: float = 0.0,
    jpeg_quality: int | None = None,
    seed: int,
    levels: int | None = None,
    stamp: Stamp | None = None,
    stamp_top_mm: float = 0.0,
    speckles: float = 0.0,
    streak: bool = False,
    lid_edge: bool = False,
    bilevel: bool = False,
    turned_page: int | None = None,
    turned_by: int = 0,
) -> list[Image.Image]:
    """One degraded image per page ("L" if grey, "1" if bilevel, else "RGB"), with
    info["dpi"] set."""
    for turn in (rotate, turned_by):
        if turn not in (0, *_TURNS):
            raise ValueError(f"a page turns by 0, 90, 180 or 270 degrees, not {turn}")
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        colour = stamp is not None  # stamp ink is pressed on paper, before the scan greys it
        pages = [
            pdf[i].render(scale=dpi / 72, grayscale=grey and not colour).to_pil()
            for i in range(len(pdf))
        ]
    finally:
        pdf.close()
    if stamp is not None:
        pages[0] = stamp_on(pages[0], stamp, dpi, stamp_top_mm)
        if grey:
            pages = [page.convert("L") for page in pages]
    out = []
    for index, page in enumerate(pages):
        rng = np.random.default_rng([seed, index])
        image = degrade(
            page,
            skew_deg=skew_deg,
            rotate=turned_by if index == turned_page else rotate,
            noise=noise,
            blur=blur,
            jpeg_quality=None if bilevel else jpeg_quality,
            levels=levels,
            speckles=speckles,
            streak=streak,
            lid_edge=lid_edge,
            bilevel=bilevel,
            rng=rng,
        )
        image.info["dpi"] = (dpi, dpi)
        out.append(image)
    return out


def scan_with(pdf_bytes: bytes, degradation: Degradation) -> list[Image.Image]:
    return scan(pdf_bytes, **{f.name: getattr(degradation, f.name) for f in fields(degradation)})


def degrade(
    image: Image.Image,
    *,
    skew_deg: float = 0.0,
    rotate: int = 0,
    noise: float = 0.0,
    blur: float = 0.0,
    jpeg_quality: int | None = None,
    levels: int | None = None,
    speckles: float = 0.0,
    streak: bool = False,
    lid_edge: bool = False,
    bilevel: bool = False,
    rng: np.random.Generator | None = None,
) -> Image.Image:
    """Apply the copier's faults in the order they happen: feed, glass and lid, optics,
    sensor, drum, encoder."""
    rng = rng or np.random.default_rng(0)
    white = 255 if image.mode == "L" else (255, 255, 255)
    if skew_deg:
        image = image.rotate(skew_deg, resample=Image.Resampling.BICUBIC, fillcolor=white)
    if streak or lid_edge:
        image = _glass_and_lid(image, streak, lid_edge, rng)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        image = _add_noise(image, noise, rng)
    if speckles:
        image = _speckle(image, speckles, rng)
    if levels is not None:
        image = _posterize(image, levels)
    if bilevel:
        image = image.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1")
    if rotate:
        image = image.transpose(_TURNS[rotate])
    if jpeg_quality is not None:
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=jpeg_quality)
        image = Image.open(io.BytesIO(buf.getvalue()))
        image.load()
    return image


def _add_noise(image: Image.Image, sigma: float, rng: np.random.Generator) -> Image.Image:
    """Sensor noise plus a slightly grey paper, as copies never have a pure white ground.

    The noise is in luminance (one value per pixel, shared by the colour channels).
    """
    pixels = np.asarray(image, dtype=np.float32)
    shape = pixels.shape[:2] + ((1,) if pixels.ndim == 3 else ())
    pixels = pixels * (1 - sigma) + rng.standard_normal(shape, dtype=np.float32) * (sigma * 255)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode=image.mode)


def _glass_and_lid(
    image: Image.Image, streak: bool, lid_edge: bool, rng: np.random.Generator
) -> Image.Image:
    """A grey vertical streak where the glass is dirty; the lid's shadow darkening one edge."""
    pixels = np.asarray(image, dtype=np.float32)
    height, width = pixels.shape[:2]
    if streak:
        x = int(rng.integers(width // 10, width - width // 10))
        thick = int(rng.integers(1, 4))
        pixels[:, x : x + thick] *= float(rng.uniform(0.25, 0.6))
    if lid_edge:
        depth = int(width * rng.uniform(0.015, 0.04))
        fade = np.linspace(0.15, 1.0, depth, dtype=np.float32)
        shade = fade[None, :] if pixels.ndim == 2 else fade[None, :, None]
        if rng.random() < 0.5:
            pixels[:, :depth] *= shade
        else:
            pixels[:, width - depth :] *= shade[:, ::-1]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode=image.mode)


def _speckle(image: Image.Image, amount: float, rng: np.random.Generator) -> Image.Image:
    """Salt and pepper: mostly dark specks (toner, dust), some white holes in the strokes."""
    pixels = np.array(image)
    hits = rng.random(pixels.shape[:2]) < amount
    dark = rng.random(pixels.shape[:2]) < 0.8
    pixels[hits & dark] = 0
    pixels[hits & ~dark] = 255
    return Image.fromarray(pixels, mode=image.mode)


def _posterize(image: Image.Image, levels: int) -> Image.Image:
    """Round every channel to `levels` evenly spaced values (0 and 255 kept)."""
    if not 2 <= levels <= 256:
        raise ValueError(f"levels must be 2..256, not {levels}")
    step = 255 / (levels - 1)
    return image.point([round(round(v / step) * step) for v in range(256)] * len(image.getbands()))


def save_as(
    images: Sequence[Image.Image], path: str | Path, fmt: Format, *, jpeg_quality: int | None = None
) -> Path:
    """Write pages as a copier would; JPEG and PNG hold one page, PDF and TIFF any number.

    PDF pages are JPEG at `jpeg_quality` when given (a copier's usual "scan to PDF"), else
    lossless (PNG/Flate); TIFF is lossless (Deflate). The PDF page size follows the dpi.
    """
    if not images:
        raise ValueError("no pages to save")
    if fmt in ("jpeg", "png") and len(images) > 1:
        raise ValueError(f"{fmt} holds one page; got {len(images)} (use pdf or tiff)")
    target = Path(path)
    dpi = images[0].info.get("dpi", (300, 300))
    if fmt == "pdf":
        import img2pdf  # only needed here; pulls in pikepdf

        pages = [_encoded(image, jpeg_quality, dpi) for image in images]
        target.write_bytes(img2pdf.convert(pages))
    elif fmt == "jpeg":
        images[0].save(target, "JPEG", quality=jpeg_quality or 85, optimize=True, dpi=dpi)
    elif fmt == "png":
        images[0].save(target, "PNG", optimize=True, dpi=dpi)
    elif fmt == "tiff":
        bilevel = all(image.mode == "1" for image in images)
        images[0].save(
            target,
            "TIFF",
            save_all=True,
            append_images=list(images[1:]),
            compression="group4" if bilevel else "tiff_deflate",
            dpi=dpi,
        )
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return target


def _encoded(image: Image.Image, quality: int | None, dpi: tuple[float, float]) -> bytes:
    buf = io.BytesIO()
    if image.mode == "1":  # a fax-quality page: CCITT Group 4, which img2pdf embeds as it is
        image.save(buf, "TIFF", compression="group4", dpi=dpi)
    elif quality is None:
        image.save(buf, "PNG", optimize=True, dpi=dpi)
    else:
        image.save(buf, "JPEG", quality=quality, optimize=True, dpi=dpi)
    return buf.getvalue()
