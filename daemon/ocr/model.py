"""Values that flow out of reading: text lines with positions, and the register fields.

Everything here is a frozen, picklable dataclass so it can cross a process boundary.
Coordinates are fractions of the page (0..1), origin at the top left, so text-layer and
OCR readings of the same page are comparable whatever the resolution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from daemon.errors import PermanentError

TextSource = Literal["text-layer", "ocr"]


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
    # OCR's confidence in the least sure word with a digit in it, or a Roman numeral: a digit
    # misread as another ("2021" for 2024) makes a number every check of the field's text
    # accepts, and so does a numeral's stroke lost ("quý II" for III).
    number_conf: float = 1.0
    # OCR's confidence in each word of `text` as read, in order (empty for a text layer): a
    # field that is part of a line is judged by its own words ("Số:" garbled beside a
    # number read cleanly does not make the number doubtful).
    word_confs: tuple[float, ...] = ()


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
class FieldInfo:
    """How one register field is named, stored and shown. `Fields` below is the one place
    the fields are described: the register's columns, its queries, the JSON output and the
    exported books all derive from it, so a new field is one line there (and a migration)."""

    name: str  # attribute of Fields, key in JSON
    label: str  # Vietnamese, as the register and the clerk's desk show it
    kind: Literal["text", "date", "list"] = "text"
    length: int | None = None  # for text: the column's length (None: unbounded)
    column: str = ""  # the column of the `documents` table (default: the name)
    key: bool = False  # its confidence decides whether a clerk must review the entry
    export: bool = False  # a column of its own in exported books, after the Phụ lục IV ones

    @property
    def width(self) -> float:
        """Column width in exports (Excel character units)."""
        return 12.0 if self.kind == "date" or (self.length or 99) <= 20 else 24.0


def _described(label: str, **info: Any) -> Any:
    """A `Fields` attribute with its description attached (see FieldInfo)."""
    default: Any = () if info.get("kind") == "list" else None
    return field(default=default, metadata={"vanthu": {"label": label, **info}})


@dataclass(frozen=True)
class Fields:
    """The register fields of one document, as `vanthu extract` reports them, in that order."""

    # số và ký hiệu as printed after "Số:", e.g. 68/QĐ-UBND
    number: str | None = _described("Số, ký hiệu", length=100, key=True)
    date: dt.date | None = _described(  # ngày ban hành
        "Ngày tháng văn bản", kind="date", column="doc_date", key=True
    )
    place: str | None = _described("Địa danh", length=200)
    # tên loại, e.g. "Quyết định", "Công văn"
    doc_type: str | None = _described("Tên loại", length=100, key=True)
    subject: str | None = _described("Trích yếu nội dung", key=True)  # on one line
    issuer: str | None = _described("Cơ quan ban hành", length=300, key=True)
    # cơ quan chủ quản (the line above the issuer)
    parent_issuer: str | None = _described("Cơ quan chủ quản", length=300)
    # None, "Khẩn", "Thượng khẩn", "Hỏa tốc"
    urgency: str | None = _described("Độ khẩn", length=20, export=True)
    # None, "Mật", "Tối mật", "Tuyệt mật"
    secrecy: str | None = _described("Độ mật", length=20, export=True)
    # Nơi nhận lines, without dash and trailing punctuation
    recipients: tuple[str, ...] = _described("Nơi nhận", kind="list")
    # the "Kính gửi:" addressees of a công văn or tờ trình, one per entry ("Như trên" points here)
    addressees: tuple[str, ...] = _described("Kính gửi", kind="list")
    signer: str | None = _described("Người ký", length=200)
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


#: The register fields, described (see FieldInfo), in the order of `vanthu extract --json`.
FIELDS: tuple[FieldInfo, ...] = tuple(
    FieldInfo(name=f.name, **{"column": f.name, **f.metadata["vanthu"]})
    for f in fields(Fields)
    if "vanthu" in f.metadata
)
FIELD_NAMES: tuple[str, ...] = tuple(info.name for info in FIELDS)
#: The fields whose confidence decides whether a clerk must review the entry.
KEY_FIELDS: tuple[str, ...] = tuple(info.name for info in FIELDS if info.key)
LABELS: dict[str, str] = {info.name: info.label for info in FIELDS}


DOUBT = "chưa chắc: "  # how the ghi chú names the fields the clerk is to check


def unsure(names: list[str]) -> list[str]:
    """The register's ghi chú for the fields the clerk is to check, one reason for all of them
    (in Vietnamese: it is printed in the sổ); none when there are none."""
    return [DOUBT + ", ".join(LABELS.get(n, n) for n in names)] if names else []
