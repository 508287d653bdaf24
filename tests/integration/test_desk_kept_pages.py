"""What the desk keeps between page views (daemon/web/fragments.py): a book page's lines and
the review queue, rendered once and kept until the register changes. A new entry, a correction,
a confirmation and an assignment each show at once; a page found kept costs one statement (the
register's mark); what is kept carries no form and no token, so a leader and a clerk never
share markup they should not; a disabled account is refused at once. On SQLite and
PostgreSQL, through Starlette's TestClient against a real register."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from daemon.cli import main
from daemon.config import load
from daemon.register import clock, corrections, follow, users
from daemon.register.db import session_factory
from daemon.register.migrate import open_register
from daemon.register.models import NEEDS_REVIEW, REGISTERED, Document, Entry
from daemon.web import data, fragments
from daemon.web.app import build_app

YEAR = clock.now().year  # the book a page shows by default is this year's
PASSWORDS = {"van.thu": "mat-khau-van-thu", "lanh.dao": "mat-khau-lanh-dao"}
BOOK = f"/book/den?year={YEAR}"


def _add(session: Session, seq: int, *, unsure: bool) -> None:
    """An entry as a bulk load leaves it: no audit event (the mark's newest entry moves)."""
    document = Document(
        sha256=hashlib.sha256(f"kept/{seq}".encode()).hexdigest(),
        original_name=f"kept-{seq}.pdf",
        media_type="application/pdf",
        size=1000,
        pages=1,
        source="folder",
        status=NEEDS_REVIEW if unsure else REGISTERED,
        text_source="text-layer",
        created_at=clock.now(),
    )
    document.subject = f"trích yếu số {seq}"  # type: ignore[attr-defined]
    session.add(document)
    session.flush()
    session.add(
        Entry(book="den", year=YEAR, seq=seq, document_id=document.id, received_at=clock.now())
    )


@dataclass
class Desk:
    app: Any
    engine: Engine

    def login(self, name: str) -> TestClient:
        client = TestClient(self.app, base_url="http://testserver")
        form = {"name": name, "password": PASSWORDS[name], "csrf": csrf(client.get("/login").text)}
        assert client.post("/login", data=form, follow_redirects=False).status_code == 303
        return client

    def change(self) -> AbstractContextManager[Session]:
        return session_factory(self.engine).begin()


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "every form carries a CSRF token"
    return found.group(1)


def row(html: str, seq: int) -> str:
    """The book's line of số đến `seq`."""
    found = re.search(
        rf'<tr[^>]*><td>[^<]*<td><a href="/entry/den/{YEAR}/{seq}">.*?(?=<tr|</tbody>)', html
    )
    assert found, f"số đến {seq} is on the page"
    return found.group(0)


@pytest.fixture
def desk(tmp_path: Path, db_url: str) -> Iterator[Desk]:
    root = tmp_path / "office"
    assert main(["init", str(root)]) == 0
    config = root / "vanthu.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('url = "sqlite:///var/vanthu.db"', f'url = "{db_url}"'))
    settings = load(config)
    engine = open_register(settings.database_url())  # migrated, as `vanthu run` leaves it
    with session_factory(engine).begin() as session:
        for name, role in (("van.thu", "clerk"), ("lanh.dao", "leader")):
            users.add_user(session, name, role, PASSWORDS[name], "test")
        for seq in range(1, 13):
            _add(session, seq, unsure=seq % 4 == 0)
    app = build_app(settings, session_factory(engine))
    yield Desk(app, engine)
    app.state.desk.renderer.close()
    engine.dispose()


def test_a_kept_book_page_shows_a_new_entry_a_correction_a_confirmation_and_an_assignment(
    desk: Desk,
) -> None:
    clerk = desk.login("van.thu")
    first = clerk.get(BOOK).text
    assert "(12 văn bản)" in first and "cần xem lại" in row(first, 8)
    assert clerk.get(BOOK).text == first, "the same page while nothing changed"

    with desk.change() as session:  # a bulk load: no audit event, the newest entry moves
        _add(session, 13, unsure=False)
    page = clerk.get(BOOK).text
    assert "(13 văn bản)" in page and "trích yếu số 13" in row(page, 13)

    form = {"csrf": csrf(page), "subject": "Về việc họp giao ban", "action": "save"}
    answer = clerk.post(f"/entry/den/{YEAR}/8/correct", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert "Về việc họp giao ban" in row(clerk.get(BOOK).text, 8)

    with desk.change() as session:  # as `vanthu register confirm` would, from another process
        corrections.confirm(session, "den", YEAR, 8, "van.thu")
    assert "cần xem lại" not in row(clerk.get(BOOK).text, 8)

    with desk.change() as session:
        found = follow.find_entry(session, YEAR, 5)
        follow.assign(session, found, unit="Phòng Tài chính", actor="van.thu")
    assert "Phòng Tài chính" in row(clerk.get(BOOK).text, 5)


def test_the_kept_review_queue_follows_corrections_and_confirmations(desk: Desk) -> None:
    clerk = desk.login("van.thu")
    page = clerk.get("/review").text
    assert "Cần xem lại <small>(3)</small>" in page and "trích yếu số 4" in page
    with desk.change() as session:
        corrections.correct(session, "den", YEAR, 12, {"subject": "Về việc kiểm kê"}, "van.thu")
    page = clerk.get("/review").text
    assert "Về việc kiểm kê" in page and "trích yếu số 12" not in page
    with desk.change() as session:
        corrections.confirm(session, "den", YEAR, 4, "van.thu")
    page = clerk.get("/review").text
    assert "Cần xem lại <small>(2)</small>" in page and "trích yếu số 4" not in page


def test_a_page_found_kept_costs_one_statement(desk: Desk) -> None:
    statements: list[str] = []
    event.listen(desk.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    clerk = desk.login("van.thu")
    for path in (BOOK, "/review", BOOK + "&page=1&status=needs_review"):
        clerk.get(path)
        statements.clear()
        clerk.get(path)
        queries = [sql for sql in statements if not sql.startswith("BEGIN")]
        assert len(queries) == 1, (path, queries)
        assert "max(id) FROM audit_log" in queries[0], "the register's mark"


def test_a_leader_and_a_clerk_never_share_their_forms_or_tokens(desk: Desk) -> None:
    leader, clerk = desk.login("lanh.dao"), desk.login("van.thu")
    seen = {}
    for who, client in (("leader", leader), ("clerk", clerk), ("leader again", leader)):
        seen[who] = {path: client.get(path).text for path in (BOOK, "/review")}
    for path in (BOOK, "/review"):
        tokens = {who: csrf(pages[path]) for who, pages in seen.items()}
        assert tokens["leader"] == tokens["leader again"] != tokens["clerk"]
        assert tokens["clerk"] not in seen["leader again"][path]
    assert "Lưu sửa" in seen["clerk"]["/review"]
    assert "Lưu sửa" not in seen["leader again"]["/review"]
    assert "disabled" in re.search(r"<textarea[^>]*>", seen["leader again"]["/review"]).group(0)  # type: ignore[union-attr]
    # what is kept is the same for every viewer: no form, no token in it
    desk_ = desk.app.state.desk
    with desk_.reading() as session:
        lines = fragments.book_lines(
            session, desk_.templates, desk_.local, data.BookFilter(year=YEAR), desk_.today()
        )
        queue = fragments.review(session, desk_.templates, None)
    for html in (lines.html, queue.queue_html):
        assert "trích yếu số" in html and "<form" not in html and "csrf" not in html


def test_a_disabled_account_is_refused_at_once_though_it_was_kept(desk: Desk) -> None:
    leader = desk.login("lanh.dao")
    assert leader.get(BOOK).status_code == 200
    assert leader.get(BOOK).status_code == 200  # the account kept with the register's mark
    with desk.change() as session:  # `vanthu user disable lanh.dao`
        users.disable_user(session, "lanh.dao", "quan.tri")
    answer = leader.get(BOOK, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")


def test_answers_in_one_transaction_share_one_mark(desk: Desk) -> None:
    with session_factory(desk.engine, read_only=True)() as session:
        first = data.session_mark(session)
        with desk.change() as other:
            _add(other, 14, unsure=False)
        assert data.session_mark(session) == first, "the mark read once a transaction"
        session.rollback()
        assert data.session_mark(session) == (first[0] + 1, first[1])
