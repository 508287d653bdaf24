"""The email of one delivery: one signed document to one agency's official mailbox.

An outgoing document (văn bản đi) goes out as a short Vietnamese mail: the subject is the
document's number and summary, "[27/UBND-VP] V/v đăng ký nhu cầu mua sắm tài sản năm 2021"
(a Công văn's summary, its trích yếu, starts with "V/v"; other types are named first,
"[68/QĐ-UBND] Quyết định ban hành Quy chế ..."); the body repeats số và ký hiệu, date, type
and summary and says that the attached PDF is the original, the electronic document with its
digital signature (bản điện tử có chữ ký số); the PDF carries a readable Vietnamese file name.

Encoding. Python 3.11's header folder can drop the space between two encoded words of a long
non-ASCII header (CPython gh-92081: "củaỦy"; 62 of 300 long Vietnamese subjects in NOTES.md).
So the Vietnamese headers are encoded with `email.header.Header`, which keeps every space inside
an encoded word, and stored pre-folded (`set_raw`) for the generator to leave alone. The message
is parsed back once before it is returned: a header or file name that would not survive raises
ValueError instead of going out garbled. The body is quoted-printable and the PDF base64, so the
whole message is 7-bit ASCII. The file name uses RFC 2231 (`filename*=utf-8''...`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
import unicodedata
from dataclasses import dataclass
from email import policy
from email import utils as email_utils
from email.header import Header, decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser

MAX_NAME_BYTES = 150  # UTF-8 bytes of an attachment name: well inside 255-byte file systems
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')  # not allowed in a Windows file name
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10))}
_RESERVED |= {f"LPT{i}" for i in range(10)}
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


@dataclass(frozen=True)
class Letter:
    number: str | None  # số và ký hiệu: "27/UBND-VP"
    date: dt.date | None  # ngày ban hành
    doc_type: str | None  # the register's type name: "Công văn", "Quyết định"
    subject: str | None  # trích yếu: "V/v đăng ký nhu cầu mua sắm tài sản năm 2021"
    sender_office: str  # the agency sending it: "Ủy ban nhân dân huyện Khánh Sơn"
    recipient: str  # the agency it goes to: "Sở Tài chính tỉnh Khánh Hòa"


def subject_line(letter: Letter) -> str:
    """ "[27/UBND-VP] V/v ...", "[68/QĐ-UBND] Quyết định ban hành ...", or without a number
    just the title."""
    number = _clean(letter.number)
    title = _title(letter)
    return f"[{number}] {title}" if number else title


def attachment_name(letter: Letter) -> str:
    """A file name the recipient can read and save anywhere: "27-UBND-VP V-v đăng ký ....pdf".

    No slashes or other characters Windows refuses, no control characters, NFC, cut at a word
    boundary to at most MAX_NAME_BYTES bytes of UTF-8 (Vietnamese letters take 2-3 bytes).
    """
    number = _clean(letter.number).replace("/", "-")
    stem = f"{number} {_title(letter)}".replace("/", "-")
    stem = _FORBIDDEN.sub("", stem)
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C")
    stem = _shorten(" ".join(stem.split()), MAX_NAME_BYTES - len(".pdf")).strip(" .")
    if not stem or stem.partition(".")[0].upper() in _RESERVED:  # "NUL.pdf" cannot be saved
        stem = f"Văn bản {stem}".strip()
    return stem + ".pdf"


def new_message_id(domain: str) -> str:
    """A fresh, unguessable Message-ID on the office's mail domain: "<hex@domain>"."""
    try:
        host = domain.strip().rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise ValueError(f"not a mail domain: {domain!r}") from exc
    if not _DOMAIN.fullmatch(host):
        raise ValueError(f"not a mail domain: {domain!r}")
    return f"<{secrets.token_hex(16)}@{host}>"


