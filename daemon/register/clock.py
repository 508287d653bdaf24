"""Time as the register stores it: timezone-aware UTC.

SQLAlchemy's SQLite `DateTime` drops the offset on the way in (it formats the wall time as
given) and returns naive values, while PostgreSQL `timestamptz` converts. Storing UTC on both,
and reading naive values back as UTC, gives the same instants, the same ordering (SQLite
compares the stored strings) and the same audit hashes on both backends.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


def now() -> dt.datetime:
    """The current instant, aware UTC."""
    return dt.datetime.now(UTC)


def to_db(value: dt.datetime) -> dt.datetime:
    """An aware datetime converted to UTC for storage. Naive values are refused: their zone is
    a guess, and a wrong guess shifts ngày đến across midnight."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} (give a timezone)")
    return value.astimezone(UTC)


def from_db(value: dt.datetime) -> dt.datetime:
    """A datetime read back from either backend, as aware UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local(value: dt.datetime, tz: str) -> dt.datetime:
    """A stored instant in the office's zone (e.g. Asia/Ho_Chi_Minh)."""
    return from_db(value).astimezone(ZoneInfo(tz))


def iso_utc(value: dt.datetime) -> str:
    """Canonical text of an instant: UTC, microseconds, `Z` suffix (stable for hashing)."""
    return from_db(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
