"""The desk's book pages and review queue on a register of a few hundred lines, on SQLite and
PostgreSQL: pages newest first with the right total, filters on the entry and on its document,
and the review queue oldest first (the queries bench/web.py times at 50,000 entries)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from daemon.register import corrections
from daemon.register.migrate import open_register
from daemon.register.models import NEEDS_REVIEW, REGISTERED, Document, Entry
from daemon.web import data

TODAY = dt.date(2026, 6, 15)
LINES = 230  # this year's sổ đến: several full pages and part of a last one
START = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)


def _add(session: Session, book: str, year: int, seq: int, *, unsure: bool, due: bool) -> None:
    document = Document(
        sha256=hashlib.sha256(f"{book}/{year}/{seq}".encode()).hexdigest(),
        original_name=f"{book}-{year}-{seq}.pdf",
        media_type="application/pdf",
        size=1000,
        pages=1,
        source="folder",
        status=NEEDS_REVIEW if unsure else REGISTERED,
        text_source="text-layer",
        created_at=START,
    )
    document.subject = f"trích yếu số {seq}"  # type: ignore[attr-defined]
    session.add(document)
    session.flush()
    session.add(
        Entry(
            book=book,
            year=year,
            seq=seq,
            document_id=document.id,
            # received in the opposite order to the numbers, so that "oldest first" and
            # "lowest number first" differ
            received_at=START + dt.timedelta(hours=1000 - seq),
            due_date=TODAY - dt.timedelta(days=1) if due else None,
        )
    )


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_register(db_url)
    with Session(engine) as session, session.begin():
        for seq in range(1, LINES + 1):
            _add(session, "den", 2026, seq, unsure=seq % 10 == 0, due=seq % 25 == 0)
        for seq in range(1, 31):  # another year and the other book: never in this book
            _add(session, "den", 2025, seq, unsure=True, due=True)
            _add(session, "di", 2026, seq, unsure=False, due=False)
    yield engine
    engine.dispose()


def _numbers(rows: Sequence[Any]) -> list[int]:
    return [row.seq for row in rows]


def test_the_book_pages_newest_first_with_the_total(engine: Engine) -> None:
    size, last = data.PAGE, -(-LINES // data.PAGE)
    assert last >= 3 and LINES % size, "the fixture fills two pages and part of a last one"
    with Session(engine) as session:
        pages = [
            data.book_page(session, data.BookFilter(year=2026, page=n), TODAY) for n in (1, 2, last)
        ]
    assert [total for _rows, total in pages] == [LINES] * 3
    assert _numbers(pages[0][0]) == list(range(LINES, LINES - size, -1))
    assert _numbers(pages[1][0]) == list(range(LINES - size, LINES - 2 * size, -1))
    assert _numbers(pages[2][0]) == list(range(LINES - (last - 1) * size, 0, -1))
    line = pages[2][0][-1]
    assert (line.seq, line.subject, line.status) == (1, "trích yếu số 1", REGISTERED)


def test_a_filter_on_the_document_counts_and_pages_only_its_lines(engine: Engine) -> None:
    wanted = data.BookFilter(year=2026, status=NEEDS_REVIEW)
    with Session(engine) as session:
        rows, total = data.book_page(session, wanted, TODAY)
    assert total == LINES // 10
    assert _numbers(rows) == list(range(LINES, 0, -10))
    assert {row.status for row in rows} == {NEEDS_REVIEW}


def test_the_overdue_filter_keeps_to_the_year_and_book(engine: Engine) -> None:
    with Session(engine) as session:
        rows, total = data.book_page(session, data.BookFilter(year=2026, overdue=True), TODAY)
    assert total == LINES // 25
    assert _numbers(rows) == list(range(LINES // 25 * 25, 0, -25))


def test_the_review_queue_is_oldest_first_across_years(engine: Engine) -> None:
    with Session(engine) as session:
        queue = data.review_queue(session)
    labels = [(row.year, row.seq) for row in queue]
    assert len(labels) == LINES // 10 + 30
    # this year's 230 was received first (START + 770 h), last year's 1 last (START + 999 h)
    assert labels[0] == (2026, LINES) and labels[-1] == (2025, 1)
    with Session(engine) as session:
        looked_at = [data.review_entry(session, row.id) for row in queue]
    assert all(found and found[1].status == NEEDS_REVIEW for found in looked_at)


def test_the_count_kept_between_pages_follows_new_entries_and_corrections(engine: Engine) -> None:
    """The book's total is cached until the register changes: a new entry, a corrected field
    and a confirmed entry each change it at once (each filter as it should)."""
    every = data.BookFilter(year=2026)
    by_issuer = data.BookFilter(year=2026, issuer="Sở Nội vụ tỉnh Quảng Nam")
    waiting = data.BookFilter(year=2026, status=NEEDS_REVIEW)

    def totals() -> tuple[int, int, int]:
        with Session(engine) as session:
            counted = [data.book_page(session, w, TODAY)[1] for w in (every, by_issuer, waiting)]
        return counted[0], counted[1], counted[2]

    assert totals() == totals() == (LINES, 0, LINES // 10)
    with Session(engine) as session, session.begin():
        _add(session, "den", 2026, LINES + 1, unsure=False, due=False)
    assert totals() == (LINES + 1, 0, LINES // 10)
    with Session(engine) as session, session.begin():
        corrections.correct(session, "den", 2026, 7, {"issuer": "Sở Nội vụ tỉnh Quảng Nam"})
    assert totals() == (LINES + 1, 1, LINES // 10)
    with Session(engine) as session, session.begin():
        corrections.confirm(session, "den", 2026, 10)
    assert totals() == (LINES + 1, 1, LINES // 10 - 1)


def test_the_review_queue_kept_between_views_follows_corrections_and_confirmations(
    engine: Engine,
) -> None:
    def queue() -> list[tuple[int, str | None]]:
        with Session(engine) as session:
            return [
                (row.seq, row.subject) for row in data.review_queue(session) if row.year == 2026
            ]

    first = queue()
    assert first == queue() and (LINES, f"trích yếu số {LINES}") in first
    with Session(engine) as session, session.begin():
        corrections.correct(session, "den", 2026, LINES, {"subject": "Về việc họp giao ban"})
    assert (LINES, "Về việc họp giao ban") in queue()
    with Session(engine) as session, session.begin():
        corrections.confirm(session, "den", 2026, LINES)
    assert [seq for seq, _subject in queue()] == [seq for seq, _ in first if seq != LINES]
