"""Parsing mail safely: attachments, Vietnamese names and subjects, limits, malformed input."""

from __future__ import annotations

import base64
import random
import unicodedata
import urllib.parse
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from daemon.ingest.mailparse import (
    JPEG,
    PDF,
    PNG,
    TIFF,
    MailLimits,
    MalformedMail,
    OutgoingFile,
    build_message,
    display_name,
    parse_headers,
    parse_message,
)
from daemon.ocr.sniff import media_type

LIMITS = MailLimits(
    max_message_bytes=2_000_000, max_attachment_bytes=500_000, min_image_bytes=20_000
)
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
TEXT = (
    "Ủy ban nhân dân tỉnh Quảng Nam về việc triển khai thực hiện Nghị định số "
    "30/2020/NĐ-CP của Chính phủ công tác văn thư báo cáo kết quả đề nghị phê duyệt "
    "kế hoạch năm 2026 Sở Tài chính hướng dẫn quyết toán khẩn thượng khẩn"
)
WORDS = TEXT.split(" ")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def mail(*, html: str | None = None) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = "Văn phòng <VanPhong@QuangNam.gov.vn>"
    msg["To"] = "vanthu@sotc.gov.vn"
    msg["Subject"] = "Công văn"
    msg["Message-ID"] = "<m1@quangnam.gov.vn>"
    msg["Date"] = "Tue, 03 Feb 2026 09:15:00 +0700"
    msg.set_content("Kính gửi")
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def raw_mail(parts: str, headers: str = "") -> bytes:
    head = (
        "From: a@hanoi.gov.vn\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        + headers
        + 'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
    )
    return (head + parts).encode()


def pdf_part(extra_headers: str, data: bytes = PDF_BYTES) -> str:
    body = base64.encodebytes(data).decode().replace("\n", "\r\n")
    return (
        f"--b1\r\nContent-Type: application/pdf\r\n{extra_headers}"
        f"Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n--b1--\r\n"
    )


# -- round trip (CPython gh-92081) -------------------------------------------------------------


def test_long_vietnamese_subjects_and_file_names_round_trip():
    rng = random.Random(92081)
    for i in range(300):
        subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 120)))
        name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 25))) + ".pdf"
        msg = build_message(
            sender=("Văn phòng Ủy ban nhân dân tỉnh Quảng Nam", "vp@quangnam.gov.vn"),
            to=[("Sở Tài chính", "stc@quangnam.gov.vn"), ("", "ubnd@hanoi.gov.vn")],
            subject=nfd(subject) if i % 3 == 0 else subject,  # NFD input comes out NFC
            body="Kính gửi",
            attachments=[OutgoingFile(name, PDF_BYTES)],
        )
        got = parse_message(msg.as_bytes(), LIMITS)
        assert got.subject == subject
        assert [a.name for a in got.attachments] == [display_name(name, PDF, 1)]
        assert got.sender == "Văn phòng Ủy ban nhân dân tỉnh Quảng Nam <vp@quangnam.gov.vn>"


def test_build_message_keeps_the_given_message_id_and_header_lines_short():
    msg = build_message(
        sender=("", "a@b.gov.vn"),
        to=[("", "c@d.gov.vn")],
        subject=" ".join(WORDS),
        body="x",
        message_id="<fixed@b.gov.vn>",
    )
    raw = msg.as_bytes()
    assert parse_message(raw, LIMITS).message_id == "<fixed@b.gov.vn>"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


# -- headers -----------------------------------------------------------------------------------


def test_headers_decoded_to_nfc():
    msg = mail()
    msg.replace_header("Subject", nfd("Về việc báo cáo quyết toán"))
    got = parse_message(msg.as_bytes(), LIMITS)
    assert got.subject == "Về việc báo cáo quyết toán"
    assert got.sender == "Văn phòng <vanphong@quangnam.gov.vn>"
    assert got.sender_address == "vanphong@quangnam.gov.vn"
    assert got.message_id == "<m1@quangnam.gov.vn>"
    assert got.date is not None and got.date.isoformat() == "2026-02-03T09:15:00+07:00"


def test_raw_utf8_and_windows_1258_headers():
    raw = ("From: Văn phòng <vp@hanoi.gov.vn>\r\nSubject: Công văn khẩn\r\n\r\nx\r\n").encode()
    got = parse_message(raw, LIMITS)
    assert (got.subject, got.sender) == ("Công văn khẩn", "Văn phòng <vp@hanoi.gov.vn>")
    # Windows-1258 writes tones as combining marks: "Vi" "ê" "t" + dot below -> NFC "Việt"
    raw = b"From: a@b.vn\r\nSubject: =?windows-1258?q?Vi=EA=F2t_Nam?=\r\n\r\nx\r\n"
    assert parse_message(raw, LIMITS).subject == "Việt Nam"


