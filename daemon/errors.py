"""One error base for the whole project, and what a failure means for the work in hand.

Every error vanthu raises on purpose derives from `VanthuError` and carries `reason`, a
sentence for the clerk. Its `transient` flag tells the job loop what to do when one ends a job
(DESIGN principle 6, STYLE.md items 3 and 4):

- permanent (`PermanentError`): the same input fails the same way again, like a corrupt file,
  a refused signature, Tesseract not installed. The job ends at once, its file to `failed/`
  with the reason; the clerk fixes the cause and drops the file again.
- transient (`TransientError`): it may pass later, like a timeout, a reading process killed, a
  server away. The job is retried with backoff up to `[service] max_attempts`, then failed.

Errors from elsewhere are sorted by `daemon.work.outcome.is_transient`: the environment's
(OSError, a lost database connection) are transient, anything else is a bug and permanent.
This module imports nothing, so the reading processes can raise these too.
"""

from __future__ import annotations

from typing import ClassVar


class VanthuError(Exception):
    """An error vanthu raises on purpose; `reason` says what went wrong, for the clerk."""

    transient: ClassVar[bool] = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentError(VanthuError):
    """Trying again will not help: the job goes to failed/ at once."""

    transient = False


class TransientError(VanthuError):
    """Trying again later may help: the job is retried with backoff."""

    transient = True
