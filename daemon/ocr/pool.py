"""A process pool for reading that survives its workers dying or hanging.

`concurrent.futures.ProcessPoolExecutor` marks itself broken for good when one worker dies
(a decoder segfault, the OOM killer). This wrapper replaces a broken executor, resubmits
the unfinished tasks of each caller once, and kills the workers when no task has finished
for `stall_seconds` while work is in flight (a hung decoder), which turns a hang into a
crash it knows how to handle. Safe to call from several threads at once.

Decoders leak, so the processes are renewed now and then: after so many tasks the executor
is retired (it finishes what it was given) and a fresh one takes new work. Not with the
executor's own `max_tasks_per_child`: up to Python 3.15 a worker leaving at that limit with
work queued is never replaced, and the pool hangs with no process left to kill
(CPython gh-115634; it stopped a benchmark here after ~200 pages a worker).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from daemon.errors import PermanentError
from daemon.ocr.turns import TURNS

log = logging.getLogger(__name__)

A = TypeVar("A")
T = TypeVar("T")

_POLL_SECONDS = 2.0
_TASKS_PER_WORKER = 200  # then fresh processes: decoders leak
# Reading is batch work: a lower CPU priority lets the desk's requests and the service's own
# threads run first when the cores are busy, and costs reading nothing when they are idle.
NICENESS = 10


class WorkerCrashed(PermanentError, RuntimeError):
    """A reading process died twice while working on one call (a decoder crash, the kernel's
    OOM killer, or stuck past the deadline). Twice on the same document is the document's
    verdict: it goes to failed/ with this reason, and the service carries on."""


class ReadingPool:
    def __init__(
        self,
        workers: int,
        *,
        stall_seconds: float,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
    ) -> None:
        self.workers = workers
        self._stall = stall_seconds
        self._initializer = initializer
        self._initargs = initargs
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._submitted = 0  # tasks given to the current executor
        self._retired: dict[int, ProcessPoolExecutor] = {}  # by generation, finishing theirs
        self._generation = 0
        self._in_flight = 0
        self._last_progress = time.monotonic()
        self._closed = False

    def map(self, fn: Callable[[A], T], items: Sequence[A]) -> list[T]:
        """`fn(item)` for every item in the workers, results in order.

        A task's own exception propagates (the remaining tasks are cancelled). When the
        pool breaks, the unfinished items are resubmitted once to a fresh pool; a second
        break raises WorkerCrashed.
        """
        if not items:
            return []
        with TURNS.shared():  # a big scheduled job's process waits (daemon.ocr.turns)
            return self._map(fn, items)

    def _map(self, fn: Callable[[A], T], items: Sequence[A]) -> list[T]:
        results: dict[int, T] = {}
        crashes = 0
        while len(results) < len(items):
            executor, generation = self._acquire()
            try:
                futures = self._submit_all(executor, fn, items, results)
                self._gather(futures, results, generation)
            except BrokenProcessPool as exc:
                self._replace(generation)
                crashes += 1
                if crashes == 2:
                    raise WorkerCrashed(f"a reading process died twice: {exc}") from exc
                log.warning("reading pool broken (%s); retrying on a fresh pool", exc)
        return [results[index] for index in range(len(items))]

    def _submit_all(
        self,
        executor: ProcessPoolExecutor,
        fn: Callable[[A], T],
        items: Sequence[A],
        results: dict[int, T],
    ) -> dict[Future[T], int]:
        """The items not done yet submitted to `executor`, as far as it takes them: another
        caller may retire it meanwhile (its processes renewed after so many tasks), and then
        it refuses more ("cannot schedule new futures after shutdown", a page set aside on a
        benchmark's 9595 run); what it took it finishes, the rest go to the next executor."""
        futures: dict[Future[T], int] = {}
        for index, item in enumerate(items):
            if index in results:
                continue
            try:
                futures[self._submit(executor, fn, item)] = index
            except BrokenProcessPool:
                raise
            except RuntimeError:
                with self._lock:
                    retired = executor is not self._executor and not self._closed
                if not retired:
                    raise
                break
        return futures

    def close(self) -> None:
        """Stop the workers, waiting for running tasks; later calls raise RuntimeError."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
            executors = [*self._retired.values(), *filter(None, [executor])]
            self._retired = {}
        for old in executors:
            old.shutdown(wait=True, cancel_futures=True)

    def _acquire(self) -> tuple[ProcessPoolExecutor, int]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the reader is closed")
            self._retired = {g: e for g, e in self._retired.items() if _live_workers(e)}
            if self._executor is not None and self._submitted >= _TASKS_PER_WORKER * self.workers:
                # Its processes finish the tasks they were given, then leave; the next
                # call's go to fresh ones.
                self._retired[self._generation] = self._executor
                self._executor.shutdown(wait=False)
                self._executor = None
                self._generation += 1
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded parent
                    initializer=_start_worker,
                    initargs=(self._initializer, *self._initargs),
                )
                self._submitted = 0
            return self._executor, self._generation

    def _submit(self, executor: ProcessPoolExecutor, fn: Callable[[A], T], item: A) -> Future[T]:
        with self._lock:
            if self._in_flight == 0:
                self._last_progress = time.monotonic()
            self._in_flight += 1
            if executor is self._executor:
                self._submitted += 1
        try:
            future = executor.submit(fn, item)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any] | None) -> None:
        with self._lock:
            self._in_flight -= 1
            self._last_progress = time.monotonic()

    def _gather(
        self, futures: dict[Future[T], int], results: dict[int, T], generation: int
    ) -> None:
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_EXCEPTION)
                for future in done:
                    results[futures[future]] = future.result()  # raises the task's error
                if pending and self._stalled():
                    self._kill(generation)
        finally:
            for future in pending:
                future.cancel()

    def _stalled(self) -> bool:
        with self._lock:
            return self._in_flight > 0 and time.monotonic() - self._last_progress > self._stall

    def _kill(self, generation: int) -> None:
        """Kill the workers of a stuck pool; its futures then fail with BrokenProcessPool."""
        with self._lock:
            current = self._executor if generation == self._generation else None
            executor = current or self._retired.get(generation)
            if executor is None:
                return
            self._last_progress = time.monotonic()
        log.error("no reading task finished in %.0f s: killing the reading processes", self._stall)
        _kill_workers(executor)

    def _replace(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # another caller already replaced it
            executor, self._executor = self._executor, None
            self._generation += 1
        if executor is not None:
            _kill_workers(executor)
            executor.shutdown(wait=False, cancel_futures=True)


def _start_worker(initializer: Callable[..., None] | None, *initargs: Any) -> None:
    """(In each reading process, first.) Lower its priority, then the caller's set-up."""
    os.nice(NICENESS)
    if initializer is not None:
        initializer(*initargs)


def _live_workers(executor: ProcessPoolExecutor) -> list[Any]:
    """The executor's worker processes still running. Before 3.14 it offers no way to stop
    a hung worker, nor to tell when a retired one's have left; its process table is the
    only handle on them."""
    processes = dict(getattr(executor, "_processes", None) or {})
    return [process for process in processes.values() if process.is_alive()]


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for process in _live_workers(executor):
        process.kill()