def test_missing_or_bad_headers_are_empty_not_errors():
    got = parse_message(b"Subject: only\r\nDate: yesterday\r\n\r\nbody\r\n", LIMITS)
    assert (got.message_id, got.sender, got.sender_address, got.date) == (None, "", "", None)


def test_parse_headers_is_best_effort():
    assert parse_headers(b"Subject: =?utf-8?q?C=C3=B4ng?=\r\n\r\n").subject == "Công"
    assert parse_headers(b"\x00\xff garbage").attachments == ()


# -- attachments -------------------------------------------------------------------------------


def test_rfc2231_and_rfc2047_file_names_decoded_to_nfc():
    name = nfd("Công văn số 12/UBND-VP.pdf")
    quoted = urllib.parse.quote(name.encode("utf-8"), safe="")
    rfc2231 = (
        f"Content-Disposition: attachment; filename*0*=utf-8''{quoted[:30]};\r\n"
        f" filename*1*={quoted[30:]}\r\n"
    )
    got = parse_message(raw_mail(pdf_part(rfc2231)), LIMITS)
    assert [a.name for a in got.attachments] == ["Công văn số 12-UBND-VP.pdf"]
    encoded = base64.b64encode("Tờ trình.pdf".encode()).decode()
    outlook = f'Content-Disposition: attachment; filename="=?utf-8?B?{encoded}?="\r\n'
    assert parse_message(raw_mail(pdf_part(outlook)), LIMITS).attachments[0].name == "Tờ trình.pdf"


@pytest.mark.parametrize(
    "hostile, expected",
    [
        ("../../etc/passwd.pdf", "etc-passwd.pdf"),
        ("..\\..\\Windows\\win.ini", "Windows-win.ini.pdf"),
        ("/abs/path/.hidden.pdf", "abs-path-.hidden.pdf"),
        ("a\x00b\x1b[31m.pdf", "ab[31m.pdf"),
        ("", "tep-dinh-kem-1.pdf"),
        ("...", "tep-dinh-kem-1.pdf"),
    ],
)
def test_hostile_file_names_become_display_names(hostile, expected):
    assert display_name(hostile, PDF, 1) == expected
    assert "/" not in expected and "\\" not in expected


def test_long_names_are_cut_keeping_the_extension():
    name = display_name("x" * 500 + ".pdf", PDF, 1)
    assert len(name) <= 180 and name.endswith(".pdf")


def test_magic_bytes_decide_not_the_content_type():
    assert [
        media_type(b)
        for b in (
            PDF_BYTES,
            b"\xff\xd8\xff\xe0",
            b"\x89PNG\r\n\x1a\nxx",
            b"II*\x00",
            b"MM\x00*",
            b"PK\x03\x04",
        )
    ] == [PDF, JPEG, PNG, TIFF, TIFF, None]
    msg = mail()
    msg.add_attachment(PDF_BYTES, maintype="application", subtype="octet-stream", filename="scan")
    msg.add_attachment(
        b"PK\x03\x04 docx",
        maintype="application",
        subtype="vnd.openxmlformats",
        filename="bao-cao.docx",
    )
    msg.add_attachment(
        b"<html>not a pdf</html>", maintype="application", subtype="pdf", filename="fake.pdf"
    )
    got = parse_message(msg.as_bytes(), LIMITS)
    assert [(a.name, a.media_type) for a in got.attachments] == [("scan.pdf", PDF)]
    assert [r.name for r in got.rejected] == ["fake.pdf"]  # claims PDF: the clerk must look
    assert len(got.ignored) == 1 and "bao-cao.docx" in got.ignored[0]


def test_encrypted_or_packed_parts_need_the_clerk():
    msg = mail()
    msg.add_attachment(
        b"0\x82\x01", maintype="application", subtype="pkcs7-mime", filename="smime.p7m"
    )
    msg.add_attachment(
        b"\x78\x9f\x3e\x22", maintype="application", subtype="ms-tnef", filename="winmail.dat"
    )
    got = parse_message(msg.as_bytes(), LIMITS)
    assert [r.name for r in got.rejected] == ["smime.p7m", "winmail.dat"]
    assert got.attachments == ()


