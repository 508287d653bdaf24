"""Reading a document file: path in, `Reading` (pages of positioned lines) out.

Cheap checks run here (size, magic bytes); everything that parses the file runs in the
worker pool: a survey task opens it, checks its limits and reads the real text layers; then
one task per page that needs OCR. The Reader knows nothing of the register or of where
the bytes came from. Several threads may call `read` at once.

Reading comes in two passes for scans. `read` (fields first) OCRs only the blocks that hold
register fields: enough for `extract_fields`, at a fraction of full-page OCR. `read_body`
OCRs every page in full, for the search text: run it later, at low priority. Pages with a
real text layer come out whole from both (reading them costs milliseconds).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from daemon.config import ReadingSettings
from daemon.ocr import sniff, worker
from daemon.ocr.model import Page, Reading, UnreadableDocument
from daemon.ocr.pool import ReadingPool, WorkerCrashed

__all__ = ["Reader", "UnreadableDocument", "WorkerCrashed"]

log = logging.getLogger(__name__)

_HEAD_BYTES = 8192
# How long the pool may go without any task finishing before its processes are killed as
# hung (a decoder in a loop never returns, and Tesseract's own timeout does not cover it).
# A page takes seconds; two Tesseract timeouts back to back is already far past anything real.
_STALL_TIMEOUTS = 2


class Reader:
    """Reads PDFs and scans with a pool of worker processes; close() when done."""

    def __init__(self, settings: ReadingSettings) -> None:
        self.settings = settings
        workers = settings.workers or len(os.sched_getaffinity(0))
        self._pool = ReadingPool(
            workers,
            stall_seconds=settings.ocr_timeout * _STALL_TIMEOUTS + 60,
            initializer=worker.init_worker,
            initargs=(settings.max_image_pixels, worker.memory_limit(settings, workers)),
        )

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.close()

    def read(self, path: Path, *, full_text: bool = False) -> Reading:
        """Read one document file: its field blocks only, or every page in full.

        Without `full_text`, scanned pages carry only the lines of their field blocks
        (header, title and trích yếu on the first page; "Nơi nhận:" and the signature on
        the last); pages in between come out empty. Raises UnreadableDocument (with a
        reason for the clerk) when the file is not a document that can be read,
        WorkerCrashed when reading processes died twice (retry later), TesseractError on
        an OCR failure or timeout, OSError when the file cannot be opened.
        """
        started = time.monotonic()
        media_type = self._sniff(path)
        task = worker.SurveyTask(str(path), media_type, self.settings)
        survey = self._pool.map(worker.survey, [task])[0]
        count = len(survey.pages)
        tasks = [
            worker.PageTask(
                str(path),
                media_type,
                index,
                self.settings,
                header=index == 0,
                last=index == count - 1,
                fields_only=not full_text,
            )
            for index, page in enumerate(survey.pages)
            if page is None and (full_text or index in (0, count - 1))
        ]
        pages = [page or Page((), "ocr") for page in survey.pages]
        for page_task, page in zip(tasks, self._pool.map(worker.read_page, tasks), strict=True):
            pages[page_task.index] = page
            note = survey.notes[page_task.index]
            log.debug("read: page %d by OCR (%s)", page_task.index + 1, note)
        reading = Reading(media_type, tuple(pages))
        # No path in the log: a staged file is named by its hash, which a secret must not leave.
        log.debug(
            "read: media_type=%s pages=%d ocr_pages=%d full_text=%s seconds=%.2f",
            media_type,
            count,
            len(tasks),
            full_text,
            time.monotonic() - started,
        )
        return reading

    def read_body(self, path: Path) -> Reading:
        """Every page in full, for the search text: the later, low-priority pass.

        The same errors as `read`. For a document whose pages all have a text layer this
        is what `read` already returned.
        """
        return self.read(path, full_text=True)

    def signatures(self, path: Path, roots_dir: Path) -> tuple[Any, ...]:
        """The verdicts (daemon.signatures.SignatureVerdict) on every signature of a PDF,
        checked against the roots in `roots_dir`, in a reading process. Raises UnreadablePdf
        when pyHanko cannot parse it, WorkerCrashed when it kills its reader twice."""
        task = worker.SignaturesTask(str(path), str(roots_dir))
        return tuple(self._pool.map(worker.signatures, [task])[0])

    def _sniff(self, path: Path) -> str:
        size = path.stat().st_size
        if size == 0:
            raise UnreadableDocument("empty file")
        limit = self.settings.max_file_mb * 1_000_000
        if size > limit:
            raise UnreadableDocument(
                f"file too large: {size / 1_000_000:.1f} MB exceeds the limit of "
                f"{self.settings.max_file_mb:g} MB"
            )
        with open(path, "rb") as fh:
            head = fh.read(_HEAD_BYTES)
        media_type = sniff.media_type(head)
        if media_type is None:
            raise UnreadableDocument(sniff.describe_unsupported(head))
        return media_type
