"""What an exception that ended a job means: retry later, or give up now.

vanthu's own errors say so themselves (daemon.errors). Of the rest, what the environment
throws is transient: files and disks (OSError, which covers timeouts and refused
connections), a database that went away, a reading process killed. Anything else is a bug in
vanthu, and retrying a bug five times only delays the clerk: it is permanent, logged with its
traceback, and the file goes to failed/ saying so.
"""

from __future__ import annotations

from concurrent.futures import BrokenExecutor

from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

from daemon.errors import PermanentError, VanthuError


class OutOfAttempts(PermanentError):
    """A job came back more often than `[service] max_attempts` allows."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, VanthuError):
        return exc.transient
    if isinstance(exc, DBAPIError):  # lost connection, lock timeout, server shutting down
        return exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)
    return isinstance(exc, OSError | BrokenExecutor | DisconnectionError | PoolTimeout)


def is_bug(exc: BaseException) -> bool:
    """Neither vanthu's own error nor the environment's: a programming error."""
    return not isinstance(exc, VanthuError) and not is_transient(exc)


def describe(exc: BaseException) -> str:
    """One line for the clerk and the log."""
    if isinstance(exc, VanthuError):
        return exc.reason
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return f"internal error ({text}); please report it" if is_bug(exc) else text