def build_message(
    letter: Letter,
    pdf: bytes,
    *,
    from_address: str,
    from_name: str,
    to_address: str,
    to_name: str,
    message_id: str,
    when: dt.datetime,
) -> EmailMessage:
    """The mail delivering `pdf` (the signed document) to one recipient.

    `when` (time-zone aware) is the Date; `message_id` is fixed by the caller before the first
    attempt, so a resend after an uncertain outcome can be recognised. Raises ValueError when a
    header or the file name would not survive encoding.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("the Date needs a time zone")
    subject = subject_line(letter)
    name = attachment_name(letter)
    # The encoded headers are checked on a copy without the PDF, once per distinct text: the
    # same document goes to a hundred agencies, and parsing the attachment back a hundred
    # times was a fifth of what sending cost.
    _check_round_trip(subject, name, from_address, _clean(from_name))
    return _compose(
        letter, pdf, subject, name, from_address, from_name, to_address, to_name, message_id, when
    )


def _compose(
    letter: Letter,
    pdf: bytes,
    subject: str,
    name: str,
    from_address: str,
    from_name: str,
    to_address: str,
    to_name: str,
    message_id: str,
    when: dt.datetime,
) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    msg.set_raw("From", _address("From", from_name, from_address))
    msg.set_raw("To", _address("To", to_name, to_address))
    msg.set_raw("Subject", _encoded(subject, "Subject"))
    msg["Date"] = email_utils.format_datetime(when)
    msg["Message-ID"] = message_id
    msg["MIME-Version"] = "1.0"
    msg.set_content(body_text(letter, name), cte="quoted-printable")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
    for part in msg.iter_parts():
        del part["MIME-Version"]  # the email package repeats it on each part; once is enough
    return msg


def body_text(letter: Letter, file_name: str) -> str:
    """The plain-text body: who sends what, and that the attachment is the signed original."""
    office = _clean(letter.sender_office)
    details = [
        ("Số và ký hiệu", _clean(letter.number)),
        ("Ngày ban hành", letter.date.strftime("%d/%m/%Y") if letter.date else ""),
        ("Loại văn bản", _clean(letter.doc_type)),
        ("Trích yếu", _clean(letter.subject)),
    ]
    lines = [f"Kính gửi: {_clean(letter.recipient)}.", "", f"{office} gửi văn bản:"]
    lines += [f"- {label}: {value}" for label, value in details if value]
    lines += [
        "",
        f"Tệp đính kèm “{file_name}” là bản gốc của văn bản: văn bản điện tử có chữ ký số "
        f"của {office}.",
        "",
        f"Thư này do hệ thống văn thư của {office} gửi tự động.",
    ]
    return "\n".join(lines) + "\n"


def _title(letter: Letter) -> str:
    """The summary, preceded by the type name unless it is a Công văn (whose summary starts
    with "V/v") or the summary already names it."""
    summary = _clean(letter.subject)
    kind = _clean(letter.doc_type)
    if not kind or kind.casefold() == "công văn" or summary.casefold().startswith(kind.casefold()):
        return summary or kind or "Văn bản"
    return f"{kind} {_lower_first(summary)}" if summary else kind


def _lower_first(text: str) -> str:
    """ "Ban hành ..." -> "ban hành ..." after a type name; "UBND ...", "V/v ..." stay."""
    first, _, rest = text.partition(" ")
    if first.isalpha() and first[:1].isupper() and (len(first) == 1 or first[1:].islower()):
        first = first[:1].lower() + first[1:]
    return f"{first} {rest}" if rest else first


def _clean(text: str | None) -> str:
    """NFC, one line, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` UTF-8 bytes, at a word boundary when one is not too far back."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    space = cut.rfind(" ")
    if space > len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip(" .,;-")


def _encoded(text: str, name: str) -> str:
    """A header value encoded and folded by `Header`, which keeps the spaces (gh-92081)."""
    charset = "us-ascii" if text.isascii() else "utf-8"
    return Header(text, charset, header_name=name).encode()


def _address(field: str, name: str, address: str) -> str:
    """ "Name <address>" with a non-ASCII name encoded, folded before the address."""
    name = _clean(name)
    if not name:
        return address
    if name.isascii():
        return email_utils.formataddr((name, address))
    return f"{Header(name, 'utf-8', header_name=field).encode()}\n <{address}>"


@functools.lru_cache(maxsize=256)
def _check_round_trip(subject: str, file_name: str, from_address: str, from_name: str) -> None:
    letter = Letter(None, None, None, None, "", "")
    sample = _compose(
        letter,
        b"",
        subject,
        file_name,
        from_address,
        from_name,
        from_address,
        "",
        "<x@y>",
        dt.datetime.now(dt.UTC),
    )
    back = BytesParser(policy=policy.default).parsebytes(sample.as_bytes())
    if str(back["Subject"]) != subject:
        raise ValueError(f"subject does not survive encoding: {subject!r}")
    names = [part.get_filename() for part in back.iter_attachments()]
    if names != [file_name]:
        raise ValueError(f"file name does not survive encoding: {file_name!r} -> {names!r}")
    if _display_name(back) != from_name:
        raise ValueError(f"sender name does not survive encoding: {from_name!r}")


def _display_name(msg: EmailMessage) -> str:
    """The From display name decoded as RFC 2047 says: policy.default's address parser puts a
    space between adjacent encoded words, which mail readers do not."""
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == "from"), "")
    pairs = email_utils.getaddresses([raw])
    name = pairs[0][0] if pairs else ""
    return _clean(str(make_header(decode_header(name)))) if "=?" in name else _clean(name)
