"""Register books as spreadsheets: the columns of Nghị định 30/2020, Phụ lục IV.

CSV is UTF-8 with a byte-order mark so Excel opens Vietnamese text correctly; xlsx has a title
row, bold headings repeated on every printed page, dates as real dates. Text read from
documents is untrusted: a cell that starts like a formula is kept as text in both formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal
from zoneinfo import ZoneInfo

from daemon.config import RegisterSettings
from daemon.ocr.model import FIELDS
from daemon.register import clock
from daemon.register.models import NEEDS_REVIEW, REGISTERED
from daemon.register.queries import EntryRow

Format = Literal["csv", "xlsx"]
Cell = str | int | dt.date | tuple[str, ...] | None

DEFAULT_TZ = RegisterSettings().timezone
STATUS_LABELS: dict[str, str] = {REGISTERED: "Đã vào sổ", NEEDS_REVIEW: "Cần kiểm tra"}
TITLES = {"den": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "di": "SỔ ĐĂNG KÝ VĂN BẢN ĐI"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[EntryRow, ZoneInfo], Cell]
    width: float  # Excel character units


def _local_date(value: dt.datetime | None, tz: ZoneInfo) -> dt.date | None:
    return clock.from_db(value).astimezone(tz).date() if value else None


def type_and_subject(row: EntryRow) -> str | None:
    """ "Tên loại và trích yếu nội dung": "Quyết định ban hành Quy chế…" from the two fields."""
    doc_type, subject = row.fields.doc_type, row.fields.subject
    if not doc_type or not subject:
        return doc_type or subject
    # "Ban hành …" reads as a continuation; "V/v", "UBND …" keep their capitals.
    if len(subject) > 1 and subject[0].isupper() and subject[1].islower():
        subject = subject[0].lower() + subject[1:]
    return f"{doc_type} {subject}"


def _field(name: str) -> Callable[[EntryRow, ZoneInfo], Cell]:
    return lambda row, tz: getattr(row.fields, name)


# After the Phụ lục IV columns: every field described as exported, then the page count.
_EXTRA = (
    *(Column(info.label, _field(info.name), info.width) for info in FIELDS if info.export),
    Column("Số trang", lambda r, tz: r.pages, 8),
)
_TAIL = (
    Column("Trạng thái", lambda r, tz: STATUS_LABELS.get(r.status, r.status), 14),
    Column("SHA-256", lambda r, tz: r.sha256, 20),
)

# The columns of the paper book (Phụ lục IV), as the printed register lays them out.
PAPER_COLUMNS: dict[str, tuple[Column, ...]] = {
    "den": (
        Column("Ngày đến", lambda r, tz: _local_date(r.received_at, tz), 12),
        Column("Số đến", lambda r, tz: r.seq, 8),
        Column("Tác giả", _field("issuer"), 28),
        Column("Số, ký hiệu", _field("number"), 18),
        Column("Ngày tháng", _field("date"), 12),
        Column("Tên loại và trích yếu nội dung", lambda r, tz: type_and_subject(r), 50),
        Column("Đơn vị hoặc người nhận", lambda r, tz: r.recipient_unit, 22),
        Column("Ngày chuyển", lambda r, tz: _local_date(r.transferred_at, tz), 12),
        Column("Ký nhận", lambda r, tz: r.receipt_signature, 12),
        Column("Ghi chú", lambda r, tz: r.note, 24),
    ),
    "di": (
        Column("Số, ký hiệu văn bản", lambda r, tz: r.fields.number or str(r.seq), 18),
        Column("Ngày tháng văn bản", _field("date"), 12),
        Column("Tên loại và trích yếu nội dung", lambda r, tz: type_and_subject(r), 50),
        Column("Người ký", _field("signer"), 22),
        Column("Nơi nhận văn bản", _field("recipients"), 34),
        Column("Đơn vị, người nhận bản lưu", lambda r, tz: r.recipient_unit, 22),
        Column("Số lượng bản", lambda r, tz: r.copies, 8),
        Column("Ngày chuyển", lambda r, tz: _local_date(r.transferred_at, tz), 12),
        Column("Ký nhận", lambda r, tz: r.receipt_signature, 12),
        Column("Ghi chú", lambda r, tz: r.note, 24),
    ),
}

COLUMNS: dict[str, tuple[Column, ...]] = {
    "den": (
        *PAPER_COLUMNS["den"],
        *_EXTRA,
        Column("Hạn giải quyết", lambda r, tz: r.due_date, 12),
        *_TAIL,
    ),
    "di": (*PAPER_COLUMNS["di"], *_EXTRA, *_TAIL),
}


def headings(book: str) -> tuple[str, ...]:
    """The column headings of `book`, in order."""
    return tuple(column.heading for column in _columns(book))


def export(
    rows: Iterable[EntryRow],
    fmt: Format,
    out: Path | str | BinaryIO,
    *,
    book: str | None = None,
    tz: str = DEFAULT_TZ,
    title: str | None = None,
) -> int:
    """Write the rows of one book as `fmt` to a path (replaced atomically) or a binary
    stream; the number of rows written. The book comes from the rows when not given."""
    rows = list(rows)
    book = _book_of(rows, book)
    columns = _columns(book)
    table = book_table(rows, columns, tz)
    if fmt == "csv":
        data = _csv_bytes(columns, table)
    elif fmt == "xlsx":
        from daemon.register.xlsx import workbook_bytes

        data = workbook_bytes(
            title or default_title(book, rows),
            [(c.heading, c.width) for c in columns],
            table,
            sheet="Sổ đến" if book == "den" else "Sổ đi",
        )
    else:
        raise ValueError(f"export format must be csv or xlsx, got {fmt!r}")
    write_atomically(out, data)
    return len(rows)


def book_table(rows: Sequence[EntryRow], columns: Sequence[Column], tz: str) -> list[list[Cell]]:
    """The cell values of `rows` under `columns`, dates on the office's calendar (`tz`)."""
    zone = ZoneInfo(tz)
    return [[column.value(row, zone) for column in columns] for row in rows]


def default_title(book: str, rows: Sequence[EntryRow]) -> str:
    years = sorted({row.year for row in rows})
    title = TITLES[book]
    if len(years) == 1:
        return f"{title} NĂM {years[0]}"
    if years:
        return f"{title} NĂM {years[0]}–{years[-1]}"
    return title


def _columns(book: str) -> tuple[Column, ...]:
    if book not in COLUMNS:
        raise ValueError(f"unknown register book {book!r} (known: {', '.join(COLUMNS)})")
    return COLUMNS[book]


def _book_of(rows: Sequence[EntryRow], book: str | None) -> str:
    books = {row.book for row in rows}
    if book is not None:
        books.add(book)
    if len(books) > 1:
        raise ValueError(f"export: one book at a time, got {', '.join(sorted(books))}")
    return books.pop() if books else "den"


def csv_text(value: Cell) -> str:
    """A cell as CSV text: dates dd/mm/yyyy (how the office reads them), lists joined,
    formula-like text defused with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    text = "; ".join(value) if isinstance(value, tuple) else value
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_bytes(columns: Sequence[Column], table: list[list[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.heading for column in columns])
    writer.writerows([[csv_text(value) for value in line] for line in table])
    return buffer.getvalue().encode("utf-8-sig")


def write_atomically(out: Path | str | BinaryIO, data: bytes) -> None:
    """`data` to a stream, or to a path replaced atomically (mode 0644)."""
    if not isinstance(out, str | os.PathLike):
        out.write(data)
        return
    out = Path(out)
    # Write beside the target and rename, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
