"""Values that flow out of reading: text lines with positions, and the register fields.

Everything here is a frozen, picklable dataclass so it can cross a process boundary.
Coordinates are fractions of the page (0..1), origin at the top left, so text-layer and
OCR readings of the same page are comparable whatever the resolution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from daemon.errors import PermanentError

TextSource = Literal["text-layer", "ocr"]

#: The field names of the register, in the order of `vanthu extract --json`.
FIELD_NAMES: tuple[str, ...] = (
    "number",
    "date",
    "place",
    "doc_type",
    "subject",
    "issuer",
    "parent_issuer",
    "urgency",
    "secrecy",
    "recipients",
    "signer",
)

#: The fields whose confidence decides whether a clerk must review the entry.
KEY_FIELDS: tuple[str, ...] = ("number", "date", "doc_type", "subject", "issuer")


@dataclass(frozen=True)
class Line:
    """One line of text as printed: words on one baseline, not crossing a column gap."""

    text: str  # NFC
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0  # 0..1; 1.0 for a real text layer
    bold: bool = False  # known from the text layer's font name; False when unknown (OCR)
    size: float = 0.0  # glyph height as a fraction of page height; 0 when unknown


@dataclass(frozen=True)
class Page:
    lines: tuple[Line, ...]
    source: TextSource
    width_pt: float = 595.0  # page size in PDF points (A4 portrait by default)
    height_pt: float = 842.0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Reading:
    """What reading one document produced: its pages' lines, top to bottom."""

    media_type: str  # application/pdf, image/jpeg, image/png, image/tiff
    pages: tuple[Page, ...]

    @property
    def text(self) -> str:
        """The full text, pages separated by form feeds."""
        return "\f".join(page.text for page in self.pages)

    @property
    def text_source(self) -> TextSource:
        """`ocr` when any page needed OCR, else `text-layer`."""
        return "ocr" if any(p.source == "ocr" for p in self.pages) else "text-layer"


@dataclass(frozen=True)
class Fields:
    """The register fields of one document, as `vanthu extract` reports them."""

    number: str | None = None  # số và ký hiệu as printed after "Số:", e.g. 68/QĐ-UBND
    date: dt.date | None = None  # ngày ban hành
    place: str | None = None  # địa danh
    doc_type: str | None = None  # tên loại, e.g. "Quyết định", "Công văn"
    subject: str | None = None  # trích yếu, on one line
    issuer: str | None = None  # cơ quan ban hành
    parent_issuer: str | None = None  # cơ quan chủ quản (the line above the issuer)
    urgency: str | None = None  # None, "Khẩn", "Thượng khẩn", "Hỏa tốc"
    secrecy: str | None = None  # None, "Mật", "Tối mật", "Tuyệt mật"
    recipients: tuple[str, ...] = ()  # Nơi nhận lines, without dash and trailing punctuation
    signer: str | None = None  # người ký
    confidence: dict[str, float] = field(default_factory=dict)  # per field, 0..1

    def as_json(self) -> dict[str, object]:
        """The JSON shape of `vanthu extract --json` (without file/pages/text_source)."""
        out: dict[str, object] = {}
        for name in FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        out["confidence"] = {k: round(v, 3) for k, v in self.confidence.items()}
        return out

    def redacted(self) -> Fields:
        """A secret document's fields: only the secrecy mark survives."""
        return Fields(
            secrecy=self.secrecy, confidence={"secrecy": self.confidence.get("secrecy", 1.0)}
        )


class UnreadableDocument(PermanentError):
    """The bytes are not a document vanthu can read; `reason` says why, for the clerk."""
