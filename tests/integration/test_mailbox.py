"""The IMAP wrapper against a real Dovecot: TLS, login, folders, IDLE, moves, the check."""

from __future__ import annotations

import threading
import unicodedata

import pytest

from daemon.ingest.mailbox import (
    Mailbox,
    MailboxConnectionError,
    MailboxError,
    MailboxLoginError,
    check_connection,
)
from tests.fixtures.dovecot import make_mail

PROCESSED = "Đã xử lý"
pytestmark = pytest.mark.slow


def test_implicit_tls_verified_against_the_configured_ca(dovecot):
    with Mailbox.open(dovecot.settings()) as box:
        assert "IDLE" in box.capabilities()
    with pytest.raises(MailboxConnectionError) as caught:
        Mailbox.open(dovecot.settings(ca_file=None))  # self-signed: not trusted by the system
    assert caught.value.stage == "tls"


def test_starttls_and_explicit_plain(dovecot):
    with Mailbox.open(dovecot.settings(port=dovecot.imap_port, security="starttls")) as box:
        assert box._client._starttls_done
        assert box.select("INBOX").exists == 0
    with Mailbox.open(dovecot.settings(port=dovecot.imap_port, security="none")) as box:
        assert box.select("INBOX").exists == 0
    with pytest.raises(MailboxConnectionError):  # TLS spoken to the plain port
        Mailbox.open(dovecot.settings(port=dovecot.imap_port, connect_timeout=3, read_timeout=3))


def test_bad_credentials(dovecot, tmp_path):
    wrong = tmp_path / "pw"
    wrong.write_text("sai\n")
    with pytest.raises(MailboxLoginError):
        Mailbox.open(dovecot.settings(password_file=wrong))
    with pytest.raises(MailboxLoginError, match="cannot read"):
        Mailbox.open(dovecot.settings(password_file=tmp_path / "missing"))


def test_vietnamese_folder_names_use_modified_utf7(dovecot):
    with Mailbox.open(dovecot.settings()) as box:
        assert box.ensure_folder(unicodedata.normalize("NFD", PROCESSED)) is True
        assert box.ensure_folder(PROCESSED) is False  # the NFD name was stored as NFC
        assert PROCESSED in box.list_folders()
    on_disk = [p.name for p in dovecot.maildir.iterdir() if p.name.startswith(".")]
    assert on_disk == [".&ARAA4w- x&Hu0- l&AP0-"]  # RFC 3501 modified UTF-7


def test_search_filters_uid_star_and_skips_flagged(dovecot):
    for tag in ("a", "b", "c"):
        dovecot.append(make_mail(tag))
    with Mailbox.open(dovecot.settings()) as box:
        box.select("INBOX")
        assert box.search_new(0, skip_keyword="$VanthuFailed") == [1, 2, 3]
        assert box.search_new(3, skip_keyword="$VanthuFailed") == []  # 4:* would match 3
        box.add_keyword([2], "$VanthuFailed")
        assert box.search_new(0, skip_keyword="$VanthuFailed") == [1, 3]
        assert set(box.sizes([1, 3])) == {1, 3}
        bodies = box.fetch([1])
        assert bodies[1] == dovecot.folder()[1][1]
    assert all(b"\\Seen" not in flags for flags, _ in dovecot.folder().values())  # PEEK


def test_wait_wakes_on_new_mail_and_returns_when_stopped(dovecot):
    with Mailbox.open(dovecot.settings()) as box:
        box.select("INBOX")
        timer = threading.Timer(0.5, dovecot.append, [make_mail("idle")])
        timer.start()
        assert box.wait(300) is True  # woken by EXISTS, long before the re-issue
        timer.join()
        stop = threading.Event()
        stop.set()
        assert box.wait(300, stop) is False
        assert box.search_new(0, skip_keyword="$VanthuFailed") == [1]  # still usable


def test_wait_raises_when_the_server_goes_away(dovecot):
    with Mailbox.open(dovecot.settings()) as box:
        box.select("INBOX")
        threading.Timer(0.5, dovecot.stop).start()
        with pytest.raises(MailboxConnectionError):
            box.wait(300)
        with pytest.raises(MailboxConnectionError):  # a dropped connection is never reused
            box.noop()


@pytest.mark.parametrize("capabilities", ["IMAP4rev1 IDLE UIDPLUS", "IMAP4rev1 IDLE"])
def test_move_without_the_move_extension(dovecot, capabilities):
    dovecot.restrict_capabilities(capabilities)
    for tag in ("a", "b"):
        dovecot.append(make_mail(tag))
    with Mailbox.open(dovecot.settings()) as box:
        assert "MOVE" not in box.capabilities()
        box.ensure_folder(PROCESSED)
        box.select("INBOX")
        box.move([1], PROCESSED)
    inbox = dovecot.folder()
    assert len(dovecot.folder(PROCESSED)) == 1
    if "UIDPLUS" in capabilities:
        assert list(inbox) == [2]
    else:  # no UID EXPUNGE: the copy stays, flagged \Deleted, never expunged wholesale
        assert b"\\Deleted" in inbox[1][0] and b"\\Deleted" not in inbox[2][0]


def test_check_reports_capabilities_folders_and_problems(dovecot, tmp_path):
    good = check_connection(dovecot.settings())
    assert good.problems == [] and good.summary.startswith("ok")
    text = good.text()
    assert "IDLE" in text and "INBOX" in text and "will be created" in text
    missing = check_connection(dovecot.settings(folder="Hộp thư khác"))
    assert any("does not exist" in p for p in missing.problems)
    wrong = tmp_path / "pw"
    wrong.write_text("sai")
    refused = check_connection(dovecot.settings(password_file=wrong))
    assert refused.summary.startswith("cannot login") and "password" in refused.problems[0]
    dovecot.stop()
    down = check_connection(dovecot.settings())
    assert down.summary.startswith("cannot connect")


def test_errors_are_mailbox_errors(dovecot):
    with Mailbox.open(dovecot.settings()) as box, pytest.raises(MailboxError) as caught:
        box.select("Không có")
    assert caught.value.stage == "select" and not isinstance(caught.value, ConnectionError)
