"""Rasters for OCR: open scans safely, render PDF pages.

Untrusted files meet their decoders here, so every size is checked before anything is
decoded: the pixel count of each image frame (read from its header) and of each PDF page at
the rendering resolution, plus the pixels of images embedded in a PDF page. Rasters are
8-bit grey; resolutions are brought near 300 dpi, where Tesseract reads best.

A colour scan also keeps its red channel: there the red seal stamped over the signature
block turns nearly white while black print and blue signatures stay dark, so the closing
block (signer's title and name) is read from it. Not the header: the độ khẩn / độ mật marks
are printed in red.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import (
    Image,
    ImageChops,
    ImageFile,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
)

from daemon.config import ReadingSettings
from daemon.ocr import copier
from daemon.ocr.model import UnreadableDocument
from daemon.ocr.sniff import JPEG, PNG, TIFF

_PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    JPEG: JpegImagePlugin.JpegImageFile,
    PNG: PngImagePlugin.PngImageFile,
    TIFF: TiffImagePlugin.TiffImageFile,
}
_KIND = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}
_A4_SHORT_INCHES = 8.27
_BEST_DPI = 300
_MIN_RENDER_DPI = 100  # below this a page is unreadable anyway: refuse rather than shrink more
_LARGEST_PLAUSIBLE_INCHES = 17.0  # A2's short side; beyond it a "page" is a scan at 72 "dpi"
_MIN_PAPER_INCHES = 3.0  # a receipt; below it a stated resolution is wrong


@dataclass(frozen=True)
class Raster:
    image: Image.Image  # mode "L"
    dpi: int
    red: Image.Image | None = None  # mode "L": the red channel of a colour scan
    # mode "L": the lightest channel of a colour scan, where only black print stays dark
    # (red or violet stamp ink and a blue pen's writing are light in one channel or another)
    black: Image.Image | None = None
    # pixel columns of a scanner's streak that hid the print under it (`unstreaked`)
    hidden: tuple[tuple[int, int], ...] = ()

    def turned(self, degrees: int) -> Raster:
        """The raster turned by a multiple of 90 degrees counter-clockwise (a streak turned
        across the lines no longer hides a digit of theirs: forgotten)."""
        red, black = (
            plane.rotate(degrees, expand=True) if plane is not None else None
            for plane in (self.red, self.black)
        )
        width = self.image.width
        hidden = (
            tuple((width - b, width - a) for a, b in self.hidden) if degrees % 360 == 180 else ()
        )
        return Raster(self.image.rotate(degrees, expand=True), self.dpi, red, black, hidden)

    def unstreaked(self) -> Raster:
        """The raster with the scanner glass's streaks taken off every plane (`copier`)."""
        found = copier.streaks(self.image)
        if not found:
            return self
        red, black = (
            copier.unstreaked(plane, found) if plane is not None else None
            for plane in (self.red, self.black)
        )
        hidden = tuple(copier.opaque(self.image, found))
        return Raster(copier.unstreaked(self.image, found), self.dpi, red, black, hidden)

    @property
    def size_pt(self) -> tuple[float, float]:
        return self.image.width * 72 / self.dpi, self.image.height * 72 / self.dpi


def image_pages(path: Path, media_type: str, settings: ReadingSettings) -> int:
    """The number of pages (frames) of an image file, after checking every frame's size."""
    with _open(path, media_type) as image:
        count = getattr(image, "n_frames", 1)
        if count > settings.max_pages:
            raise UnreadableDocument(f"too many pages: {count} > {settings.max_pages}")
        for index in range(count):
            image.seek(index)
            _check_pixels(image.width, image.height, settings.max_image_pixels, "image")
        return count


def load_image_page(
    path: Path, media_type: str, index: int, settings: ReadingSettings, *, black: bool = True
) -> Raster:
    """Frame `index` of an image file, upright (EXIF), grey, near 300 dpi; with its red
    channel and (when `black`, for reading under a stamp) black print, if in colour."""
    with _open(path, media_type) as image:
        image.seek(index)
        _check_pixels(image.width, image.height, settings.max_image_pixels, "image")
        dpi = _stated_dpi(image)
        image.load()
        ImageOps.exif_transpose(image, in_place=True)  # a copy: 26 MB more for colour at 300 dpi
        grey, planes = to_grey(image), colour_planes(image, black=black)
        if grey is image:  # the file's own image is closed on leaving this block
            grey = image.copy()
    if dpi is None:
        dpi = max(1, round(min(grey.size) / _A4_SHORT_INCHES))  # office paper is A4
    return _near_best_dpi(grey, dpi, settings.max_image_pixels, *planes)


