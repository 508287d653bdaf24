"""A notice as numbered sections of lines, written out as plain text and as simple HTML (both
from the same sections, so they never say different things), and the ways a notice names an
entry and a date."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from daemon.register import clock
from daemon.schedule.items import Item

NONE = "Không có."
FOOTER = "Thư này do hệ thống văn thư (vanthu) gửi tự động; xin không trả lời thư này."
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]
    count: int | None = None  # shown after the title; None: no count


def day_text(day: dt.date) -> str:
    """ "thứ Sáu, 04/12/2026" """
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


def moment_text(moment: dt.datetime, tz: str) -> str:
    """ "07:30 ngày 03/12/2026" in the office's zone"""
    local = clock.local(moment, tz)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def entry_line(item: Item, *, due: bool = False, unit: bool = False) -> str:
    """ "Số đến 12/2026: 27/UBND-VP – Sở Tài chính – V/v ... [Khẩn] – hạn 04/12/2026" """
    book = "Số đến" if item.book == "den" else "Số đi"
    parts = [p for p in (item.number, item.issuer, item.subject) if p and p.strip()]
    line = f"{book} {item.seq}/{item.year}: " + (" – ".join(parts) or "(chưa đọc được)")
    if item.urgent:
        line += f" [{item.urgency}]"
    if due and item.due_date is not None:
        line += f" – hạn {item.due_date:%d/%m/%Y}"
    if unit:
        who = item.unit or "chưa giao đơn vị"
        line += f" – {who}" + (f" ({item.assignee})" if item.assignee else "")
    return line


def as_text(heading: str, sections: Sequence[Section]) -> str:
    out = [heading, ""]
    for number, section in enumerate(sections, 1):
        count = f": {section.count}" if section.count is not None else ""
        out.append(f"{number}. {section.title}{count}")
        out += [f"   - {line}" for line in section.lines] or [f"   {NONE}"]
        out.append("")
    out.append(FOOTER)
    return "\n".join(out) + "\n"


def as_html(heading: str, sections: Sequence[Section]) -> str:
    e = html.escape
    out = ['<!DOCTYPE html><html lang="vi"><meta charset="utf-8"><body>', f"<p>{e(heading)}</p>"]
    for number, section in enumerate(sections, 1):
        count = f": {section.count}" if section.count is not None else ""
        out.append(f"<h3>{number}. {e(section.title)}{count}</h3>")
        if section.lines:
            out.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in section.lines) + "</ul>")
        else:
            out.append(f"<p>{NONE}</p>")
    out.append(f"<p><small>{e(FOOTER)}</small></p></body></html>")
    return "\n".join(out) + "\n"
