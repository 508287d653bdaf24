"""The Source contract: something that brings work in.

A source stages, then acknowledges (DESIGN principle 1). It hands each item's bytes to the
Stager; only once the job row is committed does it acknowledge the item where it came from
(the scan leaves the inbox, the mail is marked and moved). A crash in between leaves the item
where it was, to be seen again and recognised as a duplicate: never lost, never done twice.

`run_once` takes everything waiting now (`vanthu run --once`, tests, cron); `serve` watches
until told to stop. `start` runs `serve` in a thread of its own that survives the source's
crashes: the error is logged and the source started again after a pause.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod

from daemon.logs import event

log = logging.getLogger("vanthu.source")

RESTART_PAUSE = 5.0


class Source(ABC):
    name: str = "source"

    @abstractmethod
    def run_once(self) -> object:
        """Stage and acknowledge everything waiting now, then return (a summary or None)."""

    @abstractmethod
    def serve(self, stop: threading.Event) -> None:
        """Watch and stage until `stop` is set."""

    def start(self, stop: threading.Event) -> threading.Thread:
        """`serve` in a daemon thread, restarted after a crash; join it after `stop`."""
        thread = threading.Thread(target=self._guard, args=(stop,), name=self.name, daemon=True)
        thread.start()
        return thread

    def _guard(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.serve(stop)
            except Exception as exc:  # noqa: BLE001 - a source never takes the service down
                event(
                    log,
                    "source-error",
                    logging.ERROR,
                    source=self.name,
                    error=f"{type(exc).__name__}: {exc}",
                )
                stop.wait(RESTART_PAUSE)
