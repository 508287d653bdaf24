"""Reading a document file: path in, `Reading` (pages of positioned lines) out.

Cheap checks run here (size, magic bytes); everything that parses the file runs in the
worker pool: a survey task opens it, checks its limits and reads the real text layers; then
one task per page that needs OCR. The Reader knows nothing of the register or of where
the bytes came from. Several threads may call `read` at once.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from daemon.config import ReadingSettings
from daemon.ocr import images, worker
from daemon.ocr.model import Page, Reading, UnreadableDocument
from daemon.ocr.pool import ReadingPool, WorkerCrashed

__all__ = ["Reader", "UnreadableDocument", "WorkerCrashed"]

log = logging.getLogger(__name__)

_HEAD_BYTES = 8192
# A page makes at most 8 Tesseract calls (OSD, 3 regions, OSD, 3 regions), each bounded by
# ocr_timeout: a pool where nothing finished for longer than that is stuck.
_MAX_CALLS_PER_PAGE = 8


class Reader:
    """Reads PDFs and scans with a pool of worker processes; close() when done."""

    def __init__(self, settings: ReadingSettings) -> None:
        self.settings = settings
        workers = settings.workers or len(os.sched_getaffinity(0))
        self._pool = ReadingPool(
            workers,
            stall_seconds=settings.ocr_timeout * _MAX_CALLS_PER_PAGE + 60,
            initializer=worker.init_worker,
            initargs=(settings.max_image_pixels,),
        )

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.close()

    def read(self, path: Path) -> Reading:
        """Read one document file.

        Raises UnreadableDocument (with a reason for the clerk) when the file is not a
        document that can be read, WorkerCrashed when reading processes died twice (retry
        later), TesseractError on an OCR failure or timeout, OSError when the file cannot
        be opened.
        """
        started = time.monotonic()
        media_type = self._sniff(path)
        task = worker.SurveyTask(str(path), media_type, self.settings)
        survey = self._pool.map(worker.survey, [task])[0]
        tasks = [
            worker.PageTask(str(path), media_type, index, self.settings, header=index == 0)
            for index, page in enumerate(survey.pages)
            if page is None
        ]
        pages: list[Page | None] = list(survey.pages)
        for page_task, page in zip(tasks, self._pool.map(worker.read_page, tasks), strict=True):
            pages[page_task.index] = page
            note = survey.notes[page_task.index]
            log.debug("read: %s page %d by OCR (%s)", path, page_task.index + 1, note)
        reading = Reading(media_type, tuple(p for p in pages if p is not None))
        log.info(
            "read: %s media_type=%s pages=%d ocr_pages=%d seconds=%.2f",
            path,
            media_type,
            len(reading.pages),
            len(tasks),
            time.monotonic() - started,
        )
        return reading

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
        media_type = images.sniff_media_type(head)
        if media_type is None:
            raise UnreadableDocument(images.describe_unsupported(head))
        return media_type
