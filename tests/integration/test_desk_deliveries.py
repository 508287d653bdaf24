"""The desk's "Gửi đi": a clerk sends a delivery again and resolves an uncertain one (on the
list and on the outgoing entry's page), a leader sees no button and is refused, a form without
its CSRF token is refused, and the audit trail names the user. Real deliveries made by the real
`vanthu send` against the SMTP test server, on SQLite and PostgreSQL, through TestClient."""

from __future__ import annotations

import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from daemon.config import load
from daemon.dispatch.deliveries import RESENDABLE
from daemon.register.db import make_engine, session_factory
from daemon.register.models import DeliveryStatus
from daemon.web.app import build_app, templates
from tests.fixtures.office import Office
from tests.fixtures.uncertain import send, sending_office

pytestmark = pytest.mark.slow

PASSWORDS = {"van.thu": "mat-khau-van-thu", "lanh.dao": "mat-khau-lanh-dao"}


@dataclass
class Desk:
    office: Office
    app: Any
    smtp: Any
    uncertain: dict[str, Any]  # a delivery the server took without answering
    failed: dict[str, Any]  # a delivery the server refused (550)

    def login(self, name: str) -> TestClient:
        client = TestClient(self.app, base_url="http://testserver")
        token = csrf(client.get("/login").text)
        form = {"name": name, "password": PASSWORDS[name], "csrf": token}
        response = client.post("/login", data=form, follow_redirects=False)
        assert response.status_code == 303, response.text
        return client

    def status(self, delivery_id: int) -> str:
        out = self.office.ok("dispatch", "show", str(delivery_id), "--json")
        return str(re.search(r'"status": "(\w+)"', out).group(1))  # type: ignore[union-attr]


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "every form carries a CSRF token"
    return found.group(1)


@pytest.fixture
def desk(
    tmp_path: Path,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    smtp_server: Any,
    pki: Any,
) -> Iterator[Desk]:
    office = sending_office(tmp_path / "office", db_url, capsys, smtp_server, pki)
    for name, role in (("van.thu", "clerk"), ("lanh.dao", "leader")):
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORDS[name] + "\n"))
        office.ok("user", "add", name, "--role", role)
    uncertain = send(office, pki, 1, cut_off=True, smtp=smtp_server)
    smtp_server.reply_at("RCPT", 550, times=1)
    failed = send(office, pki, 2, cut_off=False, smtp=smtp_server)
    assert (uncertain["status"], failed["status"]) == ("uncertain", "failed")
    engine = make_engine(load(office.config).database_url())
    app = build_app(load(office.config), session_factory(engine))
    yield Desk(office, app, smtp_server, uncertain, failed)
    app.state.desk.renderer.close()
    engine.dispose()


def test_a_clerk_sees_retry_and_resolve_buttons_and_a_leader_sees_none(desk: Desk) -> None:
    page = desk.login("van.thu").get("/deliveries").text
    u, f = desk.uncertain["id"], desk.failed["id"]
    assert f'action="/deliveries/{u}/resolve"' in page and "Đã nhận" in page and "Chưa nhận" in page
    assert f'action="/deliveries/{u}/retry"' in page and f'action="/deliveries/{f}/retry"' in page
    assert f'action="/deliveries/{f}/resolve"' not in page, "only an uncertain one is resolved"
    leader = desk.login("lanh.dao").get("/deliveries").text
    assert "chưa rõ đã đến chưa" in leader and "không gửi được" in leader
    assert "/retry" not in leader and "/resolve" not in leader and "Gửi lại" not in leader


