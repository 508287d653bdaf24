"""`vanthu dispatch resolve`: the clerk settles an `uncertain` delivery (the connection dropped
after the message was handed over) after asking the recipient. A real delivery, made uncertain
by the SMTP test server, on SQLite and PostgreSQL; the real command line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.office import Office
from tests.fixtures.uncertain import send, sending_office

pytestmark = pytest.mark.slow


@pytest.fixture
def office(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str], smtp_server: Any, pki: Any
) -> Office:
    return sending_office(tmp_path / "office", db_url, capsys, smtp_server, pki)


def delivery(office: Office, delivery_id: int) -> dict[str, Any]:
    return dict(json.loads(office.ok("dispatch", "show", str(delivery_id), "--json")))


def test_an_uncertain_delivery_that_arrived_is_marked_sent_with_the_clerks_note(
    office: Office, smtp_server: Any, pki: Any
) -> None:
    uncertain = send(office, pki, 1, cut_off=True, smtp=smtp_server)
    assert uncertain["status"] == "uncertain"
    out = office.ok(
        "dispatch", "resolve", str(uncertain["id"]), "--arrived",
        "--note", "Chị Lan (văn thư xã) xác nhận đã nhận qua điện thoại", "--by", "van.thu",
        "--json",
    )  # fmt: skip
    assert json.loads(out)["status"] == "sent"
    after = delivery(office, uncertain["id"])
    assert after["status"] == "sent" and after["sent_at"] and not after["last_error"]
    [event] = office.events(f"delivery/{uncertain['id']}", "delivery_resolved")
    assert event.actor == "van.thu"
    assert event.data["arrived"] is True and event.data["to"] == "sent"
    assert event.data["note"] == "Chị Lan (văn thư xã) xác nhận đã nhận qua điện thoại"
    assert len(smtp_server.received) == 1, "nothing is sent again"


def test_an_uncertain_delivery_that_did_not_arrive_is_sent_again_with_its_message_id(
    office: Office, smtp_server: Any, pki: Any
) -> None:
    uncertain = send(office, pki, 1, cut_off=True, smtp=smtp_server)
    code, out, err = office.run(
        "dispatch", "resolve", str(uncertain["id"]), "--not-arrived", "--note", "xã chưa nhận"
    )
    assert code == 0, err
    assert "not arrived, queued again" in out
    assert delivery(office, uncertain["id"])["status"] == "queued"
    events = office.events(f"delivery/{uncertain['id']}", "delivery_resend", "delivery_resolved")
    assert [e.event for e in events] == ["delivery_resend", "delivery_resolved"]
    assert events[1].data["arrived"] is False and events[1].data["note"] == "xã chưa nhận"
    assert all(e.actor.startswith("cli:") for e in events)

    office.ok("run", "--once")  # the service sends it again
    assert delivery(office, uncertain["id"])["status"] == "sent"
    arrivals = Counter(m.message_id for m in smtp_server.received)
    assert arrivals[uncertain["message_id"]] == 2, "the resend carries the same Message-ID"


def test_only_an_uncertain_delivery_can_be_resolved(
    office: Office, smtp_server: Any, pki: Any
) -> None:
    sent = send(office, pki, 1, cut_off=False, smtp=smtp_server)
    assert sent["status"] == "sent"
    code, _out, err = office.run("dispatch", "resolve", str(sent["id"]), "--not-arrived")
    assert code == 1
    assert f"delivery {sent['id']} is sent: only an uncertain one can be resolved" in err
    code, _out, err = office.run("dispatch", "resolve", "999", "--arrived")
    assert (code, err.strip()) == (1, "vanthu: no delivery 999")
    assert office.events(f"delivery/{sent['id']}", "delivery_resolved") == []
    assert len(smtp_server.received) == 1


def test_resolve_needs_an_answer(office: Office) -> None:
    with pytest.raises(SystemExit) as usage:
        office.run("dispatch", "resolve", "1")
    assert usage.value.code == 2
    err = office.capsys.readouterr().err
    assert "one of the arguments --arrived --not-arrived is required" in err
