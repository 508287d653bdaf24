"""Delivery status notifications (bounces): which outgoing mail did not reach whom, and why.

A 250 after DATA only means the next relay took the mail; when a later relay gives up, or is
still trying after some hours, its mail system writes back a delivery status notification
(RFC 3464): a `multipart/report; report-type=delivery-status` whose parts are

1. a text for people, in any language and layout (never read here);
2. `message/delivery-status`: blocks of "Field: value" lines separated by blank lines. The
   first block is about the message (Reporting-MTA, Arrival-Date), each further block about one
   recipient (Final-Recipient, Action, Status like 5.1.1, Diagnostic-Code: the server's words);
3. usually the returned original (`message/rfc822`) or only its headers
   (`text/rfc822-headers`), which carry the Message-ID we sent it with.

RFC 6533 (mail with UTF-8 addresses) renames these `global-delivery-status`, `message/global`
and `message/global-headers`; they are read the same way.

Reports come from strangers, so the work is bounded: only the first `MAX_READ_BYTES` are read
(the status part comes before the returned original), the stdlib parser sees header sections
only (it reads bodies line by line and makes one Message per blank line of a status part:
seconds for a megabyte of blank lines), nested messages are never walked into, and at most
`MAX_RECIPIENTS` recipient blocks are kept. Anything wrong raises `MalformedReport`.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value, parsedate_to_datetime

from daemon.errors import PermanentError

MAX_READ_BYTES = 1_000_000
MAX_HEADER_BYTES = 100_000  # of the returned original's headers
MAX_RECIPIENTS = 1000
MAX_PARTS = 20  # a report has three; more is junk
MAX_FIELD_CHARS = 2000  # of one raw field value, folds included, before cleaning
MAX_DIAGNOSTIC = 500
MAX_ADDRESS = 320

ACTIONS = ("failed", "delayed", "delivered", "relayed", "expanded")
_REPORT_TYPES = {"delivery-status", "global-delivery-status"}
_STATUS_TYPES = {"message/delivery-status", "message/global-delivery-status"}
_RETURNED_TYPES = {
    "message/rfc822",
    "message/global",
    "text/rfc822-headers",
    "message/global-headers",
}
_RECIPIENT_FIELDS = {"final-recipient", "original-recipient", "action"}
_ORIGINAL_ID_FIELDS = ("x-original-message-id", "original-message-id")

_FIELD_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 ftext
_TYPED = re.compile(r"\s*[A-Za-z][\w.+-]*\s*;\s*")  # "rfc822;", "dns;", "smtp;", "X-Postfix;"
_STATUS = re.compile(r"\s*([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)")
_STATUS_IN_TEXT = re.compile(r"(?<![\w.])([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)")
_UTF8_ADDR_CHAR = re.compile(r"\\x\{([0-9A-Fa-f]{1,6})\}")  # RFC 6533 "utf-8" address type
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")
_BLANK_LINE = re.compile(rb"(?:\A|\n)\r?\n")  # where the headers end


class MalformedReport(PermanentError):
    """The bytes are not a delivery report we can read; `reason` says why."""


@dataclass(frozen=True)
class DeliveryReport:
    """What one reporting mail system says about one recipient of one message."""

    original_message_id: str | None  # "<...@...>", as in the Message-ID header we sent
    recipient: str | None  # lower-cased address, Final-Recipient else Original-Recipient
    action: str  # one of ACTIONS, or "unknown"
    status: str | None  # RFC 3463 enhanced status code, e.g. "5.1.1"
    diagnostic: str | None  # the remote server's reply, one line, at most MAX_DIAGNOSTIC
    reporting_mta: str | None  # the host that wrote the report
    arrival: datetime | None  # when the message reached it, timezone-aware


def is_delivery_report(message: Message) -> bool:
    """Whether the message says it is a delivery status notification (by its Content-Type)."""
    try:
        if message.get_content_type() != "multipart/report":
            return False
        value = message.get_param("report-type")
    except Exception:  # a hostile Content-Type: whatever it is, it is no report we can read
        return False
    kind = "" if value is None else collapse_rfc2231_value(value)
    return kind.strip().lower() in _REPORT_TYPES


def bounced(report: DeliveryReport) -> bool:
    """Whether the recipient will not get the mail: it failed, or a permanent (5.x.x) status.
    A delayed report is a warning only: the mail system is still trying."""
    if report.action == "delayed":
        return False
    return report.action == "failed" or (report.status or "").startswith("5.")


def parse_report(raw: bytes) -> list[DeliveryReport]:
    """One DeliveryReport per recipient block of a delivery report. Raises MalformedReport,
    and nothing else, whatever the bytes."""
    raw = raw[:MAX_READ_BYTES]
    if not raw.strip():
        raise MalformedReport("empty message")
    try:
        return _parse(raw)
    except MalformedReport:
        raise
    except Exception as exc:  # the email package raises odd things on hostile input
        raise MalformedReport(f"unparseable: {type(exc).__name__}: {exc}"[:300]) from exc


def _parse(raw: bytes) -> list[DeliveryReport]:
    top = _message(raw)
    if not is_delivery_report(top):
        raise MalformedReport(f"not a delivery report: {_describe(top)}")
    parts = _parts(top)
    at = next((i for i, p in enumerate(parts) if p.get_content_type() in _STATUS_TYPES), None)
    if at is None:
        cut = f" in the first {MAX_READ_BYTES:,} bytes" if len(raw) >= MAX_READ_BYTES else ""
        raise MalformedReport(f"no message/delivery-status part{cut}")
    text = _decoded(parts[at]).decode("utf-8", "replace")
    blocks = list(itertools.islice(_blocks(text), MAX_RECIPIENTS + 1))
    recipients = [b for b in blocks if _RECIPIENT_FIELDS & b.keys()][:MAX_RECIPIENTS]
    if not recipients:
        raise MalformedReport("no recipient block in the delivery status")
    per_message = blocks[0]
    original = _original_id(parts[at + 1 :], top, per_message)
    mta = _untyped(per_message.get("reporting-mta", ""), 255) or None
    arrival = _date(per_message.get("arrival-date"))
    return [_report(block, original, mta, arrival) for block in recipients]


def _describe(message: Message) -> str:
    kind = message.get_param("report-type")
    text = message.get_content_type()
    if kind is not None:
        text += f", report-type={collapse_rfc2231_value(kind)}"
    return _clean(text, 120)


def _parts(top: Message) -> list[Message]:
    """The report's parts, headers parsed and bodies kept as they are."""
    boundary = top.get_boundary() or ""
    if not 0 < len(boundary) <= 200:  # RFC 2046 allows 70 characters
        raise MalformedReport("a multipart report without a usable boundary")
    return [_message(chunk) for chunk in _split(_decoded(top), boundary.encode("ascii", "replace"))]


