"""The signer's name under the seal: found as the last printed row of the signature column
and read on its own, in a few renderings, keeping the surest.

In an office scan the red seal is stamped across the signature and the name below it. In a
grey scan (and, fainter, in the red channel of a colour one) the seal ring is mid-grey, and
where it crosses the name the print under it is lightened too. Tesseract, reading the whole
column, binarises the ring into the name row and drops or garbles the surname. Read alone
as one line (`--psm 7`), with the seal whitened at one or two grey levels, the name comes
out whole far more often; each extra reading is a strip of ~60 pixels, a few tens of ms.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
from PIL import Image

from daemon.ocr import tesseract
from daemon.ocr.fields_vocab import SURNAMES
from daemon.ocr.model import Line
from daemon.ocr.syllables import foreign_or_invalid
from daemon.ocr.vntext import loose_key

_PRINT_GREY = 100  # print is darker than this even under the seal's edge; the ring is not
_PAPER_MARGIN = 40  # grey levels below the paper's that count as ink (print or seal)
_LINE_PSM = 7
_MIN_ROW_DPI = 0.06  # a text row is at least this many inches tall (a 10 pt capital)
_MAX_ROW = 5  # a run taller than this many minimal rows is more than one row
_JOIN_GAP = 0.5  # runs closer than this share of the row height are one row (tone marks)
_PAD = 0.35  # blank kept above and below the row, as a share of its height
_SURE = 0.9  # confidence of a clean name read that no other rendering is tried after
_RING_SHARE = 0.1  # a row crossed only by a seal ring inks less than this share of the
# inkiest row (print or the scribble's stroke); a row of print inks far more


def name_row(column: Image.Image, dpi: int) -> tuple[int, int] | None:
    """Top and bottom pixel rows of the last printed row of a signature column.

    Rows are found where pixels darker than the print's grey are. When a seal ring joins
    the name to the scribble above it into one tall run, again with only what is darker
    than the ring (Otsu's level over the inked pixels), and then with only the rows that
    hold more ink than a ring's two crossings do (a ring as dark as the print).
    """
    grey = np.asarray(column)
    dark = grey <= _PRINT_GREY
    row = _last_row(dark, dpi)
    tall = _MAX_ROW * _MIN_ROW_DPI * dpi
    if row is None or row[1] - row[0] <= tall:
        return _padded(row, column.height)
    levels = seal_levels(column)
    retries = [(grey <= levels[0], 0.0)] if levels and levels[0] < _PRINT_GREY else []
    for darker, share in [*retries, (dark, _RING_SHARE)]:
        row = _last_row(darker, dpi, share)
        if row is not None and row[1] - row[0] <= tall:
            return _padded(row, column.height)
    return None


def _last_row(dark: np.ndarray, dpi: int, share: float = 0.0) -> tuple[int, int] | None:
    """The last row of print in `dark`: rows inked by at least a few pixels and at least
    `share` of the inkiest row's count."""
    counts = dark.sum(axis=1)
    inky = counts >= max(2, dark.shape[1] // 150, share * counts.max(initial=0))
    runs: list[list[int]] = []
    for y, flag in enumerate([*inky.tolist(), False]):
        if flag and (not runs or runs[-1][1] != y):
            runs.append([y, y + 1])
        elif flag:
            runs[-1][1] = y + 1
    min_height = _MIN_ROW_DPI * dpi
    core = [i for i, run in enumerate(runs) if run[1] - run[0] >= min_height]
    if not core:
        return None
    index = core[-1]  # specks of the seal below the name are lower than a row of text
    top, bottom = runs[index]
    gap = _JOIN_GAP * (bottom - top)
    for below in runs[index + 1 :]:  # descenders cut off by a thin blank line
        if below[0] - bottom <= gap:
            bottom = below[1]
    for above in reversed(runs[:index]):  # tone marks and dots printed above the letters
        if top - above[1] > gap or above[1] - above[0] >= min_height:
            break
        top = above[0]
    return top, bottom


def _padded(row: tuple[int, int] | None, height: int) -> tuple[int, int] | None:
    if row is None:
        return None
    top, bottom = row
    pad = round(_PAD * (bottom - top))
    return max(0, top - pad), min(height, bottom + pad)


def read_name(
    column: Image.Image,
    *,
    lang: str,
    dpi: int,
    timeout: float,
    origin: tuple[int, int, int, int],
) -> Line | None:
    """The surest reading of the signature column's last row, or None when it has none.

    `origin` is (left, top, page width, page height) of the column on the page, so that the
    line comes out in page coordinates like the other lines.
    """
    row = name_row(column, dpi)
    if row is None:
        return None
    strip = column.crop((0, row[0], column.width, row[1]))
    best: Line | None = None
    for level in (None, *seal_levels(strip)):
        found = tesseract.ocr_lines(
            strip if level is None else strip.point(_whiten(level)),
            lang=lang,
            psm=_LINE_PSM,
            timeout=timeout,
            dpi=dpi,
            page=(origin[0], origin[1] + row[0], origin[2], origin[3]),
        )
        line = _joined(found)
        if line is not None and (best is None or worth(line) > worth(best)):
            best = line
        if best is not None and sure(_tidy(best)):
            break  # the whitened renderings cannot do better: each costs a Tesseract call
    return _tidy(best) if best is not None else None


def sure(name: Line) -> bool:
    """Whether a name read needs no other rendering: clean capitalised words, each a
    Vietnamese syllable ("Lê Nđọc Khánh" is not), a known surname first, read at high
    confidence."""
    words = name.text.split()
    return (
        len(words) >= 2
        and name.conf >= _SURE
        and worth(name) >= name.conf
        and loose_key(words[0]) in SURNAMES
        and not foreign_or_invalid(name.text)
    )


def as_one(lines: list[Line]) -> Line | None:
    """The pieces of a name row as one tidied line, or None when there are none."""
    line = _joined(lines)
    return _tidy(line) if line is not None else None


def _joined(lines: list[Line]) -> Line | None:
    """The pieces of one row (split where a blot left a gap) as one line, so that a
    reading that lost the surname to a blot never looks surer than one that kept it."""
    if not lines:
        return None
    lines = sorted(lines, key=lambda line: line.x0)
    weights = [max(1, sum(c.isalnum() for c in line.text)) for line in lines]
    conf = sum(w * line.conf for w, line in zip(weights, lines, strict=True)) / sum(weights)
    return Line(
        " ".join(line.text for line in lines),
        min(line.x0 for line in lines),
        min(line.y0 for line in lines),
        max(line.x1 for line in lines),
        max(line.y1 for line in lines),
        conf,
        size=max(line.size for line in lines),
    )


def seal_levels(strip: Image.Image) -> tuple[int, ...]:
    """Grey levels to whiten a strip above so the seal ring goes and the print stays.

    Otsu's threshold over the inked pixels parts dark print from a darker ring; where the
    ring is pale but lightens the print it crosses, the level halfway from there to the
    paper keeps that print. None when the strip has too little ink.
    """
    grey = np.asarray(strip)
    paper = int(np.median(grey))
    inked = grey[grey < paper - _PAPER_MARGIN]
    if inked.size < 50:
        return ()
    otsu = _otsu(inked)
    return otsu, (otsu + paper) // 2


def _otsu(inked: np.ndarray) -> int:
    hist = np.bincount(inked, minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight, mean = np.cumsum(hist), np.cumsum(hist * levels)
    total = weight[-1]
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    return int(np.argmax(between))


def worth(line: Line) -> float:
    """Confidence, less for stray marks: a name is capitalised words of letters only."""
    words = line.text.split()
    if not words:
        return 0.0
    clean = sum(w.isalpha() for w in words) / len(words)
    capitalised = sum(w[:1].isupper() for w in words) / len(words)
    return line.conf * clean * clean * (0.5 + 0.5 * capitalised)


def _tidy(line: Line) -> Line:
    """The line without the specks read as words before or after the name ("NG_ Huỳnh
    Đình Hải", "MÃ __ Đỗ Mỹ Thảo", "Lê Văn An ,") or as a mark at the surname's edge ("“Bùi")."""
    words = line.text.split()
    # specks or a capitals fragment of the title before a name, never a misread surname
    # ("1Hiô Văn An": lower-case letters in it, and Văn is a surname too, if rare)
    while (
        len(words) > 2
        and not words[0].isalpha()
        and not any(c.islower() for c in words[0])
        and loose_key(words[1]) in SURNAMES
    ):
        words.pop(0)
    if (  # a letter of the seal, then a speck, before the surname
        len(words) > 3
        and not any(c.isalpha() for c in words[1])
        and loose_key(words[2]) in SURNAMES
    ):
        words = words[2:]
    while len(words) > 2 and not words[-1].isalpha():
        words.pop()
    surname = _EDGE_MARKS.sub("", words[0]) if words else ""
    if surname != words[0] and loose_key(surname) in SURNAMES:
        words[0] = surname  # "“Bùi Thanh Hiếu"
    return replace(line, text=" ".join(words))


_EDGE_MARKS = re.compile(r"^\W+|\W+$")


def _whiten(level: int) -> list[int]:
    return [v if v <= level else 255 for v in range(256)]
