"""The mailer against a real SMTP server (aiosmtpd, tests/fixtures/smtp.py) that can misbehave.

Each outcome is provoked at the server: a 2xx after DATA is SENT, a 4xx or a dropped connection
before the message could have gone out is DEFERRED, a 5xx is FAILED, and a connection dropped
or stalled after the final "." is UNCERTAIN, with the message on the server.
"""

from __future__ import annotations

import datetime as dt
import random
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest

from daemon.dispatch.mailer import Mailer, MailerError, MailerLoginError, SendState, queue_id
from daemon.dispatch.message import Letter, build_message, new_message_id, subject_line
from tests.fixtures.smtp import USER, SmtpServer, Stage, smtp_server_running, write_unrelated_ca

pytestmark = pytest.mark.slow

RECIPIENT = "vanthu@stc.khanhhoa.test"
LETTER = Letter(
    number="27/UBND-VP",
    date=dt.date(2021, 3, 15),
    doc_type="Công văn",
    subject="V/v đăng ký nhu cầu mua sắm tài sản năm 2021 của các cơ quan, đơn vị thuộc "
    "Ủy ban nhân dân huyện Khánh Sơn",
    sender_office="Ủy ban nhân dân huyện Khánh Sơn",
    recipient="Sở Tài chính tỉnh Khánh Hòa",
)


def signed_pdf(size: int = 300_000) -> bytes:
    """PDF-looking bytes, large enough to go out in several chunks."""
    noise = random.Random(size).randbytes(size)
    return b"%PDF-1.7\n%vanthu test\n" + noise + b"\n%%EOF\n"


def letter_mail(pdf: bytes | None = None) -> EmailMessage:
    return build_message(
        LETTER,
        pdf if pdf is not None else signed_pdf(),
        from_address="vanthu@khanhson.test",
        from_name="Văn thư UBND huyện Khánh Sơn",
        to_address=RECIPIENT,
        to_name="Văn thư Sở Tài chính",
        message_id=new_message_id("khanhson.test"),
        when=dt.datetime(2021, 3, 15, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    )


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- sent -----------------------------------------------------------------------------------------


def test_a_sent_message_arrives_once_with_its_id_subject_and_attachment(
    smtp_server: SmtpServer,
) -> None:
    pdf = signed_pdf()
    message = letter_mail(pdf)

    result = Mailer(smtp_server.settings()).send_blocking(message, RECIPIENT)

    (received,) = smtp_server.wait_for(1)
    assert result.state is SendState.SENT
    assert result.code == 250
    assert result.reply == f"250 2.0.0 Ok: queued as {received.queue_id}"
    assert result.queue_id == received.queue_id
    assert received.message_id == message["Message-ID"]
    assert (received.mail_from, received.rcpt_tos) == ("vanthu@khanhson.test", (RECIPIENT,))
    assert received.tls and received.user == USER
    parsed = received.parsed()
    assert parsed["Subject"] == subject_line(LETTER)
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_content() == pdf
    assert len(smtp_server.received) == 1


def test_lines_starting_with_a_dot_arrive_unchanged(smtp_server: SmtpServer) -> None:
    message = EmailMessage()
    message["From"] = "vanthu@khanhson.test"
    message["To"] = RECIPIENT
    message["Subject"] = "dots"
    message["Message-ID"] = new_message_id("khanhson.test")
    message.set_content(".\n..\n.leading dot\nend\n", cte="7bit")

    result = Mailer(smtp_server.settings()).send_blocking(message, RECIPIENT)

    assert result.state is SendState.SENT
    body = smtp_server.wait_for(1)[0].raw.split(b"\r\n\r\n", 1)[1]
    assert body == b".\r\n..\r\n.leading dot\r\nend\r\n"


def test_implicit_tls_sends_too(smtp_server_tls: SmtpServer) -> None:
    result = Mailer(smtp_server_tls.settings()).send_blocking(letter_mail(), RECIPIENT)

    assert result.state is SendState.SENT
    (received,) = smtp_server_tls.wait_for(1)
    assert received.tls and received.user == USER


def test_plain_smtp_is_used_only_when_security_is_none(tmp_path: Path) -> None:
    with smtp_server_running(tmp_path, starttls=False) as plain:
        refused = Mailer(plain.settings(security="starttls")).send_blocking(
            letter_mail(), RECIPIENT
        )
        sent = Mailer(plain.settings(security="none")).send_blocking(letter_mail(), RECIPIENT)

        assert refused.state is SendState.DEFERRED
        assert "does not offer STARTTLS" in refused.reply
        assert sent.state is SendState.SENT
        (received,) = plain.wait_for(1)
        assert not received.tls


# -- refused: deferred or failed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "code"), [("MAIL", 421), ("RCPT", 451), ("DATA", 451), ("END", 451)]
)
def test_a_4xx_reply_defers_the_message(smtp_server: SmtpServer, stage: Stage, code: int) -> None:
    smtp_server.reply_at(stage, code, "4.3.0 Hệ thống bận, thử lại sau", times=1)

    result = Mailer(smtp_server.settings()).send_blocking(letter_mail(), RECIPIENT)

    assert result.state is SendState.DEFERRED
    assert result.code == code
    assert result.reply == f"{code} 4.3.0 Hệ thống bận, thử lại sau"
    assert smtp_server.received == []


