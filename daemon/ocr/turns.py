"""Reading and the schedule's big child processes take turns, so that their memory never adds up.

A reading process peaks at ~130 MB on a colour page; the process that draws the monthly
report (matplotlib, NumPy, openpyxl) at ~120 MB. When the report ran while two readers read
(the schedule's catch-up at start, with scans waiting), the service's processes together
passed 400 MB. So the reading pool holds a shared turn while it hands out a batch of pages,
and a big scheduled job holds the turn alone: it waits for the batches in hand to end, and
new batches wait for it (a few seconds, once a week or a month). The readers stay up,
idle, meanwhile (~70 MB each).

The intake never waits long for a report: a batch waits at most `max_wait` for a job that
runs (one that hangs must not stop the reading), and new batches stop giving way to a waiting
job once it has waited `max_wait` (a long full-text batch in hand must not hold up the
others); the memory may then add up, the scans are still read.

In one process only: it orders the service's own threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 60.0  # a report takes ~3-5 s (~15 s on a busy machine)


class Turns:
    """A readers-writer lock that lets a waiting writer in first (a steady stream of scans
    must not starve the report), within bounds (the report must not stall the scans)."""

    def __init__(self, max_wait: float = MAX_WAIT_SECONDS) -> None:
        self.max_wait = max_wait
        self._cond = threading.Condition()
        self._sharing = 0  # batches in hand
        self._alone = False  # a big job is running
        self._waiting: dict[object, float] = {}  # big jobs waiting for the batches in hand: since

    @contextmanager
    def shared(self) -> Iterator[None]:
        """A reading batch: with other batches, not with a big job (after `max_wait`
        seconds of waiting for one, it goes ahead anyway). Not reentrant."""
        with self._cond:
            if not self._cond.wait_for(self._may_read, self.max_wait):
                log.warning("reading goes ahead after %.0f s beside a big job", self.max_wait)
            self._sharing += 1
        try:
            yield
        finally:
            with self._cond:
                self._sharing -= 1
                self._cond.notify_all()

    def _may_read(self) -> bool:
        if self._alone:
            return False
        return not self._waiting or time.monotonic() - min(self._waiting.values()) >= self.max_wait

    @contextmanager
    def alone(self) -> Iterator[None]:
        """A big job: once the batches in hand end, with nothing else."""
        with self._cond:
            me = object()
            self._waiting[me] = time.monotonic()
            try:
                self._cond.wait_for(lambda: not self._alone and self._sharing == 0)
            finally:
                del self._waiting[me]
            self._alone = True
        try:
            yield
        finally:
            with self._cond:
                self._alone = False
                self._cond.notify_all()


#: The service process's turns: the reading pool's batches and the schedule's big jobs.
TURNS = Turns()
