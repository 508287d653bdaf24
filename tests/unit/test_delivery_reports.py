"""Reading delivery status notifications (bounces) from real mail systems, and surviving junk."""

from __future__ import annotations

import base64
import random
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.header import Header

import pytest

from daemon.dispatch.reports import (
    MAX_READ_BYTES,
    MAX_RECIPIENTS,
    DeliveryReport,
    MalformedReport,
    bounced,
    is_delivery_report,
    parse_report,
)

ICT = timezone(timedelta(hours=7))
SENT_ID = "<177854730112.4021.9231086754213@vanthu.quangnam.gov.vn>"


def eml(text: str, crlf: bool = True) -> bytes:
    """A sample as it arrives: UTF-8, CRLF line ends over IMAP, LF in a local maildir."""
    return (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")


def words(text: str) -> str:
    return Header(text, "utf-8").encode()


def b64(text: str) -> str:
    return base64.encodebytes(text.encode("utf-8")).decode("ascii")


# The document as our mailer sent it; bounces return it whole, or only its headers.
ORIGINAL_HEADERS = f"""\
Return-Path: <vanthu@quangnam.gov.vn>
Received: from vanthu.quangnam.gov.vn (vanthu.quangnam.gov.vn [10.20.1.15])
\tby mail.quangnam.gov.vn (Postfix) with ESMTPSA id 4F1B2C0A1B
\tfor <vanthu@soxaydung.hanoi.gov.vn>; Tue, 12 May 2026 09:15:01 +0700 (+07)
From: {words("Văn thư UBND tỉnh Quảng Nam")} <vanthu@quangnam.gov.vn>
To: vanthu@soxaydung.hanoi.gov.vn
Subject: {words("Công văn số 123/UBND-VP về việc triển khai Nghị định 30/2020/NĐ-CP")}
Date: Tue, 12 May 2026 02:15:00 +0000
Message-ID: {SENT_ID}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="===============4839201746285919384=="
"""
ORIGINAL_TEXT = b64(
    "Kính gửi Sở Xây dựng thành phố Hà Nội,\nVăn thư gửi kèm công văn số 123/UBND-VP."
)
ORIGINAL = f"""{ORIGINAL_HEADERS}
--===============4839201746285919384==
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

{ORIGINAL_TEXT}
--===============4839201746285919384==
Content-Type: application/pdf
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename*=utf-8''123%2FUBND-VP.pdf

JVBERi0xLjcKJeLjz9MKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoKJSVFT0YK
--===============4839201746285919384==--
"""

POSTFIX_BOUNCE = f"""\
Return-Path: <>
Date: Tue, 12 May 2026 09:15:02 +0700 (+07)
From: MAILER-DAEMON@mail.quangnam.gov.vn (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: vanthu@quangnam.gov.vn
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F1B2C0A1B.1778552102/mail.quangnam.gov.vn"
Content-Transfer-Encoding: 8bit
Message-Id: <20260512021502.7C3E91C0604@mail.quangnam.gov.vn>

This is a MIME-encapsulated message.

--4F1B2C0A1B.1778552102/mail.quangnam.gov.vn
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.quangnam.gov.vn.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<vanthu@soxaydung.hanoi.gov.vn>: host mx.soxaydung.hanoi.gov.vn[203.0.113.25]
    said: 550 5.1.1 <vanthu@soxaydung.hanoi.gov.vn>: Recipient address rejected:
    User unknown in virtual mailbox table (in reply to RCPT TO command)

--4F1B2C0A1B.1778552102/mail.quangnam.gov.vn
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.quangnam.gov.vn
X-Postfix-Queue-ID: 4F1B2C0A1B
X-Postfix-Sender: rfc822; vanthu@quangnam.gov.vn
Arrival-Date: Tue, 12 May 2026 09:15:01 +0700 (+07)

Final-Recipient: rfc822; vanthu@soxaydung.hanoi.gov.vn
Original-Recipient: rfc822;vanthu@soxaydung.hanoi.gov.vn
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.soxaydung.hanoi.gov.vn
Diagnostic-Code: smtp; 550 5.1.1 <vanthu@soxaydung.hanoi.gov.vn>: Recipient
    address rejected: User unknown in virtual mailbox table

--4F1B2C0A1B.1778552102/mail.quangnam.gov.vn
Content-Description: Undelivered Message
Content-Type: message/rfc822
Content-Transfer-Encoding: 8bit

{ORIGINAL}
--4F1B2C0A1B.1778552102/mail.quangnam.gov.vn--
"""

POSTFIX_DELAYED = f"""\
Return-Path: <>
Date: Tue, 12 May 2026 13:20:07 +0700 (+07)
From: MAILER-DAEMON@mail.quangnam.gov.vn (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: vanthu@quangnam.gov.vn
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="8A3D21C05F.1778566807/mail.quangnam.gov.vn"
Content-Transfer-Encoding: 8bit
Message-Id: <20260512062007.B1F0A1C0602@mail.quangnam.gov.vn>

This is a MIME-encapsulated message.

--8A3D21C05F.1778566807/mail.quangnam.gov.vn
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.quangnam.gov.vn.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for more than 4 hour(s).
It will be retried until it is 5 day(s) old.

                   The mail system

<vanthu@sotuphap.danang.gov.vn>: connect to mail.sotuphap.danang.gov.vn[203.0.113.40]:25:
    Connection timed out

--8A3D21C05F.1778566807/mail.quangnam.gov.vn
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.quangnam.gov.vn
X-Postfix-Queue-ID: 8A3D21C05F
X-Postfix-Sender: rfc822; vanthu@quangnam.gov.vn
Arrival-Date: Tue, 12 May 2026 09:15:01 +0700 (+07)

Final-Recipient: rfc822; vanthu@sotuphap.danang.gov.vn
Original-Recipient: rfc822;vanthu@sotuphap.danang.gov.vn
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mail.sotuphap.danang.gov.vn[203.0.113.40]:25:
    Connection timed out
Will-Retry-Until: Sun, 17 May 2026 09:15:01 +0700 (+07)

--8A3D21C05F.1778566807/mail.quangnam.gov.vn
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

{ORIGINAL_HEADERS}
--8A3D21C05F.1778566807/mail.quangnam.gov.vn--
"""

EXCHANGE_NDR = f"""\
From: Microsoft Outlook
\t<MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@soyte.example.vn>
To: <vanthu@quangnam.gov.vn>
Date: Tue, 12 May 2026 02:20:14 +0000
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="8b0a0d7a-5b8a-4d5e-9f1e-3c2a1b0e9d77"
X-MS-Exchange-Message-Is-Ndr:
Content-Language: en-US
Message-ID: <a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d@SG2PR04MB1234.apcprd04.prod.outlook.com>
In-Reply-To: {SENT_ID}
References: {SENT_ID}
Subject: Undeliverable: {words("Công văn số 123/UBND-VP")}
Auto-Submitted: auto-replied
MIME-Version: 1.0

--8b0a0d7a-5b8a-4d5e-9f1e-3c2a1b0e9d77
Content-Type: multipart/alternative; differences=Content-Type;
\tboundary="2c5e7f10-1111-4aaa-bbbb-cccccccccccc"

--2c5e7f10-1111-4aaa-bbbb-cccccccccccc
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Your message to nguyen.van.a@soyte.example.vn couldn't be delivered.

nguyen.van.a wasn't found at soyte.example.vn.

Action Required                                 Recipient
Unknown To address

How to Fix It
The address may be misspelled or may not exist. Try one or more of the foll=
owing:

--2c5e7f10-1111-4aaa-bbbb-cccccccccccc
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=
=3Dus-ascii"></head><body><p>Your message to <a href=3D"mailto:nguyen.van.a=
@soyte.example.vn">nguyen.van.a@soyte.example.vn</a> couldn't be delivered.=
</p></body></html>

--2c5e7f10-1111-4aaa-bbbb-cccccccccccc--

--8b0a0d7a-5b8a-4d5e-9f1e-3c2a1b0e9d77
Content-Type: message/delivery-status

Reporting-MTA: dns;SG2PR04MB1234.apcprd04.prod.outlook.com
Received-From-MTA: dns;mail.quangnam.gov.vn
Arrival-Date: Tue, 12 May 2026 02:20:11 +0000

Original-Recipient: rfc822;nguyen.van.a@soyte.example.vn
Final-Recipient: rfc822;nguyen.van.a@soyte.example.vn
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient
 nguyen.van.a@soyte.example.vn not found by SMTP address lookup
X-Display-Name: Nguyen Van A


--8b0a0d7a-5b8a-4d5e-9f1e-3c2a1b0e9d77
Content-Type: text/rfc822-headers

{ORIGINAL_HEADERS.replace("vanthu@soxaydung.hanoi.gov.vn", "nguyen.van.a@soyte.example.vn")}
--8b0a0d7a-5b8a-4d5e-9f1e-3c2a1b0e9d77--
"""

GMAIL_ID = "<CAH0xYz9kL2mNq8rT4uV6wX1yZ3aB5cD7eF9gH0iJ2kL4mN6oP8q@mail.gmail.com>"
GMAIL_BOUNCE = f"""\
Delivered-To: vanthu.quangnam@gmail.com
Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: vanthu.quangnam@gmail.com
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
References: {GMAIL_ID}
In-Reply-To: {GMAIL_ID}
X-Failed-Recipients: khongtontai.vanthu@gmail.com
Message-ID: <6641f1e2.170a0220.3c2b1a.0001.GMR@mx.google.com>
Date: Mon, 11 May 2026 19:20:34 -0700 (PDT)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000a1b2c3d4e5f60718"; report-type=delivery-status

--000000000000a1b2c3d4e5f60718
Content-Type: multipart/related; boundary="000000000000a1b2c3d4e5f60729"

--000000000000a1b2c3d4e5f60729
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6073a"

--000000000000a1b2c3d4e5f6073a
Content-Type: text/plain; charset="UTF-8"


** Address not found **

Your message wasn't delivered to khongtontai.vanthu@gmail.com because the address couldn't
be found, or is unable to receive mail.

Learn more here: https://support.google.com/mail/?p=NoSuchUser

--000000000000a1b2c3d4e5f6073a
Content-Type: text/html; charset="UTF-8"

<html><head></head><body><img src="cid:icon.png" alt="Error Icon" width="46" height="46">
<p>Your message wasn't delivered to <a>khongtontai.vanthu@gmail.com</a></p></body></html>

--000000000000a1b2c3d4e5f6073a--
--000000000000a1b2c3d4e5f60729
Content-Type: image/png; name="icon.png"
Content-Disposition: attachment; filename="icon.png"
Content-Transfer-Encoding: base64
Content-ID: <icon.png>

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJg
gg==
--000000000000a1b2c3d4e5f60729--
--000000000000a1b2c3d4e5f60718
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; vanthu.quangnam@gmail.com
Arrival-Date: Mon, 11 May 2026 19:20:33 -0700 (PDT)
X-Original-Message-ID: {GMAIL_ID}

Final-Recipient: rfc822; khongtontai.vanthu@gmail.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.google.com. (142.250.157.27, the server for the domain
 gmail.com.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.
 Please try 550-5.1.1 double-checking the recipient's email address for typos or
 550-5.1.1 unnecessary spaces. For more information, go to
 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 98e67ed59e1d1-2ee5c1a2b3fsi1 - gsmtp
Last-Attempt-Date: Mon, 11 May 2026 19:20:34 -0700 (PDT)

--000000000000a1b2c3d4e5f60718
Content-Type: message/rfc822

From: vanthu.quangnam@gmail.com
Date: Tue, 12 May 2026 09:20:31 +0700
Message-ID: {GMAIL_ID}
Subject: {words("Giấy mời họp")}
To: khongtontai.vanthu@gmail.com
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64

{b64("Kính mời đồng chí dự họp.")}
--000000000000a1b2c3d4e5f60718--
"""

SENDMAIL_MIXED = f"""\
Return-Path: <MAILER-DAEMON@mail.sotaichinh.hue.gov.vn>
Date: Tue, 12 May 2026 09:01:40 +0700
From: Mail Delivery Subsystem <MAILER-DAEMON@mail.sotaichinh.hue.gov.vn>
Message-Id: <202605120201.4CB1JQ7m012345@mail.sotaichinh.hue.gov.vn>
To: <vanthu@quangnam.gov.vn>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4CB1JQ7m012345.1778551300/mail.sotaichinh.hue.gov.vn"
Subject: Returned mail: see transcript for details
Auto-Submitted: auto-generated (failure)

This is a MIME-encapsulated message

--4CB1JQ7m012345.1778551300/mail.sotaichinh.hue.gov.vn

The original message was received at Tue, 12 May 2026 09:01:39 +0700
from mail.quangnam.gov.vn [198.51.100.7]

   ----- The following addresses had permanent fatal errors -----
<ketoan@sotaichinh.hue.gov.vn>
    (reason: 552 5.2.2 Mailbox full)

   ----- Transcript of session follows -----
... while talking to mailstore.sotaichinh.hue.gov.vn.:
>>> DATA
<<< 552 5.2.2 Mailbox full
554 5.0.0 Service unavailable

--4CB1JQ7m012345.1778551300/mail.sotaichinh.hue.gov.vn
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.sotaichinh.hue.gov.vn
Received-From-MTA: DNS; mail.quangnam.gov.vn
Arrival-Date: Tue, 12 May 2026 09:01:39 +0700

Final-Recipient: RFC822; KeToan@sotaichinh.hue.gov.vn
Action: failed
Status: 5.2.2
Remote-MTA: DNS; mailstore.sotaichinh.hue.gov.vn
Diagnostic-Code: SMTP; 552 5.2.2 Mailbox full
Last-Attempt-Date: Tue, 12 May 2026 09:01:40 +0700

Final-Recipient: RFC822; vanthu@sotaichinh.hue.gov.vn
Action: delivered (to mailbox)
Status: 2.0.0
Remote-MTA: DNS; mailstore.sotaichinh.hue.gov.vn
Diagnostic-Code: SMTP; 250 2.0.0 Ok: queued as 4Zb8Qk1mXyz
Last-Attempt-Date: Tue, 12 May 2026 09:01:40 +0700

--4CB1JQ7m012345.1778551300/mail.sotaichinh.hue.gov.vn
Content-Type: text/rfc822-headers

{ORIGINAL_HEADERS}
--4CB1JQ7m012345.1778551300/mail.sotaichinh.hue.gov.vn--
"""

VIETNAMESE_TEXT = (
    "Đây là thư thông báo tự động từ hệ thống thư điện tử tỉnh An Giang.\n\n"
    "Thư của quý cơ quan không thể chuyển đến người nhận sau đây:\n"
    "    phongtonghop@angiang.gov.vn\n"
    "Lý do: hộp thư của người nhận đã đầy.\n\n"
    "Đề nghị liên hệ quản trị hệ thống để được hỗ trợ.\n"
)
# Raw UTF-8 in the status part, decomposed (NFD) as some systems write it.
FULL_NFD = unicodedata.normalize("NFD", "Hộp thư của người nhận đã đầy")
VIETNAMESE_BOUNCE = f"""\
From: {words("Hệ thống thư điện tử")} <mailer-daemon@mail.angiang.gov.vn>
To: vanthu@quangnam.gov.vn
Subject: {words("Thư không gửi được: Công văn số 123/UBND-VP")}
Date: Tue, 12 May 2026 10:03:12 +0700
Message-ID: <bounce.20260512100312.51873@mail.angiang.gov.vn>
MIME-Version: 1.0
Content-Type: multipart/report; report-type="delivery-status"; boundary="=_vn_0a1b2c3d"

--=_vn_0a1b2c3d
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

{b64(VIETNAMESE_TEXT)}
--=_vn_0a1b2c3d
Content-Type: message/delivery-status
Content-Transfer-Encoding: 8bit

Reporting-MTA: dns; mail.angiang.gov.vn
Arrival-Date: Tue, 12 May 2026 10:03:10 +0700

Final-Recipient: rfc822; phongtonghop@angiang.gov.vn
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 5.2.2 {FULL_NFD} (mailbox full)

--=_vn_0a1b2c3d
Content-Type: message/rfc822

{ORIGINAL}
--=_vn_0a1b2c3d--
"""

# RFC 6533: the report for a mail sent with SMTPUTF8 (a Vietnamese mailbox name).
GLOBAL_BOUNCE = f"""\
From: MAILER-DAEMON@mail.quangnam.gov.vn (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=global-delivery-status;
\tboundary="6D2E1C0B3A.1778552500/mail.quangnam.gov.vn"

--6D2E1C0B3A.1778552500/mail.quangnam.gov.vn
Content-Type: text/plain; charset=utf-8

<văn.thư@sở.example.vn>: User unknown

--6D2E1C0B3A.1778552500/mail.quangnam.gov.vn
Content-Type: message/global-delivery-status

Reporting-MTA: dns; mail.quangnam.gov.vn
Arrival-Date: Tue, 12 May 2026 09:21:40 +0700 (+07)

Final-Recipient: utf-8; v\\x{{0103}}n.th\\x{{01B0}}@s\\x{{1EDF}}.example.vn
Original-Recipient: utf-8; văn.thư@sở.example.vn
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--6D2E1C0B3A.1778552500/mail.quangnam.gov.vn
Content-Type: message/global-headers

{ORIGINAL_HEADERS}
--6D2E1C0B3A.1778552500/mail.quangnam.gov.vn--
"""

READ_RECEIPT = f"""\
From: Nguyen Van A <nguyen.van.a@soyte.example.vn>
To: vanthu@quangnam.gov.vn
Subject: Read: {words("Công văn số 123/UBND-VP")}
Date: Tue, 12 May 2026 10:41:07 +0700
Message-ID: <mdn.51f0c2@soyte.example.vn>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification;
\tboundary="----=_Part_77_1208419340.1778557267"

------=_Part_77_1208419340.1778557267
Content-Type: text/plain; charset=UTF-8

This is a receipt for the mail you sent. It was displayed on the recipient's computer.

------=_Part_77_1208419340.1778557267
Content-Type: message/disposition-notification

Reporting-UA: soyte.example.vn; Thunderbird 128.5.0
Original-Recipient: rfc822;nguyen.van.a@soyte.example.vn
Final-Recipient: rfc822;nguyen.van.a@soyte.example.vn
Original-Message-ID: {SENT_ID}
Disposition: manual-action/MDN-sent-manually; displayed

------=_Part_77_1208419340.1778557267--
"""

SAMPLES = {
    "postfix bounce": eml(POSTFIX_BOUNCE, crlf=False),
    "postfix delayed": eml(POSTFIX_DELAYED),
    "exchange": eml(EXCHANGE_NDR),
    "gmail": eml(GMAIL_BOUNCE),
    "sendmail mixed": eml(SENDMAIL_MIXED, crlf=False),
    "vietnamese": eml(VIETNAMESE_BOUNCE),
    "global": eml(GLOBAL_BOUNCE),
}


def report(sample: str) -> DeliveryReport:
    (only,) = parse_report(SAMPLES[sample])
    return only


def status_part(blocks: str, boundary: str = "b") -> bytes:
    """A minimal report around the given delivery-status text."""
    return (
        f"Content-Type: multipart/report; report-type=delivery-status; boundary={boundary}\n\n"
        f"--{boundary}\nContent-Type: text/plain\n\nBounce.\n\n"
        f"--{boundary}\nContent-Type: message/delivery-status\n\n{blocks}\n--{boundary}--\n"
    ).encode()


# -- what real mail systems send ---------------------------------------------------------------


def test_a_postfix_bounce_names_the_unknown_user_and_the_document_it_returns() -> None:
    assert report("postfix bounce") == DeliveryReport(
        original_message_id=SENT_ID,
        recipient="vanthu@soxaydung.hanoi.gov.vn",
        action="failed",
        status="5.1.1",
        diagnostic="550 5.1.1 <vanthu@soxaydung.hanoi.gov.vn>: Recipient address rejected: "
        "User unknown in virtual mailbox table",
        reporting_mta="mail.quangnam.gov.vn",
        arrival=datetime(2026, 5, 12, 9, 15, 1, tzinfo=ICT),
    )
    assert bounced(report("postfix bounce"))


def test_a_postfix_delay_warning_is_not_a_bounce() -> None:
    delayed = report("postfix delayed")
    assert (delayed.action, delayed.status) == ("delayed", "4.4.1")
    assert delayed.recipient == "vanthu@sotuphap.danang.gov.vn"
    assert delayed.original_message_id == SENT_ID  # from text/rfc822-headers
    assert delayed.diagnostic == (
        "connect to mail.sotuphap.danang.gov.vn[203.0.113.40]:25: Connection timed out"
    )
    assert not bounced(delayed)


def test_an_exchange_ndr_gives_the_five_part_status_and_the_returned_headers() -> None:
    ndr = report("exchange")
    assert ndr.recipient == "nguyen.van.a@soyte.example.vn"
    assert (ndr.action, ndr.status) == ("failed", "5.1.10")
    assert ndr.diagnostic == (
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient nguyen.van.a@soyte.example.vn "
        "not found by SMTP address lookup"
    )
    assert ndr.reporting_mta == "SG2PR04MB1234.apcprd04.prod.outlook.com"
    assert ndr.arrival == datetime(2026, 5, 12, 2, 20, 11, tzinfo=UTC)
    assert ndr.original_message_id == SENT_ID
    assert bounced(ndr)


def test_a_gmail_bounce_unfolds_the_multi_line_reply_onto_one_line() -> None:
    gmail = report("gmail")
    assert gmail.recipient == "khongtontai.vanthu@gmail.com"
    assert gmail.original_message_id == GMAIL_ID
    assert gmail.diagnostic is not None
    assert gmail.diagnostic.startswith("550-5.1.1 The email account that you tried to reach")
    assert "\n" not in gmail.diagnostic and "  " not in gmail.diagnostic
    assert gmail.diagnostic.endswith("- gsmtp")
    assert gmail.arrival == datetime(2026, 5, 11, 19, 20, 33, tzinfo=timezone(-timedelta(hours=7)))


def test_without_the_returned_message_the_id_comes_from_x_original_message_id() -> None:
    cut = GMAIL_BOUNCE.split("--000000000000a1b2c3d4e5f60718\nContent-Type: message/rfc822")[0]
    (gmail,) = parse_report(eml(cut + "--000000000000a1b2c3d4e5f60718--\n"))
    assert gmail.original_message_id == GMAIL_ID
    headers_only = status_part("Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.vn\n")
    with_header = b"Original-Message-ID: <m1@quangnam.gov.vn>\n" + headers_only
    assert parse_report(with_header)[0].original_message_id == "<m1@quangnam.gov.vn>"
    assert parse_report(headers_only)[0].original_message_id is None


def test_one_report_per_recipient_block_failed_and_delivered_apart() -> None:
    failed, delivered = parse_report(SAMPLES["sendmail mixed"])
    assert (failed.recipient, failed.action, failed.status) == (
        "ketoan@sotaichinh.hue.gov.vn",
        "failed",
        "5.2.2",
    )
    assert failed.diagnostic == "552 5.2.2 Mailbox full"
    assert (delivered.recipient, delivered.action, delivered.status) == (
        "vanthu@sotaichinh.hue.gov.vn",
        "delivered",
        "2.0.0",
    )
    assert bounced(failed) and not bounced(delivered)
    assert failed.original_message_id == delivered.original_message_id == SENT_ID
    assert failed.reporting_mta == "mail.sotaichinh.hue.gov.vn"


def test_a_vietnamese_report_with_raw_utf8_in_its_diagnostic_reads_as_nfc_text() -> None:
    vietnamese = report("vietnamese")
    assert vietnamese.recipient == "phongtonghop@angiang.gov.vn"
    assert vietnamese.diagnostic == "552 5.2.2 Hộp thư của người nhận đã đầy (mailbox full)"
    assert vietnamese.original_message_id == SENT_ID
    assert bounced(vietnamese)


def test_a_report_on_utf8_mail_decodes_the_escaped_mailbox_name() -> None:
    utf8 = report("global")
    assert utf8.recipient == "văn.thư@sở.example.vn"
    assert utf8.original_message_id == SENT_ID
    assert bounced(utf8)


def test_is_delivery_report_reads_the_content_type_whatever_the_parsing_policy() -> None:
    for raw in SAMPLES.values():
        assert is_delivery_report(message_from_bytes(raw))
        assert is_delivery_report(message_from_bytes(raw, policy=policy.default))
    assert not is_delivery_report(message_from_bytes(eml(READ_RECEIPT)))
    assert not is_delivery_report(message_from_bytes(eml(ORIGINAL)))


# -- the fields, one by one --------------------------------------------------------------------


def test_a_missing_status_is_taken_from_the_reply_and_never_from_an_ip_address() -> None:
    (quoted,) = parse_report(
        status_part(
            "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.vn\n"
            "Diagnostic-Code: smtp; host 10.5.0.113 said: 554 5.7.1 Relay access denied\n"
        )
    )
    assert (quoted.status, quoted.action) == ("5.7.1", "failed")
    (unknown,) = parse_report(
        status_part("Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.vn\nAction: lost\n")
    )
    assert (unknown.status, unknown.action) == (None, "unknown")
    assert not bounced(unknown)


def test_a_five_status_bounces_unless_the_action_is_delayed() -> None:
    base = report("postfix bounce")
    assert bounced(replace(base, action="relayed"))
    assert not bounced(replace(base, action="delayed"))
    assert not bounced(replace(base, action="relayed", status=None))


def test_original_recipient_stands_in_when_final_recipient_is_missing() -> None:
    (only,) = parse_report(
        status_part(
            "Reporting-MTA: dns; x\n\nOriginal-Recipient: rfc822;<VanThu@HaNoi.gov.vn>\n"
            "Action: Failed\nStatus: 5.0.0 (permanent failure)\n"
        )
    )
    assert (only.recipient, only.action, only.status) == ("vanthu@hanoi.gov.vn", "failed", "5.0.0")
    assert (only.reporting_mta, only.arrival, only.diagnostic) == ("x", None, None)


def test_a_long_diagnostic_is_cut_to_a_few_hundred_characters() -> None:
    long = "Diagnostic-Code: smtp; 550 5.7.1 " + "\n ".join(["spam policy"] * 2000)
    (only,) = parse_report(status_part(f"Reporting-MTA: dns; x\n\nAction: failed\n{long}\n"))
    assert only.diagnostic is not None and 200 <= len(only.diagnostic) <= 500
    assert only.recipient is None


def test_a_bad_arrival_date_is_left_out_not_fatal() -> None:
    blocks = "Reporting-MTA: dns; x\nArrival-Date: 31 Feb 99999 25:61\n\nAction: failed\n"
    assert parse_report(status_part(blocks))[0].arrival is None


# -- what is not a delivery report -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty"),
        (b"\r\n \r\n", "empty"),
        (eml(READ_RECEIPT), "disposition-notification"),
        (eml(ORIGINAL), "multipart/mixed"),
        (bytes(range(256)) * 4, "not a delivery report"),
        (b"Content-Type: multipart/report; report-type=delivery-status\n\nx", "boundary"),
        (status_part("").replace(b"message/delivery-status", b"text/plain"), "delivery-status"),
        (status_part("Reporting-MTA: dns; mail.example.vn\n"), "no recipient"),
    ],
)
def test_what_is_not_a_readable_delivery_report_raises_malformed_report(
    raw: bytes, reason: str
) -> None:
    with pytest.raises(MalformedReport, match=reason) as caught:
        parse_report(raw)
    assert caught.value.reason


