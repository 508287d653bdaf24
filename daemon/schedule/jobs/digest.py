"""The digest (bản tổng hợp): each working morning, to the clerk and the leaders.

It says what arrived since the last digest, what urgent documents are still open, what is due
today and what is overdue (hạn giải quyết, open entries of the sổ đến), what waits for the
clerk's review, which outgoing deliveries failed, bounced or are uncertain, and the numbers
missing from this year's sổ đi. "Since the last digest" is the moment the last digest that was
done was due (after a long weekend: since Friday's); without one, the working day before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from daemon.config import Settings
from daemon.register.models import DeliveryStatus
from daemon.schedule import items, ledger, notify
from daemon.schedule.cadence import Slot, latest_slot
from daemon.schedule.context import Context
from daemon.schedule.items import Item, Trouble
from daemon.schedule.sections import Section, as_html, as_text, day_text, entry_line, moment_text

JOB = "digest"
_TROUBLE_NAMES = {
    DeliveryStatus.FAILED: "gửi không thành công",
    DeliveryStatus.BOUNCED: "bị trả lại",
    DeliveryStatus.UNCERTAIN: "chưa rõ đã gửi được chưa",
}


@dataclass(frozen=True)
class Digest:
    day: dt.date
    since: dt.datetime
    until: dt.datetime
    arrived: list[Item]
    urgent: list[Item]
    due_today: list[Item]
    overdue: list[Item]
    review: list[Item]
    troubles: list[Trouble]
    gaps: dict[int, list[tuple[int, int]]]  # by year of the sổ đi


def gather(session: Session, slot: Slot, since: dt.datetime, until: dt.datetime) -> Digest:
    due = items.open_due_by(session, slot.day)
    years = [slot.day.year - 1, slot.day.year] if slot.day.month == 1 else [slot.day.year]
    gaps = {year: found for year in years if (found := items.outgoing_gaps(session, year))}
    return Digest(
        day=slot.day,
        since=since,
        until=until,
        arrived=items.arrived(session, since, until),
        urgent=items.open_urgent(session),
        due_today=[i for i in due if i.due_date == slot.day],
        overdue=[i for i in due if i.due_date is not None and i.due_date < slot.day],
        review=items.needing_review(session),
        troubles=items.deliveries_in_trouble(session),
        gaps=gaps,
    )


def subject(day: dt.date) -> str:
    return f"[vanthu] Tổng hợp văn thư ngày {day:%d/%m/%Y}"


def sections(digest: Digest, tz: str) -> list[Section]:
    def listed(title: str, found: list[Item], **how: bool) -> Section:
        return Section(title, tuple(entry_line(i, **how) for i in found), len(found))

    troubles = tuple(
        f"{t.number or '(không số)'} → {t.recipient}"
        + (f" <{t.email}>" if t.email else "")
        + f": {_TROUBLE_NAMES.get(DeliveryStatus(t.status), t.status)}"
        + (f" ({t.reason})" if t.reason else "")
        for t in digest.troubles
    )
    gaps = tuple(
        f"Sổ đi năm {year}: thiếu số " + ", ".join(_run(a, b) for a, b in runs)
        for year, runs in sorted(digest.gaps.items())
    )
    return [
        listed(f"Văn bản đến từ {moment_text(digest.since, tz)}", digest.arrived, unit=True),
        listed("Văn bản khẩn chưa giải quyết", digest.urgent, due=True, unit=True),
        listed("Đến hạn giải quyết hôm nay", digest.due_today, unit=True),
        listed("Quá hạn giải quyết", digest.overdue, due=True, unit=True),
        listed("Cần văn thư xem lại (needs review)", digest.review),
        Section("Văn bản đi gửi chưa thành công", troubles, len(troubles)),
        Section("Số văn bản đi bị thiếu trong sổ", gaps),
    ]


def render(digest: Digest, tz: str) -> notify.Notice:
    heading = (
        f"Tổng hợp công tác văn thư {day_text(digest.day)}, "
        f"tính đến {moment_text(digest.until, tz)}."
    )
    parts = sections(digest, tz)
    counts = {
        "arrived": len(digest.arrived),
        "urgent": len(digest.urgent),
        "due_today": len(digest.due_today),
        "overdue": len(digest.overdue),
        "review": len(digest.review),
        "deliveries": len(digest.troubles),
        "gaps": sum(b - a + 1 for runs in digest.gaps.values() for a, b in runs),
    }
    return notify.Notice(
        subject(digest.day), as_text(heading, parts), as_html(heading, parts), counts
    )


def since_when(sessions: sessionmaker[Session], ctx: Context, slot: Slot) -> dt.datetime:
    """The moment the last digest done before this one was due, else the slot before."""
    previous = ledger.previous_done(sessions, JOB, slot.at)
    if previous is not None:
        return previous.slot_at
    before = latest_slot(
        JOB, ctx.cadence(JOB), slot.at - dt.timedelta(seconds=1), ctx.calendar, ctx.tz
    )
    return before.at if before is not None else slot.at - dt.timedelta(days=1)


def run(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime) -> str:
    ctx = Context.of(settings)
    slot = ctx.slot(JOB, now)
    since = since_when(sessions, ctx, slot)
    with sessions() as session:
        digest = gather(session, slot, since, now)
    sent = notify.send(
        settings, render(digest, ctx.tz), settings.schedule.digest_to, kind="digest", when=now
    )
    return f"{len(digest.arrived)} arrived, {len(digest.overdue)} overdue; to {sent.summary}"


def _run(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"
