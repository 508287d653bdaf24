"""Prepare a Reading's lines for the field rules: clean text, split merged columns, drop rules.

The rules work on one flat list of `WLine`s (all pages, top to bottom). Two kinds of input
come in: lines with real positions (text layer, OCR), and lines whose positions say nothing
(plain text: every x0 is 0). `positioned` tells the rules which they have; without positions
they fall back to reading order and to what the text says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from daemon.ocr.model import Line, Reading
from daemon.ocr.vntext import (
    clean,
    fix_number_label,
    is_upper_text,
    loose_key,
    squash,
    strip_aligned,
)


@dataclass(frozen=True)
class WLine:
    """A printed line, cleaned, with its page and whether a drawn rule sat just above it."""

    text: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0
    bold: bool = False
    after_rule: bool = False
    key: str = field(default="", compare=False)  # loose_key(text), filled in by make()
    number_conf: float = 1.0  # as the Line's
    word_confs: tuple[float, ...] = ()  # as the Line's, while its words are the Line's

    @classmethod
    def make(cls, line: Line, page: int, text: str, *, after_rule: bool = False) -> WLine:
        text = squash(text)
        same_words = len(text.split()) == len(line.word_confs) == len(line.text.split())
        return cls(
            text,
            page,
            line.x0,
            line.y0,
            line.x1,
            line.y1,
            line.conf,
            line.bold,
            after_rule,
            loose_key(text),
            line.number_conf,
            line.word_confs if same_words else (),
        )

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 0.0)

    @property
    def caps(self) -> bool:
        return is_upper_text(self.text)


@dataclass(frozen=True)
class Layout:
    lines: tuple[WLine, ...]
    positioned: bool  # False: positions are meaningless, use reading order only

    def page_lines(self, page: int) -> list[int]:
        """Indexes of the lines of `page`."""
        return [i for i, ln in enumerate(self.lines) if ln.page == page]


_GAP = re.compile(r"\s{3,}|\t+")  # how plain text shows a column gap
_SIGN_START = re.compile(r"\s(?=(?:TM|KT|TL|TUQ)\.\s)")  # "- Như trên; TM. ỦY BAN..."
_QUOC_HIEU = re.compile(r"cong hoa xa hoi")  # on the folded text; printed in capitals
_TIEU_NGU = re.compile(r"doc lap\s*-\s*tu do")

# Số và ký hiệu: pieces joined by "/" or "-", spaces allowed around the joints only:
# 68/QĐ-UBND, 10/2014/QĐ-UBND, 123 / QĐ - UBND, 36a/NQ-CP, /QĐ-UBND (number left blank).
_PIECE = r"[\w&.()]+"
NUMBER_RE = re.compile(rf"(?:{_PIECE})?(?:\s*[/\-–—]\s*{_PIECE})+|\d[\w.]*")
# Modifier letters OCR reads for specks: word characters to a regex, no print's marks.
SPECK_LETTERS = "ˆ˜ˇ"
# The label may come after an old copier's specks ("__ Số:", ":§ố:"), its S read as §.
NUMBER_LABEL_RE = re.compile(
    rf"^\s*(?:[^\w\s]|[_{SPECK_LETTERS}]){{0,3}}\s*"
    r"(?:(?:Luật|Bộ luật|Pháp lệnh|Lệnh|Nghị quyết)\s+)?"
    # ... and as an old copier's blur makes it ("8õ:", "Sđ 322/CT-UBND"), or any short word
    # with a colon before a number and its ký hiệu ("ĐÓ; 1862/KH-UBND")
    r"(?:(?:[S§]ố|SỐ)\s*[:;.]?|[S§8][ốõôóồổđ]\s*(?:[:;]|(?=\d{1,5}/))"
    r"|\w{1,3}[:;]\s*(?=\d{1,5}/))\s*"
)


def _cut_points(text: str) -> list[int]:
    """Offsets where a line that merged two columns should be cut."""
    cuts = [m.end() for m in _GAP.finditer(text)]
    folded = strip_aligned(text)  # same offsets as `text`
    cuts += [m.start() for m in _QUOC_HIEU.finditer(folded) if text[m.start() : m.end()].isupper()]
    cuts += [m.start() for m in _TIEU_NGU.finditer(folded)]
    cuts += [m.end() for m in _SIGN_START.finditer(text)]
    label = NUMBER_LABEL_RE.match(text)
    if label:  # "Số: 68/QĐ-UBND Khánh Sơn, ngày 04 ...": the date goes to its own line
        number = NUMBER_RE.match(text, label.end())
        if number and "ngay" in folded[number.end() :]:
            cuts.append(number.end())
    return sorted(set(cuts))


def split_merged(line: Line) -> list[Line]:
    """`line` cut where it merged two columns; positions shared out by character share.

    A line without width (plain text) gives its later pieces the right half of the page.
    """
    text = clean(line.text)
    cuts = [c for c in _cut_points(text) if 0 < c < len(text)]
    if not cuts:
        return [replace(line, text=text)]
    pieces: list[Line] = []
    width = line.x1 - line.x0
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        piece = text[start:end].strip()
        if not piece:
            continue
        if width > 0.05:
            x0 = line.x0 + width * start / len(text)
            x1 = line.x0 + width * end / len(text)
        else:
            x0, x1 = (line.x0, line.x1) if start == 0 else (0.5, 0.95)
        pieces.append(replace(line, text=piece, x0=x0, x1=x1))
    return pieces


def _kind(line: Line) -> str:
    """'text', 'rule' (a drawn rule: a separator) or 'dust' (specks, seal and signature
    strokes OCR read as "¬ l" or "ˆ": ignored)."""
    alnum = sum(c.isalnum() for c in line.text)
    if alnum == 0:
        wide = line.x1 - line.x0 >= _RULE_WIDTH or line.x1 - line.x0 <= 0  # or no positions
        return "rule" if wide else "dust"
    return "dust" if line.conf < _DUST_CONF and alnum < 4 else "text"


_RULE_WIDTH = 0.04  # page widths; the rule under an agency name is about 0.1
_DUST_CONF = 0.4


def _has_positions(lines: list[Line]) -> bool:
    """Whether x positions vary enough to tell columns apart."""
    centres = [(ln.x0 + ln.x1) / 2 for ln in lines]
    return bool(centres) and max(centres) - min(centres) > 0.15


def _join_fragments(lines: tuple[Line, ...]) -> list[Line]:
    """Pieces of one printed line that came out as several (words closer than a column gap).

    A reader may cut a line at a wide word space or list its words out of order; the rules
    expect one line per printed line, so same-row neighbours are joined in x order.
    """
    out: list[Line] = []
    for i, line in enumerate(lines):
        if _kind(line) != "text":
            out.append(line)  # never glued onto a real line
            continue
        speck = False
        while True:
            near = range(len(out) - 1, max(len(out) - _LOOK_BACK, 0) - 1, -1)
            k = next((k for k in near if _fragments(out[k], line)), None)
            if k is None or _closer_ahead(line, out[k], lines[i + 1 : i + _LOOK_BACK]):
                break
            if speck := _speck_within(line, out[k]):
                break
            if _speck_within(out[k], line):
                out.pop(k)
                continue
            line = _joined(out.pop(k), line)  # the joined line may now reach another piece
        if not speck:
            out.append(line)
    return out


def _speck_within(piece: Line, line: Line) -> bool:
    """Whether `piece` is specks read on their own inside `line`'s stretch: one mark ("l"
    between two words of a trích yếu), or two unread and much lower than the line ("sa"
    at 0.0, 0.003 high in a line of 0.015: 9595 c0197). Joined, they would stand at the
    line's end and make it unread."""
    if not line.x0 < piece.x0 <= piece.x1 < line.x1:
        return False
    marks = sum(c.isalnum() for c in piece.text)
    low = piece.y1 - piece.y0 < _SPECK_HEIGHT * (line.y1 - line.y0)
    return marks <= 1 or (marks <= 2 and low and piece.conf < _DUST_CONF)