def test_a_clerk_resolves_an_uncertain_delivery_that_arrived_and_the_audit_names_them(
    desk: Desk,
) -> None:
    clerk = desk.login("van.thu")
    token = csrf(clerk.get("/deliveries").text)
    u = desk.uncertain["id"]
    form = {"csrf": token, "arrived": "1", "note": "Xã đã nhận (gọi lúc 9 giờ)", "next": "/x"}
    response = clerk.post(f"/deliveries/{u}/resolve", data=form, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/x")
    assert desk.status(u) == "sent"
    [event] = desk.office.events(f"delivery/{u}", "delivery_resolved")
    assert event.actor == "van.thu"
    assert (event.data["arrived"], event.data["note"]) == (True, "Xã đã nhận (gọi lúc 9 giờ)")
    again = clerk.post(f"/deliveries/{u}/resolve", data=form, follow_redirects=False)
    assert again.status_code == 409
    assert "only an uncertain one can be resolved" in again.text
    assert len(desk.smtp.received) == 1, "nothing was sent again"


def test_a_clerk_resolves_one_that_did_not_arrive_and_it_goes_out_again_with_its_message_id(
    desk: Desk,
) -> None:
    clerk = desk.login("van.thu")
    token = csrf(clerk.get("/deliveries?status=uncertain").text)
    u = desk.uncertain["id"]
    form = {"csrf": token, "arrived": "0", "next": "/deliveries?status=uncertain"}
    response = clerk.post(f"/deliveries/{u}/resolve", data=form, follow_redirects=False)
    assert response.headers["location"] == "/deliveries?status=uncertain"
    assert desk.status(u) == "queued"
    events = desk.office.events(f"delivery/{u}", "delivery_resend", "delivery_resolved")
    assert [(e.event, e.actor) for e in events] == [
        ("delivery_resend", "van.thu"),
        ("delivery_resolved", "van.thu"),
    ]
    desk.office.ok("run", "--once")
    assert desk.status(u) == "sent"
    arrivals = Counter(m.message_id for m in desk.smtp.received)
    assert arrivals[desk.uncertain["message_id"]] == 2


def test_a_clerk_sends_a_failed_delivery_again_from_its_entry_page(desk: Desk) -> None:
    clerk = desk.login("van.thu")
    listed = desk.office.ok("register", "list", "--book", "di", "--json").splitlines()
    [entry] = [e for e in map(json.loads, listed) if e["number"] == desk.failed["number"]]
    url = f"/entry/di/{entry['year']}/{entry['seq']}"
    page = clerk.get(url).text
    f = desk.failed["id"]
    assert f'action="/deliveries/{f}/retry"' in page and "không gửi được" in page
    form = {"csrf": csrf(page), "next": url}
    response = clerk.post(f"/deliveries/{f}/retry", data=form, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, url)
    assert desk.status(f) == "queued"
    [event] = desk.office.events(f"delivery/{f}", "delivery_resend")
    assert (event.actor, event.data["from"]) == ("van.thu", "failed")
    desk.office.ok("run", "--once")
    assert desk.status(f) == "sent"


def test_a_leader_is_refused_and_nothing_changes(desk: Desk) -> None:
    leader = desk.login("lanh.dao")
    token = csrf(leader.get("/deliveries").text)
    u, f = desk.uncertain["id"], desk.failed["id"]
    refused = [
        leader.post(f"/deliveries/{u}/resolve", data={"csrf": token, "arrived": "1"}),
        leader.post(f"/deliveries/{u}/retry", data={"csrf": token}),
        leader.post(f"/deliveries/{f}/retry", data={"csrf": token}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    listed = desk.office.ok("register", "list", "--book", "di", "--json").splitlines()
    for entry in map(json.loads, listed):
        page = leader.get(f"/entry/di/{entry['year']}/{entry['seq']}").text
        assert desk.failed["recipient"] in page or desk.uncertain["recipient"] in page
        assert "/retry" not in page and "/resolve" not in page
    assert (desk.status(u), desk.status(f)) == ("uncertain", "failed")
    assert desk.office.events(f"delivery/{u}", "delivery_resolved", "delivery_resend") == []


def test_a_form_without_its_csrf_token_is_refused(desk: Desk) -> None:
    clerk = desk.login("van.thu")
    u = desk.uncertain["id"]
    missing = clerk.post(f"/deliveries/{u}/resolve", data={"arrived": "1"})
    forged = clerk.post(f"/deliveries/{u}/retry", data={"csrf": "not-the-token"})
    assert (missing.status_code, forged.status_code) == (403, 403)
    assert desk.status(u) == "uncertain"
    no_answer = clerk.post(
        f"/deliveries/{u}/resolve", data={"csrf": csrf(clerk.get("/deliveries").text)}
    )
    assert no_answer.status_code == 400 and desk.status(u) == "uncertain"
    unknown = clerk.post("/deliveries/999/retry", data={"csrf": csrf(no_answer.text)})
    assert unknown.status_code == 404


def test_the_list_filters_by_state(desk: Desk) -> None:
    clerk = desk.login("van.thu")
    page = clerk.get("/deliveries?status=failed").text
    assert '<option value="failed" selected>' in page
    assert desk.failed["recipient"] in page
    assert f'action="/deliveries/{desk.uncertain["id"]}/' not in page
    assert "Gửi đi <small>(1)</small>" in page
    empty = clerk.get("/deliveries?status=bounced").text
    assert "Không có văn bản gửi đi ở trạng thái này." in empty


def test_the_desk_offers_a_resend_for_exactly_the_states_dispatch_resends() -> None:
    """The template's list against the outgoing wing's (queued is already on its way)."""
    module: Any = templates().get_template("_delivery.html").module
    assert set(module.resendable) == {s.value for s in RESENDABLE} - {DeliveryStatus.QUEUED}
    assert set(module.state_names) == {s.value for s in DeliveryStatus}


def test_the_answer_about_an_uncertain_delivery_shows_where_the_clerk_looks(desk: Desk) -> None:
    """The note, who gave it and when, on the Gửi đi row and on the entry's delivery list (to
    a leader too), as text; before, it was only in the delivery's audit trail."""
    clerk = desk.login("van.thu")
    u, f = desk.uncertain["id"], desk.failed["id"]
    note = "Chị Lan <b>văn thư xã</b> đã nhận lúc 9 giờ"
    form = {"csrf": csrf(clerk.get("/deliveries").text), "arrived": "1", "note": note}
    assert clerk.post(f"/deliveries/{u}/resolve", data=form).status_code == 200
    [event] = desk.office.events(f"delivery/{u}", "delivery_resolved")
    listed = desk.office.ok("register", "list", "--book", "di", "--json").splitlines()
    [entry] = [e for e in map(json.loads, listed) if e["number"] == desk.uncertain["number"]]
    leader = desk.login("lanh.dao")
    pages = {
        "list": leader.get("/deliveries").text,
        "entry": leader.get(f"/entry/di/{entry['year']}/{entry['seq']}").text,
    }
    when = desk.app.state.desk.local(event.at)
    for where, page in pages.items():
        rows = {int(m[1]): m[2] for m in re.finditer(r"<tr><td>(\d+)</td>(.*?)</tr>", page, re.S)}
        assert "Nơi nhận báo đã nhận · van.thu · " + when in rows[u], where
        assert "Chị Lan &lt;b&gt;văn thư xã&lt;/b&gt; đã nhận lúc 9 giờ" in rows[u], where
        assert "<b>" not in page and "resolution" not in rows.get(f, ""), where


def test_an_answer_that_it_did_not_arrive_shows_too(desk: Desk) -> None:
    clerk = desk.login("van.thu")
    u = desk.uncertain["id"]
    form = {"csrf": csrf(clerk.get("/deliveries").text), "arrived": "0"}
    page = clerk.post(f"/deliveries/{u}/resolve", data=form).text  # back on the list
    assert "Nơi nhận báo chưa nhận, gửi lại · van.thu · " in page
    assert "<q>" not in page, "no note given, none shown"
