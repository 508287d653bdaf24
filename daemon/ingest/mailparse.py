"""Mail bytes -> the documents it carries, safely (the standard `email` package, policy.default).

Takes PDF, JPEG, PNG and TIFF attachments, recognised by their magic bytes (a Content-Type can
lie), including those inside forwarded messages (message/rfc822). Inline logos and signature
images are skipped. Headers and file names are decoded (RFC 2047/2231, raw UTF-8) to NFC. A
mail's file name is only ever a display name, never a path. What cannot be parsed raises
`MalformedMail` with a reason the clerk can read.

`build_message` is the other direction, for tests and outgoing dispatch: it writes headers that
survive a round trip (Python 3.11's folder can drop the space between two encoded words,
CPython gh-92081) and checks that they do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import typing
import unicodedata
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import policy
from email import utils as email_utils
from email.errors import HeaderParseError, MessageDefect
from email.header import Header, decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import Any

from daemon.config import MailboxSettings
from daemon.errors import PermanentError
from daemon.ingest.mailguard import hostile_headers
from daemon.ocr.sniff import EXTENSIONS, JPEG, PDF, PNG, TIFF, media_type

_CLAIMED = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".tif": TIFF, ".tiff": TIFF}
_OPAQUE = {
    "application/pkcs7-mime",
    "application/x-pkcs7-mime",
    "application/ms-tnef",
    "application/vnd.ms-tnef",
}  # S/MIME enveloped or opaque-signed, Outlook winmail.dat
_MAX_NAME = 180  # characters of a display name, extension included

# Defects after which the message's structure, hence its attachments, cannot be trusted.
_FATAL_DEFECTS = {
    "StartBoundaryNotFoundDefect": "a multipart without its boundary",
    "NoBoundaryInMultipartDefect": "a multipart without a boundary parameter",
    "MultipartInvariantViolationDefect": "a broken multipart structure",
    "CloseBoundaryNotFoundDefect": "a truncated multipart (closing boundary missing)",
    "InvalidBase64CharactersDefect": "an attachment with invalid base64",
    "InvalidBase64PaddingDefect": "an attachment with truncated base64",
    "InvalidBase64LengthDefect": "an attachment with truncated base64",
}


class MalformedMail(PermanentError):
    """The message cannot be parsed (or is over the size limit); `reason` says why."""


@dataclass(frozen=True)
class MailLimits:
    max_message_bytes: int = 50_000_000
    max_attachment_bytes: int = 40_000_000
    min_image_bytes: int = 20_000  # smaller images are logos or signatures, not documents

    @classmethod
    def from_settings(cls, settings: MailboxSettings) -> MailLimits:
        return cls(
            max_message_bytes=int(settings.max_message_mb * 1_000_000),
            max_attachment_bytes=int(settings.max_attachment_mb * 1_000_000),
            min_image_bytes=settings.min_image_bytes,
        )


@dataclass(frozen=True)
class Attachment:
    name: str  # sanitised display name, NFC, never a path
    media_type: str  # sniffed from the bytes
    data: bytes
    sha256: str


@dataclass(frozen=True)
class Rejected:
    """A document-type attachment that could not be taken: the clerk must look at the mail."""

    name: str
    reason: str


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    sender: str  # the From header as displayed, e.g. "Văn phòng <vp@hanoi.gov.vn>"
    sender_address: str  # lower-cased addr-spec, "" when absent
    date: dt.datetime | None  # timezone-aware
    subject: str
    attachments: tuple[Attachment, ...]
    rejected: tuple[Rejected, ...]
    ignored: tuple[str, ...]  # parts deliberately skipped (inline images, other file types)
    # A delivery status notification (RFC 3464): a bounce of a mail we sent, never a document
    # to register, whatever it carries back.
    delivery_report: bool = False


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def parse_message(raw: bytes, limits: MailLimits) -> ParsedMail:
    """Parse one RFC 5322 message. Raises MalformedMail."""
    if len(raw) > limits.max_message_bytes:
        raise MalformedMail(
            f"message of {_mb(len(raw))} is over the limit of {_mb(limits.max_message_bytes)}"
        )
    if not raw.strip():
        raise MalformedMail("empty message")
    hostile = hostile_headers(raw)
    if hostile is not None:
        raise MalformedMail(hostile)
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        _check_defects(msg)
        headers = _read_headers(msg)
        if is_delivery_report(msg):
            return ParsedMail(
                **headers, attachments=(), rejected=(), ignored=(), delivery_report=True
            )
        attachments, rejected, ignored = _collect(msg, limits)
    except MalformedMail:
        raise
    except Exception as exc:  # the email package raises odd things on hostile input
        raise MalformedMail(f"unparseable: {type(exc).__name__}: {exc}") from exc
    return ParsedMail(
        **headers, attachments=tuple(attachments), rejected=tuple(rejected), ignored=tuple(ignored)
    )


def is_delivery_report(msg: EmailMessage) -> bool:
    """multipart/report; report-type=delivery-status (RFC 3464), or its UTF-8 form (RFC 6533)."""
    report_type = str(msg.get_param("report-type", "", header="content-type") or "").lower()
    kinds = ("delivery-status", "global-delivery-status")
    return msg.get_content_type() == "multipart/report" and report_type in kinds


def parse_headers(raw: bytes) -> ParsedMail:
    """Best-effort headers of a message that cannot be taken, for the failure list. Never
    raises: a field that cannot be read is left empty."""
    fields: dict[str, Any] = {
        "message_id": None,
        "sender": "",
        "sender_address": "",
        "date": None,
        "subject": "",
    }
    if hostile_headers(raw) is not None:  # not even the headers are worth that
        return ParsedMail(**fields, attachments=(), rejected=(), ignored=())
    parser = BytesParser(policy=policy.default)
    with contextlib.suppress(Exception):  # hostile headers: record the failure without them
        fields.update(_read_headers(parser.parsebytes(raw, headersonly=True)))
    return ParsedMail(**fields, attachments=(), rejected=(), ignored=())


def _check_defects(msg: EmailMessage) -> None:
    for part in msg.walk():
        for defect in part.defects:
            _raise_if_fatal(defect)


def _raise_if_fatal(defect: MessageDefect) -> None:
    what = _FATAL_DEFECTS.get(type(defect).__name__)
    if what is not None:
        raise MalformedMail(f"malformed MIME: {what}")


def _read_headers(msg: EmailMessage) -> dict[str, Any]:
    if not msg.keys():
        raise MalformedMail("no headers: not a mail message")
    message_id = _header(msg, "message-id") or None
    sender, address = _sender(msg)
    date_header = msg.get("date")
    date = getattr(date_header, "datetime", None)
    if date is not None and date.tzinfo is None:  # "-0000": the zone is unknown; RFC 5322 says UTC
        date = date.replace(tzinfo=dt.UTC)
    return {
        "message_id": message_id,
        "sender": sender,
        "sender_address": address,
        "date": date,
        "subject": _header(msg, "subject"),
    }


def _header(msg: Message, name: str) -> str:
    value = msg.get(name)
    return "" if value is None else _clean(str(value))


def _clean(text: str) -> str:
    """Undo surrogate-escaped raw 8-bit bytes (UTF-8 headers), unfold, NFC."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return nfc(" ".join(text.split()))