# -- hostile input ------------------------------------------------------------------------------


def test_recipient_blocks_are_capped() -> None:
    blocks = "".join(f"Final-Recipient: rfc822; u{i}@x.vn\nAction: failed\n\n" for i in range(3000))
    reports = parse_report(status_part("Reporting-MTA: dns; x\n\n" + blocks))
    assert len(reports) == MAX_RECIPIENTS
    assert reports[-1].recipient == f"u{MAX_RECIPIENTS - 1}@x.vn"


@pytest.mark.parametrize(
    "raw",
    [
        status_part("\n" * MAX_READ_BYTES),  # the stdlib makes one Message per blank line
        status_part("Final-Recipient: x\n" + " y\n" * 400_000),  # one endless folded field
        status_part("A: b\n\n" * 200_000),
        eml(POSTFIX_BOUNCE.replace(ORIGINAL, "Content-Type: message/rfc822\n\n" * 50_000)),
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        + b"--b\n" * 300_000,
        POSTFIX_BOUNCE.encode().replace(b"Content-Type: text/plain", b"X: " + b"y" * 5_000_000),
    ],
    ids=["blank lines", "folds", "empty blocks", "nesting", "empty parts", "huge part"],
)
def test_hostile_reports_end_in_a_few_reports_or_a_clear_refusal(raw: bytes) -> None:
    """Each of these took seconds to minutes in the standard parser; here the work is bounded
    by what is read (MAX_READ_BYTES, MAX_RECIPIENTS), not by what is sent (no clock here: the
    suite's timeout catches a parser that runs away)."""
    try:
        reports = parse_report(raw)
    except MalformedReport as refused:
        assert refused.reason
    else:
        assert len(reports) <= MAX_RECIPIENTS


