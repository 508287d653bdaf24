"""One register book as an .xlsx workbook (openpyxl): title row, bold headings repeated on
every printed page, wrapped text, dates as dates, A4 landscape fitted to the page width."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

DATE_FORMAT = "DD/MM/YYYY"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TITLE_ROW, _HEAD_ROW = 1, 2
_FIRST_DATA_ROW = 3


def workbook_bytes(
    title: str,
    columns: Sequence[tuple[str, float]],
    table: Sequence[Sequence[Any]],
    *,
    sheet: str,
) -> bytes:
    """The workbook as bytes: `columns` are (heading, width), `table` the cell values."""
    return sheets_bytes([Sheet(sheet, title, columns, table)])


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its tab name, title row, (heading, width) columns, cells."""

    name: str
    title: str
    columns: Sequence[tuple[str, float]]
    table: Sequence[Sequence[Any]]


def sheets_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of several sheets in the same style, as bytes."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _fill(book.create_sheet(_sheet_title(sheet.name)), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(ws: Any, sheet: Sheet) -> None:
    columns, table = sheet.columns, sheet.table
    _title(ws, sheet.title, len(columns))
    _headings(ws, columns)
    for r, line in enumerate(table, start=_FIRST_DATA_ROW):
        for c, value in enumerate(line, start=1):
            _cell(ws.cell(row=r, column=c), value)
    last = get_column_letter(len(columns))
    ws.freeze_panes = ws.cell(row=_FIRST_DATA_ROW, column=1)
    ws.auto_filter.ref = f"A{_HEAD_ROW}:{last}{max(_HEAD_ROW, _HEAD_ROW + len(table))}"
    _page_setup(ws)


def _title(ws: Any, title: str, width: int) -> None:
    ws.cell(row=_TITLE_ROW, column=1, value=title)
    ws.cell(row=_TITLE_ROW, column=1).font = Font(bold=True, size=14)
    ws.cell(row=_TITLE_ROW, column=1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=_TITLE_ROW, start_column=1, end_row=_TITLE_ROW, end_column=width)
    ws.row_dimensions[_TITLE_ROW].height = 24


def _headings(ws: Any, columns: Sequence[tuple[str, float]]) -> None:
    for c, (heading, width) in enumerate(columns, start=1):
        cell = ws.cell(row=_HEAD_ROW, column=c, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(c)].width = width


def _cell(cell: Any, value: Any) -> None:
    if isinstance(value, tuple):
        value = "\n".join(value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl turns "=…" into a formula; text read from a document must stay text.
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    cell.alignment = _WRAP
    cell.border = _BORDER


def _page_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{_HEAD_ROW}:{_HEAD_ROW}"


def _sheet_title(name: str) -> str:
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:31] or "Sheet"
