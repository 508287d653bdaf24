"""An old copier's specks, streak and dark lid edge come off the ink map; print stays."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from daemon.ocr import copier, regions
from tests.unit.test_read_pdfs import nd30_pdf, render


def _rows(ink: np.ndarray) -> set[int]:
    """The pixel rows the planner sees as text."""
    return {y for top, bottom in regions._bands(ink) for y in range(top, bottom)}


def test_print_is_left_as_it_is() -> None:
    ink = regions.ink_map(render(nd30_pdf(), dpi=150))
    assert (copier.cleaned(ink) == ink).mean() > 0.999  # an accent or a full stop at most


def test_specks_streak_and_edge_come_off_and_the_rows_come_back() -> None:
    page = render(nd30_pdf(), dpi=150)
    clean_rows = _rows(regions.ink_map(page))
    rng = np.random.default_rng(7)
    grey = np.asarray(page).copy()
    ys, xs = rng.integers(0, grey.shape[0], 4000), rng.integers(0, grey.shape[1], 4000)
    grey[ys, xs] = 0  # sensor specks, one pixel each, everywhere
    dirty = Image.fromarray(grey)
    draw = ImageDraw.Draw(dirty)
    draw.rectangle((700, 0, 702, dirty.height), fill=0)  # a streak down the whole page
    draw.rectangle((0, dirty.height - 40, dirty.width, dirty.height), fill=20)  # the lid's edge
    dirty_rows = _rows(regions.ink_map(dirty))
    assert len(dirty_rows ^ clean_rows) <= 3  # a blank row between an accent and its line


def test_a_speck_beside_a_letter_is_kept() -> None:
    ink = np.zeros((60, 60), dtype=bool)
    ink[20:30, 20:24] = True  # a stroke
    ink[17, 22] = True  # its accent, two pixels above
    ink[50, 50] = True  # a speck alone
    out = copier.cleaned(ink)
    assert out[17, 22] and not out[50, 50] and out[20:30, 20:24].all()


def test_a_stamps_sides_are_not_a_streak() -> None:
    ink = np.zeros((900, 640), dtype=bool)
    ink[200:330, 100:102] = True  # 0.14 of the height
    assert copier.cleaned(ink)[200:330, 100:102].all()
