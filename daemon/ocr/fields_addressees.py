"""Read the "Kính gửi:" addressees of a công văn, a tờ trình, a công điện or a citizen's letter.

ND30 (Phụ lục I) prints them between the trích yếu and the body, in one of two shapes:

    Kính gửi: Ủy ban nhân dân tỉnh Khánh Hòa.

    Kính gửi: - Sở Tài chính;
              - Sở Nội vụ.

The first is one centred line (wrapped when long); the second a list of "- ...;" lines, the
last ending with ".", whose first item may share the label's line. The outgoing wing sends
to these agencies when "Nơi nhận" says "Như trên", so every addressee counts.

OCR slips in the label ("Kinh gửi", "Kính gừi", southern "Kính gởi", "Kính gửl:") are read on
the folded text; a dash OCR lost is recognised by alignment under the other items.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from daemon.ocr.doctypes import DocType
from daemon.ocr.fields_layout import Layout, WLine, ends_body, mean_conf
from daemon.ocr.fields_lexicon import correct_diacritics
from daemon.ocr.fields_vocab import starts_body
from daemon.ocr.vntext import loose_key, nfc, squash, strip_aligned

__all__ = ["Addressees", "find_addressees", "read_addressees"]

# On the folded text (strip_aligned keeps offsets): "kinh gui", "kinh goi" and OCR's i->l/1/|.
_LABEL = re.compile(r"^[\W_]{0,2}k\s?[il1!|]\s?n\s?h\s*g\s?[uo]\s?[il1!|](?![a-z])\s*([:;.,]?)\s*")
_NEAR_LABEL = 0.6  # difflib ratio of a garbled label's words ("kfnh", "gul") to the real ones
_ITEM = re.compile(r"^\s*[-+•·*–—‐‑~¬_]\s*")  # an item's dash, and what OCR makes of it
_LEAD_JUNK = re.compile(r"^[\W_]+")
_AFTER_BODY_START = 6  # lines after the body's start where the label may still sit
_MAX_LINES = 16  # lines of the whole block
_ALIGN = 0.04  # page widths: items of one list start this close to each other
_CLOSED = (";", ".", ":")  # ":" is how OCR often reads the ";"
_AS_ABOVE = re.compile(r"^nhu tren\b")
# Types that are written to someone: their "Kính gửi" is part of the form.
_ADDRESSED_TYPES = frozenset({"Công văn", "Tờ trình", "Công điện", "Thư công"})


@dataclass
class Addressees:
    names: list[str] = field(default_factory=list)
    lines: list[WLine] = field(default_factory=list)
    has_label: bool = False
    exact_label: bool = True  # False: the label was recognised through OCR's slips
    cut_short: bool = False  # a list whose last item has no "." (the rest may be unread)


@dataclass
class _Block:
    """The items read so far: their texts and lines, and where the items start (x)."""

    label: WLine
    texts: list[str] = field(default_factory=list)
    lines: list[list[WLine]] = field(default_factory=list)
    listed: bool = False  # "- ..." items, rather than one name after the label
    item_x: float | None = None  # x0 of the items' dashes, or of the label for one name
    text_x: float | None = None  # x0 of the first item's text (a hanging indent goes here)

    @property
    def closed(self) -> bool:
        return not self.texts or self.texts[-1].rstrip().endswith(_CLOSED)

    @property
    def ended(self) -> bool:
        return bool(self.texts) and self.texts[-1].rstrip().endswith(".")

    def add(self, line: WLine, start: int, *, item_x: float) -> None:
        """A new item: `line`'s text from `start`, its mark (dash or label) at `item_x`."""
        self.texts.append(line.text[start:].strip())
        self.lines.append([line])
        if self.item_x is None:
            self.item_x, self.text_x = item_x, _x_at(line, start)

    def extend(self, line: WLine) -> None:
        self.texts[-1] = f"{self.texts[-1]} {line.text}"
        self.lines[-1].append(line)


def read_addressees(
    layout: Layout, body_start: int, doc_type: DocType | None, recipients: Sequence[str]
) -> tuple[tuple[str, ...], float]:
    """The addressees (NFC, cleaned) and the confidence in them.

    Finding none is a likely answer for a decision, a doubtful one for a công văn, a tờ
    trình or a letter, and wherever "Nơi nhận" sends "Như trên" (to the addressees above).
    """
    found = find_addressees(layout, body_start)
    names = tuple(correct_diacritics(name, agency=True) for name in found.names)
    if names:
        score = 0.95 * mean_conf(found.lines) * (1.0 if found.exact_label else 0.85)
        return names, score * (0.6 if found.cut_short else 1.0)
    if found.has_label:
        return (), 0.3  # a label without a name read under it
    expected = any(_AS_ABOVE.match(loose_key(r)) for r in recipients) or (
        doc_type is not None and (doc_type.letter or doc_type.name in _ADDRESSED_TYPES)
    )
    return (), 0.4 if expected else 0.85


def find_addressees(layout: Layout, body_start: int) -> Addressees:
    """The "Kính gửi:" block on the first page, before the body's first lines are past."""
    lines = layout.lines
    if not lines:
        return Addressees()
    stop = min(len(lines), body_start + _AFTER_BODY_START)
    for i in range(stop):
        line = lines[i]
        if line.page != lines[0].page or line.key.startswith("noi nhan"):
            break
        rest = _label_rest(line)
        if rest is not None:
            return _read(layout, i, rest)
    return Addressees()


