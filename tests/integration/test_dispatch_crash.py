"""Kill -9 while 50 deliveries are in flight: at the end every recipient has the document, and
each Message-ID arrived once, or again only after it was `uncertain` and the clerk resent it;
no recipient ever gets two different Message-IDs."""

from __future__ import annotations

import json
import random
import signal
import time
from collections import defaultdict
from typing import Any

import pytest

from tests.fixtures.install import Install, stop
from tests.fixtures.outgoing import signed_outgoing, write_directory
from tests.fixtures.pki import Pki

pytestmark = pytest.mark.slow

AGENCIES = 50
GROUP = "Các cơ quan thử nghiệm trên địa bàn"
WAIT = 300.0  # a deadline for background work, not a performance threshold


def _deliveries(install: Install) -> list[dict[str, Any]]:
    out = install.vanthu("dispatch", "list", "--json").stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _settle(install: Install, proc: Any) -> list[dict[str, Any]]:
    """The deliveries once none waits or is being sent any more."""
    deadline = time.monotonic() + WAIT
    while True:
        rows = _deliveries(install)
        if rows and not any(r["status"] in ("queued", "deferred", "sending") for r in rows):
            return rows
        assert proc.poll() is None, install.log_text()[-3000:]
        assert time.monotonic() < deadline, f"still waiting: {[r['status'] for r in rows]}"
        time.sleep(0.5)


def test_sigkill_while_delivering_never_sends_a_document_twice_under_two_ids(
    install: Install, smtp_server: Any, pki: Pki
) -> None:
    names = [
        (f"Cơ quan thử nghiệm số {i}", f"cq{i:02}@khanhhoa.example.gov.vn") for i in range(AGENCIES)
    ]
    pki.write_roots(install.folder("trust"))
    write_directory(install.folder("rules"), extra=names, groups={GROUP: [n for n, _ in names]})
    with open(install.config, "a", encoding="utf-8") as config:
        config.write("\n" + smtp_server.smtp_toml())
    install.set("scanner", "settle_seconds", "0.5")
    install.set("service", "job_lease_seconds", "5.0")
    smtp_server.stall_at("END", 0.2)  # each delivery takes a moment: kills land mid-send
    pdf = signed_outgoing(pki, 1, recipients=(GROUP, "Lưu: VT"), kinh_gui=())
    (install.folder("outbox") / "cv01.pdf").write_bytes(pdf)

    rng = random.Random(11)
    for _ in range(5):
        proc = install.start()
        time.sleep(rng.uniform(1.0, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    resent: set[str] = set()
    proc = install.start()
    try:
        for _ in range(10):  # the clerk resends what is uncertain until nothing is
            rows = _settle(install, proc)
            uncertain = [r for r in rows if r["status"] == "uncertain"]
            if not uncertain:
                break
            for row in uncertain:
                resent.add(row["message_id"])
                install.vanthu("dispatch", "retry", str(row["id"]))
    finally:
        assert stop(proc) == 0

    rows = _deliveries(install)
    assert len(rows) == AGENCIES and {r["status"] for r in rows} == {"sent"}
    by_recipient: dict[str, set[str]] = defaultdict(set)
    arrivals: dict[str, int] = defaultdict(int)
    for message in smtp_server.received:
        arrivals[message.message_id] += 1
        for rcpt in message.rcpt_tos:
            by_recipient[rcpt].add(message.message_id)
    assert set(by_recipient) == {email for _, email in names}, "every recipient has it"
    assert all(len(ids) == 1 for ids in by_recipient.values()), "never two different IDs"
    twice = {mid for mid, n in arrivals.items() if n > 1}
    assert twice <= resent, "a Message-ID arrives again only after the clerk resent it"
    assert "intact" in install.vanthu("verify").stdout
