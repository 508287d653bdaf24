"""The mailbox source against a real Dovecot: every attachment staged exactly once, every
message moved to the processed folder or flagged and left."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from daemon.ingest import mailledger
from daemon.ingest.mailparse import PDF, OutgoingFile, build_message
from tests.fixtures.dovecot import fake_pdf, make_mail

PROCESSED = "Đã xử lý"
FAILED_KEYWORD = b"$VanthuFailed"
pytestmark = pytest.mark.slow


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Wait for something the service does in the background (a deadline, not a benchmark)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


@contextmanager
def running(source) -> Iterator[threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=source.serve, args=(stop,), daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive(), "run() did not return after stop was set"


def shas(env) -> list[str]:
    return [job.sha256 for job in env.jobs()]


def assert_all_processed(dovecot, count: int) -> None:
    assert dovecot.folder() == {}
    moved = dovecot.folder(PROCESSED)
    assert len(moved) == count
    assert all(b"\\Seen" in flags for flags, _raw in moved.values())


def test_300_messages_waiting_at_start_up(dovecot, mail_env):
    dovecot.append_many([make_mail(f"n{i:03d}") for i in range(300)])
    result = mail_env.source(dovecot.settings()).run_once()
    assert (result.error, result.messages, result.staged, result.acknowledged) == (
        None,
        300,
        300,
        300,
    )
    assert len(set(shas(mail_env))) == len(shas(mail_env)) == 300
    assert_all_processed(dovecot, 300)
    assert {m.state for m in mail_env.messages()} == {mailledger.PROCESSED}
    assert mail_env.source(dovecot.settings()).run_once().messages == 0


def test_provenance_of_each_attachment(dovecot, mail_env):
    uid = dovecot.append(
        make_mail(
            "p1", files=[("Công văn 1.pdf", fake_pdf("p1a")), ("Phụ lục.pdf", fake_pdf("p1b"))]
        )
    )
    dovecot.append(make_mail("p2", sender=("Ai đó", "someone@gmail.com")))
    mail_env.source(dovecot.settings()).run_once()
    jobs = mail_env.jobs()
    assert [j.original_name for j in jobs] == ["Công văn 1.pdf", "Phụ lục.pdf", "Công văn p2.pdf"]
    first = jobs[0].payload["provenance"]
    assert jobs[0].source == "mail"
    assert first["uid"] == uid and first["folder"] == "INBOX"
    assert first["uidvalidity"] == dovecot.uidvalidity()
    assert first["message_id"] == "<p1@quangnam.gov.vn>"
    assert first["from"] == "Văn phòng UBND tỉnh <vanphong@quangnam.gov.vn>"
    assert first["subject"] == "Về việc triển khai kế hoạch p1"
    assert first["date"] and first["mailbox"].startswith("vanthu@127.0.0.1:")
    assert first["sender_allowed"] is True and first["attachment_name"] == "Công văn 1.pdf"
    assert jobs[2].payload["provenance"]["sender_allowed"] is False  # registered, for review


def test_the_same_message_appended_twice(dovecot, mail_env):
    raw = make_mail("twice")
    dovecot.append(raw)
    dovecot.append(raw)
    result = mail_env.source(dovecot.settings()).run_once()
    assert len(mail_env.jobs()) == 1 and result.duplicates == 1
    assert_all_processed(dovecot, 2)
    assert [m.state for m in mail_env.messages()] == [mailledger.PROCESSED, mailledger.DUPLICATE]


def test_the_same_document_in_two_different_mails(dovecot, mail_env):
    pdf = fake_pdf("shared")
    dovecot.append(make_mail("m1", files=[("a.pdf", pdf)]))
    dovecot.append(make_mail("m2", files=[("b.pdf", pdf)]))
    mail_env.source(dovecot.settings()).run_once()
    assert len(mail_env.jobs()) == 1  # the Stager's content hash
    rows = mail_env.messages()
    assert [r.state for r in rows] == [mailledger.PROCESSED, mailledger.PROCESSED]
    assert rows[1].attachments[0]["duplicate"] is True


def test_forwarded_message(dovecot, mail_env):
    inner = build_message(
        sender=("Sở Nội vụ", "snv@hanoi.gov.vn"),
        to=[("", "a@b.gov.vn")],
        subject="Quyết định số 5",
        body="x",
        attachments=[OutgoingFile("Quyết định 5.pdf", fake_pdf("fw"), PDF)],
    )
    outer = build_message(
        sender=("Văn phòng", "vp@quangnam.gov.vn"),
        to=[("", "vt@x.gov.vn")],
        subject="Fwd: Quyết định số 5",
        body="Chuyển tiếp",
    )
    outer.add_attachment(inner)
    dovecot.append(outer.as_bytes())
    mail_env.source(dovecot.settings()).run_once()
    (job,) = mail_env.jobs()
    assert job.original_name == "Quyết định 5.pdf"
    assert job.payload["provenance"]["subject"] == "Fwd: Quyết định số 5"
    assert_all_processed(dovecot, 1)


def test_malformed_mime_is_flagged_left_and_not_fetched_again(dovecot, mail_env):
    bad = (
        b"From: a@hanoi.gov.vn\r\nSubject: =?utf-8?q?H=E1=BB=8Fng?=\r\n"
        b"Message-ID: <bad@hanoi.gov.vn>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\nno parts at all\r\n'
    )
    bad_uid = dovecot.append(bad)
    dovecot.append(make_mail("good"))
    result = mail_env.source(dovecot.settings()).run_once()
    assert (result.failed, result.staged) == (1, 1)
    inbox = dovecot.folder()
    assert list(inbox) == [bad_uid]
    flags = inbox[bad_uid][0]
    assert FAILED_KEYWORD in flags and b"\\Seen" not in flags  # the clerk sees it unread
    failed = [m for m in mail_env.messages() if m.state == mailledger.FAILED]
    assert len(failed) == 1 and "malformed MIME" in failed[0].reason
    assert failed[0].subject == "Hỏng" and failed[0].message_id == "<bad@hanoi.gov.vn>"
    assert len(mail_env.events("mail_failed")) == 1
    assert mail_env.source(dovecot.settings()).run_once().messages == 0
    assert len(mail_env.events("mail_failed")) == 1


def test_hostile_file_name(dovecot, mail_env):
    dovecot.append(make_mail("evil", files=[("../../etc/passwd.pdf", fake_pdf("evil"))]))
    mail_env.source(dovecot.settings()).run_once()
    assert [j.original_name for j in mail_env.jobs()] == ["etc-passwd.pdf"]


def test_oversized_attachment_and_message(dovecot, mail_env):
    dovecot.append(
        make_mail(
            "big", files=[("lon.pdf", fake_pdf("big", 200_000)), ("nho.pdf", fake_pdf("small"))]
        )
    )
    huge_uid = dovecot.append(make_mail("huge", files=[("x.pdf", fake_pdf("huge", 900_000))]))
    settings = dovecot.settings(max_attachment_mb=0.1, max_message_mb=0.5)
    result = mail_env.source(settings).run_once()
    assert [j.original_name for j in mail_env.jobs()] == ["nho.pdf"]
    assert result.failed == 2
    assert all(FAILED_KEYWORD in flags for flags, _ in dovecot.folder().values())
    rows = {m.uid: m for m in mail_env.messages()}
    assert all(m.state == mailledger.FAILED for m in rows.values())
    assert "lon.pdf" in rows[1].reason and rows[1].attachments[0]["name"] == "nho.pdf"
    assert "over the limit" in rows[huge_uid].reason
    assert rows[huge_uid].subject == "Về việc triển khai kế hoạch huge"  # from the headers only


def test_message_without_attachment(dovecot, mail_env):
    dovecot.append(make_mail("empty", files=[]))
    result = mail_env.source(dovecot.settings()).run_once()
    assert result.no_documents == 1 and mail_env.jobs() == []
    assert [m.state for m in mail_env.messages()] == [mailledger.NO_DOCUMENTS]
    assert_all_processed(dovecot, 1)
    assert mail_env.source(dovecot.settings()).run_once().messages == 0


def test_uidvalidity_change_resyncs_without_restaging(dovecot, mail_env, monkeypatch):
    from daemon.ingest.mailbox import Mailbox, MailboxError

    for tag in ("u1", "u2"):
        dovecot.append(make_mail(tag))
    dovecot.append(b"From: a@b.gov.vn\r\nContent-Type: multipart/mixed\r\n\r\nbroken\r\n")

    def refuse(self, uids, folder):
        raise MailboxError("move", "refused by the test")

    with monkeypatch.context() as patch:  # staged and recorded, but never moved
        patch.setattr(Mailbox, "move", refuse)
        assert "refused" in mail_env.source(dovecot.settings()).run_once().error
    assert len(mail_env.jobs()) == 2 and len(dovecot.folder()) == 3
    new_validity = dovecot.reset_uidvalidity()
    dovecot.append(make_mail("u3"))
    result = mail_env.source(dovecot.settings()).run_once()
    assert result.uidvalidity_changed and result.staged == 1
    assert len(set(shas(mail_env))) == len(mail_env.jobs()) == 3
    inbox = dovecot.folder()
    assert len(inbox) == 1 and FAILED_KEYWORD in next(iter(inbox.values()))[0]
    assert len(dovecot.folder(PROCESSED)) == 3
    rows = mail_env.messages()
    assert len(rows) == 4 and all(r.uidvalidity == new_validity for r in rows)
    assert sorted(r.state for r in rows) == ["failed", "processed", "processed", "processed"]
    assert len(mail_env.events("mail_uidvalidity_changed")) == 1


def test_idle_wakes_the_source(dovecot, mail_env):
    source = mail_env.source(dovecot.settings(idle_seconds=600))
    with running(source):
        wait_for(lambda: len(mail_env.messages()) == 0 and _folder_known(mail_env), "first pass")
        dovecot.append(make_mail("idle"))
        # Without IDLE nothing would look again for 600 s.
        wait_for(lambda: len(dovecot.folder(PROCESSED)) == 1, "the mail to be processed")
    assert len(mail_env.jobs()) == 1


def test_poll_mode_when_the_server_has_no_idle(dovecot, mail_env):
    dovecot.restrict_capabilities("IMAP4rev1 UIDPLUS MOVE")
    source = mail_env.source(dovecot.settings(poll_seconds=0.5))
    with running(source):
        wait_for(lambda: _folder_known(mail_env), "first pass")
        dovecot.append(make_mail("poll"))
        wait_for(lambda: len(dovecot.folder(PROCESSED)) == 1, "the mail to be processed")
    assert len(mail_env.jobs()) == 1


def test_reconnects_after_the_server_restarts_mid_session(dovecot, mail_env):
    source = mail_env.source(dovecot.settings(idle_seconds=600))
    with running(source):
        dovecot.append(make_mail("before"))
        wait_for(lambda: len(dovecot.folder(PROCESSED)) == 1, "the first mail")
        dovecot.restart()
        dovecot.append(make_mail("after"))
        wait_for(lambda: len(dovecot.folder(PROCESSED)) == 2, "the mail after the restart")
    assert len(set(shas(mail_env))) == len(mail_env.jobs()) == 2


def test_keeps_retrying_while_the_server_is_down(dovecot, mail_env):
    dovecot.stop()
    source = mail_env.source(dovecot.settings())
    with running(source):
        time.sleep(1.5)  # a few failed attempts with backoff
        dovecot.start()
        dovecot.append(make_mail("late"))
        wait_for(lambda: len(dovecot.folder(PROCESSED)) == 1, "the mail once the server is up")


def _folder_known(env) -> bool:
    from sqlalchemy import select

    with env.sessions() as session:
        return session.scalar(select(mailledger.MailFolder.id)) is not None
