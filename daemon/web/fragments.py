"""The parts of the desk's pages that are the same for every viewer, rendered once and kept
until the register changes (`Desk.kept`, marked as `data.UntilChanged` marks): the lines of a
book page with the book's total, and the review queue with the entry being looked at.

At 50,000 entries a book page's query took 4-6 ms and its 50 lines 2.5 ms of Jinja, and the
review queue's list of 200 another 1.7 ms, while twenty clerks may ask a hundred times a
second and the register changes a few times a second at most. What is kept holds no form, no
CSRF token and nothing that depends on who looks: the role's buttons and the session's token
are rendered around it on every view, so a page never carries another session's token and a
leader's page never a clerk's buttons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy.orm import Session

from daemon.register.models import Document, Entry
from daemon.web import data

Local = Callable[..., str]


@dataclass(frozen=True)
class BookLines:
    """One page of a book, rendered (`<tr>`s only), and how many lines match in all."""

    html: Markup
    shown: int
    total: int


def book_lines(
    session: Session, templates: Environment, local: Local, wanted: data.BookFilter, today: dt.date
) -> BookLines:
    rows, total = data.book_page(session, wanted, today)
    html = templates.get_template("_book_rows.html").render(
        book=wanted.book, rows=rows, today=today, local=local
    )
    return BookLines(Markup(html), len(rows), total)


@dataclass(frozen=True)
class Review:
    """The review queue as every clerk sees it: its list rendered, the entry looked at (with
    its document, detached from their session and only read) and the one after it."""

    size: int
    queue_html: Markup
    current: tuple[Entry, Document] | None
    next_label: str | None


def review(session: Session, templates: Environment, at: str | None) -> Review:
    queue = data.review_queue(session)
    labels = [f"{q.book}/{q.year}/{q.seq}" for q in queue]
    index = labels.index(at) if at in labels else 0
    current = data.review_entry(session, queue[index].id) if queue else None
    html = templates.get_template("_queue.html").render(queue=queue)
    following = labels[index + 1] if index + 1 < len(labels) else None
    return Review(len(queue), Markup(html), current, following)
