"""What the service hands its reading processes: small picklable tasks in, Pages out.

All parsing of untrusted bytes (PDFium, PIL decoders, Tesseract) happens in a reading
process, so a decoder crash takes down a worker, never the service; the service only
assembles the results (STYLE.md item 5). This module is what both sides share: the task
types and the entry points. It imports nothing heavy; the work itself is in `work`, which
only reading processes load (the service process stays about 25 MB smaller).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from daemon.config import ReadingSettings
from daemon.ocr.model import Page, UnreadableDocument

A = TypeVar("A")
R = TypeVar("R")


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


def init_worker(max_image_pixels: int, max_memory_bytes: int) -> None:
    """Process start: Ctrl-C is the parent's business, exit with the parent, bounded memory,
    and the OCR stack loaded now rather than on the first page."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _bound_memory(max_memory_bytes)
    from daemon.ocr import work

    work.setup(max_image_pixels)


def _bound_memory(max_bytes: int) -> None:
    """One document must not take the machine: this process's address space is capped (a
    page that needs more fails here, with MemoryError, not the service or the server), it
    never writes a core dump of a document, and the kernel's OOM killer takes it first."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if max_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    with contextlib.suppress(OSError):
        Path("/proc/self/oom_score_adj").write_text("1000")


def memory_limit(settings: ReadingSettings, workers: int) -> int:
    """Bytes of address space for each reading process ([reading] max_memory_mb, or from the
    machine: 60% of its memory, or of the cgroup's limit, shared by the workers, 1 to 4 GB)."""
    if settings.max_memory_mb:
        return settings.max_memory_mb * 1_000_000
    available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    available = min(available, _cgroup_limit() or available)
    share = int(0.6 * available / max(1, workers))
    return max(1 << 30, min(4 << 30, share))


def _cgroup_limit() -> int | None:
    """The memory limit of this process's cgroup (systemd's MemoryMax), if any."""
    try:
        entry = Path("/proc/self/cgroup").read_text().strip().splitlines()[-1]
        limit = Path("/sys/fs/cgroup", entry.split(":", 2)[2].lstrip("/"), "memory.max")
        text = limit.read_text().strip()
    except (OSError, IndexError):
        return None
    return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class SignaturesTask:
    """Check every digital signature of a PDF against the roots in a folder."""

    path: str
    roots_dir: str


def signatures(task: SignaturesTask) -> tuple[Any, ...]:
    """pyHanko parses the untrusted PDF here, under this process's limits, not in the
    service's; the verdicts (plain dataclasses) travel back."""
    from daemon.signatures import check_signatures

    data = Path(task.path).read_bytes()
    return _releasing(lambda roots: tuple(check_signatures(data, roots)), _roots(task.roots_dir))


def _roots(folder: str) -> list[Any]:
    """The trust roots, read once per process (and again when the folder changes)."""
    from daemon.signatures import load_trust_roots

    path = Path(folder)
    if not path.is_dir():
        return []
    seen = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in path.iterdir() if p.is_file()))
    cached = _ROOTS.get(folder)
    if cached is None or cached[0] != seen:
        cached = (seen, load_trust_roots(path, warn=False))
        _ROOTS[folder] = cached
    return cached[1]


_ROOTS: dict[str, tuple[tuple[tuple[str, int], ...], list[Any]]] = {}


def survey(task: SurveyTask) -> Survey:
    """Check limits and read every real text layer; image pages all need OCR."""
    from daemon.ocr import work

    return _releasing(work.survey, task)


def read_page(task: PageTask) -> Page:
    """Rasterise one page and OCR it (all of it, or only its field blocks)."""
    from daemon.ocr import work

    return _releasing(work.read_page, task)


def _releasing(fn: Callable[[A], R], task: A) -> R:
    """`fn(task)`, then the memory it freed handed back to the system.

    glibc keeps freed memory for reuse: after a few full pages (rasters, Tesseract's page
    structures) a reading process sat at ~125 MB between tasks instead of ~65 MB. Two idle
    readers holding that much is most of the service's memory.
    """
    try:
        return fn(task)
    except MemoryError as exc:  # hit this process's own limit: the document's verdict
        raise UnreadableDocument(
            "reading it needs more memory than a reading process may use ([reading] "
            "max_memory_mb): an image or a page that expands too far"
        ) from exc
    finally:
        hand_back_memory()


def hand_back_memory() -> None:
    """Give the memory this process has freed back to the system (glibc keeps it otherwise)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None on a C library without it (musl)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


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
