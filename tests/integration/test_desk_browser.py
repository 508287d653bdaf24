"""The desk in a real browser: Playwright for Python driving Debian's chromium (nothing is
downloaded) against `vanthu run` serving the page on loopback. A clerk logs in, opens the
review queue, sees the page image, corrects a subject, confirms, finds the entry in the book and
logs out; a leader cannot change anything; a hostile subject is shown as text. The review page
and the book are photographed into docs/ for the README."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.docgen import batch
from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.fixtures.install import Install

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parents[2] / "docs"  # VANTHU_DOCS_SCREENSHOTS=1 retakes them
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/install --test)"
)
playwright_api = pytest.importorskip("playwright.sync_api")


def _note(path: Path, line: str) -> Path:
    out = io.BytesIO()
    note = canvas.Canvas(out, pagesize=A4)
    note.setFont("Helvetica", 12)
    note.drawString(72, 760, line)
    note.save()
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Install]]:
    tmp = tmp_path_factory.mktemp("desk")
    install = Install.create(tmp / "office")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    text = install.config.read_text(encoding="utf-8")
    install.config.write_text(
        text.replace('listen = "127.0.0.1:8040"', f'listen = "127.0.0.1:{port}"'),
        encoding="utf-8",
    )
    for name, role in (("van.thu", "clerk"), ("lanh.dao", "leader")):
        subprocess.run(
            [*install_cmd(install), "user", "add", name, "--role", role],
            input=f"mat-khau-{name}\n",
            text=True,
            check=True,
            env=install.env(),
            capture_output=True,
        )
    # first in the queue: an old copier's stamped page, its trích yếu read but not sure
    (copied,) = (
        j
        for j in batch.plan(scans=0, digital=0, seed=71, profile="outside", copier=8)
        if j.name == "c0008.pdf"
    )
    batch.produce(copied, tmp)
    install.vanthu("ingest", str(tmp / copied.name))
    files = [tmp / f"vb{i}.pdf" for i in range(3)]
    for path, spec in zip(files, make_specs(3, seed=71), strict=True):
        path.write_bytes(render_pdf(spec))
    files.append(_note(tmp / "ghi-chu.pdf", "Ghi chu noi bo: hop giao ban sang thu hai."))
    files.append(_note(tmp / "hostile.pdf", "Thong bao <script>window.pwned=1</script>"))
    install.vanthu("ingest", *map(str, files))
    service = install.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as reply:
                json.loads(reply.read())
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield base, install
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=60)


def install_cmd(install: Install) -> list[str]:
    script = Path(sys.executable).parent / "vanthu"
    return [str(script)] if script.exists() else [sys.executable, "-m", "daemon.cli"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _login(browser: object, base: str, name: str) -> object:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(base + "/review")
    assert page.url.endswith("/login"), "no session: sent to the login page"
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", f"mat-khau-{name}")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/review")
    return page


def test_a_clerk_reviews_corrects_confirms_and_finds_the_entry(
    served: tuple[str, Install], browser: object
) -> None:
    base, _install = served
    page = _login(browser, base, "van.thu")
    assert page.locator("h1").first.inner_text().startswith("Cần xem lại")
    image = page.locator("#page-image")
    image.wait_for()
    page.wait_for_function("document.querySelector('#page-image').naturalWidth > 0")
    assert page.locator("label.unsure").count() > 0, "unsure fields are marked"
    if os.environ.get("VANTHU_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "desk-review.png"), full_page=False)
    heading = page.locator("h2 a").first.inner_text()  # "Số đến N/YYYY"
    seq, year = heading.split()[-1].split("/")
    page.fill("textarea[name=subject]", "Về việc tổ chức họp giao ban tháng 12")
    page.click("button[value=confirm]")
    page.wait_for_url(base + "/review")
    page.goto(f"{base}/book/den?year={year}")
    row = page.locator("tr", has_text="Về việc tổ chức họp giao ban tháng 12")
    assert row.count() == 1 and row.locator("td").nth(1).inner_text() == seq
    assert "cần xem lại" not in row.inner_text()
    if os.environ.get("VANTHU_DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(DOCS / "desk-book.png"), full_page=False)
    page.goto(f"{base}/entry/den/{year}/{seq}")
    assert "van.thu" in page.locator("table.trail").inner_text()
    page.click("nav button:has-text('Đăng xuất')")
    page.wait_for_url(base + "/login")
    page.goto(base + "/book/den")
    assert page.url.endswith("/login"), "after logging out the book is closed"
    page.close()


def test_a_hostile_subject_is_text_in_the_browser(
    served: tuple[str, Install], browser: object
) -> None:
    base, _install = served
    page = _login(browser, base, "van.thu")
    page.goto(base + "/review")
    link = page.locator("details li a", has_text="")  # the queue: find the hostile note
    labels = [link.nth(i).get_attribute("href") for i in range(link.count())]
    hostile = "<script>window.pwned=1</script><b>đậm</b>"
    for href in labels:
        page.goto(base + href)
        if "hostile.pdf" in page.content():
            page.fill("textarea[name=subject]", hostile)
            page.click("button[value=save]")
            break
    page.goto(base + "/book/den?q=")
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("td", has_text="<script>window.pwned=1</script>").count() >= 1
    assert page.locator("td b").count() == 0
    page.close()


def test_a_leader_reads_but_changes_nothing(served: tuple[str, Install], browser: object) -> None:
    base, _install = served
    page = _login(browser, base, "lanh.dao")
    assert page.locator("button:has-text('Lưu sửa')").count() == 0
    assert page.locator("textarea[name=subject]").first.is_disabled()
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    href = page.locator("h2 a").first.get_attribute("href")
    answer = page.request.post(base + href + "/confirm", form={"csrf": token or ""})
    assert answer.status == 403
    forged = page.request.post(base + href + "/confirm", form={})
    assert forged.status == 403, "a form without its CSRF token is refused"
    page.close()
    fresh = browser.new_context()  # type: ignore[attr-defined]
    anonymous = fresh.request.get(base + "/book/den", max_redirects=0)
    assert anonymous.status == 303
    fresh.close()
