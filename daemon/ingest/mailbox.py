"""The one wrapper around imapclient: connect, log in, select, search, fetch, wait, acknowledge.

Every call goes through `_call`, which turns imapclient's, imaplib's and the socket's exceptions
into `MailboxError` (or `MailboxConnectionError`, also a ConnectionError, when the connection is
gone or timed out; the connection is then dropped, never reused). TLS is verified against the
system CAs plus `ca_file`; plain IMAP only when `security = "none"` says so.
"""

from __future__ import annotations

import contextlib
import logging
import select
import shlex
import ssl
import subprocess
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import imapclient
from imapclient import SocketTimeout
from imapclient.exceptions import CapabilityError, IMAPClientAbortError, IMAPClientError, LoginError

from daemon.config import ConfigError, MailboxSettings, read_secret
from daemon.errors import TransientError
from daemon.logs import event

log = logging.getLogger("vanthu.mailbox")

T = TypeVar("T")
STOP_CHECK_SECONDS = 0.5  # how often a wait looks at the stop event
SEEN = b"\\Seen"
DELETED = b"\\Deleted"


class MailboxError(TransientError):
    """An IMAP operation failed; `stage` names it (connect, tls, login, select, fetch, ...)."""

    def __init__(self, stage: str, detail: str) -> None:
        super().__init__(f"mailbox {stage}: {detail}")
        self.stage = stage
        self.detail = detail


class MailboxConnectionError(MailboxError, ConnectionError):
    """The connection failed, dropped or timed out: reconnect later."""


class MailboxLoginError(MailboxError):
    """The server refused the credentials, or none could be read."""

    transient = False


@dataclass(frozen=True)
class FolderInfo:
    name: str
    uidvalidity: int
    uidnext: int | None
    exists: int
    keywords_allowed: bool  # PERMANENTFLAGS has \* (custom keywords such as $VanthuFailed)


def account_id(settings: MailboxSettings) -> str:
    """How the register names this mailbox: "user@host:port"."""
    return f"{settings.username}@{settings.host}:{settings.port}"


