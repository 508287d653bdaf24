"""Rasters for OCR: media-type sniffing, safe image opening, PDF page rendering."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr import images, sniff
from daemon.ocr.model import UnreadableDocument
from daemon.ocr.sniff import JPEG, PDF, PNG, TIFF
from tests.unit.test_read_pdfs import image_pdf, nd30_pdf, write

SETTINGS = ReadingSettings()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size; no pixel data worth the name."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


def saved(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"%PDF-1.7\n", PDF),
        (b"\xef\xbb\xbf\r\n%PDF-1.4", PDF),  # junk before the header is allowed
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", PNG),
        (b"II*\x00\x08\x00", TIFF),
        (b"MM\x00*\x00\x00", TIFF),
        (b"hello.pdf", None),
        (b"", None),
    ],
)
def test_sniff_media_type(head: bytes, media_type: str | None) -> None:
    assert sniff.media_type(head) == media_type


@pytest.mark.parametrize(
    ("head", "words"),
    [
        ("Kính gửi: Ủy ban nhân dân huyện\n".encode(), "plain text"),
        (b"PK\x03\x04\x14\x00", "Office document"),
        (b"<!DOCTYPE html><html>", "HTML"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"\x00\x01\x02\x03\xfe\xff", "unknown content"),
    ],
)
def test_describe_unsupported(head: bytes, words: str) -> None:
    reason = sniff.describe_unsupported(head)
    assert reason.startswith("not a PDF or image")
    assert words in reason


def test_bomb_png_is_refused_before_decoding(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.png", png_header(60000, 60000))
    with pytest.raises(UnreadableDocument) as caught:
        images.image_pages(path, PNG, SETTINGS)
    assert caught.value.reason == (
        "image too large: 60000x60000 pixels exceeds the limit of 120,000,000 pixels"
    )


def test_multi_page_tiff(tmp_path: Path) -> None:
    first = Image.new("L", (800, 1100), 255)
    second = Image.new("L", (800, 1100), 0)
    data = saved(first, "TIFF", save_all=True, append_images=[second], dpi=(100, 100))
    path = write(tmp_path, "two.tif", data)
    assert images.image_pages(path, TIFF, SETTINGS) == 2
    page = images.load_image_page(path, TIFF, 1, SETTINGS)
    assert page.image.mode == "L"
    assert page.image.getextrema() == (0, 0)  # the black second frame
    assert page.dpi == 300  # 100 dpi upsampled for Tesseract
    assert page.image.size == (2400, 3300)


def test_too_many_tiff_pages(tmp_path: Path) -> None:
    frames = [Image.new("L", (50, 50), 255) for _ in range(4)]
    path = write(
        tmp_path, "many.tif", saved(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    )
    with pytest.raises(UnreadableDocument, match=r"^too many pages: 4 > 3$"):
        images.image_pages(path, TIFF, ReadingSettings(max_pages=3))


def test_truncated_png_is_corrupt(tmp_path: Path) -> None:
    data = saved(Image.effect_noise((400, 400), 60).convert("L"), "PNG")
    path = write(tmp_path, "cut.png", data[: len(data) // 2])
    with pytest.raises(UnreadableDocument, match=r"^corrupt PNG image"):
        images.load_image_page(path, PNG, 0, SETTINGS)


def test_sixteen_bit_grey_is_scaled_not_clipped() -> None:
    values = np.full((10, 10), 32768, dtype=np.uint16)
    grey = images.to_grey(Image.fromarray(values))
    assert grey.mode == "L" and grey.getpixel((0, 0)) == 127


def test_transparency_is_flattened_on_white() -> None:
    clear = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    assert images.to_grey(clear).getextrema() == (255, 255)


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    tall = Image.new("L", (2480, 3508), 255)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn 90 degrees clockwise to view
    path = write(tmp_path, "phone.jpg", saved(tall.rotate(90, expand=True), "JPEG", exif=exif))
    page = images.load_image_page(path, JPEG, 0, SETTINGS)
    assert page.image.size == (2480, 3508)


def test_stated_resolution_is_used_when_plausible(tmp_path: Path) -> None:
    data = saved(Image.new("L", (1654, 2339), 255), "PNG", dpi=(200, 200))  # A4 at 200 dpi
    page = images.load_image_page(write(tmp_path, "a4.png", data), PNG, 0, SETTINGS)
    assert page.dpi == 200
    assert page.image.size == (1654, 2339)


def test_resolution_is_estimated_for_a4_when_missing(tmp_path: Path) -> None:
    path = write(tmp_path, "small.png", saved(Image.new("L", (1240, 1754), 255), "PNG"))
    page = images.load_image_page(path, PNG, 0, SETTINGS)
    assert page.dpi == 300  # 150 dpi A4, upsampled
    assert page.size_pt == pytest.approx((595, 842), abs=2)


def _render(pdf: bytes, settings: ReadingSettings = SETTINGS) -> images.Raster:
    doc = pdfium.PdfDocument(pdf)
    try:
        return images.render_pdf_page(doc[0], settings)
    finally:
        doc.close()


def test_pdf_page_renders_grey_at_ocr_dpi() -> None:
    raster = _render(nd30_pdf())
    assert raster.image.mode == "L"
    assert raster.dpi == 300
    assert raster.image.size == pytest.approx((2480, 3508), abs=1)


def test_scan_declared_at_72_dpi_is_taken_as_a4() -> None:
    """PIL and some scanner drivers write one point per pixel: a 34-inch 'page'."""
    pdf = image_pdf(Image.new("L", (2480, 3508), 255), dpi=72)
    raster = _render(pdf)
    assert raster.image.size == pytest.approx((2480, 3508), abs=1)  # not 10,000 pixels wide
    assert raster.dpi == 300


def test_embedded_image_over_the_limit_is_refused() -> None:
    pdf = image_pdf(Image.new("L", (1240, 1754), 255), dpi=150)
    with pytest.raises(UnreadableDocument, match=r"^embedded image too large: 1240x1754"):
        _render(pdf, ReadingSettings(max_image_pixels=1_000_000))


def test_huge_vector_page_is_refused() -> None:
    with pytest.raises(UnreadableDocument, match=r"^page too large"):
        _render(nd30_pdf(), ReadingSettings(max_image_pixels=500_000))


def _stamped() -> Image.Image:
    """Black print with a red seal stamped over part of it, and a blue signature stroke."""
    page = Image.new("RGB", (1240, 1754), (250, 250, 250))
    page.paste((210, 30, 40), (300, 80, 500, 300))  # the seal...
    page.paste((20, 20, 20), (100, 100, 600, 130))  # ...over a line of print: both inks, dark
    page.paste((30, 40, 160), (700, 200, 900, 205))  # the signature
    return page


def test_colour_scan_keeps_its_red_channel(tmp_path: Path) -> None:
    path = write(tmp_path, "stamped.png", saved(_stamped(), "PNG", dpi=(150, 150)))
    raster = images.load_image_page(path, PNG, 0, SETTINGS)
    assert raster.red is not None and raster.red.size == raster.image.size
    grey, red = np.asarray(raster.image), np.asarray(raster.red)
    seal, print_, under_seal, signature = (400, 250), (200, 115), (400, 115), (800, 202)
    scale = raster.dpi / 150
    at = [(round(y * scale), round(x * scale)) for x, y in (seal, print_, under_seal, signature)]
    assert grey[at[0]] < 128 < red[at[0]]  # the seal is dark in grey, faint in red
    for point in at[1:]:
        assert red[point] < 100  # black print, also under the seal, and blue ink stay dark


def test_grey_scan_has_no_red_channel(tmp_path: Path) -> None:
    path = write(tmp_path, "grey.png", saved(_stamped().convert("L"), "PNG", dpi=(300, 300)))
    assert images.load_image_page(path, PNG, 0, SETTINGS).red is None


def test_scanned_pdf_page_keeps_its_red_channel() -> None:
    doc = pdfium.PdfDocument(image_pdf(_stamped(), dpi=150))
    try:
        raster = images.render_pdf_page(doc[0], SETTINGS)
    finally:
        doc.close()
    assert raster.red is not None and raster.red.size == raster.image.size
    x, y = round(400 * raster.dpi / 150), round(200 * raster.dpi / 150)
    assert raster.image.getpixel((x, y)) < 128 < raster.red.getpixel((x, y))  # type: ignore[operator]


def test_turning_a_raster_turns_its_red_channel() -> None:
    raster = images.Raster(Image.new("L", (20, 10)), 300, Image.new("L", (20, 10)))
    turned = raster.turned(90)
    assert turned.image.size == (10, 20) and turned.red is not None and turned.red.size == (10, 20)


def test_colour_scan_keeps_black_print_only_when_asked(tmp_path: Path) -> None:
    path = write(tmp_path, "stamped.png", saved(_stamped(), "PNG", dpi=(300, 300)))
    raster = images.load_image_page(path, PNG, 0, SETTINGS)
    assert raster.black is not None and raster.red is not None
    black, red = np.asarray(raster.black), np.asarray(raster.red)
    assert black[250, 400] > 200 and red[250, 400] > 200  # the red seal: gone in both
    assert black[202, 800] > 150 > red[202, 800]  # the blue signature: gone in black only
    assert black[115, 200] < 50  # print stays
    bare = images.load_image_page(path, PNG, 0, SETTINGS, black=False)
    assert bare.black is None and np.array_equal(np.asarray(bare.red), red)
