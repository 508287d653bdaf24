"""What runs inside the reading processes: small picklable tasks in, Pages out.

All parsing of untrusted bytes (PDFium, PIL decoders, Tesseract) happens here, in a worker
process, so a decoder crash takes down a worker, never the service. The parent only
assembles the results (STYLE.md item 5).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr import images, pageocr, tesseract, textlayer
from daemon.ocr.images import PDF, Raster
from daemon.ocr.model import Page, UnreadableDocument
from daemon.ocr.pdf import load_page, open_pdf


@dataclass(frozen=True)
class Survey:
    """A first pass over a document: text-layer pages read, the others left for OCR."""

    pages: tuple[Page | None, ...]  # None where the page needs OCR
    notes: tuple[str, ...]  # per page, why its text layer was not used ("" when it was)


@dataclass(frozen=True)
class SurveyTask:
    """Open a file, check its limits, read its text layers."""

    path: str
    media_type: str
    settings: ReadingSettings


@dataclass(frozen=True)
class PageTask:
    """OCR one page (PDF page or image frame) of a file."""

    path: str
    media_type: str
    index: int  # 0-based page or frame
    settings: ReadingSettings
    header: bool  # the first page: look for the ND30 header columns (and title)
    last: bool = False  # the last page: holds "Nơi nhận:" and the signature
    fields_only: bool = False  # read only the blocks holding register fields


def init_worker(max_image_pixels: int) -> None:
    """Process start: one OpenMP thread per Tesseract; Ctrl-C is the parent's business.

    PIL's own decompression-bomb guard is aligned with ours as a backstop: our checks run
    before every decode, PIL's only where we do not reach.
    """
    tesseract.limit_threads()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    Image.MAX_IMAGE_PIXELS = max_image_pixels


def _die_with_parent() -> None:
    """If the service is killed outright (SIGKILL, OOM), its readers must not live on.

    A watcher thread, not prctl(PR_SET_PDEATHSIG): that fires when the *thread* that
    started the process ends, and reading threads come and go.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def survey(task: SurveyTask) -> Survey:
    """Check limits and read every real text layer; image pages all need OCR."""
    if task.media_type == PDF:
        return _survey_pdf(Path(task.path), task.settings)
    count = images.image_pages(Path(task.path), task.media_type, task.settings)
    return Survey((None,) * count, ("image",) * count)


def _survey_pdf(path: Path, settings: ReadingSettings) -> Survey:
    pdf = open_pdf(path, settings)
    try:
        pages: list[Page | None] = []
        notes: list[str] = []
        for index in range(len(pdf)):
            page = load_page(pdf, index)
            try:
                layer = textlayer.read_page(page)
            except pdfium.PdfiumError as exc:
                raise UnreadableDocument(f"corrupt PDF: page {index + 1}: {exc}") from exc
            finally:
                page.close()
            pages.append(layer.page)
            notes.append(layer.reason)
        return Survey(tuple(pages), tuple(notes))
    finally:
        pdf.close()


def read_page(task: PageTask) -> Page:
    """Rasterise one page and OCR it (all of it, or only its field blocks)."""
    path = Path(task.path)
    if task.media_type == PDF:
        raster = _render(path, task.index, task.settings)
    else:
        raster = images.load_image_page(path, task.media_type, task.index, task.settings)
    if task.fields_only:
        return pageocr.ocr_fields(raster, task.settings, first=task.header, last=task.last)
    return pageocr.ocr_page(raster, task.settings, header=task.header)


def _render(path: Path, index: int, settings: ReadingSettings) -> Raster:
    pdf = open_pdf(path, settings)
    try:
        page = load_page(pdf, index)
        try:
            return images.render_pdf_page(page, settings)
        except pdfium.PdfiumError as exc:
            raise UnreadableDocument(f"corrupt PDF: page {index + 1} cannot be drawn") from exc
        finally:
            page.close()
    finally:
        pdf.close()