def _sender(msg: Message) -> tuple[str, str]:
    header = msg.get("from")
    if header is None:
        return "", ""
    addresses = getattr(header, "addresses", ())
    if not addresses:
        return _clean(str(header)), ""
    first = addresses[0]
    address = _clean(first.addr_spec).lower()
    name = _clean(_display_name(msg) or first.display_name)
    return (f"{name} <{address}>" if name else address), address


def _display_name(msg: Message) -> str | None:
    """The first From display name decoded the legacy way. policy.default's address parser puts
    a space between adjacent encoded words ("Quản g Nam") where RFC 2047 says none."""
    raw = next((v for k, v in msg.raw_items() if k.lower() == "from"), None)
    if not isinstance(raw, str) or "=?" not in raw:
        return None
    pairs = email_utils.getaddresses([raw])
    if not pairs or not pairs[0][0]:
        return None
    try:
        return str(make_header(decode_header(pairs[0][0])))
    except (UnicodeError, LookupError, ValueError, HeaderParseError):
        return None


def _collect(
    msg: EmailMessage, limits: MailLimits
) -> tuple[list[Attachment], list[Rejected], list[str]]:
    cids = _referenced_cids(msg)
    attachments: list[Attachment] = []
    rejected: list[Rejected] = []
    ignored: list[str] = []
    for part in _leaves(msg):
        if part.get_content_maintype() == "text" and part.get_filename() is None:
            continue  # the body
        index = len(attachments) + len(rejected) + len(ignored) + 1
        verdict = _classify(part, index, cids, limits)
        if isinstance(verdict, Attachment):
            attachments.append(verdict)
        elif isinstance(verdict, Rejected):
            rejected.append(verdict)
        else:
            ignored.append(verdict)
    return attachments, rejected, ignored