def ssl_context(settings: MailboxSettings) -> ssl.SSLContext:
    """Certificate and host name verified: system CAs, plus `ca_file` for self-hosted mail."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if settings.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(settings.ca_file))
        except (OSError, ssl.SSLError) as exc:
            raise MailboxError("tls", f"cannot load ca_file {settings.ca_file}: {exc}") from exc
    return context


class Mailbox:
    """One logged-in IMAP connection. Use `Mailbox.open(settings)`; close with `close()`."""

    def __init__(self, settings: MailboxSettings, client: imapclient.IMAPClient) -> None:
        self.settings = settings
        self._client = client
        self._broken = False

    # -- connecting ---------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: MailboxSettings) -> Mailbox:
        """Connect (TLS, STARTTLS or, only if configured, plain) and log in."""
        client = _connect(settings)
        box = cls(settings, client)
        try:
            if settings.security == "starttls":
                box._call("tls", client.starttls, ssl_context(settings))
            box._login()
        except BaseException:
            box.close()
            raise
        event(
            log,
            "mailbox_connected",
            host=settings.host,
            port=settings.port,
            security=settings.security,
            user=settings.username,
        )
        return box

    def _login(self) -> None:
        settings = self.settings
        if settings.oauth2_token_command:
            token = _run_token_command(settings.oauth2_token_command, settings.connect_timeout)
            self._call("login", self._client.oauth2_login, settings.username, token)
            return
        try:
            password = read_secret(
                "[mailbox]",
                settings.password_file,
                settings.password_env,
                settings.password_credential,
            )
        except ConfigError as exc:
            raise MailboxLoginError("login", str(exc)) from exc
        if password is None:
            raise MailboxLoginError("login", "no password source configured")
        self._call("login", self._client.login, settings.username, password)

    def close(self) -> None:
        """Log out politely when the connection is healthy; otherwise just drop it."""
        try:
            if self._broken:
                self._client.shutdown()
            else:
                self._client.logout()
        except Exception:  # closing a dead connection fails in many ways; none matter
            with contextlib.suppress(Exception):
                self._client.shutdown()
        self._broken = True

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- state ------------------------------------------------------------------------------

    def capabilities(self) -> frozenset[str]:
        caps = self._call("capability", self._client.capabilities)
        return frozenset(c.decode("ascii", "replace").upper() for c in caps)

    def has(self, capability: str) -> bool:
        return capability.upper() in self.capabilities()

    def list_folders(self) -> list[str]:
        """Folder names, decoded from modified UTF-7."""
        listed = self._call("list", self._client.list_folders)
        return [_nfc(name if isinstance(name, str) else name.decode()) for _f, _s, name in listed]

    def ensure_folder(self, name: str) -> bool:
        """Create `name` unless it exists; True when it was created."""
        name = _nfc(name)
        if self._call("list", self._client.folder_exists, name):
            return False
        self._call("create", self._client.create_folder, name)
        self._call("subscribe", self._client.subscribe_folder, name)
        event(log, "mailbox_folder_created", folder=name)
        return True

    def select(self, folder: str, *, readonly: bool = False) -> FolderInfo:
        folder = _nfc(folder)
        info = self._call("select", self._client.select_folder, folder, readonly)
        if b"UIDVALIDITY" not in info:
            raise MailboxError("select", f"server sent no UIDVALIDITY for {folder!r}")
        permanent = info.get(b"PERMANENTFLAGS", ())
        return FolderInfo(
            name=folder,
            uidvalidity=int(info[b"UIDVALIDITY"]),
            uidnext=int(info[b"UIDNEXT"]) if b"UIDNEXT" in info else None,
            exists=int(info.get(b"EXISTS", 0)),
            keywords_allowed=b"\\*" in permanent,
        )

    # -- reading ----------------------------------------------------------------------------

    def search_new(self, last_uid: int, *, skip_keyword: str) -> list[int]:
        """UIDs above `last_uid`, not deleted and not flagged with `skip_keyword`, ascending.

        `UID n:*` also matches the highest UID when none is higher (RFC 3501), so filter."""
        criteria = ["UID", f"{last_uid + 1}:*", "NOT", "DELETED", "NOT", "KEYWORD", skip_keyword]
        found = self._call("search", self._client.search, criteria)
        return sorted(uid for uid in found if uid > last_uid)

    def sizes(self, uids: Sequence[int]) -> dict[int, int]:
        if not uids:
            return {}
        data = self._call("fetch", self._client.fetch, list(uids), ["RFC822.SIZE"])
        return {
            uid: int(item[b"RFC822.SIZE"]) for uid, item in data.items() if b"RFC822.SIZE" in item
        }

    def fetch(self, uids: Sequence[int]) -> dict[int, bytes]:
        """Whole messages by UID, with BODY.PEEK[] so nothing is marked \\Seen yet."""
        if not uids:
            return {}
        data = self._call("fetch", self._client.fetch, list(uids), ["BODY.PEEK[]"])
        return {uid: bytes(item[b"BODY[]"]) for uid, item in data.items() if b"BODY[]" in item}

    def fetch_headers(self, uids: Sequence[int]) -> dict[int, bytes]:
        """Only the header block, for messages too large to take."""
        if not uids:
            return {}
        data = self._call("fetch", self._client.fetch, list(uids), ["BODY.PEEK[HEADER]"])
        return {
            uid: bytes(item[b"BODY[HEADER]"])
            for uid, item in data.items()
            if b"BODY[HEADER]" in item
        }

    # -- acknowledging ----------------------------------------------------------------------

    def mark_seen(self, uids: Sequence[int]) -> None:
        if uids:
            self._call("store", self._client.add_flags, list(uids), [SEEN], True)

    def add_keyword(self, uids: Sequence[int], keyword: str) -> None:
        if uids:
            self._call("store", self._client.add_flags, list(uids), [keyword.encode()], True)

    def move(self, uids: Sequence[int], folder: str) -> None:
        """MOVE; else COPY + \\Deleted + UID EXPUNGE of just these UIDs. Without UIDPLUS the
        copies stay flagged \\Deleted: a plain EXPUNGE would remove other people's messages."""
        if not uids:
            return
        folder, caps = _nfc(folder), self.capabilities()
        if "MOVE" in caps:
            self._call("move", self._client.move, list(uids), folder)
            return
        self._call("copy", self._client.copy, list(uids), folder)
        self._call("store", self._client.add_flags, list(uids), [DELETED], True)
        if "UIDPLUS" in caps:
            self._call("expunge", self._client.uid_expunge, list(uids))

    def noop(self) -> None:
        self._call("noop", self._client.noop)

    # -- waiting ----------------------------------------------------------------------------

    def wait(self, timeout: float, stop: threading.Event | None = None) -> bool:
        """IDLE until the server reports something, `timeout` passes or `stop` is set; then
        end IDLE. True when the server spoke. A dead connection raises MailboxConnectionError
        (idle_check alone returns [] on EOF, and a loop around it spins: imapclient #565)."""
        self._call("idle", self._client.idle)
        woke = self._buffered() or self._poll(timeout, stop)
        _text, responses = self._call("idle", self._client.idle_done)
        return woke or bool(responses)

    def _poll(self, timeout: float, stop: threading.Event | None) -> bool:
        poller = select.poll()
        poller.register(self._client.socket().fileno(), select.POLLIN | select.POLLPRI)
        deadline = time.monotonic() + timeout
        while stop is None or not stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if poller.poll(min(remaining, STOP_CHECK_SECONDS) * 1000):
                return True  # data, or EOF/error: idle_done tells which
        return False

    def _buffered(self) -> bool:
        """Whether a response already sits in a buffer the socket poll cannot see: OpenSSL's,
        or imaplib's reader, which may have read "* 3 EXISTS" together with "+ idling"."""
        sock = self._client.socket()
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        reader = getattr(getattr(self._client, "_imap", None), "file", None)
        if reader is None or not hasattr(reader, "peek"):
            return False
        sock.setblocking(False)
        try:
            return bool(reader.peek(1))  # buffered bytes, or a non-blocking read of new ones
        except OSError:
            return False
        finally:
            sock.settimeout(self.settings.read_timeout)

    # -- errors -----------------------------------------------------------------------------

    def _call(self, stage: str, fn: Callable[..., T], *args: Any) -> T:
        if self._broken:
            raise MailboxConnectionError(stage, "connection already closed")
        try:
            return fn(*args)
        except LoginError as exc:
            raise MailboxLoginError(stage, _text(exc)) from exc
        except CapabilityError as exc:
            raise MailboxError(stage, _text(exc)) from exc
        except (IMAPClientAbortError, OSError, EOFError) as exc:  # timeouts are OSErrors
            self._broken = True
            raise MailboxConnectionError(stage, _text(exc) or type(exc).__name__) from exc
        except IMAPClientError as exc:
            raise MailboxError(stage, _text(exc)) from exc


