"""An old copier's specks, streak and dark lid edge come off the ink map; print stays."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from daemon.ocr import copier, images, pageocr, regions
from daemon.ocr.layout import Word
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


def _streaked(page: Image.Image, x: int, width: int, share: float) -> Image.Image:
    """`page` seen through dirt on the glass that lets `share` of the light through."""
    grey = np.asarray(page).astype(np.float32)
    grey[:, x : x + width] *= share
    return Image.fromarray(grey.astype(np.uint8))


def test_print_has_no_streak() -> None:
    page = render(nd30_pdf(), dpi=150)
    assert copier.streaks(page) == []
    assert images.Raster(page, 150).unstreaked().image is page


def test_a_grey_streak_comes_off_the_image_and_the_print_under_it_stays() -> None:
    """Dirt on the glass dims a column by the same share down the page: brought back up by
    that share, the paper is paper again and a stroke across it as dark as beside it."""
    page = render(nd30_pdf(), dpi=150)
    ink = np.asarray(page) < 100
    x = int(np.argmax(ink[: page.height // 4].sum(axis=0)))  # through the header's print
    dirty = _streaked(page, x, 2, 0.4)
    assert copier.streaks(dirty) == [(x, x + 2)]
    clean = np.asarray(copier.unstreaked(dirty, [(x, x + 2)])).astype(int)
    before = np.asarray(page).astype(int)[:, x : x + 2]
    assert np.abs(clean[:, x : x + 2] - before).mean() < 4
    assert ((clean[:, x : x + 2] < 100) == (before < 100)).mean() > 0.99


def test_a_black_streak_takes_the_lighter_of_its_sides() -> None:
    """A bilevel scan's streak is black: no print shows through it, the sides tell."""
    grey = np.full((200, 400), 255, dtype=np.uint8)
    grey[50:60, 10:90] = 0  # a stroke across the streak
    grey[120:130, 10:41] = 0  # a stroke that ends at the streak's left edge
    grey[:, 41:43] = 0  # the streak
    found = copier.streaks(Image.fromarray(grey))
    assert found == [(41, 43)]
    clean = np.asarray(copier.unstreaked(Image.fromarray(grey), found))
    assert (clean[50:60, 41:43] == 0).all()  # the stroke across stays whole
    assert (clean[120:130, 41:43] == 255).all()  # only one side inked: paper
    assert (clean[:50, 41:43] == 255).all() and (clean[60:120, 41:43] == 255).all()


def test_a_raster_remembers_the_streaks_that_hid_its_print() -> None:
    """Only a black streak hides what it crosses (a grey one lets the print through): the
    raster keeps its columns, so that a digit read across it is doubted (`pageocr`)."""
    grey = np.full((200, 400), 255, dtype=np.uint8)
    grey[:, 41:43] = 0
    raster = images.Raster(Image.fromarray(grey), 150).unstreaked()
    assert raster.hidden == ((41, 43),)
    assert raster.turned(180).hidden == ((357, 359),)  # the page's columns, mirrored
    assert raster.turned(90).hidden == ()  # now across the lines
    page = render(nd30_pdf(), dpi=150)
    assert images.Raster(_streaked(page, 200, 2, 0.4), 150).unstreaked().hidden == ()


def test_a_digit_read_across_a_black_streak_is_doubted() -> None:
    """Old copier 8383: "ngày 08" read "ngày 03" at 0.95, the streak through the 8. Words
    are placed on the levelled page; the streak runs down the page as scanned."""
    raster = images.Raster(Image.new("L", (1000, 1000), 255), 200, hidden=((500, 503),))
    under = pageocr._under_streak(raster, 0.0)
    assert under is not None
    assert under(Word("03", 0.49, 0.1, 0.52, 0.12, conf=0.95)).conf == pageocr._UNDER_STREAK
    assert under(Word("tháng", 0.49, 0.1, 0.52, 0.12, conf=0.95)).conf == 0.95
    # a Roman numeral's stroke hidden leaves another numeral, its strokes counted alike
    assert under(Word("II", 0.49, 0.1, 0.52, 0.12, conf=0.95)).conf == pageocr._UNDER_STREAK
    assert under(Word("03", 0.1, 0.1, 0.12, 0.12, conf=0.95)).conf == 0.95
    levelled = pageocr._under_streak(raster, 2.0)  # 400 px above the middle: 14 px over
    assert levelled is not None
    assert levelled(Word("03", 0.49, 0.1, 0.52, 0.12, conf=0.95)).conf == 0.95
    assert levelled(Word("03", 0.475, 0.1, 0.49, 0.12, conf=0.95)).conf == pageocr._UNDER_STREAK
    assert pageocr._under_streak(images.Raster(raster.image, 200), 0.0) is None


def test_a_column_of_print_is_no_streak() -> None:
    """A dark run wider than a streak (a table's shaded column, a photo) is left alone."""
    grey = np.full((200, 400), 255, dtype=np.uint8)
    grey[:, 100:140] = 90
    assert copier.streaks(Image.fromarray(grey)) == []


def test_column_medians_are_numpys() -> None:
    rng = np.random.default_rng(3)
    for rows in (1, 2, 7, 438):  # odd and even counts: the middle one, the mean of two
        grey = rng.integers(0, 256, size=(rows, 33), dtype=np.uint8)
        assert np.array_equal(copier._column_medians(grey), np.median(grey, axis=0))


def test_the_rows_sampled_for_streaks_are_every_eighth() -> None:
    """Sampled inside PIL, the rows are exactly those a NumPy slice of the page takes."""
    rng = np.random.default_rng(5)
    for height, width in ((1, 3), (7, 5), (9, 40), (2339, 17), (3508, 9)):
        grey = rng.integers(0, 256, size=(height, width), dtype=np.uint8)
        sampled = copier._sampled_rows(Image.fromarray(grey))
        assert np.array_equal(sampled, grey[:: copier._PAPER_STEP])
