"""Pages that would take the machine: refused with a reason, or read within bounded memory.

Made by the test (no committed binaries): a 16-bit TIFF whose 8-bit conversion used to need a
float64 copy of the page, and a PDF image nested deeper in form XObjects than the size check
used to look.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr.images import to_grey
from daemon.ocr.model import UnreadableDocument
from daemon.ocr.reader import Reader


def nested_image_pdf(depth: int, width: int, height: int) -> bytes:
    """One page drawing form 1, which draws form 2, ... form `depth` draws a huge image."""
    pixels = zlib.compress(b"\x00" * 1024)  # what the image holds does not matter: it is refused
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"q 1 0 0 1 0 0 cm /F1 Do Q"),
    ]
    for level in range(1, depth + 1):
        inner = f"/F{level + 1}" if level < depth else "/Im"
        target = 5 + level if level < depth else 5 + depth
        content = f"q 500 0 0 700 40 60 cm {inner} Do Q" if level == depth else f"{inner} Do"
        resources = f"<< /XObject << {inner} {target} 0 R >> >>"
        head = f"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources {resources}"
        objects.append(_stream(content.encode(), head.encode()))
    image = f"/Type /XObject /Subtype /Image /Width {width} /Height {height} "
    image += "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
    objects.append(_stream(pixels, image.encode()))
    return _pdf(objects)


def _stream(data: bytes, head: bytes = b"") -> bytes:
    return b"<< " + head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@pytest.fixture(scope="module")
def reader() -> Reader:
    with Reader(ReadingSettings(workers=1, max_memory_mb=1000)) as reader:
        yield reader


@pytest.mark.parametrize("depth", [1, 5, 12])
def test_an_image_nested_deep_in_forms_is_counted_and_refused(
    reader: Reader, tmp_path: Path, depth: int
) -> None:
    path = tmp_path / "nested.pdf"
    path.write_bytes(nested_image_pdf(depth, 30_000, 30_000))
    with pytest.raises(UnreadableDocument, match="embedded image too large: 30000x30000"):
        reader.read(path)


def test_a_deep_16_bit_scan_is_read_within_its_process_memory(
    reader: Reader, tmp_path: Path
) -> None:
    values = np.zeros((9000, 9000), dtype=np.uint16)
    values[::7, ::5] = 40_000
    path = tmp_path / "deep16.tif"
    Image.fromarray(values).save(path, compression="tiff_deflate")
    assert path.stat().st_size < 1_000_000
    reading = reader.read(path)  # 81 megapixels under a 1 GB address-space limit
    assert reading.media_type == "image/tiff" and len(reading.pages) == 1


def test_16_bit_grey_is_scaled_not_clipped() -> None:
    values = np.array([[0, 257, 32_896, 65_535]], dtype=np.uint16)
    grey = np.asarray(to_grey(Image.fromarray(values)))
    assert grey.tolist() == [[0, 1, 128, 255]]


def test_a_page_that_needs_more_memory_than_its_reader_may_use_is_refused(
    tmp_path: Path,
) -> None:
    values = np.zeros((9000, 9000), dtype=np.uint16)
    path = tmp_path / "deep16.tif"
    Image.fromarray(values).save(path, compression="tiff_deflate")
    small = Reader(ReadingSettings(workers=1, max_memory_mb=400))
    try:
        with pytest.raises(UnreadableDocument, match="needs more memory than a reading process"):
            small.read(path)
    finally:
        small.close()
