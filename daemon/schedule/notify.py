"""Notices the schedule sends (the digest, reminders): a Vietnamese plain-text mail, with an
optional simple HTML copy, through the office's mailer, or one log line when no [smtp] is set.

The subject is encoded with `email.header.Header`, which keeps the spaces between encoded
words that Python 3.11's folder can drop (CPython gh-92081, see dispatch/message.py). A log
line carries the subject and the counts only, never a document's content.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email import utils as email_utils
from email.header import Header
from email.message import EmailMessage

from daemon.config import Settings, SmtpSettings
from daemon.dispatch.message import new_message_id
from daemon.logs import event

log = logging.getLogger("vanthu.schedule")


@dataclass(frozen=True)
class Notice:
    subject: str
    text: str
    html: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # what the log line says instead


@dataclass(frozen=True)
class Sent:
    """To whom it went (or "log"), and who refused it."""

    to: tuple[str, ...]
    refused: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        done = ", ".join(self.to) or "nobody"
        return done + (f"; refused: {', '.join(self.refused)}" if self.refused else "")


class NoticeError(RuntimeError):
    """No recipient took the notice; the message names them and why."""


def compose(
    notice: Notice, smtp: SmtpSettings, to: Sequence[str], when: dt.datetime
) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    sender = _nfc(smtp.from_name)
    if sender:
        msg["From"] = email_utils.formataddr((sender, smtp.from_address), charset="utf-8")
    else:
        msg["From"] = smtp.from_address
    msg["To"] = ", ".join(to)
    msg.set_raw("Subject", Header(_nfc(notice.subject), "utf-8", header_name="Subject").encode())
    msg["Date"] = email_utils.format_datetime(when)
    msg["Message-ID"] = new_message_id(smtp.from_address.rpartition("@")[2] or "localhost")
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to this
    msg.set_content(_nfc(notice.text), cte="quoted-printable")
    if notice.html is not None:
        msg.add_alternative(_nfc(notice.html), subtype="html", cte="quoted-printable")
    return msg


def send(
    settings: Settings, notice: Notice, to: Sequence[str], *, kind: str, when: dt.datetime
) -> Sent:
    """Mail `notice` to each address of `to` (one message per address, so one refusal does
    not stop the others); without [smtp], or without addresses, one log line instead."""
    addresses = tuple(dict.fromkeys(a.strip() for a in to if a.strip()))
    if settings.smtp is None or not addresses:
        event(log, kind, subject=notice.subject, to=",".join(addresses) or "-", **notice.counts)
        return Sent(("log",))
    from daemon.dispatch.mailer import Mailer, SendState

    mailer = Mailer(settings.smtp)
    message = compose(notice, settings.smtp, addresses, when)
    took: list[str] = []
    refused: list[str] = []
    for address in addresses:
        result = mailer.send_blocking(message, address)
        (took if result.state == SendState.SENT else refused).append(f"{address} ({result.reply})")
    if not took:
        raise NoticeError(f"{notice.subject}: no recipient took it: {'; '.join(refused)}")
    event(log, kind, subject=notice.subject, to=",".join(addresses), refused=len(refused))
    return Sent(tuple(a.partition(" ")[0] for a in took), tuple(refused))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
