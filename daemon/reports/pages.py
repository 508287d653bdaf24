"""The printed register's page furniture: the running header (agency, book and year) on every
page after the cover, and "Trang i/n" at the foot of every page. The total is known only at
the end, so each page is kept until the document is saved, then stamped and written out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@dataclass(frozen=True)
class Furniture:
    """What the header says, on pages after the first."""

    agency: str
    title: str  # SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM 2026
    margin: float = 12 * mm


def numbered_canvas(furniture: Furniture, pages: list[int]) -> type[Canvas]:
    """A Canvas class that draws `furniture` and "Trang i/n" on each page; the page count is
    appended to `pages` when the document is saved."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._kept: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._kept.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._kept)
            for number, state in enumerate(self._kept, start=1):
                self.__dict__.update(state)
                _furnish(self, furniture, number, total)
                super().showPage()
            pages.append(total)
            super().save()

    return NumberedCanvas


def _furnish(canvas: Canvas, furniture: Furniture, number: int, total: int) -> None:
    width, height = canvas._pagesize
    margin = furniture.margin
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(width / 2, margin / 2, f"Trang {number}/{total}")
    if number > 1:
        top = height - margin + 3 * mm
        canvas.setFont(BOLD, 8)
        canvas.drawString(margin, top, furniture.agency)
        canvas.drawRightString(width - margin, top, furniture.title)
        canvas.setLineWidth(0.4)
        canvas.line(margin, top - 1.5 * mm, width - margin, top - 1.5 * mm)
    canvas.restoreState()