def test_a_status_part_past_the_read_limit_is_reported_as_such() -> None:
    padded = POSTFIX_BOUNCE.replace("The mail system\n", "The mail system\n" * 100_000)
    assert len(padded) > MAX_READ_BYTES
    with pytest.raises(MalformedReport, match="no message/delivery-status part in the first"):
        parse_report(eml(padded))


def test_a_deeply_nested_returned_message_is_not_walked_into() -> None:
    nested = POSTFIX_BOUNCE.replace(ORIGINAL, "Content-Type: message/rfc822\n\n" * 50_000)
    (only,) = parse_report(eml(nested))
    assert (only.status, only.original_message_id) == ("5.1.1", None)


def test_random_mutations_of_the_samples_raise_nothing_but_malformed_report() -> None:
    rng = random.Random(3464)
    junk = [b"\n", b"\r\n\r\n", b"--", b":", b";", b"\x00", b"\xff\xfe", "ệ".encode(), b"=?utf-8?"]
    seeds = [*SAMPLES.values(), eml(READ_RECEIPT)]
    for _ in range(3000):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            kind = rng.randrange(4)
            if kind == 0:
                data[at] = rng.randrange(256)
            elif kind == 1:
                del data[at : at + rng.randint(1, 200)]
            elif kind == 2:
                data[at:at] = rng.choice(junk) * rng.randint(1, 50)
            else:
                data[at:at] = data[rng.randrange(len(data)) :][: rng.randint(1, 500)]
        try:
            reports = parse_report(bytes(data))
        except MalformedReport as exc:
            assert exc.reason
            continue
        assert 1 <= len(reports) <= MAX_RECIPIENTS
        for one in reports:
            assert isinstance(one.action, str)
            assert one.diagnostic is None or len(one.diagnostic) <= 500
            assert one.arrival is None or one.arrival.tzinfo is not None