@contextmanager
def _open(path: Path, media_type: str) -> Iterator[ImageFile.ImageFile]:
    """Open with the plugin for the sniffed type: parses the header, decodes nothing.

    The plugin class is used directly so that PIL's own decompression-bomb check (which
    raises before telling the size) is replaced by ours, with the size in the message.
    """
    kind = _KIND[media_type]
    with open(path, "rb") as fh:
        try:
            image = _PLUGINS[media_type](fh)
        except Exception as exc:  # PIL raises many types on malformed headers
            raise UnreadableDocument(f"corrupt {kind} image: {exc}") from exc
        try:
            yield image
        except (EOFError, OSError, ValueError, SyntaxError, struct.error) as exc:
            raise UnreadableDocument(f"corrupt {kind} image: {exc}") from exc
        finally:
            image.close()


def _check_pixels(width: int, height: int, limit: int, what: str) -> None:
    if width <= 0 or height <= 0:
        raise UnreadableDocument(f"corrupt {what}: size {width}x{height}")
    if width * height > limit:
        raise UnreadableDocument(
            f"{what} too large: {width}x{height} pixels exceeds the limit of {limit:,} pixels"
        )


def _stated_dpi(image: Image.Image) -> int | None:
    """The resolution in the file, unless implausible for office paper.

    Cameras and much software write 72 or 96 dpi whatever the truth; a stated resolution
    that makes the sheet narrower than 3 or wider than 17 inches is ignored.
    """
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        return None
    if value < 50:
        return None
    short_side = min(image.size) / value
    return value if _MIN_PAPER_INCHES <= short_side <= _LARGEST_PLAUSIBLE_INCHES else None


def to_grey(image: Image.Image) -> Image.Image:
    """8-bit grey, transparency flattened on white, 16-bit scans scaled rather than clipped."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _deep_to_grey(image)
    image = _on_white(image)
    return image.convert("L") if image.mode != "L" else image


_STRIP_ROWS = 256
_MAX_FORM_DEPTH = 64
_MAX_IMAGES_PER_PAGE = 10_000


def _deep_to_grey(image: Image.Image) -> Image.Image:
    """16- and 32-bit images scaled to 8 bits a strip of rows at a time: a float64 copy of a
    whole 100-megapixel page took 3 GB (a 359 KB TIFF did that); strips take a few MB."""
    values = np.asarray(image)  # its own type: uint16, int32 or float32, no copy to float64
    top = 65535.0 if image.mode.startswith("I;16") else max(float(values.max()), 1.0)
    scale = np.float32(255.0 / top)
    grey = np.empty(values.shape, dtype=np.uint8)
    for start in range(0, values.shape[0], _STRIP_ROWS):
        strip = values[start : start + _STRIP_ROWS].astype(np.float32) * scale
        grey[start : start + _STRIP_ROWS] = np.clip(strip, 0, 255)
    return Image.fromarray(grey, "L")


def _on_white(image: Image.Image) -> Image.Image:
    """A palette or transparent image flattened on white paper; other images as they are."""
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode not in ("RGBA", "LA", "PA"):
        return image
    flat = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat.alpha_composite(image.convert("RGBA"))
    return flat


def colour_planes(
    image: Image.Image, *, black: bool = True
) -> tuple[Image.Image | None, Image.Image | None]:
    """The red channel and (when `black`) the lightest of the three channels of a colour
    image, flattened on white; (None, None) for a grey one. An RGB image is not copied first
    (26 MB and ~30 ms less on a colour page at 300 dpi)."""
    image = _on_white(image)
    if image.mode not in ("RGB", "RGBA", "CMYK", "YCbCr"):
        return None, None
    if image.mode != "RGB":
        image = image.convert("RGB")
    return image.getchannel("R"), _lightest(image) if black else None


def _lightest(image: Image.Image) -> Image.Image:
    """The lightest channel of an RGB image, a strip of rows at a time: whole channels
    would hold two more page-sized planes at the reading's memory peak (~17 MB)."""
    out = Image.new("L", image.size)
    for top in range(0, image.height, _STRIP_ROWS):
        box = (0, top, image.width, min(image.height, top + _STRIP_ROWS))
        r, g, b = image.crop(box).split()
        out.paste(ImageChops.lighter(r, ImageChops.lighter(g, b)), box)
    return out


