"""The year's register printed like the paper sổ (Nghị định 30/2020, Phụ lục IV): A4
landscape, a cover naming the agency, the book and the year, then the Phụ lục IV columns with
their headings (and the column numbers (1), (2)...) repeated on every page, text wrapped in
its cell, "Trang i/n" at the foot, and at the end the closing line "Sổ này có N văn bản, từ
số 1 đến số N" with places for the clerk and the head of the agency to sign. The office
prints it, signs it and closes the book for the year (ND30 Điều 16, 22).

Entries still marked for review are printed, flagged in their Ghi chú cell and shaded: the
number was given, so the line must be in the book. Secret documents and complaint letters
never reach the register; a row that looks like one stops the printing rather than print it.
The text is set in DejaVu Sans, embedded, so every Vietnamese mark prints and copies out.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from daemon.ocr.model import Fields
from daemon.register.export import PAPER_COLUMNS, TITLES, Cell, book_table
from daemon.register.models import NEEDS_REVIEW
from daemon.register.queries import EntryRow
from daemon.reports.fonts import dejavu_sans
from daemon.reports.pages import BOLD, FONT, Furniture, numbered_canvas

REVIEW_MARK = "[Cần kiểm tra]"
PAGE = landscape(A4)
MARGIN = 12 * mm
BLANK_AGENCY = "." * 60  # written in by hand when the install does not name its agency
_REVIEW_SHADE = colors.Color(1, 0.95, 0.75)
# Relative widths on paper where the spreadsheet's do not fit: a whole date on one line.
_PAPER_WEIGHT = {
    "Ngày đến": 15,
    "Ngày tháng": 15,
    "Ngày chuyển": 15,
    "Ngày tháng văn bản": 15,
    "Số đến": 7,
    "Số lượng bản": 10,  # "lượng" whole on its line
}


class NotForTheRegister(ValueError):
    """A row that must never be printed (a secret document or a complaint letter)."""


@dataclass(frozen=True)
class Printed:
    """The printed register: the PDF and what its closing line says."""

    pdf: bytes
    entries: int
    first: int | None
    last: int | None
    pages: int


def closing_line(numbers: Sequence[int]) -> str:
    """ "Sổ này có N văn bản, từ số 1 đến số N." (numbers missing from the run are named)"""
    if not numbers:
        return "Sổ này không có văn bản nào."
    first, last = min(numbers), max(numbers)
    line = f"Sổ này có {len(numbers)} văn bản, từ số {first} đến số {last}."
    missing = sorted(set(range(first, last + 1)) - set(numbers))
    if missing:
        line += f" Không có các số: {', '.join(map(str, missing))}."
    return line


def register_pdf(
    rows: Sequence[EntryRow],
    *,
    book: str,
    year: int,
    tz: str,
    agency: str | None = None,
    forbidden: Callable[[Fields], str | None] | None = None,
) -> Printed:
    """The book `book` of `year` as a PDF, from its rows in number order. `forbidden` says why
    a document must stay out of the register (the rules' set-aside check), or None."""
    rows = sorted((r for r in rows if r.book == book and r.year == year), key=lambda r: r.seq)
    _refuse_forbidden(rows, forbidden)
    _register_fonts()
    title = f"{TITLES[book]} NĂM {year}"
    numbers = [row.seq for row in rows]
    pages: list[int] = []
    buffer = io.BytesIO()
    document = _template(buffer, agency or BLANK_AGENCY, title)
    story = [
        *_cover(rows, book, year, agency, tz),
        NextPageTemplate("book"),
        PageBreak(),
        _table(rows, book, tz),
        _closing(numbers),
    ]
    document.build(
        story, canvasmaker=numbered_canvas(Furniture(agency or "", title, MARGIN), pages)
    )
    return Printed(
        buffer.getvalue(),
        len(rows),
        min(numbers, default=None),
        max(numbers, default=None),
        pages[0],
    )


def _refuse_forbidden(
    rows: Sequence[EntryRow], forbidden: Callable[[Fields], str | None] | None
) -> None:
    for row in rows:
        reason = forbidden(row.fields) if forbidden else None
        if reason:
            raise NotForTheRegister(f"{row.label} cannot be printed in the register: {reason}")


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(dejavu_sans())))
        pdfmetrics.registerFont(TTFont(BOLD, str(dejavu_sans(bold=True))))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _template(buffer: io.BytesIO, agency: str, title: str) -> BaseDocTemplate:
    width, height = PAGE
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - 4 * mm, id="body")
    return BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        pageTemplates=[PageTemplate("cover", [frame]), PageTemplate("book", [frame])],
        title=title,
        author=agency,
        subject="Nghị định 30/2020/NĐ-CP, Phụ lục IV",
        creator="vanthu",
        invariant=1,  # no timestamps or random ids: the same book prints to the same bytes
        initialFontName=FONT,  # else every page names an unembedded Helvetica
    )


