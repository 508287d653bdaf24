"""Deadlines, assigning and closing through the real command line, on SQLite and PostgreSQL.

Documents are registered with `vanthu ingest` (text-layer PDFs from the generator); each gets
its hạn giải quyết and where it came from. The clerk then gives one to a unit, passes it on,
closes it, and cannot close it twice; every step is in the audit trail with the old and new
values and who acted, and `vanthu verify` still passes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from daemon.rules import load_rules
from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.docgen.scan import save_as, scan
from tests.docgen.spec import BodyPara
from tests.fixtures.office import Office

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FOLLOW_UP = ("assigned", "closed")  # the audit events of assigning and closing


@pytest.fixture
def office(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[Office]:
    office = Office.init(tmp_path / "office", db_url, capsys)
    root = office.root
    # Routing: a Quyết định goes to the Văn phòng at once.
    with (root / "rules" / "routing.toml").open("a", encoding="utf-8") as routing:
        routing.write('\n[[route]]\ndoc_type = "Quyết định"\nunit = "Văn phòng"\n')
    yield office


def _ingest(office: Office, tmp_path: Path, specs: list[Any]) -> list[dict[str, Any]]:
    files = []
    for i, spec in enumerate(specs):
        files.append(tmp_path / f"vb{i}.pdf")
        files[-1].write_bytes(render_pdf(spec))
    out = office.ok("ingest", "--json", *map(str, files))
    done = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert [d["state"] for d in done] == ["registered"] * len(specs), done
    return [office.show(d["seq"], d["year"]) for d in done]


def _received_day(row: dict[str, Any]) -> dt.date:
    return dt.datetime.fromisoformat(row["received_at"]).astimezone(HCM).date()


def test_every_entry_gets_a_due_date_and_its_basis(office: Office, tmp_path: Path) -> None:
    letter, decision, urgent = make_specs(3, seed=31)
    assert (letter.doc_type, decision.doc_type) == ("Công văn", "Quyết định")
    soon = dt.datetime.now(HCM).date() + dt.timedelta(days=12)
    asked = BodyPara(
        f"Đề nghị các đơn vị báo cáo về Sở Nội vụ trước ngày {soon:%d/%m/%Y} để tổng hợp."
    )
    letter = dataclasses.replace(letter, body=(*letter.body, asked))
    urgent = dataclasses.replace(urgent, urgency="Khẩn")
    written, plain, hurried = _ingest(office, tmp_path, [letter, decision, urgent])
    calendar = load_rules(office.root / "rules").calendar

    assert (written["due_date"], written["due_basis"]) == (soon.isoformat(), "document")
    assert written["recipient_unit"] is None and written["transferred_at"] is None

    five = calendar.add_working_days(_received_day(plain), 5)
    assert (plain["due_date"], plain["due_basis"]) == (five.isoformat(), "rule")
    assert plain["recipient_unit"] == "Văn phòng", "the routing rule assigns it"
    assert plain["transferred_at"] is not None

    assert hurried["urgency"] == "Khẩn"
    three = calendar.add_working_days(_received_day(hurried), 3)
    assert (hurried["due_date"], hurried["due_basis"]) == (three.isoformat(), "urgency")
    assert hurried["due_at"] is None

    shown = office.ok("register", "show", str(written["seq"]), "--year", str(written["year"]))
    assert f"{soon.isoformat()} (written in the document)" in shown
    routed = office.events(f"den/{plain['year']}/{plain['seq']}", *FOLLOW_UP)
    assert [e.event for e in routed] == ["assigned"]
    assert routed[0].data["new"]["recipient_unit"] == "Văn phòng"


def test_hoa_toc_in_office_hours_holds_the_moment(office: Office, tmp_path: Path) -> None:
    routing = office.root / "rules" / "routing.toml"
    text = routing.read_text(encoding="utf-8")
    assert '"Hỏa tốc" = "4h"' in text, "the shipped rule counts office hours"
    [spec] = make_specs(1, seed=33)
    [row] = _ingest(office, tmp_path, [dataclasses.replace(spec, urgency="Hỏa tốc")])
    assert row["urgency"] == "Hỏa tốc" and row["due_basis"] == "urgency"
    received = dt.datetime.fromisoformat(row["received_at"])
    calendar = load_rules(office.root / "rules").calendar
    expected = calendar.add_working_hours(received, 4)
    assert dt.datetime.fromisoformat(row["due_at"]) == expected
    assert row["due_date"] == expected.date().isoformat()


def test_assign_reassign_close_and_the_audit_trail(office: Office, tmp_path: Path) -> None:
    [row] = _ingest(office, tmp_path, make_specs(1, seed=31))
    seq, year = str(row["seq"]), str(row["year"])
    label = f"den/{year}/{seq}"

    out = office.ok(
        "register", "assign", seq, "--year", year, "--unit", "Phòng Nội vụ", "--person",
        "Nguyễn Văn An", "--by", "Chị Hoà",
    )  # fmt: skip
    assert out.startswith(f"{label}: assigned to Phòng Nội vụ (Nguyễn Văn An), ngày chuyển ")
    first = office.show(row["seq"], row["year"])
    assert (first["recipient_unit"], first["assignee"]) == ("Phòng Nội vụ", "Nguyễn Văn An")
    assert first["transferred_at"] is not None

    out = office.ok("register", "assign", seq, "--year", year, "--unit", "Văn phòng", "--json")
    passed_on = json.loads(out)
    assert (passed_on["recipient_unit"], passed_on["assignee"]) == ("Văn phòng", None)
    assert passed_on["actor"].startswith("cli:")

    note = "Đã trả lời bằng Công văn số 45/UBND-VP"
    out = office.ok("register", "close", seq, "--year", year, "--note", note, "--by", "Chị Hoà")
    assert out.strip().endswith(note)
    closed = office.show(row["seq"], row["year"])
    assert closed["closing_note"] == note and closed["closed_at"] is not None
    assert closed["recipient_unit"] == "Văn phòng"

    code, _out, err = office.run("register", "close", seq, "--year", year)
    assert code == 1 and f"{label} is already closed" in err and note in err
    code, _out, err = office.run("register", "assign", seq, "--year", year, "--unit", "Khác")
    assert code == 1 and "closed" in err
    assert office.show(row["seq"], row["year"])["closed_at"] == closed["closed_at"]

    events = office.events(label, *FOLLOW_UP)
    assert [(e.event, e.actor) for e in events] == [
        ("assigned", "Chị Hoà"),
        ("assigned", passed_on["actor"]),
        ("closed", "Chị Hoà"),
    ]
    assert events[0].data["old"] == {
        "recipient_unit": None,
        "assignee": None,
        "transferred_at": None,
    }
    assert events[1].data["old"]["recipient_unit"] == "Phòng Nội vụ"
    assert events[1].data["old"]["assignee"] == "Nguyễn Văn An"
    assert events[1].data["new"]["recipient_unit"] == "Văn phòng"
    assert events[1].data["new"]["assignee"] is None
    assert events[2].data == {
        "old": {"closed_at": None, "closing_note": None},
        "new": {"closed_at": events[2].data["new"]["closed_at"], "closing_note": note},
    }
    assert events[2].data["new"]["closed_at"] is not None

    assert "intact" in office.ok("verify")


def test_unknown_entries_and_empty_units_are_refused(office: Office, tmp_path: Path) -> None:
    [row] = _ingest(office, tmp_path, make_specs(1, seed=31))
    year = str(row["year"])
    code, _out, err = office.run("register", "assign", "99", "--year", year, "--unit", "VP")
    assert code == 1 and f"no entry 99/{year} in the sổ đến" in err
    code, _out, err = office.run("register", "close", "99", "--year", year)
    assert code == 1 and f"no entry 99/{year}" in err
    code, _out, err = office.run(
        "register", "assign", str(row["seq"]), "--year", year, "--unit", " "
    )
    assert code == 1 and "the unit must not be empty" in err
    assert office.events(f"den/{year}/{row['seq']}", *FOLLOW_UP) == []
    assert office.show(row["seq"], row["year"])["recipient_unit"] is None


def test_a_deadline_in_a_scans_body_comes_with_its_full_text(
    office: Office, tmp_path: Path
) -> None:
    """A scan is registered from its fields' regions; the deadline its body writes is read
    by the full-text pass, which then gives the entry that hạn giải quyết (audited)."""
    [spec] = make_specs(1, seed=35)
    soon = dt.datetime.now(HCM).date() + dt.timedelta(days=12)
    asked = BodyPara(f"Đề nghị các đơn vị báo cáo về Sở Nội vụ trước ngày {soon:%d/%m/%Y}.")
    middle = len(spec.body) // 2  # the end of the body is read with the closing block
    body = (*spec.body[:middle], asked, *spec.body[middle:])
    spec = dataclasses.replace(spec, urgency=None, body=body)
    page = save_as(scan(render_pdf(spec), dpi=300, seed=35), tmp_path / "scan.tiff", "tiff")
    out = office.ok("ingest", "--json", str(page))  # registers it, then reads the body
    [done] = [json.loads(line) for line in out.splitlines() if line.strip()]
    row = office.show(done["seq"], done["year"])
    assert (row["due_date"], row["due_basis"]) == (soon.isoformat(), "document")
    [moved] = office.events(f"den/{done['year']}/{done['seq']}", "due_from_document")
    assert moved.data["old"]["due_basis"] == "rule", "the fields' regions did not hold it"
    assert moved.data["new"]["due_date"] == soon.isoformat()
