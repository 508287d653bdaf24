"""Hostile files for the tests (made when needed, never committed): decompression bombs of
several kinds, and PDFs written object by object where a real generator would refuse to.
"""

from __future__ import annotations

import zlib

import numpy as np
from PIL import Image


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


def flate_bomb_pdf(inflated: int, layers: int = 1) -> bytes:
    """One page whose content stream is `inflated` bytes of spaces, deflated `layers` times
    (a filter chain of FlateDecode): 1 GB is about 1 MB deflated once, 1 KB twice."""
    packer = zlib.compressobj(9)
    block, left, parts = b" " * (1 << 20), inflated, []
    while left > 0:
        parts.append(packer.compress(block[: min(left, len(block))]))
        left -= len(block)
    data = b"".join(parts) + packer.flush()
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    chain = " ".join(["/FlateDecode"] * layers)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(data, f"/Filter [{chain}]".encode()),
        ]
    )


def deep_tiff(side: int = 9000) -> Image.Image:
    """A 16-bit grey page of `side` x `side` pixels that deflates to well under 1 MB."""
    values = np.zeros((side, side), dtype=np.uint16)
    values[::7, ::5] = 40_000
    return Image.fromarray(values)