def _style(
    size: float, *, bold: bool = False, center: bool = False, leading: float = 0
) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{bold}{center}",
        fontName=BOLD if bold else FONT,
        fontSize=size,
        leading=leading or size * 1.25,
        alignment=TA_CENTER if center else 0,
    )


def _cover(
    rows: Sequence[EntryRow], book: str, year: int, agency: str | None, tz: str
) -> list[Flowable]:
    zone = ZoneInfo(tz)
    days = [row.received_at.astimezone(zone).date() for row in rows]
    numbers = [row.seq for row in rows]
    lines: list[Flowable] = [
        Paragraph(escape(agency or BLANK_AGENCY).upper(), _style(14, bold=True, center=True)),
        Spacer(1, 45 * mm),
        Paragraph(escape(TITLES[book]), _style(30, bold=True, center=True, leading=38)),
        Spacer(1, 8 * mm),
        Paragraph(f"Năm {year}", _style(20, bold=True, center=True)),
        Spacer(1, 20 * mm),
    ]
    if rows:
        lines += [
            Paragraph(
                f"Từ ngày {min(days):%d/%m/%Y} đến ngày {max(days):%d/%m/%Y}",
                _style(13, center=True),
            ),
            Spacer(1, 3 * mm),
            Paragraph(f"Từ số {min(numbers)} đến số {max(numbers)}", _style(13, center=True)),
        ]
    lines += [Spacer(1, 3 * mm), Paragraph("Quyển số: ..........", _style(13, center=True))]
    return lines


def _table(rows: Sequence[EntryRow], book: str, tz: str) -> Table:
    columns = PAPER_COLUMNS[book]
    head = _style(8, bold=True, center=True)
    cell = _style(8, leading=9.6)
    numbered = _style(7, center=True)
    weights = [_PAPER_WEIGHT.get(c.heading, c.width) for c in columns]
    scale = (PAGE[0] - 2 * MARGIN) / sum(weights)
    data: list[list[Flowable | str]] = [
        [Paragraph(escape(c.heading), head) for c in columns],
        [Paragraph(f"({n})", numbered) for n in range(1, len(columns) + 1)],
    ]
    shaded: list[int] = []
    for row, values in zip(rows, book_table(rows, columns, tz), strict=True):
        texts = [_text(v) for v in values]
        if row.status == NEEDS_REVIEW:
            texts[-1] = f"<b>{REVIEW_MARK}</b>" + (f"<br/>{texts[-1]}" if texts[-1] else "")
            shaded.append(len(data))
        data.append([Paragraph(t, cell) for t in texts])
    table = Table(data, colWidths=[w * scale for w in weights], repeatRows=2)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # what the table itself sets: not Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.92, 0.92, 0.92)),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), _REVIEW_SHADE) for r in shaded]
    table.setStyle(TableStyle(style))
    return table


def _text(value: Cell) -> str:
    """A cell as paragraph markup: dates dd/mm/yyyy, lists one per line, text escaped."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    lines = value if isinstance(value, tuple) else value.splitlines()
    return "<br/>".join(escape(line) for line in lines)


def _closing(numbers: Sequence[int]) -> Flowable:
    body = _style(11)
    center = _style(11, center=True)
    signer = _style(11, bold=True, center=True)
    signatures = Table(
        [
            [Paragraph("", center), Paragraph("Ngày ..... tháng ..... năm ..........", center)],
            [Paragraph("NGƯỜI LẬP SỔ", signer), Paragraph("THỦ TRƯỞNG CƠ QUAN", signer)],
            [
                Paragraph("(Ký, ghi rõ họ tên)", center),
                Paragraph("(Ký tên, đóng dấu)", center),
            ],
            ["", ""],
        ],
        colWidths=[(PAGE[0] - 2 * MARGIN) / 2] * 2,
        rowHeights=[None, None, None, 28 * mm],
    )
    signatures.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT)]))
    return KeepTogether(
        [
            Spacer(1, 6 * mm),
            Paragraph(escape(closing_line(numbers)), body),
            Spacer(1, 4 * mm),
            signatures,
        ]
    )
