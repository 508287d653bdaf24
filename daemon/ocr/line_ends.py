"""The comma Tesseract leaves off the end of a title line.

Now and then Tesseract's LSTM drops the comma that ends a line ("... công tác thi đua," |
"khen thưởng ..." read "thi đua" | "khen thưởng"), and reads the line with its usual high
confidence. The trích yếu that lost it is still good Vietnamese, so no check of the text
can see it: a wrong record nobody flags. The ink can. A comma is a small mark just after
the last letter, a stroke taller than wide that starts on the baseline and hangs below it;
a period sits on the baseline, a speck of an old copier's is smaller or elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np
from PIL import Image

from daemon.ocr import morph
from daemon.ocr.model import Line

_INK = 128  # darker than this is ink on the grey cut
_REACH = 0.7  # line heights right of the last word's box a comma is looked for in
_GAP = 0.4  # ... starting this close to it (the box may end before the last letter does)
_BODY_SHARE = 0.3  # rows with this share of the busiest row's ink are the letters' body
_TALL = (0.15, 0.35)  # a comma's height, in line heights
_RISE = 0.28  # ... how far above the baseline it starts, at most (a q's bowl starts higher)
_WIDE = 0.25  # ... its greatest width
_SOLID = 0.35  # ... the least share of its box it inks (a curl of scattered specks is none)
_SLIM = 1.3  # ... at least this many times as tall as wide (a period is as wide as tall)
_LEAST_HEIGHT = 8  # pixels: a line lower than this is too coarse to tell a comma on
_SPECK = 4  # pixels: ink this small beside it is the scan's grain, anything larger is not


def with_lost_commas(
    lines: list[Line], cut: Image.Image, origin: tuple[int, int, int, int]
) -> list[Line]:
    """`lines` read on `cut` (a region at `origin`: left, top, page width, page height; as
    `tesseract.ocr_lines` takes it), each with the comma its end lost put back."""
    ink = np.asarray(cut.convert("L")) < _INK
    return [
        replace(line, text=line.text + ",") if _lost_comma(line, ink, origin) else line
        for line in lines
    ]


def _lost_comma(line: Line, ink: np.ndarray, origin: tuple[int, int, int, int]) -> bool:
    """Whether a comma-shaped mark follows `line`'s last letter on the region's `ink`."""
    if not line.text or not line.text[-1].isalnum():
        return False
    left, top, width, height = origin
    x1 = round(line.x1 * width) - left
    y0, y1 = max(0, round(line.y0 * height) - top), round(line.y1 * height) - top
    tall = y1 - y0
    if tall < _LEAST_HEIGHT or not tall <= x1 < ink.shape[1]:
        return False
    baseline = _baseline(ink[y0:y1, x1 - tall : x1])
    if baseline is None:
        return False
    baseline += y0
    # The last letters and what follows them: a part that starts left of the word's box
    # end, or rises from it into the letters' height, is the last letter's (its box may
    # end before the letter does); one that starts below the baseline the next line's.
    bottom = min(ink.shape[0], baseline + round(_TALL[1] * tall))
    window = ink[y0:bottom, x1 - tall : min(ink.shape[1], x1 + round(_REACH * tall))]
    after = [
        _Mark(bx0 - tall, by0 + y0, bx1 - tall, by1 + y0, _area(window, (bx0, by0, bx1, by1)))
        for bx0, by0, bx1, by1 in morph.components(window)
        if bx0 >= tall - 1 and by0 + y0 <= baseline
    ]
    rise = baseline - _RISE * tall
    if any(mark.left > 1 and mark.top < rise and mark.area > _SPECK for mark in after):
        return False  # a letter after the box: a word OCR lost, which a comma may not end
    marks = [mark for mark in after if mark.top >= rise and mark.area > _SPECK]
    if len(marks) != 1:
        return False
    (mark,) = marks
    mark_height, mark_width = mark.bottom - mark.top, mark.right - mark.left
    return (
        mark.left <= _GAP * tall
        and mark.right + tall < window.shape[1]  # not the start of something going on
        and _TALL[0] * tall <= mark_height <= _TALL[1] * tall
        and mark_width <= _WIDE * tall
        and mark_height >= _SLIM * mark_width
        and mark.area >= _SOLID * mark_height * mark_width
        and mark.bottom > baseline  # it hangs below the letters' body
    )


class _Mark(NamedTuple):
    """A mark after a line: columns from the last word's box end, rows of the cut."""

    left: int
    top: int
    right: int
    bottom: int
    area: int  # inked pixels


def _baseline(letters: np.ndarray) -> int | None:
    """The lowest row of the letters' body in the last letters' ink (descenders and the dot
    under ị, ọ... are far thinner than the body's rows)."""
    rows = letters.sum(axis=1)
    if not rows.any():
        return None
    body = np.nonzero(rows >= _BODY_SHARE * rows.max())[0]
    return int(body[-1]) + 1


def _area(window: np.ndarray, box: tuple[int, int, int, int]) -> int:
    x0, y0, x1, y1 = box
    return int(window[y0:y1, x0:x1].sum())
