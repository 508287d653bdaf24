"""First pages as PNG images for the review queue, rendered in a separate process and cached.

Rendering a PDF page (pypdfium2) or decoding a large scan is CPU work on untrusted bytes: it
runs in a process of its own, like reading does, never in the web server's process, and with
a bound on the pixels it makes. The result is cached under `[web] page_cache` by the original's
SHA-256, so each page is rendered once, whoever asks.
"""

from __future__ import annotations

import os
import resource
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

WIDTH = 900  # pixels: readable beside the form, small enough to send quickly
MAX_PIXELS = 40_000_000  # a scan larger than this is not decoded for a preview
_MEMORY = 1 << 30  # address space of the rendering process
NICENESS = 10  # batch work, like reading (daemon/ocr/pool.py)


class PageRenderer:
    """One rendering process (started on first use), shared by every request."""

    def __init__(self, cache: Path, timeout: float = 60.0) -> None:
        self.cache = cache
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def first_page(self, original: Path, sha256: str, media_type: str) -> Path:
        """The cached PNG of `original`'s first page, rendered now if need be."""
        target = self.cache / sha256[:2] / f"{sha256}.png"
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        future = self._executor().submit(render_first_page, str(original), media_type, str(target))
        future.result(timeout=self.timeout)
        return target

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=get_context("spawn"), initializer=_start
                )
            return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


def _start() -> None:
    """(In the rendering process.) Bound its memory; let the desk's requests run first."""
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY, _MEMORY))
    os.nice(NICENESS)


def render_first_page(source: str, media_type: str, target: str) -> None:
    """(In the rendering process.) Write the first page of `source` as a PNG `WIDTH` wide."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    if media_type == "application/pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(source)
        try:
            page = pdf[0]
            width_pt = page.get_width() or 595.0
            image = page.render(scale=WIDTH / width_pt).to_pil()
        finally:
            pdf.close()
    else:
        with Image.open(source) as opened:
            opened.seek(0)
            image = opened.convert("RGB")
    if image.width > WIDTH:
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)))
    partial = f"{target}.{os.getpid()}.part"
    image.convert("RGB").save(partial, "PNG", optimize=False)
    os.replace(partial, target)
