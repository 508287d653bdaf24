"""The truth about one generated document, plus how to lay it out.

The truth half uses exactly the keys and value conventions of `daemon.ocr.model.Fields`, so a
reading of the rendered file can be compared field by field with `truth_json()`:

- `number` as printed after "Số:" (`15/KH-UBND`, `10/2014/QĐ-UBND`), None when not printed;
- `doc_type` in sentence case ("Quyết định", "Công văn" for a letter with "V/v" and no title);
- `subject` on one line; for a công văn the text after "V/v";
- `issuer` / `parent_issuer` in the case printed (capitals), wrapped lines joined by one space;
- `recipients` the "Nơi nhận" lines without "- " and the trailing ";" or ".", "Lưu: VT" kept.

The layout half (body, signature lines, font, margins...) only steers `render.render_pdf`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, fields
from typing import Literal

from daemon.ocr.model import FIELD_NAMES, Fields

FontName = Literal["liberation", "dejavu"]
ParaKind = Literal["text", "article", "heading", "section"]
DocKind = Literal["official", "letter"]


@dataclass(frozen=True)
class BodyPara:
    """One body paragraph.

    `text` justified; `article` justified with its "Điều 1." lead in bold; `heading` bold and
    centred ("QUYẾT ĐỊNH:"); `section` a bold heading in the flow ("I. MỤC ĐÍCH, YÊU CẦU").
    """

    text: str
    kind: ParaKind = "text"


@dataclass(frozen=True)
class DocSpec:
    # --- truth: the register fields, as Fields holds them ---
    number: str | None
    date: dt.date
    place: str | None
    doc_type: str
    subject: str | None
    issuer: str | None
    parent_issuer: str | None
    urgency: str | None
    secrecy: str | None
    recipients: tuple[str, ...]
    signer: str | None
    # --- layout ---
    issuer_lines: tuple[str, ...] = ()  # the issuer as printed, one item per line
    parent_lines: tuple[str, ...] = ()
    title: str | None = None  # the type name as printed (caps); None for a công văn
    kinh_gui: tuple[str, ...] = ()  # "Kính gửi:" addressees (công văn, letters)
    body: tuple[BodyPara, ...] = ()
    pages: int = 1  # the page count the rendered PDF must have (1 or 2)
    signature_lines: tuple[str, ...] = ()  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", ...
    font: FontName = "liberation"
    font_size: float = 14.0  # body text; ND30 allows 13-14
    # top, right, bottom, left; ND30: 20-25, 15-20, 20-25, 30-35 mm
    margins_mm: tuple[float, float, float, float] = (20.0, 15.0, 20.0, 30.0)
    seal: bool = False  # a red round seal over the signature
    kind: DocKind = "official"  # "letter": a citizen's letter (no agency header, no Số)

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_nfc(f.name, getattr(self, f.name))
        if self.pages not in (1, 2):
            raise ValueError(f"pages must be 1 or 2, not {self.pages}")
        if self.issuer is not None and " ".join(self.issuer_lines) != self.issuer:
            raise ValueError(f"issuer_lines {self.issuer_lines!r} do not print {self.issuer!r}")
        if self.parent_issuer is not None and " ".join(self.parent_lines) != self.parent_issuer:
            raise ValueError(f"parent_lines {self.parent_lines!r} do not print the parent")

    @property
    def addressees(self) -> tuple[str, ...]:
        """The "Kính gửi:" addressees, as the Fields of the same name hold them."""
        return self.kinh_gui

    @property
    def is_cong_van(self) -> bool:
        return self.doc_type == "Công văn"

    def as_fields(self) -> Fields:
        """The truth as the Fields the reader should produce (confidence left empty)."""
        return Fields(**{name: getattr(self, name) for name in FIELD_NAMES})

    def truth_json(self) -> dict[str, object]:
        """The truth in the shape of `Fields.as_json()` (same keys, same value encoding)."""
        return self.as_fields().as_json()


def _check_nfc(name: str, value: object) -> None:
    if isinstance(value, str):
        if unicodedata.normalize("NFC", value) != value:
            raise ValueError(f"{name} is not NFC: {value!r}")
    elif isinstance(value, tuple):
        for item in value:
            _check_nfc(name, item.text if isinstance(item, BodyPara) else item)


def date_line(place: str | None, date: dt.date) -> str:
    """ "Khánh Sơn, ngày 04 tháng 11 năm 2016" as ND30 writes it.

    Days below 10 and the months January and February take a leading zero (ND30, Phụ lục I).
    """
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    text = f"ngày {date.day:02d} tháng {month} năm {date.year}"
    return f"{place}, {text}" if place else text.capitalize()