def _near_best_dpi(
    image: Image.Image,
    dpi: int,
    limit: int,
    red: Image.Image | None = None,
    black: Image.Image | None = None,
) -> Raster:
    """Resample low (< 200 dpi) and very high (> 400 dpi) resolutions to about 300 dpi."""
    if 200 <= dpi <= 400:
        return Raster(image, dpi, red, black)
    scale = min(_BEST_DPI / dpi, 3.0)
    scale = min(scale, (limit / (image.width * image.height)) ** 0.5)
    if 0.95 < scale < 1.05:
        return Raster(image, dpi, red, black)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    red, black = (
        plane.resize(size, Image.Resampling.LANCZOS) if plane is not None else None
        for plane in (red, black)
    )
    return Raster(
        image.resize(size, Image.Resampling.LANCZOS), max(1, round(dpi * scale)), red, black
    )


def render_pdf_page(
    page: pdfium.PdfPage, settings: ReadingSettings, *, black: bool = True
) -> Raster:
    """A PDF page as a grey raster near `ocr_dpi` (colour planes as `load_image_page`).

    A scanned page is rendered no finer than its image holds (upsampling happens later,
    in `_near_best_dpi`). Scanner software often writes pages at 72 "dpi" as large as the
    pixel count (a 34-inch page for an A4 scan): such a page is taken to be A4.
    """
    width, height = page.get_size()
    scan = _scan_image(page, settings.max_image_pixels)
    shrink = 1.0  # how much smaller the real paper is than the declared page
    wanted = float(settings.ocr_dpi)
    if scan is not None:
        shrink = min(1.0, _LARGEST_PLAUSIBLE_INCHES / (min(width, height) / 72))
        if shrink < 1.0:
            shrink = _A4_SHORT_INCHES / (min(width, height) / 72)
        wanted = min(wanted, scan / shrink)
    dpi = wanted * shrink  # per inch of the declared page
    pixels = (width * dpi / 72) * (height * dpi / 72)
    if pixels > settings.max_image_pixels:
        dpi *= (settings.max_image_pixels / pixels) ** 0.5
        if dpi / shrink < _MIN_RENDER_DPI:
            raise UnreadableDocument(
                f"page too large: {width / 72:.0f}x{height / 72:.0f} inches cannot be read "
                f"at {_MIN_RENDER_DPI} dpi within the limit of "
                f"{settings.max_image_pixels:,} pixels"
            )
    # A scanned page is drawn in colour, for the red channel (seal over the signature).
    bitmap = page.render(scale=dpi / 72, grayscale=scan is None, draw_annots=True)
    try:
        drawn = bitmap.to_pil()
        image, planes = to_grey(drawn), colour_planes(drawn, black=black)
    finally:
        bitmap.close()
    return _near_best_dpi(image, max(1, round(dpi / shrink)), settings.max_image_pixels, *planes)


def _scan_image(page: pdfium.PdfPage, limit: int) -> float | None:
    """The resolution (pixels per inch of page) of an image covering most of the page.

    Also refuses a page whose images would decode to more pixels than the limit.
    """
    width, height = page.get_size()
    total, found = 0, None
    # Images nested in form XObjects count too, at any depth PDFium follows (one nested 5
    # deep decoded to 1.1 GB past a check that looked 3 deep); so many that listing them is
    # itself the attack is refused.
    images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=_MAX_FORM_DEPTH)
    for seen, obj in enumerate(images, start=1):
        if seen > _MAX_IMAGES_PER_PAGE:
            raise UnreadableDocument(f"more than {_MAX_IMAGES_PER_PAGE:,} images on one page")
        try:
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        total += px_w * px_h
        if total > limit:
            raise UnreadableDocument(
                f"embedded image too large: {px_w}x{px_h} pixels "
                f"({total:,} on the page) exceeds the limit of {limit:,} pixels"
            )
        drawn = max(right - left, top - bottom)
        if (right - left) * (top - bottom) >= 0.5 * width * height and drawn > 0:
            found = max(px_w, px_h) * 72 / drawn
    return found
