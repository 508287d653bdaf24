"""The desk's Gửi đi in a real browser: Playwright for Python driving Debian's chromium (nothing
is downloaded) against `vanthu run` serving the desk on loopback. The deliveries are made by the
real `vanthu send` against the SMTP test server (one the server took without answering:
`uncertain`; one it refused: `failed`), and the running service sends again what the clerk
queues. A clerk resolves an uncertain delivery (arrived, with a note; or not arrived, and it
goes out again) and sends a failed one again; the note shows on the row and on the entry's
page, as text; a leader sees no button and a post from a leader's session is refused; a post
without the CSRF token is refused."""

from __future__ import annotations

import io
import json
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.install import Install, stop
from tests.fixtures.office import Office
from tests.fixtures.uncertain import send, sending_office

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/install --test)"
    ),
]
playwright_api = pytest.importorskip("playwright.sync_api")

PASSWORDS = {"van.thu": "mat-khau-van-thu", "lanh.dao": "mat-khau-lanh-dao"}
NOTE = "Chị Lan (văn thư xã) đã nhận <script>window.pwned=1</script>"


@dataclass
class Served:
    base: str
    office: Office
    smtp: Any
    uncertain: dict[str, Any]  # the server took it without answering: to be found arrived
    lost: dict[str, Any]  # the same, to be found not arrived (and sent again)
    failed: dict[str, Any]  # the server refused it (550): to be sent again

    def status(self, delivery: dict[str, Any]) -> str:
        """As `vanthu dispatch show` says (in a subprocess: Playwright's loop runs here)."""
        out = Install(self.office.root).vanthu("dispatch", "show", str(delivery["id"]), "--json")
        return str(json.loads(out.stdout)["status"])


@pytest.fixture  # SQLite only: the desk on PostgreSQL is test_desk_deliveries.py's
def served(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    smtp_server: Any,
    pki: Any,
) -> Iterator[Served]:
    office = sending_office(
        tmp_path / "office", f"sqlite:///{tmp_path / 'register.db'}", capsys, smtp_server, pki
    )
    for name, role in (("van.thu", "clerk"), ("lanh.dao", "leader")):
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORDS[name] + "\n"))
        office.ok("user", "add", name, "--role", role)
    uncertain = send(office, pki, 1, cut_off=True, smtp=smtp_server)
    lost = send(office, pki, 2, cut_off=True, smtp=smtp_server)
    smtp_server.reply_at("RCPT", 550, times=1)
    failed = send(office, pki, 3, cut_off=False, smtp=smtp_server)
    assert [d["status"] for d in (uncertain, lost, failed)] == ["uncertain", "uncertain", "failed"]
    service = Install(office.root)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service.set("web", "enabled", "true")
    service.set("web", "listen", f'"127.0.0.1:{port}"')
    service.set("schedule", "enabled", "false")
    base = f"http://127.0.0.1:{port}"
    proc = service.start()
    try:
        for _ in range(600):
            assert proc.poll() is None, service.log_text()[-3000:]
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield Served(base, office, smtp_server, uncertain, lost, failed)
    finally:
        stop(proc)


@pytest.fixture
def browser(served: Served) -> Iterator[Any]:
    """Started after the deliveries were made: `vanthu send` runs an event loop of its own,
    which cannot start while Playwright's runs in this thread."""
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _login(browser: Any, base: str, name: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base + "/deliveries")
    assert page.url.endswith("/login"), "no session: sent to the login page"
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url(base + "/review")
    page.goto(base + "/deliveries")
    return page


def _row(page: Any, delivery: dict[str, Any]) -> Any:
    """The delivery's row: the one whose first cell is its number."""
    return page.locator(f"tr:has(td:first-child:text-is('{delivery['id']}'))")


