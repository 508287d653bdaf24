"""Gapless numbering: số đến / số đi run from 1 each calendar year per book.

An incoming document gets the next số đến; an outgoing one keeps the number it was issued
with (`take_number`), and the counter remembers the highest, so a gap shows. The counter row
is bumped inside the registering transaction. Its row lock (PostgreSQL) or
the write lock taken by BEGIN IMMEDIATE (SQLite) makes concurrent registrations queue, and a
rollback takes the number back with everything else: no gap, no duplicate.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from daemon.register.db import dialect_name
from daemon.register.models import BOOKS, Counter

_counters = cast(Table, Counter.__table__)


def _ensure_counter(session: Session, book: str, year: int) -> None:
    if book not in BOOKS:
        raise ValueError(f"unknown register book {book!r} (known: {', '.join(BOOKS)})")
    if not 1900 <= year <= 9999:
        raise ValueError(f"implausible register year {year}")
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    # A concurrent first-of-the-year insert waits on ours, then does nothing.
    session.execute(
        dialect.insert(_counters)
        .values(book=book, year=year, last_seq=0)
        .on_conflict_do_nothing(index_elements=["book", "year"])
    )


def next_number(session: Session, book: str, year: int) -> int:
    """The next number of `book` in `year`, reserved in the caller's transaction."""
    _ensure_counter(session, book, year)
    return session.execute(
        update(_counters)
        .where(_counters.c.book == book, _counters.c.year == year)
        .values(last_seq=_counters.c.last_seq + 1)
        .returning(_counters.c.last_seq)
    ).scalar_one()


def take_number(session: Session, book: str, year: int, seq: int) -> int:
    """Record that `seq` was given in `book` this `year` (the counter keeps the highest); the
    number itself. The entry's unique key refuses a number given twice."""
    if seq < 1:
        raise ValueError(f"a register number starts at 1, got {seq}")
    _ensure_counter(session, book, year)
    session.execute(
        update(_counters)
        .where(_counters.c.book == book, _counters.c.year == year, _counters.c.last_seq < seq)
        .values(last_seq=seq)
    )
    return seq