@dataclass
class MailboxCheck:
    """What `vanthu mailbox check` prints: a one-line summary, details, problems to fix."""

    summary: str
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def text(self) -> str:
        out = [f"mailbox: {self.summary}", *(f"  {line}" for line in self.lines)]
        out += [f"  PROBLEM: {problem}" for problem in self.problems]
        return "\n".join(out)


def check_connection(settings: MailboxSettings) -> MailboxCheck:
    """Connect, log in, and look at what the mailbox source needs. Never raises."""
    report = MailboxCheck(
        summary="",
        lines=[
            f"server: {settings.host}:{settings.port} (security: {settings.security})",
            f"user: {settings.username}",
        ],
    )
    if settings.security == "none":
        report.lines.append("WARNING: plain IMAP; password and mail travel unencrypted")
    try:
        with Mailbox.open(settings) as box:
            _inspect(box, settings, report)
    except MailboxError as exc:
        report.problems.append(f"{exc}{_ADVICE.get(exc.stage, '')}")
        report.summary = f"cannot {exc.stage}: {exc.detail}"
        return report
    where = f"{settings.username}@{settings.host}"
    report.summary = f"{'ok' if not report.problems else 'problems'}: {where}"
    return report


_ADVICE = {
    "connect": " (check host, port and firewall)",
    "tls": " (check security, port, and ca_file for a self-hosted server)",
    "login": " (check username and the password source or token command)",
}


def _inspect(box: Mailbox, settings: MailboxSettings, report: MailboxCheck) -> None:
    caps = box.capabilities()
    report.lines.append("capabilities: " + " ".join(sorted(caps)))
    if "IDLE" not in caps:
        report.lines.append(f"no IDLE: the folder is polled every {settings.poll_seconds:g} s")
    if "MOVE" not in caps and "UIDPLUS" not in caps:
        report.problems.append(
            "the server has neither MOVE nor UIDPLUS: processed mail is "
            "copied and left flagged \\Deleted in the folder"
        )
    folders = box.list_folders()
    report.lines.append("folders: " + ", ".join(folders))
    wanted = _nfc(settings.folder)
    if not any(f == wanted or f.upper() == wanted.upper() == "INBOX" for f in folders):
        report.problems.append(f"folder {settings.folder!r} does not exist")
    else:
        info = box.select(settings.folder)  # read-only EXAMINE reports no PERMANENTFLAGS
        report.lines.append(
            f"{settings.folder}: {info.exists} message(s), UIDVALIDITY {info.uidvalidity}"
        )
        if not info.keywords_allowed:
            report.problems.append(
                f"the server does not keep custom keywords: mail that "
                f"cannot be parsed cannot be flagged {settings.failed_keyword}"
            )
    if _nfc(settings.processed_folder) not in folders:
        report.lines.append(f"processed folder {settings.processed_folder!r} will be created")


def _connect(settings: MailboxSettings) -> imapclient.IMAPClient:
    tls = settings.security == "tls"
    if settings.security == "none":
        log.warning("mailbox security is 'none': the password and mail travel in plain text")
    try:
        return imapclient.IMAPClient(
            settings.host,
            port=settings.port,
            ssl=tls,
            ssl_context=ssl_context(settings) if tls else None,
            timeout=SocketTimeout(connect=settings.connect_timeout, read=settings.read_timeout),
        )
    except ssl.SSLCertVerificationError as exc:
        raise MailboxConnectionError(
            "tls", f"server certificate not trusted: {exc.verify_message}"
        ) from exc
    except (OSError, IMAPClientError) as exc:
        where = f"{settings.host}:{settings.port}"
        raise MailboxConnectionError("connect", f"{where}: {_text(exc)}") from exc


def _run_token_command(command: str, timeout: float) -> str:
    """XOAUTH2: the access token printed by the configured command."""
    try:
        done = subprocess.run(
            shlex.split(command), capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MailboxLoginError("login", f"oauth2_token_command failed: {exc}") from exc
    token = done.stdout.strip()
    if done.returncode != 0 or not token:
        detail = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise MailboxLoginError("login", f"oauth2_token_command failed: {detail[0]}")
    return token


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _text(exc: BaseException) -> str:
    text = str(exc)
    return text[2:-1] if text.startswith(("b'", 'b"')) else text