@pytest.mark.parametrize("stage", ["MAIL", "RCPT", "END"])
def test_a_5xx_reply_fails_the_message(smtp_server: SmtpServer, stage: Stage) -> None:
    smtp_server.reply_at(stage, 550, "5.1.1 Mailbox unavailable", times=1)

    result = Mailer(smtp_server.settings()).send_blocking(letter_mail(), RECIPIENT)

    assert result.state is SendState.FAILED
    assert (result.code, result.reply) == (550, "550 5.1.1 Mailbox unavailable")
    assert smtp_server.received == []


def test_an_address_that_cannot_go_on_the_command_line_fails_without_connecting(
    smtp_server: SmtpServer,
) -> None:
    result = Mailer(smtp_server.settings()).send_blocking(letter_mail(), "a b@x.test")

    assert result.state is SendState.FAILED
    assert "invalid recipient address" in result.reply


# -- dropped connections --------------------------------------------------------------------------


def test_a_connection_closed_before_data_defers_and_nothing_arrives(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.close_at("DATA", times=1)

    result = Mailer(smtp_server.settings()).send_blocking(letter_mail(), RECIPIENT)

    assert result.state is SendState.DEFERRED
    assert result.code is None and result.reply
    assert smtp_server.received == []


def test_a_connection_closed_after_the_data_is_uncertain_and_the_server_has_it(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.close_at("END", times=1)
    message = letter_mail()

    result = Mailer(smtp_server.settings()).send_blocking(message, RECIPIENT)

    assert result.state is SendState.UNCERTAIN
    assert "no reply after the whole message was sent" in result.reply
    (received,) = smtp_server.wait_for(1)
    assert received.message_id == message["Message-ID"]


def test_a_server_stalling_after_the_data_is_uncertain(smtp_server: SmtpServer) -> None:
    smtp_server.stall_at("END", seconds=600, times=1)  # cancelled when the server stops
    settings = smtp_server.settings(timeout=5.0)

    result = Mailer(settings).send_blocking(letter_mail(), RECIPIENT)

    assert result.state is SendState.UNCERTAIN
    assert "Timed out" in result.reply
    assert len(smtp_server.wait_for(1)) == 1


def test_a_refused_connection_defers(smtp_server: SmtpServer) -> None:
    mailer = Mailer(smtp_server.settings(port=free_port()))

    result = mailer.send_blocking(letter_mail(), RECIPIENT)

    assert result.state is SendState.DEFERRED
    assert result.reply.startswith("smtp connect:")
    with pytest.raises(MailerError) as error:
        mailer.check()
    assert error.value.stage == "connect" and error.value.transient


@pytest.mark.parametrize("server_name", ["smtp_server", "smtp_server_tls"])
def test_a_certificate_from_an_unknown_ca_defers_with_a_tls_reason(
    request: pytest.FixtureRequest, tmp_path: Path, server_name: str
) -> None:
    server: SmtpServer = request.getfixturevalue(server_name)
    mailer = Mailer(server.settings(ca_file=write_unrelated_ca(tmp_path)))

    result = mailer.send_blocking(letter_mail(), RECIPIENT)

    assert result.state is SendState.DEFERRED
    assert result.reply.startswith("smtp tls:")
    assert "certificate verify failed" in result.reply.lower()
    assert server.received == []


# -- the account check ----------------------------------------------------------------------------


@pytest.mark.parametrize("server_name", ["smtp_server", "smtp_server_tls"])
def test_check_logs_in_and_sends_nothing(request: pytest.FixtureRequest, server_name: str) -> None:
    server: SmtpServer = request.getfixturevalue(server_name)

    line = Mailer(server.settings()).check()

    assert line.startswith(f"{server.host}:{server.port}: {server.security} (TLS")
    assert f"logged in as {USER}" in line
    assert server.received == []


def test_a_wrong_password_is_a_permanent_login_error(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    wrong = smtp_server.write_password_file(tmp_path / "password", "sai-mat-khau")
    mailer = Mailer(smtp_server.settings(password_file=wrong))

    with pytest.raises(MailerLoginError) as checked:
        mailer.check()
    with pytest.raises(MailerLoginError):
        mailer.send_blocking(letter_mail(), RECIPIENT)

    assert checked.value.stage == "login" and not checked.value.transient
    assert checked.value.code == 535
    assert smtp_server.received == []


def test_a_password_file_that_cannot_be_read_is_a_login_error(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    mailer = Mailer(smtp_server.settings(password_file=tmp_path / "missing"))

    with pytest.raises(MailerLoginError, match="cannot read secret file"):
        mailer.check()


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("2.0.0 Ok: queued as 4Xyz12", "4Xyz12"),
        ("OK id=1kXyZ9-000Abc-Q1", "1kXyZ9-000Abc-Q1"),
        ("2.6.0 <a@b> [InternalId=3418793, Hostname=EX01.khanhhoa.gov.vn] Queued mail", "3418793"),
        ("2.0.0 u2F1a2b3c012345 Message accepted for delivery", "u2F1a2b3c012345"),
        ("2.0.0 OK 1612345678 a1b2c3si123456qtb.12 - gsmtp", None),
    ],
)
def test_the_queue_id_is_read_from_common_server_replies(reply: str, expected: str | None) -> None:
    assert queue_id(reply) == expected
