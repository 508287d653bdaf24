"""The two serif families documents are set in, registered once with reportlab.

Liberation Serif has Times New Roman's metrics (what offices use); DejaVu Serif is wider and
looks different to OCR. Both are embedded as TrueType subsets with a ToUnicode map, so the
text layer of a rendered PDF is real Unicode.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from tests.docgen.spec import FontName

_FILES: dict[FontName, tuple[str, str, str, str, str]] = {
    # family: (directory, regular, bold, italic, bold italic)
    "liberation": (
        "/usr/share/fonts/truetype/liberation2",
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ),
    "dejavu": (
        "/usr/share/fonts/truetype/dejavu",
        "DejaVuSerif.ttf",
        "DejaVuSerif-Bold.ttf",
        "DejaVuSerif-Italic.ttf",
        "DejaVuSerif-BoldItalic.ttf",
    ),
}
# Debian's fonts-liberation is version 1.07, which has no Vietnamese letters; 2.x has them.
_PACKAGES: dict[FontName, str] = {"liberation": "fonts-liberation2", "dejavu": "fonts-dejavu-core"}
# Every letter of Vietnamese that Latin-1 lacks must have a glyph, or the PDF shows boxes.
_VIETNAMESE = (
    "ĂÂĐÊÔƠƯăâđêôơưẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
    "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)

# A sans face with U+2605 (★) for the centre of seals.
SEAL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class Faces:
    """reportlab font names of one family; their PDF names carry Bold/Italic for readers."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


@cache
def faces(family: FontName) -> Faces:
    """Register `family` with reportlab (once) and return its face names."""
    directory, *files = _FILES[family]
    stem = "LiberationSerif" if family == "liberation" else "DejaVuSerif"
    names = Faces(stem, f"{stem}-Bold", f"{stem}-Italic", f"{stem}-BoldItalic")
    for name, file in zip(
        (names.regular, names.bold, names.italic, names.bold_italic), files, strict=True
    ):
        path = Path(directory) / file
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: apt-get install {_PACKAGES[family]}")
        # asciiReadable=False: subsets hold only the glyphs used, not all of ASCII as well
        font = TTFont(name, str(path), asciiReadable=False)
        missing = [c for c in _VIETNAMESE if ord(c) not in font.face.charToGlyph]
        if missing:
            raise ValueError(
                f"{path} lacks Vietnamese letters ({''.join(missing[:5])}...): "
                f"apt-get install {_PACKAGES[family]}"
            )
        pdfmetrics.registerFont(font)
    # <b>/<i> inside Paragraph markup pick the right face.
    for bold, italic, name in (
        (0, 0, names.regular),
        (1, 0, names.bold),
        (0, 1, names.italic),
        (1, 1, names.bold_italic),
    ):
        addMapping(names.regular, bold, italic, name)
    return names


def width(text: str, font: str, size: float) -> float:
    """Advance width of `text` in points."""
    return float(pdfmetrics.stringWidth(text, font, size))


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap to `max_width` points; a single over-long word gets a line of its own."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and width(candidate, font, size) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def balanced_wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """As few lines as `wrap`, but as even as possible, the way a clerk breaks a trích yếu
    (no lone word on the last line)."""
    lines = wrap(text, font, size, max_width)
    low, high = max_width / max(1, len(lines)), max_width
    while high - low > 1:
        mid = (low + high) / 2
        if len(wrap(text, font, size, mid)) == len(lines):
            high = mid
        else:
            low = mid
    return wrap(text, font, size, high)