def _until(page: Any, delivery: dict[str, Any], state: str, timeout: float = 90) -> None:
    """Reload the list until the delivery's row says `state` (the service sends it)."""
    deadline = time.monotonic() + timeout
    while state not in _row(page, delivery).inner_text():
        assert time.monotonic() < deadline, _row(page, delivery).inner_text()
        time.sleep(0.5)
        page.reload()


def test_a_clerk_resolves_uncertain_deliveries_and_sends_a_failed_one_again(
    served: Served, browser: Any
) -> None:
    page = _login(browser, served.base, "van.thu")
    row = _row(page, served.uncertain)
    assert "chưa rõ đã đến chưa" in row.inner_text()
    row.locator("input[name=note]").fill(NOTE)
    row.locator("input[name=note]").press("Enter")  # Enter answers nothing: no button is default
    page.wait_for_load_state()
    assert served.status(served.uncertain) == "uncertain"
    row.locator("button[name=arrived][value='1']").click()
    page.wait_for_url(served.base + "/deliveries")
    row = _row(page, served.uncertain)
    text = row.inner_text()
    assert "đã gửi" in text and "Nơi nhận báo đã nhận · van.thu · " in text
    assert NOTE in text, "the note is shown, as text"
    assert page.evaluate("window.pwned === undefined")
    assert row.locator("button").count() == 0, "nothing left to do about it"

    _row(page, served.lost).locator("button[name=arrived][value='0']").click()
    page.wait_for_url(served.base + "/deliveries")
    assert "Nơi nhận báo chưa nhận, gửi lại · van.thu" in _row(page, served.lost).inner_text()

    _row(page, served.failed).locator("button:has-text('Gửi lại')").click()
    page.wait_for_url(served.base + "/deliveries")
    _until(page, served.failed, "đã gửi")  # the running service sent them again
    _until(page, served.lost, "đã gửi")
    assert served.status(served.failed) == served.status(served.lost) == "sent"
    resent = {m.message_id for m in served.smtp.received[-2:]}
    assert resent == {served.failed["message_id"], served.lost["message_id"]}

    # the entry's page lists its delivery with the answer too
    page.goto(served.base + "/book/di")
    page.locator("a", has_text=served.uncertain["number"]).click()
    deliveries = page.locator("h2:text-is('Gửi đi') + table")
    assert "Nơi nhận báo đã nhận · van.thu" in deliveries.inner_text()
    assert NOTE in deliveries.inner_text()
    assert page.evaluate("window.pwned === undefined")
    page.close()


def test_a_leader_sees_no_button_and_forms_without_their_rights_or_token_are_refused(
    served: Served, browser: Any
) -> None:
    leader = _login(browser, served.base, "lanh.dao")
    text = leader.locator("table").inner_text()
    assert "chưa rõ đã đến chưa" in text and "không gửi được" in text
    assert leader.locator("table button").count() == 0
    assert leader.locator("table input[name=note]").count() == 0
    token = leader.locator("input[name=csrf]").first.get_attribute("value")
    u, f = served.uncertain["id"], served.failed["id"]
    as_leader = [
        leader.request.post(
            f"{served.base}/deliveries/{u}/resolve", form={"csrf": token, "arrived": "1"}
        ),
        leader.request.post(f"{served.base}/deliveries/{f}/retry", form={"csrf": token}),
    ]
    assert [r.status for r in as_leader] == [403, 403]
    leader.close()

    clerk = _login(browser, served.base, "van.thu")
    assert _row(clerk, served.failed).locator("button:has-text('Gửi lại')").count() == 1
    untokened = [
        clerk.request.post(f"{served.base}/deliveries/{u}/resolve", form={"arrived": "1"}),
        clerk.request.post(f"{served.base}/deliveries/{f}/retry", form={"csrf": "forged"}),
    ]
    assert [r.status for r in untokened] == [403, 403]
    clerk.close()
    assert (served.status(served.uncertain), served.status(served.failed)) == (
        "uncertain",
        "failed",
    )
    assert len(served.smtp.received) == 2, "nothing was sent again (the 550 took nothing)"
