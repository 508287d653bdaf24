"""Outgoing documents end to end: the real `vanthu`, a real SMTP server on loopback (STARTTLS,
AUTH, throwaway certificates), the test PKI; the outbox in, the sổ đi and the mail out."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from daemon.signatures import check_signatures
from tests.fixtures.install import Install
from tests.fixtures.outgoing import (
    EMAILED,
    make_dsn,
    make_due,
    outgoing_pdf,
    signed_outgoing,
    write_directory,
    write_pkcs12,
)
from tests.fixtures.pki import Pki, flip_signed_byte, sign_pdf

pytestmark = pytest.mark.slow


@dataclass
class Office:
    install: Install
    smtp: Any  # tests.fixtures.smtp.SmtpServer
    pki: Pki

    def drop(self, name: str, data: bytes) -> None:
        (self.install.folder("outbox") / name).write_bytes(data)

    def run_once(self) -> None:
        self.install.vanthu("run", "--once")

    def book_di(self) -> list[dict[str, Any]]:
        return self.install.entries("--book", "di")

    def deliveries(self, *extra: str) -> list[dict[str, Any]]:
        out = self.install.vanthu("dispatch", "list", "--json", *extra).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def make_due(self) -> None:
        make_due(self.install.folder("var") / "vanthu.db")


@pytest.fixture
def office(install: Install, smtp_server: Any, pki: Pki) -> Office:
    pki.write_roots(install.folder("trust"))
    write_directory(install.folder("rules"))
    with open(install.config, "a", encoding="utf-8") as config:
        config.write("\n" + smtp_server.smtp_toml())
    return Office(install, smtp_server, pki)


def attached_pdf(received: Any) -> bytes:
    [part] = [p for p in received.parsed().iter_attachments()]
    assert part.get_content_type() == "application/pdf"
    return bytes(part.get_content())


def test_a_signed_document_is_registered_in_the_so_di_and_mailed_to_each_agency(
    office: Office,
) -> None:
    office.drop("cv01.pdf", signed_outgoing(office.pki, 1))
    office.run_once()
    received = office.smtp.wait_for(3)
    assert sorted(r for m in received for r in m.rcpt_tos) == sorted(EMAILED)

    [entry] = office.book_di()
    assert (entry["seq"], entry["number"], entry["status"]) == (1, "01/UBND-TCKH", "registered")
    matched = {m["recipient"]: m["status"] for m in entry["recipients_matched"]}
    assert matched["Ủy ban MTTQ Việt Nam huyện Khánh Sơn"] == "eoffice"
    assert sorted(s for s in matched.values()) == ["eoffice", "sent", "sent", "sent"]
    assert entry["copies"] == 5  # four agencies and the office's own file copy

    rows = {d["email"]: d for d in office.deliveries() if d["email"]}
    for message in received:
        row = rows[message.rcpt_tos[0]]
        assert message.message_id == row["message_id"] and row["reply"].startswith("250")
        assert row["attempts"] == 1 and row["status"] == "sent"
        subject = message.parsed()["subject"]
        assert subject == "[01/UBND-TCKH] V/v báo cáo tình hình thực hiện dự toán ngân sách đợt 1"
        verdicts = check_signatures(attached_pdf(message), office.pki.roots)
        assert [v.verdict for v in verdicts] == ["valid"]
    assert {
        "id",
        "number",
        "recipient",
        "email",
        "status",
        "attempts",
        "message_id",
        "reply",
        "next_attempt_at",
    } <= set(next(iter(rows.values())))
    assert not list(office.install.folder("outbox").iterdir())
    assert list(office.install.folder("sent").rglob("cv01.pdf"))
    assert "intact" in office.install.vanthu("verify").stdout


def test_the_agency_signature_keeps_the_leaders_signature_valid(office: Office) -> None:
    p12, secret = write_pkcs12(office.pki, office.install.folder("secrets"))
    with open(office.install.config, "a", encoding="utf-8") as config:
        config.write(f'\n[signing]\npkcs12_file = "{p12}"\npassphrase_file = "{secret}"\n')
    office.drop("cv01.pdf", signed_outgoing(office.pki, 1))
    office.run_once()
    for message in office.smtp.wait_for(3):
        verdicts = check_signatures(attached_pdf(message), office.pki.roots)
        assert [v.verdict for v in verdicts] == ["valid", "valid"]
        assert verdicts[0].signer_name == "Nguyễn Văn An"
        assert verdicts[1].coverage == "ENTIRE_FILE"
    [entry] = office.book_di()
    assert entry["provenance"]["agency_signed"] is True


def test_unsigned_tampered_and_untrusted_documents_are_refused_and_nothing_is_sent(
    office: Office,
) -> None:
    office.drop("unsigned.pdf", outgoing_pdf(31))
    office.drop("tampered.pdf", flip_signed_byte(signed_outgoing(office.pki, 32, seed=2)))
    office.drop("foreign.pdf", sign_pdf(outgoing_pdf(33, seed=3), office.pki.foreign, "Ky"))
    office.run_once()
    failed = office.install.folder("failed")
    reasons = {
        name: (failed / f"{name}.error.txt").read_text(encoding="utf-8")
        for name in ("unsigned.pdf", "tampered.pdf", "foreign.pdf")
    }
    assert "unsigned" in reasons["unsigned.pdf"]
    assert "invalid" in reasons["tampered.pdf"] or "modified" in reasons["tampered.pdf"]
    assert "no trusted signature" in reasons["foreign.pdf"]
    assert office.smtp.received == [] and office.book_di() == [] and office.deliveries() == []


def test_a_secret_outgoing_document_is_never_sent_and_ends_in_quarantine(office: Office) -> None:
    office.drop("mat.pdf", signed_outgoing(office.pki, 34, secrecy="Mật"))
    office.run_once()
    assert (office.install.folder("quarantine") / "mat.pdf").exists()
    assert office.smtp.received == [] and office.book_di() == [] and office.deliveries() == []
    assert not list(office.install.folder("failed").iterdir())


def test_a_number_issued_twice_is_refused_and_a_gap_is_flagged(office: Office) -> None:
    office.drop("a.pdf", signed_outgoing(office.pki, 1))
    office.run_once()
    office.drop("again.pdf", signed_outgoing(office.pki, 1, seed=5))  # other bytes, same số
    office.drop("skip.pdf", signed_outgoing(office.pki, 3, seed=6))
    office.run_once()
    reason = (office.install.folder("failed") / "again.pdf.error.txt").read_text("utf-8")
    assert "duplicate issue" in reason and "01/UBND-TCKH" in reason
    rows = {r["seq"]: r for r in office.book_di()}
    assert sorted(rows) == [1, 3]
    assert rows[1]["status"] == "registered"
    assert rows[3]["status"] == "needs_review" and "số 2 missing" in rows[3]["note"]
    sent = [d for d in office.deliveries() if d["number"] == "03/UBND-TCKH" and d["email"]]
    assert {d["status"] for d in sent} == {"sent"}, "a gap is flagged, the sending goes on"
    listed = office.install.vanthu("register", "list", "--book", "di").stdout
    assert "03/UBND-TCKH" in listed and "cần xem lại" in listed


def test_a_line_nobody_knows_holds_the_dispatch_until_the_clerk_releases_it(
    office: Office,
) -> None:
    lines = ("Như trên", "Ban Quản lý dự án Sông Cầu", "Lưu: VT")
    office.drop("cv01.pdf", signed_outgoing(office.pki, 1, recipients=lines))
    office.run_once()
    [entry] = office.book_di()
    assert entry["status"] == "needs_review" and "Ban Quản lý dự án Sông Cầu" in entry["note"]
    rows = office.deliveries()
    assert {d["status"] for d in rows} == {"held"} and office.smtp.received == []
    for row in rows:
        office.install.vanthu("dispatch", "retry", str(row["id"]))
    office.run_once()
    assert len(office.smtp.wait_for(2)) == 2


def test_each_delivery_ends_as_the_server_answers_and_none_arrives_twice(
    office: Office,
) -> None:
    """451 then accepted; 550 refused for good; a connection cut after DATA: uncertain, and
    only the clerk's resend sends it again, with the same Message-ID."""
    smtp = office.smtp
    smtp.reply_at("MAIL", 451, times=1)
    smtp.reply_at("RCPT", 550, times=1)
    smtp.close_at("END", times=1)
    office.drop("cv01.pdf", signed_outgoing(office.pki, 1))
    office.run_once()
    states = Counter(d["status"] for d in office.deliveries() if d["email"])
    assert states == Counter({"deferred": 1, "failed": 1, "uncertain": 1})
    deferred = [d for d in office.deliveries() if d["status"] == "deferred"]
    assert deferred[0]["next_attempt_at"] and deferred[0]["reply"].startswith("451")

    office.make_due()
    office.run_once()
    uncertain = [d for d in office.deliveries() if d["status"] == "uncertain"]
    office.install.vanthu("dispatch", "retry", str(uncertain[0]["id"]))
    office.run_once()
    final = {d["id"]: d for d in office.deliveries() if d["email"]}
    assert Counter(d["status"] for d in final.values()) == Counter({"sent": 2, "failed": 1})
    arrivals = Counter(m.message_id for m in smtp.received)
    resent = uncertain[0]["message_id"]
    assert arrivals[resent] == 2, "the resend carries the same Message-ID"
    assert all(n == 1 for mid, n in arrivals.items() if mid != resent)
    failed = [d for d in final.values() if d["status"] == "failed"][0]
    assert failed["message_id"] not in arrivals or arrivals[failed["message_id"]] == 1


