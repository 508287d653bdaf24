"""The one wrapper of the outgoing mail server (aiosmtplib): send one message, check the account.

A delivery is one message to one recipient on one connection. Its outcome is one of four
states, the ones the register must tell apart (DeliveryStatus has the same values):

- SENT: a 2xx after DATA. The server took responsibility; that is not delivery (a bounce may
  come back later as a delivery status notification). Its reply and queue id are kept.
- DEFERRED: it may pass later: any 4xx, a refused, reset or timed-out connection, a TLS
  failure, or a disconnect before the final "." of the message could have gone out.
- FAILED: a 5xx to MAIL, RCPT or DATA: the server refused this message for good.
- UNCERTAIN: the connection dropped or timed out after the whole message, final "." included,
  was handed to the connection and before the server answered. The server may have accepted
  it, so it is not simply sent again; the fixed Message-ID lets a resend be recognised.

aiosmtplib's `data()` cannot say which side of the final "." a failure fell on, so `_data`
drives that step itself with the protocol's `write` and `read_response`, writing the message in
chunks and waiting for each to drain: the timeout then measures a stalled upload rather than a
long one (a large file on a slow line), and only the last chunk, which carries the ".", marks
the message as possibly delivered.

Security: "starttls" always upgrades and refuses a server that does not offer STARTTLS
(aiosmtplib's default would go on in plain text, NOTES.md); "tls" is implicit TLS (port 465);
"none" is plain, which config.py allows only to a loopback host. Certificates and host names
are verified against the system CAs plus `[smtp] ca_file`. A server refusing the credentials
raises `MailerLoginError`: that is the office's configuration, not the message's fate.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import re
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum

from aiosmtplib import (
    SMTP,
    SMTPAuthenticationError,
    SMTPException,
    SMTPResponseException,
    SMTPServerDisconnected,
    SMTPTimeoutError,
)
from aiosmtplib.email import parse_address
from aiosmtplib.protocol import SMTPProtocol

from daemon.config import ConfigError, SmtpSettings, read_secret
from daemon.errors import TransientError
from daemon.logs import event

log = logging.getLogger("vanthu.mailer")

_CHUNK = 64 * 1024  # bytes written before waiting for the connection to take them
_QUIT_TIMEOUT = 5.0  # a polite goodbye; the outcome is already known
_QUEUE_ID = (
    re.compile(r"\bInternalId=(\d+)"),  # Exchange: "[InternalId=1234, Hostname=...]"
    re.compile(r"\bqueued as\s+([A-Za-z0-9][\w.-]*)", re.IGNORECASE),  # Postfix and others
    re.compile(r"\bid=([A-Za-z0-9][\w.-]*)", re.IGNORECASE),  # Exim: "OK id=1abc-000123-XY"
    re.compile(r"^(?:\d\.\d\.\d+\s+)?(\S+)\s+Message accepted", re.IGNORECASE),  # Sendmail
)


class SendState(StrEnum):
    SENT = "sent"
    DEFERRED = "deferred"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class SendResult:
    state: SendState
    code: int | None  # the server's reply code; None when no reply came
    reply: str  # the server's reply ("250 2.0.0 Ok: queued as 4Xyz12"), or why there was none
    queue_id: str | None  # the server's name for the message, when its reply gives one


class MailerError(TransientError):
    """Talking to the mail server failed; `stage` names the step (connect, tls, ehlo, login)."""

    def __init__(self, stage: str, detail: str, *, code: int | None = None) -> None:
        super().__init__(f"smtp {stage}: {detail}")
        self.stage = stage
        self.detail = detail
        self.code = code


class MailerLoginError(MailerError):
    """The server refused the credentials, or no password could be read: fix [smtp]."""

    transient = False


def queue_id(reply: str) -> str | None:
    """The queue id a server's reply names ("Ok: queued as 4Xyz12" -> "4Xyz12"), else None."""
    for pattern in _QUEUE_ID:
        match = pattern.search(reply)
        if match:
            return match.group(1).rstrip(".")
    return None


