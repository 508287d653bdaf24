"""The desk's web page through Starlette's TestClient against a real register (SQLite and
PostgreSQL): accounts made with the real `vanthu user` commands, logging in, roles, CSRF,
escaping, the rate limit, and the same audited operations as the command line."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select
from starlette.testclient import TestClient

from daemon.cli import main
from daemon.config import load
from daemon.register.db import make_engine, session_factory
from daemon.register.models import AuditEvent
from daemon.web.app import build_app

PASSWORDS = {
    "van.thu": "mat-khau-van-thu",
    "lanh.dao": "mat-khau-lanh-dao",
    "quan.tri": "mat-khau-quan-tri",
}


@dataclass
class Desk:
    root: Path
    db_url: str
    capsys: pytest.CaptureFixture[str]
    app: Any
    entries: list[dict[str, Any]]

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://testserver")

    def login(self, name: str, password: str | None = None) -> TestClient:
        client = self.client()
        response = _login(client, name, password or PASSWORDS[name])
        assert response.status_code == 303, response.text
        return client

    def events(self, subject: str) -> list[AuditEvent]:
        engine = make_engine(self.db_url)
        try:
            with session_factory(engine)() as session:
                query = select(AuditEvent).where(AuditEvent.subject == subject)
                return list(session.scalars(query.order_by(AuditEvent.id)))
        finally:
            engine.dispose()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "every form carries a CSRF token"
    return found.group(1)


def _login(client: TestClient, name: str, password: str) -> Any:
    token = _csrf(client.get("/login").text)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": token},
        follow_redirects=False,
    )


def _note(path: Path, line: str) -> Path:
    out = io.BytesIO()
    note = canvas.Canvas(out, pagesize=A4)
    note.setFont("Helvetica", 12)
    note.drawString(72, 760, line)
    note.save()
    path.write_bytes(out.getvalue())
    return path


def add_user(config: Path, name: str, role: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORDS.get(name, "x") + "\n"))
    return main(["user", "add", name, "--role", role, "--config", str(config)])


@pytest.fixture
def desk(
    tmp_path: Path,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Desk]:
    root = tmp_path / "office"
    assert main(["init", str(root)]) == 0
    config = root / "vanthu.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('url = "sqlite:///var/vanthu.db"', f'url = "{db_url}"'), encoding="utf-8"
    )
    for name, role in (("van.thu", "clerk"), ("lanh.dao", "leader"), ("quan.tri", "admin")):
        assert add_user(config, name, role, monkeypatch) == 0
    files = [
        _note(tmp_path / "a.pdf", "Ghi chu noi bo: hop giao ban sang thu hai."),
        _note(tmp_path / "b.pdf", "Ghi chu: <script>alert(1)</script> kiem tra."),
    ]
    capsys.readouterr()
    assert main(["ingest", "--json", "--config", str(config), *map(str, files)]) == 0
    entries = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    settings = load(config)
    engine = make_engine(settings.database_url())
    app = build_app(settings, session_factory(engine))
    yield Desk(root, db_url, capsys, app, entries)
    app.state.desk.renderer.close()
    engine.dispose()


def test_user_commands_audit_who_acted(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    events = desk.events("user/van.thu")
    assert [e.event for e in events[:1]] == ["user_added"]
    assert events[0].actor.startswith("cli:") and events[0].data == {"role": "clerk"}
    config = str(desk.root / "vanthu.toml")
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["user", "add", "ngan", "--role", "clerk", "--config", config]) == 1
    assert "at least 10 characters" in desk.capsys.readouterr().err
    assert add_user(desk.root / "vanthu.toml", "van.thu", "clerk", monkeypatch) == 1
    assert "exists already" in desk.capsys.readouterr().err

    old_session = desk.login("van.thu")
    assert old_session.get("/review").status_code == 200
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-moi-hon\n"))
    assert main(["user", "passwd", "van.thu", "--by", "quan.tri", "--config", config]) == 0
    assert old_session.get("/review", follow_redirects=False).status_code == 303, (
        "a password change ends the sessions opened before it"
    )
    desk.login("van.thu", "mat-khau-moi-hon")
    assert main(["user", "disable", "van.thu", "--by", "quan.tri", "--config", config]) == 0
    assert _login(desk.client(), "van.thu", "mat-khau-moi-hon").status_code == 401
    kinds = [(e.event, e.actor) for e in desk.events("user/van.thu")]
    assert ("user_password_changed", "quan.tri") in kinds and ("user_disabled", "quan.tri") in kinds


def test_nothing_but_login_static_and_health_without_a_session(desk: Desk) -> None:
    client = desk.client()
    for path in ("/review", "/book/den", "/failures", "/deliveries", "/documents/1/original"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    assert client.post("/entry/den/2026/1/confirm", data={}).status_code == 401
    assert client.get("/login").status_code == 200
    assert client.get("/static/desk.css").status_code == 200
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["database"] == "ok"
    metrics = client.get("/metrics").text
    assert 'vanthu_documents{status="needs_review"} 2' in metrics
    assert "script" not in metrics


def test_session_cookie_is_httponly_and_samesite_strict(desk: Desk) -> None:
    client = desk.client()
    token = _csrf(client.get("/login").text)
    response = client.post(
        "/login",
        data={"name": "van.thu", "password": PASSWORDS["van.thu"], "csrf": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_a_form_without_its_csrf_token_is_refused(desk: Desk) -> None:
    client = desk.login("van.thu")
    entry = desk.entries[0]
    url = f"/entry/den/{entry['year']}/{entry['seq']}/correct"
    response = client.post(url, data={"subject": "giả mạo"}, follow_redirects=False)
    assert response.status_code == 403
    response = client.post(url, data={"subject": "giả mạo", "csrf": "x" * 43})
    assert response.status_code == 403
    assert not [
        e for e in desk.events(f"den/{entry['year']}/{entry['seq']}") if e.event == "corrected"
    ]


def test_a_clerk_corrects_and_confirms_from_the_review_page(desk: Desk) -> None:
    client = desk.login("van.thu")
    page = client.get("/review")
    assert page.status_code == 200 and "Cần xem lại" in page.text
    entry = desk.entries[0]
    label = f"den/{entry['year']}/{entry['seq']}"
    assert "/documents/" in page.text
    image = client.get(re.search(r'src="(/documents/\d+/page\.png)"', page.text).group(1))
    assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    response = client.post(
        f"/entry/{label.replace('den/', 'den/', 1)}/correct",
        data={
            "subject": "Về việc họp giao ban",
            "action": "confirm",
            "csrf": _csrf(page.text),
            "next": "/review",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/review"
    trail = [(e.event, e.actor) for e in desk.events(label)]
    assert ("corrected", "van.thu") in trail and ("confirmed", "van.thu") in trail
    book = client.get(f"/book/den?year={entry['year']}&status=registered")
    assert "Về việc họp giao ban" in book.text
    shown = client.get(f"/entry/{label}")
    assert "Về việc họp giao ban" in shown.text and "van.thu" in shown.text


def test_a_leader_reads_but_cannot_change(desk: Desk) -> None:
    client = desk.login("lanh.dao")
    entry = desk.entries[0]
    label = f"den/{entry['year']}/{entry['seq']}"
    page = client.get(f"/entry/{label}")
    assert page.status_code == 200 and "Lưu sửa" not in page.text
    token = _csrf(page.text)
    for action, data in (
        ("correct", {"subject": "x"}),
        ("confirm", {}),
        ("assign", {"unit": "VP"}),
    ):
        response = client.post(f"/entry/{label}/{action}", data={**data, "csrf": token})
        assert response.status_code == 403, action
    assert client.get("/users").status_code == 403
    assert not [e for e in desk.events(label) if e.actor == "lanh.dao"]


def test_a_hostile_subject_is_shown_as_text(desk: Desk) -> None:
    client = desk.login("van.thu")
    entry = desk.entries[1]
    label = f"den/{entry['year']}/{entry['seq']}"
    page = client.get(f"/entry/{label}")
    token = _csrf(page.text)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(f"/entry/{label}/correct", data={"subject": hostile, "csrf": token})
    for path in (f"/entry/{label}", "/review", f"/book/den?year={entry['year']}"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(" in html, path


def test_logins_are_rate_limited_per_account(desk: Desk) -> None:
    client = desk.client()
    for _ in range(5):
        assert _login(client, "lanh.dao", "wrong-password").status_code == 401
    response = _login(client, "lanh.dao", PASSWORDS["lanh.dao"])
    assert response.status_code == 401, "the right password waits out the window too"
    assert _login(client, "van.thu", PASSWORDS["van.thu"]).status_code == 303


def test_the_original_is_downloaded_by_id(desk: Desk) -> None:
    client = desk.login("lanh.dao")
    entry = desk.entries[0]
    page = client.get(f"/entry/den/{entry['year']}/{entry['seq']}").text
    link = re.search(r'href="(/documents/(\d+)/original)"', page)
    response = client.get(link.group(1))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "attachment" in response.headers["content-disposition"]
    assert client.get("/documents/99999/original").status_code == 404
    assert client.get("/documents/..%2F..%2Fetc%2Fpasswd/original").status_code == 404


def test_the_service_serves_the_desk_on_its_listen_address(tmp_path: Path) -> None:
    """`vanthu run` serves /healthz on [web] listen, and stops it cleanly on SIGTERM."""
    import signal
    import socket
    import time
    import urllib.request

    from tests.fixtures.install import Install

    install = Install.create(tmp_path / "office")
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    text = install.config.read_text(encoding="utf-8")
    install.config.write_text(
        text.replace('listen = "127.0.0.1:8040"', f'listen = "127.0.0.1:{port}"'),
        encoding="utf-8",
    )
    service = install.start()
    try:
        body = None
        for _ in range(600):  # until it answers (start-up loads the reading processes)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.2)
        assert body is not None and body["status"] == "ok", install.logs[-1].read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
            assert "Đăng nhập" in r.read().decode("utf-8")
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=60) == 0
    assert (install.root / "var" / "web-secret").stat().st_mode & 0o077 == 0