def test_a_bounce_in_the_official_mailbox_marks_its_delivery_and_is_not_registered(
    office: Office, dovecot: Any
) -> None:
    with open(office.install.config, "a", encoding="utf-8") as config:
        config.write("\n" + dovecot.mailbox_toml())
    office.drop("cv01.pdf", signed_outgoing(office.pki, 1))
    office.run_once()
    sent = [d for d in office.deliveries() if d["status"] == "sent"]
    target = sent[0]
    dovecot.append(make_dsn(target["message_id"], target["email"]))
    office.run_once()
    after = {d["id"]: d for d in office.deliveries()}
    assert after[target["id"]]["status"] == "bounced"
    assert "5.1.1" in after[target["id"]]["reply"]
    assert sum(d["status"] == "sent" for d in after.values()) == len(sent) - 1
    assert office.install.entries() == [], "a bounce is never an incoming document"
    assert "intact" in office.install.vanthu("verify").stdout


def test_the_agency_signature_from_a_pkcs11_token_keeps_the_first_valid(
    office: Office, softhsm_token: Any
) -> None:
    token = softhsm_token
    with open(office.install.config, "a", encoding="utf-8") as config:
        config.write(
            "\n[signing]\n"
            f'pkcs11_library = "{token.library}"\n'
            f'pkcs11_token_label = "{token.label}"\n'
            f'pkcs11_key_id = "{token.key_id}"\n'
            f'pkcs11_cert_file = "{token.cert_file}"\n'
            f'pin_file = "{token.pin_file}"\n'
        )
    doctor = office.install.vanthu("doctor", check=False).stdout
    assert any(line.startswith("ok") and "signing" in line for line in doctor.splitlines())
    assert any(line.startswith("ok") and "logged in" in line for line in doctor.splitlines())
    office.drop("cv01.pdf", signed_outgoing(office.pki, 1))
    office.run_once()
    for message in office.smtp.wait_for(3):
        verdicts = check_signatures(attached_pdf(message), office.pki.roots)
        assert [v.verdict for v in verdicts] == ["valid", "valid"]
        assert verdicts[1].coverage == "ENTIRE_FILE"