def _split(body: bytes, boundary: bytes) -> list[bytes]:
    """The first MAX_PARTS parts of a multipart body (RFC 2046 5.1.1). A truncated body (we
    read only the first MAX_READ_BYTES) ends with the part cut short."""
    delimiters = re.compile(rb"^--" + re.escape(boundary) + rb"(--)?[ \t]*\r?$", re.MULTILINE)
    parts: list[bytes] = []
    start: int | None = None  # None while in the preamble
    for found in delimiters.finditer(body):
        if start is not None:
            parts.append(body[start : found.start()])
        if found.group(1) or len(parts) == MAX_PARTS:
            return parts
        start = found.end() + 1
    return parts if start is None else [*parts, body[start:]]


def _message(data: bytes) -> Message:
    """Headers parsed, the body kept as bytes for `_decoded` (see the module docstring)."""
    blank = _BLANK_LINE.search(data)
    head, body = (data[: blank.start()], data[blank.end() :]) if blank else (data, b"")
    message = BytesParser(policy=policy.compat32).parsebytes(head, headersonly=True)
    message.set_payload(body.decode("ascii", "surrogateescape"))  # as the stdlib would
    return message


def _decoded(part: Message) -> bytes:
    """The body of a part parsed headers-only, its Content-Transfer-Encoding undone."""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _blocks(text: str) -> Iterator[dict[str, str]]:
    """The "Field: value" blocks of a status part, names lower-cased. A repeated field keeps
    its first value; a value stops growing at MAX_FIELD_CHARS."""
    block: dict[str, str] = {}
    name: str | None = None  # the field that continuation lines extend
    for line in io.StringIO(text):
        line = line.rstrip("\r\n")
        if not line.strip():
            if block:
                yield block
            block, name = {}, None
        elif line[0] in " \t":
            if name is not None and len(block[name]) < MAX_FIELD_CHARS:
                block[name] += " " + line.strip()[:MAX_FIELD_CHARS]
        else:
            field, colon, value = line.partition(":")
            field = field.strip().lower()
            name = None
            if colon and _FIELD_NAME.fullmatch(field) and field not in block:
                block[field], name = value.strip()[:MAX_FIELD_CHARS], field
    if block:
        yield block