def _leaves(part: EmailMessage) -> Iterable[EmailMessage]:
    """Every non-container part, walking into multiparts and forwarded messages."""
    for sub in part.walk():
        if not sub.is_multipart():
            yield typing.cast(EmailMessage, sub)


def _referenced_cids(msg: EmailMessage) -> set[str]:
    found: set[str] = set()
    for part in _leaves(msg):
        if part.get_content_type() == "text/html":
            html = part.get_content()
            for ref in re.findall(r"cid:([^\"'\s>)]+)", html, flags=re.IGNORECASE):
                found.add(urllib.parse.unquote(ref).strip("<>").lower())
    return found


def _classify(
    part: EmailMessage, index: int, cids: set[str], limits: MailLimits
) -> Attachment | Rejected | str:
    data = part.get_payload(decode=True)
    for defect in part.defects:
        _raise_if_fatal(defect)
    if not isinstance(data, bytes):
        data = b""
    if part.get_content_type() in _OPAQUE:  # the documents are inside, out of our reach
        name = display_name(part.get_filename(), None, index)
        return Rejected(name, f"{part.get_content_type()} (encrypted or packed): cannot be read")
    declared = _declared_type(part)
    kind = media_type(data)
    name = display_name(part.get_filename(), kind or declared, index)
    if kind is None:
        if declared is not None:
            return Rejected(name, f"declared {EXTENSIONS[declared][1:].upper()}, content is not")
        return f"{name}: {part.get_content_type()} is not a document type"
    if kind != PDF and _is_inline_image(part, data, cids, limits):
        return f"{name}: inline image ({len(data)} bytes)"
    if len(data) > limits.max_attachment_bytes:
        return Rejected(
            name, f"{_mb(len(data))} is over the limit of {_mb(limits.max_attachment_bytes)}"
        )
    return Attachment(name, kind, data, hashlib.sha256(data).hexdigest())


def _declared_type(part: EmailMessage) -> str | None:
    """The document type the part claims by Content-Type or file extension, if any."""
    if part.get_content_type() in EXTENSIONS:
        return part.get_content_type()
    filename = part.get_filename() or ""
    dot = filename.rfind(".")
    return _CLAIMED.get(filename[dot:].lower()) if dot >= 0 else None


def _is_inline_image(part: EmailMessage, data: bytes, cids: set[str], limits: MailLimits) -> bool:
    if len(data) < limits.min_image_bytes:
        return True
    cid = str(part.get("content-id", "")).strip().strip("<>").lower()
    if cid and cid in cids:
        return True  # drawn inside the HTML body: a logo or a signature
    return part.get_content_disposition() == "inline" and part.get_filename() is None


