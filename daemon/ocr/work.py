"""The reading itself, inside a reading process: open, check, render, OCR.

Imported only by the reading processes (through `worker`), so the service process never
loads the decoders, PDFium or Tesseract.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr import images, pageocr, tesseract, textlayer
from daemon.ocr.images import Raster
from daemon.ocr.inflation import check_inflation
from daemon.ocr.model import Page, UnreadableDocument
from daemon.ocr.pdf import load_page, open_pdf
from daemon.ocr.sniff import PDF
from daemon.ocr.worker import PageTask, Survey, SurveyTask, hand_back_memory


def setup(max_image_pixels: int) -> None:
    """Process start: one OpenMP thread per Tesseract; PIL's bomb guard aligned with ours
    (our checks run before every decode, PIL's only where we do not reach)."""
    tesseract.limit_threads()
    Image.MAX_IMAGE_PIXELS = max_image_pixels


def survey(task: SurveyTask) -> Survey:
    """Check limits and read every real text layer; image pages all need OCR."""
    if task.media_type == PDF:
        return _survey_pdf(Path(task.path), task.settings)
    count = images.image_pages(Path(task.path), task.media_type, task.settings)
    return Survey((None,) * count, ("image",) * count)


def _survey_pdf(path: Path, settings: ReadingSettings) -> Survey:
    check_inflation(path)  # before any parser inflates a bomb whole
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
    black = task.fields_only and task.header  # only the title under a stamp is read from it
    if task.media_type == PDF:
        raster = _render(path, task.index, task.settings, black=black)
    else:
        raster = images.load_image_page(
            path, task.media_type, task.index, task.settings, black=black
        )
    # The decoded colour page (35 MB at 300 dpi, four bytes a pixel) is freed by now, but
    # glibc would keep it until the task ends: the reading process sat at its peak all page
    # long, and two readers at once summed their peaks. ~1% of a page's time.
    hand_back_memory()
    if task.fields_only:
        return pageocr.ocr_fields(raster, task.settings, first=task.header, last=task.last)
    return pageocr.ocr_page(raster, task.settings, header=task.header)


def _render(path: Path, index: int, settings: ReadingSettings, *, black: bool) -> Raster:
    pdf = open_pdf(path, settings)
    try:
        page = load_page(pdf, index)
        try:
            return images.render_pdf_page(page, settings, black=black)
        except pdfium.PdfiumError as exc:
            raise UnreadableDocument(f"corrupt PDF: page {index + 1} cannot be drawn") from exc
        finally:
            page.close()
    finally:
        pdf.close()
