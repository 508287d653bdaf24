"""The weekly export: both register books for one ISO week (Monday to Sunday, on the office's
calendar) in one workbook, sheet "Sổ đến" and sheet "Sổ đi", with the Phụ lục IV headings,
for department heads. Named by the week (so-dang-ky-2026-W10.xlsx): running it again for
the same week replaces the file with the register as it stands, never adds a second one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from daemon.register.export import COLUMNS, TITLES, book_table, write_atomically
from daemon.register.queries import list_entries
from daemon.register.xlsx import Sheet, sheets_bytes
from daemon.reports.period import iso_week

SHEETS = {"den": "Sổ đến", "di": "Sổ đi"}


@dataclass(frozen=True)
class WeekExport:
    path: Path
    week: str  # 2026-W10
    entries: dict[str, int]  # per book


def week_file(folder: Path, week: str) -> Path:
    return folder / f"so-dang-ky-{week}.xlsx"


def export_week(session: Session, folder: Path, day: dt.date, *, tz: str) -> WeekExport:
    """Write the week that holds `day` into `folder` (created if missing)."""
    week = iso_week(day)
    start, end = week.bounds(tz)
    span = f"{week.start:%d/%m/%Y} – {week.last_day:%d/%m/%Y}"
    sheets, counts = [], {}
    for book, name in SHEETS.items():
        rows = list_entries(session, book=book, received_from=start, received_before=end)
        columns = COLUMNS[book]
        counts[book] = len(rows)
        sheets.append(
            Sheet(
                name,
                f"{TITLES[book]}: TUẦN {week.label} ({span})",
                [(c.heading, c.width) for c in columns],
                book_table(rows, columns, tz),
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    path = week_file(folder, week.label)
    write_atomically(path, sheets_bytes(sheets))
    return WeekExport(path, week.label, counts)