def display_name(raw: str | None, media_type: str | None, index: int) -> str:
    """A safe display name from a mail's file name: no directories, no control characters."""
    name = _clean(raw or "")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    # "12/UBND-VP" is a document number, "../../x" an attack: keep the words, lose the path.
    segments = [seg for seg in re.split(r"[/\\]", name) if seg.strip(" .")]
    name = "-".join(segments)
    name = name.strip(" .")
    ext = EXTENSIONS.get(media_type or "", "")
    suffixes = tuple(suffix for suffix, kind in _CLAIMED.items() if kind == media_type)
    if not name:
        name = f"tep-dinh-kem-{index}{ext}"
    elif suffixes and not name.lower().endswith(suffixes):
        name += ext  # the clerk sees what the file is, whatever the sender called it
    if len(name) > _MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: _MAX_NAME - len(suffix) - 1] + dot + suffix) if dot else name[:_MAX_NAME]
    return name


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


# --- writing mail -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingFile:
    name: str
    data: bytes
    media_type: str = PDF


def build_message(
    *,
    sender: tuple[str, str],
    to: Sequence[tuple[str, str]],
    subject: str,
    body: str,
    attachments: Sequence[OutgoingFile] = (),
    message_id: str | None = None,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """A message whose Vietnamese headers and file names survive a round trip.

    `sender` and each of `to` are (display name, address). Non-ASCII headers are encoded with
    `email.header.Header`, which keeps the space between words inside the encoded words, and
    stored pre-folded so the generator does not refold them (gh-92081). The result is parsed
    back once; a header that would not survive raises ValueError instead of being sent.
    """
    msg = EmailMessage(policy=policy.SMTP)
    msg.set_raw("From", _address_header("From", [sender]))
    msg.set_raw("To", _address_header("To", to))
    msg.set_raw("Subject", _encoded(nfc(subject), "Subject"))
    msg["Date"] = email_utils.format_datetime(date or dt.datetime.now(dt.UTC))
    domain = sender[1].rpartition("@")[2] or None
    msg["Message-ID"] = message_id or email_utils.make_msgid(domain=domain)
    msg["MIME-Version"] = "1.0"
    msg.set_content(nfc(body))
    for item in attachments:
        maintype, _, subtype = item.media_type.partition("/")
        msg.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=nfc(item.name))
    _check_round_trip(msg, nfc(subject), [nfc(a.name) for a in attachments], nfc(sender[0]))
    return msg


def _encoded(text: str, name: str) -> str:
    if text.isascii():
        return Header(text, "us-ascii", header_name=name).encode()
    return Header(text, "utf-8", header_name=name).encode()


def _address_header(field: str, people: Sequence[tuple[str, str]]) -> str:
    """Addresses pre-folded so no line exceeds 78 characters (else the generator refolds it)."""
    parts = []
    for index, (name, address) in enumerate(people):
        name = nfc(name)
        if not name:
            parts.append(address)
        elif name.isascii():
            parts.append(email_utils.formataddr((name, address)))
        else:
            first = field if index == 0 else None  # the first line also holds "From: "
            parts.append(f"{Header(name, 'utf-8', header_name=first).encode()}\n <{address}>")
    return ",\n ".join(parts)


def _check_round_trip(msg: EmailMessage, subject: str, names: list[str], sender: str) -> None:
    back = BytesParser(policy=policy.default).parsebytes(msg.as_bytes())
    if _header(back, "subject") != " ".join(subject.split()):
        raise ValueError(f"subject does not survive encoding: {subject!r}")
    got_sender = _sender(back)[0].rpartition(" <")[0] if sender else ""
    if got_sender != " ".join(sender.split()):
        raise ValueError(f"sender name does not survive encoding: {sender!r}")
    got = [nfc(a.get_filename() or "") for a in back.iter_attachments()]
    if got != names:
        raise ValueError(f"attachment names do not survive encoding: {names!r} -> {got!r}")
