"""Reminders of the hạn giải quyết: each working morning, for every open incoming entry that is
due on the next working day ("sắp đến hạn"), due today ("đến hạn hôm nay") or overdue ("quá
hạn"), each working morning while it stays open.

Each unit with an address in rules/units.toml gets one mail listing its own entries; the clerk
([schedule] clerk_to, else the official mailbox) gets one listing them all, which also covers
the units without an address. A closed entry is never reminded (the query asks for open ones),
and the run ledger's period is the day, so no entry is reminded twice on one day.

A deadline on a day that is not worked (a document's own "trước ngày 15/02/2026" on a Sunday)
is announced on the working day before it and is overdue from the next working day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from daemon.config import Settings
from daemon.schedule import items, notify
from daemon.schedule.context import Context
from daemon.schedule.items import Item
from daemon.schedule.sections import Section, as_html, as_text, day_text, entry_line
from daemon.schedule.units import Units, load_units
from daemon.workdays import Calendar

JOB = "reminders"


class Nearness(StrEnum):
    SOON = "Sắp đến hạn (ngày làm việc tới)"
    TODAY = "Đến hạn giải quyết hôm nay"
    OVERDUE = "Quá hạn giải quyết"


@dataclass(frozen=True)
class Reminder:
    item: Item
    nearness: Nearness


def nearness(due: dt.date, day: dt.date, calendar: Calendar) -> Nearness | None:
    """How close `due` is on working day `day`, or None when it is not yet time to remind."""
    if due < day:
        return Nearness.OVERDUE
    if due == day:
        return Nearness.TODAY
    if due <= calendar.next_working_day(day):
        return Nearness.SOON
    return None


def select_reminders(session: Session, day: dt.date, calendar: Calendar) -> list[Reminder]:
    """The open incoming entries to remind on `day`, in register order."""
    horizon = calendar.next_working_day(day)
    found = []
    for item in items.open_due_by(session, horizon):
        assert item.due_date is not None  # the query asks for a due date
        near = nearness(item.due_date, day, calendar)
        if near is not None:
            found.append(Reminder(item, near))
    return found


def render(reminders: list[Reminder], day: dt.date, unit: str | None) -> notify.Notice:
    """One mail: to a unit (its own entries) or, with `unit` None, to the clerk (all)."""
    whose = f" của {unit}" if unit else ""
    subject = f"[vanthu] Nhắc hạn giải quyết văn bản{whose} ngày {day:%d/%m/%Y}"
    heading = (
        f"Nhắc hạn giải quyết văn bản đến{whose}, {day_text(day)}: "
        f"{len(reminders)} văn bản sắp đến hạn, đến hạn hoặc quá hạn."
    )
    parts = []
    for near in Nearness:
        chosen = [r.item for r in reminders if r.nearness is near]
        lines = tuple(entry_line(i, due=True, unit=unit is None) for i in chosen)
        parts.append(Section(near.value, lines, len(lines)))
    counts = {"entries": len(reminders)}
    return notify.Notice(subject, as_text(heading, parts), as_html(heading, parts), counts)


def by_unit(reminders: list[Reminder], units: Units) -> dict[str, list[Reminder]]:
    """The reminders of each unit that has an address, by unit name."""
    grouped: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        unit = reminder.item.unit
        if unit and units.address_of(unit):
            grouped[unit].append(reminder)
    return dict(grouped)


def clerk_addresses(settings: Settings) -> tuple[str, ...]:
    if settings.schedule.clerk_to:
        return settings.schedule.clerk_to
    return (settings.smtp.from_address,) if settings.smtp else ()


def run(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime) -> str:
    ctx = Context.of(settings)
    day = ctx.slot(JOB, now).day
    units = load_units(settings.rules.dir)
    with sessions() as session:
        reminders = select_reminders(session, day, ctx.calendar)
    if not reminders:
        return "nothing due"
    refused = []
    grouped = by_unit(reminders, units)
    for unit, own in grouped.items():
        try:  # one unit's server refusing must not keep the others (or the clerk) waiting
            notify.send(
                settings, render(own, day, unit), units.address_of(unit), kind="reminder", when=now
            )
        except notify.NoticeError as exc:
            refused.append(str(exc))
    sent = notify.send(
        settings, render(reminders, day, None), clerk_addresses(settings), kind="reminder", when=now
    )
    if refused:
        raise notify.NoticeError("; ".join(refused))
    return f"{len(reminders)} entries; {len(grouped)} unit(s) and the clerk ({sent.summary})"