def test_send_issues_now_to_the_agencies_named_on_the_command_line(office: Office) -> None:
    path = office.install.root / "cv01.pdf"
    path.write_bytes(signed_outgoing(office.pki, 1))
    done = office.install.vanthu(
        "send", str(path), "--to", "UBND xã Sơn Hiệp", "--only", "--urgent", "--json"
    )
    [row] = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert (row["state"], row["seq"]) == ("registered", 1)
    assert [(m["recipient"], m["status"]) for m in row["recipients_matched"]] == [
        ("UBND xã Sơn Hiệp", "sent")
    ]
    [message] = office.smtp.wait_for(1)
    assert message.rcpt_tos == ("sonhiep@khanhson.example.gov.vn",)


def test_urgent_documents_are_sent_before_the_ones_waiting(office: Office) -> None:
    office.smtp.reply_at("MAIL", 451)  # nothing goes out while both are planned
    office.drop("thuong.pdf", signed_outgoing(office.pki, 1))
    office.drop("khan.pdf", signed_outgoing(office.pki, 2, seed=7, urgency="Khẩn"))
    office.run_once()
    office.smtp.clear_faults()
    office.make_due()
    office.install.set("reading", "workers", "1")  # one at a time: the order shows
    office.run_once()
    order = [m.parsed()["subject"] for m in office.smtp.wait_for(6)]
    assert all("[02/" in s for s in order[:3]) and all("[01/" in s for s in order[3:])


def test_a_delivery_deferred_past_the_retry_period_is_failed(office: Office) -> None:
    office.smtp.reply_at("MAIL", 451)  # the recipient's server never takes it
    office.drop("cv01.pdf", signed_outgoing(office.pki, 1))
    office.run_once()
    assert {d["status"] for d in office.deliveries() if d["email"]} == {"deferred"}
    database = office.install.folder("var") / "vanthu.db"
    with sqlite3.connect(database) as db:  # five days and a little have passed
        db.execute("UPDATE deliveries SET created_at = datetime(created_at, '-121 hours')")
    db.close()
    office.make_due()
    office.run_once()
    rows = [d for d in office.deliveries() if d["email"]]
    assert {d["status"] for d in rows} == {"failed"}
    assert all("still deferred after 5 days" in d["last_error"] for d in rows)
    assert office.smtp.received == []