_SPECK_HEIGHT = 0.5  # of the line's height: lower than this, not print of it


def _closer_ahead(piece: Line, line: Line, ahead: Sequence[Line]) -> bool:
    """Whether `piece`, between two rows, shares more height with a line still to come
    than with `line` ("tỉ" of "tiêm", under a "V/v" line read before it): it is left for
    that one to take."""
    return any(
        _fragments(piece, other) and _shared(piece, other) > _shared(piece, line) for other in ahead
    )


def _shared(a: Line, b: Line) -> float:
    return min(a.y1, b.y1) - max(a.y0, b.y0)


def _fragments(a: Line, b: Line) -> bool:
    if not any(c.isalnum() for c in a.text):
        return False
    overlap = _shared(a, b)
    gap = max(a.x0, b.x0) - min(a.x1, b.x1)
    return overlap > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0) > 0 and -0.01 < gap < _WORD_GAP


def _joined(a: Line, b: Line) -> Line:
    first, second = sorted((a, b), key=lambda ln: ln.x0)
    # Pieces OCR read that touch are one word cut in two ("tỉ" | "êm" of "tiêm"): joined as
    # read, not as two words that could each pass for a syllable. A text layer's pieces are
    # as printed.
    ocr = max(a.conf, b.conf) < 1.0
    touching = ocr and 0 <= second.x0 - first.x1 < _TOUCHING and first.text[-1:].isalpha()
    space = "" if touching and second.text[:1].isalpha() else " "
    return Line(
        f"{first.text}{space}{second.text}",
        first.x0,
        min(a.y0, b.y0),
        max(a.x1, b.x1),
        max(a.y1, b.y1),
        min(a.conf, b.conf),
        a.bold and b.bold,
        max(a.size, b.size),
        min(a.number_conf, b.number_conf),
    )


_LOOK_BACK = 4
_WORD_GAP = 0.02  # page widths; the reader splits columns at gaps over 0.04
_TOUCHING = 0.003  # page widths: less than a word space (a third of an em at 13 pt)


def prepare(reading: Reading) -> Layout:
    """The Reading as cleaned working lines, with rules dropped and merged columns cut."""
    out: list[WLine] = []
    first = next((p for p in reading.pages if p.lines), None)
    positioned = first is not None and _has_positions(list(first.lines))
    for number, page in enumerate(reading.pages):
        rule_above = False
        raw_lines = _join_fragments(page.lines) if positioned else list(page.lines)
        for raw in raw_lines:
            for piece in split_merged(raw):
                text = squash(fix_number_label(piece.text))
                kind = _kind(replace(piece, text=text))
                if kind != "text":
                    rule_above = rule_above or kind == "rule"
                    continue
                out.append(WLine.make(piece, number, text, after_rule=rule_above))
                rule_above = False
    return Layout(tuple(out), positioned)


def strip_markup(text: str) -> str:
    """Text without the box or bracket characters drawn around a stamped mark, or the
    specks beside it ("` KHẨN")."""
    return text.strip(" |[](){}<>*_-–—=:;.,\"'`ˆ~")


def mean_conf(lines: list[WLine]) -> float:
    return sum(ln.conf for ln in lines) / len(lines) if lines else 0.0


def ends_body(text: str) -> bool:
    """Whether a line ends the body of a document: ND30 closes it with "./."."""
    return text.rstrip().endswith(("./.", "/."))