def _label_rest(line: WLine) -> tuple[int, bool] | None:
    """Where the text after a "Kính gửi" label starts on `line`, and whether the label was
    read exactly; None when the line does not open with the label."""
    folded = strip_aligned(line.text)
    match = _LABEL.match(folded)
    if match is not None:
        rest = line.text[match.end() :]
        if match.group(1) or not rest or rest[:1].isupper() or _ITEM.match(rest):
            label = folded[: match.end()].strip(" :;.,")
            exact = label in ("kinh gui", "kinh goi") and match.group(1) == ":"
            return match.end(), exact
        return None  # "Kính gửi quý cơ quan ...": a sentence of the body
    head, colon, _ = line.text.partition(":")
    words = loose_key(head).split()
    if colon and len(words) == 2 and line.conf < 1.0 and _near_label(words):
        return len(head) + 1, False  # OCR only: "Kfnh gul:"
    return None


def _near_label(words: list[str]) -> bool:
    """Each word close to its word of "kinh gui": "kfnh gul" is, "kinh phi" is not."""
    return all(
        difflib.SequenceMatcher(None, word, want).ratio() >= _NEAR_LABEL
        for word, want in zip(words, ("kinh", "gui"), strict=True)
    )


def _read(layout: Layout, label: int, at: tuple[int, bool]) -> Addressees:
    lines = layout.lines
    first = lines[label]
    start, exact = at
    block = _Block(first)
    nxt = label + 1
    if not first.text[start:].strip() and nxt < len(lines) and _same_row(first, lines[nxt]):
        first, start, nxt = lines[nxt], 0, nxt + 1  # OCR cut the label's row at a gap
    if first.text[start:].strip():
        dash = _ITEM.match(first.text[start:])
        block.listed = dash is not None
        text_start = start + dash.end() if dash else start
        block.add(first, text_start, item_x=_x_at(first, start) if dash else block.label.x0)
    for line in lines[nxt : label + _MAX_LINES]:
        if line.page != block.label.page or not _take(layout, block, line):
            break
    names = [name for name in (_clean(t) for t in block.texts) if name]
    item_lines = [ln for item in block.lines for ln in item] or [block.label]
    cut = block.listed and not block.ended
    return Addressees(names, item_lines, has_label=True, exact_label=exact, cut_short=cut)


def _take(layout: Layout, block: _Block, line: WLine) -> bool:
    """Add `line` to the block as a new item or the rest of a wrapped one; False when the
    block has ended before it."""
    dash = _ITEM.match(line.text)
    # After a "." only with positions: an aligned dash line is an item whose ";" OCR misread.
    listing = (block.listed or not block.texts) and (layout.positioned or not block.ended)
    if dash and listing and _aligned(layout, block, line):
        block.listed = True
        block.add(line, dash.end(), item_x=line.x0)
        return True
    if dash or block.ended or starts_body(line.text, line.key) or ends_body(line.text):
        return False
    if block.texts and not block.closed and _continues(layout, block, line):
        block.extend(line)
        return True
    if _undashed_item(layout, block, line):
        block.listed = True
        block.add(line, 0, item_x=line.x0)
        return True
    return False


def _aligned(layout: Layout, block: _Block, line: WLine) -> bool:
    """A dash line belongs to the list: under the other items' dashes (with positions)."""
    if not layout.positioned or block.item_x is None:
        return True
    return abs(line.x0 - block.item_x) <= _ALIGN


def _continues(layout: Layout, block: _Block, line: WLine) -> bool:
    """The next line of a wrapped addressee: right under it, starting under its mark or its
    text, and for one name no wider than the label's line; without positions, a line going
    on in lower case or a short one that closes the item."""
    if not layout.positioned:
        if line.text[:1].islower():
            return True
        return line.text.rstrip().endswith(_CLOSED) and len(line.text.split()) <= 8
    prev = block.lines[-1][-1]
    lo = block.item_x if block.item_x is not None else prev.x0
    hi = max(lo, block.text_x or lo)
    if not (_near(prev, line) and lo - 0.02 <= line.x0 <= hi + 0.03):
        return False
    return block.listed or line.x1 <= block.lines[0][0].x1 + 0.02


def _undashed_item(layout: Layout, block: _Block, line: WLine) -> bool:
    """An item printed without a dash, or whose dash OCR lost: a capitalised line right
    under a finished item and aligned with it, or (the first) indented past the label."""
    if not layout.positioned or not block.closed or not line.text[:1].isupper():
        return False
    prev = block.lines[-1][-1] if block.lines else block.label
    if not _near(prev, line):
        return False
    if block.item_x is None:  # not the body's indented first line: that goes on
        return line.x0 > block.label.x0 + 0.03 and line.text.rstrip().endswith(_CLOSED)
    return block.listed and abs(line.x0 - block.item_x) <= _ALIGN


def _near(prev: WLine, line: WLine) -> bool:
    """`line` is the next printed line under `prev` (no paragraph gap between)."""
    gap = line.y0 - prev.y1
    return prev.page == line.page and -0.005 < gap < 1.5 * max(prev.height, 0.01)


def _same_row(a: WLine, b: WLine) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return a.page == b.page and b.x0 > a.x1 - 0.01 and overlap > 0.5 * min(a.height, b.height)


def _x_at(line: WLine, offset: int) -> float:
    """The x where character `offset` of `line` sits, by its share of the characters."""
    text = line.text
    skipped = len(text[offset:]) - len(text[offset:].lstrip())
    share = (offset + skipped) / max(len(text), 1)
    return line.x0 + (line.x1 - line.x0) * share


def _clean(text: str) -> str:
    """An addressee without its dash and trailing ";" "." "," ":" (":" is OCR's ";")."""
    text = _LEAD_JUNK.sub("", squash(text))
    text = text.rstrip(" ;,.:").strip()
    return nfc(text)
