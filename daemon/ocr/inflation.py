"""Decompression bombs: a PDF stream that inflates far beyond what any page needs is refused
before PDFium or pdfminer parse the file (both inflate a page's content whole, in memory: a
1.1 MB stream of deflated spaces cost 2.2 GB and 10 s in PDFium; deflated twice, 1.1 KB).

The file is scanned as bytes, without a PDF parser: every `stream` keyword whose dictionary
names FlateDecode is inflated in bounded steps, through as many inflaters as the filter chain
has FlateDecode entries, and counted. Nothing is kept; a stream that does not inflate cleanly
is left for the real parser to judge. Image streams are skipped: PDFium decodes them line by
line up to their declared size, which the image checks bound (images.py).
"""

from __future__ import annotations

import mmap
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from daemon.ocr.model import UnreadableDocument

_STREAM = re.compile(rb"stream\r?\n")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z0-9])")
_IMAGE = re.compile(rb"/Subtype\s*/Image(?![A-Za-z0-9])")
# Content, forms, fonts: the largest in real office PDFs are embedded CJK fonts of ~20 MB.
MAX_STREAM_BYTES = 64_000_000
_DICT_WINDOW = 4096  # a stream's dictionary sits right before its keyword
_STEP = 1 << 16  # compressed bytes fed at a time
_OUT_STEP = 1 << 22  # inflated bytes taken out at a time: memory stays at a few MB


def check_inflation(path: Path, max_stream_bytes: int = MAX_STREAM_BYTES) -> None:
    """Raise UnreadableDocument if a Flate stream of the PDF inflates past `max_stream_bytes`."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for match in _STREAM.finditer(data):
            start = match.start()
            if start >= 3 and data[start - 3 : start] == b"end":
                continue  # "endstream"
            flates = _flate_filters(data[max(0, start - _DICT_WINDOW) : start])
            if flates and _inflated_size(data, match.end(), flates, max_stream_bytes) is None:
                raise UnreadableDocument(
                    f"a compressed stream of the PDF expands beyond {max_stream_bytes // 1_000_000}"
                    " MB (a decompression bomb): the file was not read"
                )


def _flate_filters(before: bytes) -> int:
    """How many FlateDecode filters the dictionary just before a stream keyword names (none
    for an image)."""
    dictionary = before[before.rfind(b"obj") + 3 :] if b"obj" in before else before
    if _IMAGE.search(dictionary):
        return 0
    found = _FILTER.findall(dictionary)
    return len(_FLATE.findall(found[-1])) if found else 0


def _inflated_size(data: mmap.mmap, offset: int, layers: int, limit: int) -> int | None:
    """The stream's size through `layers` inflaters, or None once it passes `limit`. Lazy all
    the way down: no layer inflates more than one step ahead of what is counted."""
    inflaters = [zlib.decompressobj() for _ in range(layers)]
    stream: Iterator[bytes] = (data[at : at + _STEP] for at in range(offset, len(data), _STEP))
    for inflater in inflaters:  # each layer's output is the next one's input
        stream = _inflate(stream, inflater)
    size = 0
    try:
        for chunk in stream:
            size += len(chunk)
            if size > limit:
                return None
    except zlib.error:
        pass  # not a clean deflate stream: the parser decides what it is
    return size


def _inflate(chunks: Iterator[bytes], inflater: zlib._Decompress) -> Iterator[bytes]:
    """Inflate `chunks` until the deflate stream ends, at most _OUT_STEP bytes at a time."""
    for chunk in chunks:
        if inflater.eof:
            return
        piece = chunk
        while piece and not inflater.eof:
            yield inflater.decompress(piece, _OUT_STEP)
            piece = inflater.unconsumed_tail
