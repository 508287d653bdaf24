"""What the reminders pick on a working morning (across weekends, Tết and a make-up Saturday),
and what the digest and a reminder say, in plain text and HTML."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.parser import BytesParser
from zoneinfo import ZoneInfo

import pytest

from daemon.config import SmtpSettings
from daemon.schedule.items import Item, Trouble
from daemon.schedule.jobs.digest import Digest, render
from daemon.schedule.jobs.reminders import Nearness, Reminder, nearness
from daemon.schedule.jobs.reminders import render as render_reminder
from daemon.schedule.notify import compose
from daemon.workdays import Calendar

TZ = "Asia/Ho_Chi_Minh"
HCM = ZoneInfo(TZ)
CAL = Calendar()
D = dt.date


@pytest.mark.parametrize(
    ("due", "day", "expected"),
    [
        (D(2026, 12, 7), D(2026, 12, 3), None),  # Monday's deadline on Thursday: not yet
        (D(2026, 12, 7), D(2026, 12, 4), Nearness.SOON),  # Friday: the working day before
        (D(2026, 12, 7), D(2026, 12, 7), Nearness.TODAY),
        (D(2026, 12, 7), D(2026, 12, 8), Nearness.OVERDUE),
        (D(2026, 12, 6), D(2026, 12, 4), Nearness.SOON),  # due on a Sunday: said on Friday
        (D(2026, 12, 6), D(2026, 12, 7), Nearness.OVERDUE),  # ...and overdue on Monday
        (D(2026, 2, 23), D(2026, 2, 12), None),  # after Tết: not on Thursday 12/2
        (D(2026, 2, 23), D(2026, 2, 13), Nearness.SOON),  # the last day before Tết
        (D(2026, 8, 24), D(2026, 8, 21), None),  # Saturday 22/8 is worked: it comes first
        (D(2026, 8, 24), D(2026, 8, 22), Nearness.SOON),
        (D(2026, 9, 3), D(2026, 8, 28), Nearness.SOON),  # 31/8-2/9 off
    ],
)
def test_when_an_entry_is_reminded(due: dt.date, day: dt.date, expected: Nearness | None) -> None:
    assert nearness(due, day, CAL) is expected


def item(seq: int, **kw: object) -> Item:
    values: dict[str, object] = {
        "book": "den",
        "year": 2026,
        "seq": seq,
        "received_at": dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC),
        "number": f"{seq}/UBND-VP",
        "issuer": "Sở Tài chính tỉnh Khánh Hòa",
        "subject": "V/v báo cáo <tình hình> thu ngân sách",
        "urgency": None,
        "status": "registered",
        "due_date": None,
        "unit": None,
        "assignee": None,
    }
    values.update(kw)
    return Item(**values)  # type: ignore[arg-type]


def test_the_digest_says_everything_in_its_sections() -> None:
    digest = Digest(
        day=D(2026, 12, 4),
        since=dt.datetime(2026, 12, 3, 7, 30, tzinfo=HCM),
        until=dt.datetime(2026, 12, 4, 7, 30, tzinfo=HCM),
        arrived=[item(12, urgency="Hỏa tốc", unit="Văn phòng", assignee="Nguyễn Văn An")],
        urgent=[item(12, urgency="Hỏa tốc", due_date=D(2026, 12, 4))],
        due_today=[item(9, due_date=D(2026, 12, 4), unit="Phòng Nội vụ")],
        overdue=[item(3, due_date=D(2026, 12, 1))],
        review=[],
        troubles=[
            Trouble("27/UBND-VP", "Sở Nội vụ", "snv@example.gov.vn", "bounced", "550 no user"),
            Trouble("28/UBND-VP", "Sở Y tế", None, "uncertain", None),
        ],
        gaps={2026: [(5, 7), (12, 12)]},
    )
    notice = render(digest, TZ)
    assert notice.subject == "[vanthu] Tổng hợp văn thư ngày 04/12/2026"
    text = notice.text
    assert "Tổng hợp công tác văn thư thứ Sáu, 04/12/2026, tính đến 07:30 ngày 04/12/2026." in text
    assert "1. Văn bản đến từ 07:30 ngày 03/12/2026: 1" in text
    assert (
        "   - Số đến 12/2026: 12/UBND-VP – Sở Tài chính tỉnh Khánh Hòa – V/v báo cáo <tình hình> "
        "thu ngân sách [Hỏa tốc] – Văn phòng (Nguyễn Văn An)"
    ) in text
    assert "2. Văn bản khẩn chưa giải quyết: 1" in text and "[Hỏa tốc] – hạn 04/12/2026" in text
    assert "3. Đến hạn giải quyết hôm nay: 1" in text and "– Phòng Nội vụ" in text
    assert "4. Quá hạn giải quyết: 1" in text and "Số đến 3/2026" in text
    assert "hạn 01/12/2026 – chưa giao đơn vị" in text
    assert "5. Cần văn thư xem lại (needs review): 0\n   Không có." in text
    assert "27/UBND-VP → Sở Nội vụ <snv@example.gov.vn>: bị trả lại (550 no user)" in text
    assert "28/UBND-VP → Sở Y tế: chưa rõ đã gửi được chưa" in text
    assert "7. Số văn bản đi bị thiếu trong sổ\n   - Sổ đi năm 2026: thiếu số 5–7, 12" in text
    assert notice.counts["gaps"] == 4 and notice.counts["overdue"] == 1
    assert notice.html is not None and "&lt;tình hình&gt;" in notice.html
    assert "<tình hình>" not in notice.html


def test_a_unit_reminder_lists_its_entries_by_nearness() -> None:
    reminders = [
        Reminder(item(3, due_date=D(2026, 12, 1), unit="Văn phòng"), Nearness.OVERDUE),
        Reminder(item(9, due_date=D(2026, 12, 7), unit="Văn phòng"), Nearness.SOON),
    ]
    notice = render_reminder(reminders, D(2026, 12, 4), "Văn phòng")
    assert notice.subject == "[vanthu] Nhắc hạn giải quyết văn bản của Văn phòng ngày 04/12/2026"
    text = notice.text
    soon, today, late = (text.index(n.value) for n in Nearness)
    assert soon < text.index("Số đến 9/2026") < today < late < text.index("Số đến 3/2026")
    assert "2. Đến hạn giải quyết hôm nay: 0" in text
    assert "– Văn phòng" not in text, "the unit's own mail does not repeat its name per line"


def test_the_mail_keeps_a_long_vietnamese_subject_whole() -> None:
    """CPython gh-92081 drops spaces between encoded words when folding: the subject is
    encoded with Header, and parsed back it is the same text."""
    subject = "[vanthu] Nhắc hạn giải quyết văn bản của Phòng Tài chính – Kế hoạch huyện Khánh Sơn"
    reminders = [Reminder(item(1, due_date=D(2026, 12, 4)), Nearness.TODAY)]
    notice = render_reminder(reminders, D(2026, 12, 4), None)
    notice = type(notice)(subject, notice.text, notice.html, notice.counts)
    smtp = SmtpSettings(host="h", from_address="vanthu@khanhson.test", from_name="Văn thư UBND")
    message = compose(notice, smtp, ["a@x.test"], dt.datetime(2026, 12, 4, 7, 30, tzinfo=HCM))
    back = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert str(back["Subject"]) == subject
    assert back["Auto-Submitted"] == "auto-generated"
    body = back.get_body(("plain",))
    assert body is not None and "Đến hạn giải quyết hôm nay: 1" in body.get_content()
