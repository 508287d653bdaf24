"""What a file is, from its first bytes (never from its name): the document types vanthu reads,
and a clerk-facing reason for the others.

Pure byte checks, no decoder: the service process sniffs here before handing a file to the
reading processes, and the mail parser sniffs attachments (a Content-Type can lie).
"""

from __future__ import annotations

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}


def media_type(head: bytes) -> str | None:
    """PDF, JPEG, PNG or TIFF from the first bytes of a file (never from its name)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if b"%PDF-" in head[:1024]:  # the spec tolerates junk before the header
        return PDF
    return None


_OTHER_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive or Office document (.docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc, .xls)"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"II+\x00", "a BigTIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def describe_unsupported(head: bytes) -> str:
    """The clerk-facing reason for a file that is neither a PDF nor a supported image."""
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            return f"not a PDF or image (looks like {what})"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "not a PDF or image vanthu reads (looks like a WebP image)"
    if b"<html" in head[:512].lower() or b"<!doctype html" in head[:512].lower():
        return "not a PDF or image (looks like an HTML page)"
    if _looks_like_text(head):
        return "not a PDF or image (looks like plain text)"
    return f"not a PDF or image (unknown content starting {head[:8].hex(' ')})"


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "utf-16"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return sum(c.isprintable() or c.isspace() for c in text) >= 0.95 * max(len(text), 1)
    return False