def _report(
    block: dict[str, str], original: str | None, mta: str | None, arrival: datetime | None
) -> DeliveryReport:
    recipient = block.get("final-recipient") or block.get("original-recipient") or ""
    diagnostic = _untyped(block.get("diagnostic-code", ""), MAX_DIAGNOSTIC) or None
    status = _status(block.get("status", ""), diagnostic or "")
    return DeliveryReport(
        original_message_id=original,
        recipient=_address(recipient),
        action=_action(block.get("action", ""), status),
        status=status,
        diagnostic=diagnostic,
        reporting_mta=mta,
        arrival=arrival,
    )


def _action(value: str, status: str | None) -> str:
    """The Action, lower-cased; when missing or unknown (RFC 3464 requires it), what the
    status class says."""
    words = value.lower().split()
    if words and words[0] in ACTIONS:
        return words[0]
    by_class = {"5": "failed", "4": "delayed", "2": "delivered"}
    return by_class.get((status or " ")[0], "unknown")


def _status(value: str, diagnostic: str) -> str | None:
    """The Status; for reports without one, an enhanced status code quoted in the reply."""
    found = _STATUS.match(value) or _STATUS_IN_TEXT.search(diagnostic)
    return found.group(1) if found else None


def _address(value: str) -> str | None:
    address = _untyped(value, MAX_ADDRESS * 4).strip("<>")
    address = _UTF8_ADDR_CHAR.sub(_unescape, address)
    return _clean(address, MAX_ADDRESS).lower() or None


def _unescape(found: re.Match[str]) -> str:
    code = int(found.group(1), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _untyped(value: str, limit: int) -> str:
    """A typed field's text without its type: "smtp; 550 ..." -> "550 ...", one line."""
    value = _clean(value, limit * 2)
    typed = _TYPED.match(value)
    return (value[typed.end() :] if typed else value)[:limit]


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        date = parsedate_to_datetime(_clean(value, 200))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # "-0000" means the zone is unknown; RFC 5322 says read it as UTC.
    return date if date.tzinfo is not None else date.replace(tzinfo=UTC)


def _original_id(after: list[Message], top: Message, per_message: dict[str, str]) -> str | None:
    """The Message-ID of the returned original, else an Original-Message-ID field that some
    systems (Gmail) add to the report or its per-message block."""
    returned = next((p for p in after if p.get_content_type() in _RETURNED_TYPES), None)
    if returned is not None:
        headers = _message(_decoded(returned)[:MAX_HEADER_BYTES].lstrip(b"\r\n"))
        found = _message_id(_header(headers, "message-id"))
        if found:
            return found
    for name in _ORIGINAL_ID_FIELDS:
        found = _message_id(_header(top, name)) or _message_id(per_message.get(name))
        if found:
            return found
    return None


def _header(message: Message, name: str) -> str | None:
    """The first raw value of a header (compat32 would hand 8-bit values back as Header)."""
    return next((str(v) for k, v in message.raw_items() if k.lower() == name), None)


def _message_id(value: str | None) -> str | None:
    text = _clean(value or "", 1000)
    found = _MESSAGE_ID.search(text)
    if found:
        return found.group(0)
    return f"<{text}>" if text and " " not in text and len(text) <= 250 else None


def _clean(text: str, limit: int) -> str:
    """Raw 8-bit bytes (surrogate-escaped) read as UTF-8, control characters dropped,
    unfolded onto one line, NFC, at most `limit` characters."""
    text = text[: limit * 4]
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return unicodedata.normalize("NFC", " ".join(text.split()))[:limit]