class Mailer:
    """Sends through the office's outgoing server; one connection per message."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._context: ssl.SSLContext | None = None  # made once: loading the CAs takes ~30 ms
        self._context_lock = threading.Lock()

    def send_blocking(self, message: EmailMessage, recipient_address: str) -> SendResult:
        """`send` from a thread without an event loop (a worker thread)."""
        return asyncio.run(self.send(message, recipient_address))

    async def send(self, message: EmailMessage, recipient_address: str) -> SendResult:
        """Send `message` to `recipient_address` (the envelope sender is `from_address`).

        Returns the outcome; raises MailerLoginError when the credentials are refused.
        """
        payload = _flatten(message)
        refusal = _unusable_address(recipient_address)
        if refusal is not None:
            result = SendResult(SendState.FAILED, None, refusal, None)
            return self._logged(result, message, recipient_address)
        try:
            smtp = await self._open()
        except MailerLoginError:
            raise
        except MailerError as exc:
            result = SendResult(SendState.DEFERRED, exc.code, exc.reason, None)
            return self._logged(result, message, recipient_address)
        try:
            result = await self._transact(smtp, recipient_address, payload)
            await _quit(smtp)
        finally:
            smtp.close()
        return self._logged(result, message, recipient_address)

    def check(self) -> str:
        """Connect, greet, secure and log in, then leave without sending anything.

        Returns a one-line description; raises MailerError naming the failed stage.
        """
        return asyncio.run(self._check())

    async def _check(self) -> str:
        smtp = await self._open()
        try:
            cipher = smtp.get_transport_info("cipher")
            secured = f"{self.settings.security} ({cipher[1]})" if cipher else "no encryption"
            user = f"logged in as {self.settings.username}" if self.settings.username else "no AUTH"
            size = smtp.esmtp_extensions.get("size")
            limit = f", size limit {int(size) / 1e6:.0f} MB" if size and size.isdigit() else ""
            await _quit(smtp)
        finally:
            smtp.close()
        return f"{self.settings.host}:{self.settings.port}: {secured}, {user}{limit}"

    # -- connecting -----------------------------------------------------------------------------

    async def _open(self) -> SMTP:
        """A connected, secured, logged-in client; raises MailerError naming the stage."""
        settings = self.settings
        smtp = SMTP(
            hostname=settings.host,
            port=settings.port,
            timeout=settings.timeout,
            use_tls=settings.security == "tls",
            start_tls=False,  # done below, so a server without STARTTLS is refused
            tls_context=self._tls_context() if settings.security != "none" else None,
            local_hostname=_helo_name(settings.from_address),
        )
        try:
            await self._handshake(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    async def _handshake(self, smtp: SMTP) -> None:
        settings = self.settings
        stage = "connect"
        try:
            await smtp.connect()
            stage = "ehlo"
            await smtp.ehlo()
            if settings.security == "starttls":
                stage = "tls"
                if not smtp.supports_extension("starttls"):
                    raise MailerError("tls", "the server does not offer STARTTLS")
                await smtp.starttls()
                await smtp.ehlo()
            if settings.username:
                stage = "login"
                await smtp.login(settings.username, self._password())
        except SMTPAuthenticationError as exc:
            error = MailerLoginError if exc.code >= 500 else MailerError
            raise error("login", _reply(exc.code, exc.message), code=exc.code) from exc
        except (SMTPException, OSError) as exc:
            if _caused_by_tls(exc):
                stage = "tls"
            raise MailerError(stage, _describe(exc), code=getattr(exc, "code", None)) from exc

    def _tls_context(self) -> ssl.SSLContext:
        """Certificate and host name verified: system CAs, plus `ca_file` for self-hosted mail.
        One context serves every connection (an SSLContext is safe to share across threads)."""
        with self._context_lock:
            if self._context is None:
                self._context = self._new_tls_context()
            return self._context

    def _new_tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
        if self.settings.ca_file is not None:
            try:
                context.load_verify_locations(cafile=str(self.settings.ca_file))
            except (OSError, ssl.SSLError) as exc:
                raise MailerError(
                    "tls", f"cannot load ca_file {self.settings.ca_file}: {exc}"
                ) from exc
        return context

    def _password(self) -> str:
        settings = self.settings
        try:
            password = read_secret(
                "[smtp]",
                settings.password_file,
                settings.password_env,
                settings.password_credential,
            )
        except ConfigError as exc:
            raise MailerLoginError("login", str(exc)) from exc
        if password is None:
            raise MailerLoginError("login", "no password source configured")
        return password

    # -- one message ----------------------------------------------------------------------------

    async def _transact(self, smtp: SMTP, recipient: str, payload: bytes) -> SendResult:
        """MAIL, RCPT and DATA; everything that can fail here fails before the message left."""
        sender = self.settings.from_address
        step = "mail"
        try:
            options, encoding = _mail_options(smtp, payload, (sender, recipient))
            await smtp.mail(sender, options=options, encoding=encoding)
            step = "rcpt"
            await smtp.rcpt(recipient, encoding=encoding)
            step = "data"
            start = await smtp.execute_command(b"DATA")
        except _NotAccepted as exc:
            return SendResult(SendState.FAILED, None, str(exc), None)
        except SMTPResponseException as exc:
            return _refused(exc.code, exc.message)
        except (SMTPException, OSError) as exc:
            return SendResult(SendState.DEFERRED, None, f"smtp {step}: {_describe(exc)}", None)
        if start.code != 354:
            return _refused(start.code, start.message)
        return await self._data(smtp, payload)

    async def _data(self, smtp: SMTP, payload: bytes) -> SendResult:
        timeout = self.settings.timeout
        data = _dot_stuffed(payload)
        head, tail = data[:-_CHUNK], data[-_CHUNK:]
        try:
            protocol = _protocol(smtp)
            await _upload(protocol, head, timeout)
            protocol.write(tail)  # it ends with the final ".": the server may have it now
        except (SMTPException, OSError) as exc:
            smtp.close()
            reason = f"smtp data: connection lost while sending the message: {_describe(exc)}"
            return SendResult(SendState.DEFERRED, None, reason, None)
        try:
            response = await protocol.read_response(timeout=timeout)
        except (SMTPException, OSError) as exc:
            smtp.close()  # a late reply must not be taken for the answer to a later command
            reason = f"smtp data: no reply after the whole message was sent: {_describe(exc)}"
            return SendResult(SendState.UNCERTAIN, None, reason, None)
        if 200 <= response.code < 300:
            reply = _reply(response.code, response.message)
            return SendResult(SendState.SENT, response.code, reply, queue_id(response.message))
        if 400 <= response.code < 600:
            return _refused(response.code, response.message)
        reason = f"smtp data: unexpected reply {_reply(response.code, response.message)}"
        return SendResult(SendState.UNCERTAIN, response.code, reason, None)

    def _logged(self, result: SendResult, message: EmailMessage, to: str) -> SendResult:
        level = logging.INFO if result.state is SendState.SENT else logging.WARNING
        event(
            log,
            "smtp_" + result.state.value,
            level,
            message_id=str(message.get("Message-ID", "")),
            to=to,
            host=self.settings.host,
            reply=result.reply,
            queue_id=result.queue_id,
        )
        return result


class _NotAccepted(Exception):
    """The message cannot go to this server as it is (refused before anything is sent)."""


def _flatten(message: EmailMessage) -> bytes:
    """The message as sent: its own policy (so pre-folded headers stay as built), CRLF line
    ends, without Bcc (the recipient must not see who else was sent it)."""
    if "Bcc" in message or "Resent-Bcc" in message:
        message = copy.copy(message)  # deleting replaces the header list: the copy is safe
        del message["Bcc"]
        del message["Resent-Bcc"]
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def _unusable_address(address: str) -> str | None:
    try:
        parse_address(address)
    except ValueError as exc:
        return f"invalid recipient address {address!r}: {exc}"
    return None if "@" in address else f"invalid recipient address {address!r}: no domain"


def _mail_options(smtp: SMTP, payload: bytes, addresses: tuple[str, ...]) -> tuple[list[str], str]:
    """MAIL FROM parameters and the encoding of the addresses on the command line."""
    options = (
        ["BODY=8BITMIME"] if not payload.isascii() and smtp.supports_extension("8bitmime") else []
    )
    if all(address.isascii() for address in addresses):
        return options, "ascii"
    if not smtp.supports_extension("smtputf8"):
        raise _NotAccepted("the server does not take non-ASCII addresses (no SMTPUTF8)")
    return [*options, "SMTPUTF8"], "utf-8"


def _dot_stuffed(payload: bytes) -> bytes:
    """The DATA section: CRLF line ends, leading dots doubled, the final "." line added."""
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", payload)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return re.sub(rb"(?m)^\.", b"..", data) + b".\r\n"


def _protocol(smtp: SMTP) -> SMTPProtocol:
    if smtp.protocol is None:
        raise SMTPServerDisconnected("Connection lost")
    return smtp.protocol


async def _upload(protocol: SMTPProtocol, data: bytes, timeout: float) -> None:
    """Write `data` in chunks, each time waiting while the connection's buffer is full: the
    timeout is for a server that stopped taking data, not for a long upload."""
    for start in range(0, len(data), _CHUNK):
        protocol.write(data[start : start + _CHUNK])
        try:
            # aiosmtplib's protocol keeps asyncio's flow control (pause/resume_writing) but
            # exposes no public drain; its helper raises ConnectionResetError once lost.
            await asyncio.wait_for(protocol._drain_helper(), timeout)
        except TimeoutError as exc:
            raise SMTPTimeoutError(f"the server took no data for {timeout:g} s") from exc


async def _quit(smtp: SMTP) -> None:
    if smtp.is_connected:
        with contextlib.suppress(SMTPException, OSError):
            await smtp.quit(timeout=_QUIT_TIMEOUT)


def _refused(code: int, message: str) -> SendResult:
    state = SendState.FAILED if 500 <= code < 600 else SendState.DEFERRED
    return SendResult(state, code, _reply(code, message), None)


def _reply(code: int, message: str) -> str:
    return f"{code} {' '.join(message.split())}".strip()


def _describe(exc: BaseException) -> str:
    """One line: the error, and its cause when that says more (refused, certificate...)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, SMTPResponseException):
        text = _reply(exc.code, exc.message)
    cause = exc.__cause__
    if cause is not None and str(cause) and str(cause) not in text:
        text += f" ({' '.join(str(cause).split())})"
    return text


def _caused_by_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _helo_name(from_address: str) -> str:
    """The name given in EHLO: the mail domain, a real FQDN that submission servers accept,
    instead of a DNS lookup of this machine's name (slow or "localhost" on office PCs)."""
    domain = from_address.rpartition("@")[2].strip()
    try:
        name = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "localhost"
    return name if re.fullmatch(r"[A-Za-z0-9.-]+", name) else "localhost"