def test_inline_logos_and_signatures_are_skipped_documents_kept():
    html = '<p>Kính gửi</p><img src="cid:logo@x"><img src="CID:sig@x">'
    msg = mail(html=html)
    big_jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 30_000
    msg.get_payload()[1].add_related(big_jpeg, "image", "jpeg", cid="<logo@x>")
    msg.add_attachment(
        b"\x89PNG\r\n\x1a\n" + b"\0" * 500, maintype="image", subtype="png", filename="chu-ky.png"
    )  # small: a signature image
    msg.add_attachment(big_jpeg + b"scan", maintype="image", subtype="jpeg", filename="trang-1.jpg")
    msg.add_attachment(
        b"\x89PNG\r\n\x1a\n" + b"\1" * 30_000, maintype="image", subtype="png", disposition="inline"
    )  # inline without a name: decoration
    msg.add_attachment(
        PDF_BYTES, maintype="application", subtype="pdf", filename="a.pdf", disposition="inline"
    )  # a PDF is always a document
    got = parse_message(msg.as_bytes(), LIMITS)
    assert [a.name for a in got.attachments] == ["trang-1.jpg", "a.pdf"]
    assert len(got.ignored) == 3 and got.rejected == ()


def test_attachments_inside_forwarded_messages():
    inner = mail()
    inner.add_attachment(
        PDF_BYTES, maintype="application", subtype="pdf", filename="Quyết định.pdf"
    )
    outer = mail()
    outer.replace_header("Subject", "Fwd: Công văn")
    outer.add_attachment(inner)
    got = parse_message(outer.as_bytes(), LIMITS)
    assert got.subject == "Fwd: Công văn"
    assert [a.name for a in got.attachments] == ["Quyết định.pdf"]


def test_a_pdf_sent_as_the_whole_message_body():
    msg = EmailMessage()
    msg["Subject"] = "scan"
    msg.set_content(PDF_BYTES, maintype="application", subtype="pdf", filename="scan.pdf")
    assert parse_message(msg.as_bytes(), LIMITS).attachments[0].data == PDF_BYTES


def test_size_limits():
    msg = mail()
    msg.add_attachment(
        PDF_BYTES + b"0" * 600_000, maintype="application", subtype="pdf", filename="lon.pdf"
    )
    msg.add_attachment(PDF_BYTES, maintype="application", subtype="pdf", filename="nho.pdf")
    got = parse_message(msg.as_bytes(), LIMITS)
    assert [a.name for a in got.attachments] == ["nho.pdf"]
    assert got.rejected[0].name == "lon.pdf" and "over the limit" in got.rejected[0].reason
    with pytest.raises(MalformedMail, match="over the limit"):
        parse_message(msg.as_bytes(), MailLimits(max_message_bytes=100_000))


def test_attachment_hash_and_bytes_are_exact():
    msg = mail()
    data = bytes(range(256)) * 10 + PDF_BYTES
    msg.add_attachment(b"%PDF-" + data, maintype="application", subtype="pdf", filename="x.pdf")
    back = BytesParser(policy=policy.default).parsebytes(msg.as_bytes())
    assert back.get_payload()[1].get_content() == b"%PDF-" + data
    got = parse_message(msg.as_bytes(), LIMITS).attachments[0]
    assert got.data == b"%PDF-" + data
    import hashlib

    assert got.sha256 == hashlib.sha256(got.data).hexdigest()


# -- malformed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty"),
        (raw_mail("no boundary here\r\n%PDF-1.4\r\n"), "boundary"),
        (raw_mail(pdf_part("").replace("\r\n--b1--\r\n", "\r\n")), "truncated"),
        (
            raw_mail(
                "--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64"
                "\r\n\r\nJVBERi0x!!!LjQK=\r\n--b1--\r\n"
            ),
            "base64",
        ),
        (raw_mail("", headers="").replace(b'boundary="b1"', b""), "boundary"),
    ],
)
def test_malformed_mime_raises_with_a_reason(raw, reason):
    with pytest.raises(MalformedMail, match=reason) as caught:
        parse_message(raw, LIMITS)
    assert caught.value.reason


def test_header_bombs_are_refused_before_the_parser_sees_them() -> None:
    from daemon.ingest.mailguard import hostile_headers

    words = "=?utf-8?b?xINDw6Ju?= "
    head = "From: a@x.gov.vn\r\nMessage-ID: <b@x>\r\nSubject: "
    many = (head + words * 5_000 + "\r\n\r\nbody\r\n").encode()
    huge = (head + "x" * 200_000 + "\r\n\r\nbody\r\n").encode()
    endless = (head + "x" * 200_000).encode()  # no blank line: all header
    fine = (head + words * 20 + "\r\n\r\nbody\r\n").encode()
    assert "encoded words in the headers" in (hostile_headers(many) or "")
    assert "headers larger than 128 KB" in (hostile_headers(huge) or "")
    assert "headers larger than 128 KB" in (hostile_headers(endless) or "")
    assert hostile_headers(fine) is None
    with pytest.raises(MalformedMail, match="encoded words"):
        parse_message(many, LIMITS)
    assert parse_headers(many).subject == ""  # not even the failure list parses it
