"""Opening a PDF with PDFium, with clerk-facing reasons for the ways it can fail.

PDFium is not thread-safe and may crash on hostile files: only worker processes call this.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from daemon.config import ReadingSettings
from daemon.ocr.model import UnreadableDocument

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF (password protected): cannot be read",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF (unsupported security handler): cannot be read",
    pdfium_c.FPDF_ERR_FORMAT: "corrupt PDF: damaged or truncated file structure",
    pdfium_c.FPDF_ERR_PAGE: "corrupt PDF: page tree cannot be read",
}


def open_pdf(path: Path, settings: ReadingSettings) -> pdfium.PdfDocument:
    """Open and check a PDF: readable without a password, 1..max_pages pages."""
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_FILE:
            raise OSError(f"{path}: PDFium cannot open the file") from exc
        reason = _LOAD_ERRORS.get(exc.err_code or -1, f"corrupt PDF: {exc}")
        raise UnreadableDocument(reason) from exc
    count = len(pdf)
    if count == 0:
        pdf.close()
        raise UnreadableDocument("corrupt PDF: no pages")
    if count > settings.max_pages:
        pdf.close()
        raise UnreadableDocument(f"too many pages: {count} > {settings.max_pages}")
    return pdf


def load_page(pdf: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """Page `index` (0-based); a page PDFium cannot load makes the document corrupt."""
    try:
        return pdf[index]
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"corrupt PDF: page {index + 1} cannot be read") from exc
