"""Correcting, confirming and dealing with failed files through the real command line, on SQLite
and PostgreSQL: every change is in the audit trail with who did it and the old and new values,
the số đến never moves, and `vanthu verify` still passes."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
from tests.fixtures.office import Office


@pytest.fixture
def office(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[Office]:
    yield Office.init(tmp_path / "office", db_url, capsys)


def _unsure_note(path: Path) -> Path:
    """A note with none of the ND30 header: no number, no date, no subject -> needs_review."""
    out = io.BytesIO()
    note = canvas.Canvas(out, pagesize=A4)
    note.setFont("Helvetica", 12)
    note.drawString(72, 760, "Ghi chu noi bo: hop giao ban sang thu hai, phong hop tang 2.")
    note.save()
    path.write_bytes(out.getvalue())
    return path


def _ingest(office: Office, *files: Path) -> list[dict[str, Any]]:
    out = office.ok("ingest", "--json", *map(str, files))
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_correct_and_confirm_an_unsure_entry(office: Office, tmp_path: Path) -> None:
    good = tmp_path / "qd.pdf"
    good.write_bytes(render_pdf(make_specs(1, seed=61)[0]))
    first, unsure = _ingest(office, good, _unsure_note(tmp_path / "ghi-chu.pdf"))
    seq, year = unsure["seq"], unsure["year"]
    before = office.show(seq, year)
    assert before["status"] == "needs_review" and before["subject"] is None

    subject = "Về việc tổ chức họp giao ban tháng 12"
    out = office.ok(
        "register", "correct", str(seq), "--year", str(year), "--by", "chi.lan",
        "--subject", subject, "--number", "45/TB-VP", "--date", "02/12/2026",
        "--recipient", "Như trên", "--recipient", "Lưu: VT",
    )  # fmt: skip
    assert "subject" in out and "45/TB-VP" in out
    after = office.show(seq, year)
    assert (after["seq"], after["year"]) == (seq, year), "a corrected number keeps its số đến"
    assert after["subject"] == subject and after["number"] == "45/TB-VP"
    assert after["date"] == "2026-12-02"
    assert after["recipients"] == ["Như trên", "Lưu: VT"]
    assert after["confidence"]["subject"] == 1.0, "the clerk's reading is sure"
    assert after["status"] == "needs_review", "correcting is not confirming"

    label = f"den/{year}/{seq}"
    corrected = [e for e in office.events(label) if e.event == "corrected"]
    assert {e.data["field"] for e in corrected} == {"subject", "number", "date", "recipients"}
    assert all(e.actor == "chi.lan" for e in corrected)
    by_field = {e.data["field"]: e.data for e in corrected}
    assert (by_field["subject"]["old"], by_field["subject"]["new"]) == (None, subject)
    assert by_field["date"]["new"] == "2026-12-02"

    # The same value again changes nothing and is not audited.
    office.ok("register", "correct", str(seq), "--year", str(year), "--subject", subject)
    assert len([e for e in office.events(label) if e.event == "corrected"]) == 4

    doubt = before["note"]
    assert doubt.startswith("chưa chắc: ") and "Trích yếu nội dung" in doubt
    office.ok("register", "confirm", str(seq), "--year", str(year), "--by", "chi.lan")
    confirmed_entry = office.show(seq, year)
    assert confirmed_entry["status"] == "registered"
    assert confirmed_entry["note"] is None, "the printed sổ no longer calls a field unsure"
    confirmed = [e for e in office.events(label) if e.event == "confirmed"]
    assert len(confirmed) == 1 and confirmed[0].actor == "chi.lan"
    assert confirmed[0].data == {
        "old": "needs_review",
        "new": "registered",
        "note_old": doubt,
        "note_new": None,
    }

    code, _out, err = office.run("register", "confirm", str(seq), "--year", str(year))
    assert code == 1 and "not waiting for review" in err
    # The other entry kept its number too.
    assert office.show(first["seq"], first["year"])["seq"] == first["seq"]
    office.ok("verify")


def test_bad_corrections_are_refused_with_the_reason(office: Office, tmp_path: Path) -> None:
    (entry,) = _ingest(office, _unsure_note(tmp_path / "n.pdf"))
    seq, year = str(entry["seq"]), str(entry["year"])
    code, _out, err = office.run("register", "correct", seq, "--year", year, "--date", "hôm qua")
    assert code == 1 and "Ngày tháng văn bản" in err and "not a date" in err
    code, _out, err = office.run("register", "correct", "999", "--year", year, "--subject", "x")
    assert code == 1 and "no entry 999" in err
    code, _out, err = office.run("register", "correct", seq, "--year", year)
    assert code == 2 and "nothing to correct" in err
    code, _out, err = office.run("register", "correct", seq, "--year", year, "--number", "x" * 101)
    assert code == 1 and "longer than 100" in err
    assert office.show(entry["seq"], entry["year"])["number"] is None


def test_a_failed_file_is_marked_handled_or_requeued(office: Office, tmp_path: Path) -> None:
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not a PDF at all\n")
    other = tmp_path / "hong-2.pdf"
    other.write_bytes(b"%PDF-1.4\nneither is this\n")
    office.run("ingest", str(broken), str(other))
    out = office.ok("register", "failures", "--json")
    failed = {f["name"]: f["job_id"] for f in map(json.loads, out.splitlines())}
    assert set(failed) == {"hong.pdf", "hong-2.pdf"}
    assert (office.root / "failed" / "hong.pdf").exists()

    office.ok("register", "handled", str(failed["hong.pdf"]), "--note", "đã vào sổ bằng tay")
    (event,) = [
        e for e in office.events(f"job/{failed['hong.pdf']}") if e.event.startswith("failure")
    ]
    assert event.event == "failure_handled" and event.data["note"] == "đã vào sổ bằng tay"
    assert event.actor.startswith("cli:")
    code, _out, err = office.run("register", "handled", str(failed["hong.pdf"]))
    assert code == 1 and "already dealt with" in err
    assert (office.root / "failed" / "hong.pdf").exists(), "handled leaves the file where it is"

    # Fixed: the clerk replaces the broken file's cause (here: nothing) and re-queues it.
    out = office.ok("register", "requeue", str(failed["hong-2.pdf"]), "--json", "--by", "an")
    new_job = json.loads(out)["new_job"]
    assert isinstance(new_job, int) and new_job > failed["hong-2.pdf"]
    assert not (office.root / "failed" / "hong-2.pdf").exists()
    assert not (office.root / "failed" / "hong-2.pdf.error.txt").exists()
    requeued = [
        e for e in office.events(f"job/{failed['hong-2.pdf']}") if e.event == "failure_requeued"
    ]
    assert requeued[0].actor == "an" and requeued[0].data["new_job"] == new_job
    assert [e.event for e in office.events(f"job/{new_job}")] == ["staged"]
    code, _out, err = office.run("register", "requeue", str(failed["hong.pdf"]))
    assert code == 1 and "already dealt with" in err
    office.ok("verify")
