"""A watched folder as a source: files dropped into it are staged once they are complete.

The scanner inbox (incoming scans, job kind `ingest`) and the outbox (signed outgoing
documents) are two instances of this class, each with its own folders, source name and job
kind. A watchdog observer (inotify, or polling for SMB/NFS shares where inotify sees no remote
writes) tells us which paths changed; a file is taken once its size and mtime have not
changed for the settle time. A full rescan at start and every `RESCAN_SECONDS` catches
anything an observer missed. Staged files are moved to processed/ (or deleted, if configured)
only after the job is committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fnmatch
import logging
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from daemon.config import ScannerSettings
from daemon.durable import copy_stream_durably
from daemon.logs import event
from daemon.work.setaside import free_name, move_into, safe_name, write_reason
from daemon.work.source import Source
from daemon.work.spool import TooLarge
from daemon.work.stage import StageResult

log = logging.getLogger("vanthu.folder")

RESCAN_SECONDS = 30.0
TICK_SECONDS = 0.25


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float  # monotonic time this (size, mtime) was first observed


class _Handler(FileSystemEventHandler):
    def __init__(self, source: FolderSource) -> None:
        self.source = source

    def on_any_event(self, ev: FileSystemEvent) -> None:
        if ev.is_directory:
            return
        path = getattr(ev, "dest_path", "") or ev.src_path
        self.source.notice(Path(os.fsdecode(path)))


class StreamStager(Protocol):
    def stage_stream(
        self, handle: BinaryIO, *, name: str, kind: str, source: str, provenance: dict[str, Any]
    ) -> StageResult: ...


class FolderSource(Source):
    """Stages what is dropped into `inbox` as jobs of `kind` from source `source`."""

    def __init__(
        self,
        inbox: Path,
        *,
        processed: Path,
        failed: Path,
        settings: ScannerSettings,
        stager: StreamStager,
        source: str,
        kind: str,
        on_staged: threading.Event | None = None,
    ) -> None:
        self.inbox, self.processed, self.failed = inbox, processed, failed
        self.settings = settings
        self.stager = stager
        self.source, self.kind = source, kind
        self.name = f"folder:{inbox.name}"
        self.on_staged = on_staged
        self._seen: dict[Path, _Seen] = {}
        self._refused: set[tuple[Path, int, int]] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()

    # -- discovering files -------------------------------------------------------------

    def ignored(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.inbox).parts
        except ValueError:
            return True
        return any(fnmatch.fnmatch(part, pat) for part in parts for pat in self.settings.ignore)

    def notice(self, path: Path) -> None:
        """Called from observer threads: remember the path and wake the loop."""
        if not self.ignored(path):
            with self._lock:
                self._seen.setdefault(path, _Seen(-1, -1, time.monotonic()))
            self._wake.set()

    def rescan(self) -> None:
        for root, dirs, files in os.walk(self.inbox):  # never into a linked folder
            dirs[:] = [d for d in dirs if not self.ignored(Path(root, d))]
            links = [d for d in dirs if Path(root, d).is_symlink()]  # set aside like files
            for name in (*files, *links):
                self.notice(Path(root, name))

    def pending(self) -> int:
        with self._lock:
            return len(self._seen)

    def _settled(self) -> list[Path]:
        """Paths whose size and mtime held still for the settle time; forgets vanished ones."""
        now, ready = time.monotonic(), []
        with self._lock:
            for path, seen in list(self._seen.items()):
                try:
                    st = os.lstat(path)  # the entry itself: a link is not followed
                except FileNotFoundError:
                    del self._seen[path]
                    continue
                except OSError:
                    continue
                if (path, st.st_size, st.st_mtime_ns) in self._refused:
                    del self._seen[path]
                elif not stat.S_ISREG(st.st_mode):
                    ready.append(path)  # nothing to wait for: it is set aside unread
                elif (st.st_size, st.st_mtime_ns) != (seen.size, seen.mtime_ns):
                    self._seen[path] = _Seen(st.st_size, st.st_mtime_ns, now)
                elif now - seen.since >= self.settings.settle_seconds:
                    ready.append(path)
        return sorted(ready, key=lambda p: (self._seen[p].since, str(p)))

    # -- taking files --------------------------------------------------------------------

    def take_settled(self) -> int:
        """Stage every settled file; returns how many were taken."""
        taken = 0
        for path in self._settled():
            self._take(path)
            with self._lock:
                self._seen.pop(path, None)
            taken += 1
        return taken

    def _processed_target(self, rel: Path) -> Path:
        folder = self.processed / dt.date.today().isoformat() / rel.parent
        target, n = folder / rel.name, 1
        while target.exists():
            n += 1
            target = folder / f"{rel.stem} ({n}){rel.suffix}"
        return target

    def _take(self, path: Path) -> None:
        """Stage one entry of the inbox. Only a regular file is read, through a handle opened
        without following links and checked after opening, so nothing outside the inbox is
        ever read; anything else is set aside unread."""
        name = safe_name(path.name)
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                self._set_aside_unread(path, name, st)
                return
            if st.st_size == 0:
                raise ValueError("empty file (0 bytes)")
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:  # taken meanwhile (another process watching the same folder)
            return
        except (OSError, ValueError) as exc:
            self._fail(path, name, f"cannot be taken: {_why(exc)}")
            return
        with os.fdopen(fd, "rb") as handle:
            opened = os.fstat(handle.fileno())
            if not stat.S_ISREG(opened.st_mode):  # swapped for something else since lstat
                self._set_aside_unread(path, name, opened)
                return
            self._stage(path, name, handle)

    def _stage(self, path: Path, name: str, handle: BinaryIO) -> None:
        rel = path.relative_to(self.inbox)
        dest = self._processed_target(rel) if self.settings.after_staging == "move" else None
        provenance = {"path": safe_name(str(rel)), "processed_path": str(dest) if dest else None}
        try:
            result = self.stager.stage_stream(
                handle, name=path.name, kind=self.kind, source=self.source, provenance=provenance
            )
        except (OSError, TooLarge) as exc:
            self._fail(path, name, f"cannot be taken: {_why(exc)}")
            return
        self._acknowledge(path, dest, handle)
        what = "duplicate" if result.duplicate else "staged"
        event(log, what, file=name, job=result.job_id)
        if self.on_staged is not None and not result.duplicate:
            self.on_staged.set()

    def _acknowledge(self, path: Path, dest: Path | None, handle: BinaryIO) -> None:
        """Take the staged file out of the inbox: moved to processed/ (copied from the open
        handle and removed when processed/ is on another file system, as with a share), or
        deleted. What cannot be taken out is remembered, not staged again on every rescan."""
        try:
            if dest is None:
                path.unlink()
                return
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(path, dest)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                handle.seek(0)
                copy_stream_durably(handle, dest)
                path.unlink()
        except FileNotFoundError:  # another process watching the same folder moved it first
            pass
        except OSError as exc:  # staged already: say so once, and leave it be
            self._remember_refused(path)
            event(log, "acknowledge-failed", logging.ERROR, file=path.name, reason=_why(exc))

    def _set_aside_unread(self, path: Path, name: str, st: os.stat_result) -> None:
        """A link, a named pipe, a socket or a device: never opened. It goes to failed/ with
        the reason (or, where it cannot be moved, is removed: it holds no document)."""
        what = _special(path, st)
        reason = f"not a regular file: {what}; it was not read"
        try:
            target = free_name(self.failed, name)
            self.failed.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(path, target)  # moves the entry itself, never what a link points at
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                path.unlink()
                reason += " (removed from the inbox: it cannot be moved across file systems)"
            write_reason(target, reason, name)
            event(log, "failed", logging.WARNING, file=name, reason=reason, moved_to=str(target))
        except FileNotFoundError:
            return
        except OSError as exc:
            self._remember_refused(path)
            event(log, "failed-in-place", logging.ERROR, file=name, reason=reason, error=_why(exc))

    def _fail(self, path: Path, name: str, reason: str) -> None:
        try:
            target = move_into(path, self.failed, name)
            write_reason(target, reason, name)
            event(log, "failed", logging.WARNING, file=name, reason=reason, moved_to=str(target))
        except OSError as exc:
            self._remember_refused(path)
            event(
                log,
                "failed-in-place",
                logging.ERROR,
                file=name,
                reason=reason,
                move_error=_why(exc),
            )

    def _remember_refused(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            st = os.lstat(path)
            self._refused.add((path, st.st_size, st.st_mtime_ns))

    # -- loops ---------------------------------------------------------------------------

    def run_once(self, max_wait: float = 120.0) -> None:
        """Take every file present now, waiting for each to settle (bounded by `max_wait`)."""
        self.rescan()
        deadline = time.monotonic() + max_wait
        while self.pending() and time.monotonic() < deadline:
            if not self.take_settled():
                time.sleep(TICK_SECONDS)
        if self.pending():
            event(log, "still-changing", logging.WARNING, files=self.pending())

    def _observer(self) -> BaseObserver:
        observer: BaseObserver = (
            PollingObserver(timeout=self.settings.poll_interval)
            if self.settings.polling
            else Observer()
        )
        observer.schedule(_Handler(self), os.fspath(self.inbox), recursive=True)
        observer.start()
        return observer

    def serve(self, stop: threading.Event) -> None:
        """Watch until `stop` is set; restart the observer if it dies (a share went away)."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        observer, last_scan = self._observer(), 0.0
        try:
            while not stop.is_set():
                if not observer.is_alive() or not all(e.is_alive() for e in observer.emitters):
                    event(log, "observer-restarted", logging.WARNING, inbox=str(self.inbox))
                    observer = self._observer()
                if time.monotonic() - last_scan >= RESCAN_SECONDS:
                    self.rescan()
                    last_scan = time.monotonic()
                self.take_settled()
                self._wake.wait(TICK_SECONDS if self.pending() else 1.0)
                self._wake.clear()
        finally:
            observer.stop()
            observer.join(timeout=5)


def _why(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _special(path: Path, st: os.stat_result) -> str:
    """What a non-regular inbox entry is, in words for the clerk."""
    if stat.S_ISLNK(st.st_mode):
        try:
            return f"a symbolic link to {os.readlink(path)!r}"
        except OSError:
            return "a symbolic link"
    if stat.S_ISFIFO(st.st_mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(st.st_mode):
        return "a socket"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "a device"
    if stat.S_ISDIR(st.st_mode):
        return "a folder"
    return "not a file"
