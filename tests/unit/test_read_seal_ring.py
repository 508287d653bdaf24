"""The seal's rings found by shape and whitened, on pages where colour cannot lift them."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from daemon.ocr import seal_ring
from tests.docgen.fonts import SEAL_FONT
from tests.docgen.seal import seal_image

DPI = 200
SEAL_PX = round(38 / 25.4 * DPI)  # a 38 mm seal


def _column(with_seal: bool, *, seal_at: tuple[int, int] = (230, 190)) -> Image.Image:
    """A signature column at 200 dpi, black on white as an old copier gives it: the title,
    a scribble, the name; the seal (black: no colour to lift it) over the name's start."""
    page = Image.new("L", (720, 420), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(SEAL_FONT, 30)
    draw.text((250, 40), "CHỦ TỊCH", font=font, fill=0)
    draw.line([(260, 200), (330, 130), (380, 220), (450, 140), (520, 210)], fill=0, width=4)
    draw.text((200, 330), "Phan Xuân Nghĩa", font=font, fill=0)
    if with_seal:
        seal = seal_image("ỦY BAN NHÂN DÂN HUYỆN KHÁNH SƠN", SEAL_PX)
        ink = seal.getchannel("A").point(lambda a: 255 if a > 100 else 0)
        page.paste(0, (seal_at[0] - SEAL_PX // 2, seal_at[1] - SEAL_PX // 2), ink)
    return page


def test_a_black_seal_is_found_by_its_ring() -> None:
    ring = seal_ring.find(_column(True), DPI)
    assert ring is not None
    assert abs(ring.x - 230) <= 4 and abs(ring.y - 190) <= 4
    outer = SEAL_PX / 2
    assert abs(ring.rings[0][0] - outer) <= 0.05 * outer
    assert len(ring.rings) == 2 and 0.55 * outer <= ring.rings[1][0] <= 0.75 * outer


def test_whitening_takes_the_rings_and_leaves_the_print() -> None:
    page = _column(True)
    ring = seal_ring.find(page, DPI)
    assert ring is not None
    before, after = np.asarray(page) < 128, np.asarray(seal_ring.whitened(page, ring)) < 128
    ys, xs = np.nonzero(before)
    d = np.hypot(xs - ring.x, ys - ring.y)
    on_ring = np.abs(d - ring.rings[0][0]) <= ring.rings[0][1] / 2
    assert after[ys[on_ring], xs[on_ring]].mean() < 0.2  # the ring is gone
    # The print, away from the rings, is untouched.
    cy, cx = np.nonzero(np.asarray(_column(False)) < 128)
    far = np.abs(np.hypot(cx - ring.x, cy - ring.y) - ring.rings[0][0]) > ring.rings[0][1]
    assert after[cy[far], cx[far]].mean() > 0.97


@pytest.mark.parametrize("shape", ["text", "box", "table"])
def test_print_boxes_and_tables_are_no_ring(shape: str) -> None:
    page = _column(False)
    draw = ImageDraw.Draw(page)
    if shape == "box":  # the clerk's ĐẾN stamp frame, corners rounded
        draw.rounded_rectangle((40, 60, 360, 300), radius=25, outline=0, width=5)
    elif shape == "table":
        for x in range(20, 700, 120):
            draw.line([(x, 20), (x, 400)], fill=0, width=3)
        for y in range(20, 400, 40):
            draw.line([(20, y), (700, y)], fill=0, width=3)
    assert seal_ring.find(page, DPI) is None


def test_a_column_smaller_than_a_seal_is_not_searched() -> None:
    assert seal_ring.find(Image.new("L", (120, 80), 255), DPI) is None


def test_a_grey_seal_is_left_to_the_grey_levels() -> None:
    """A seal lighter than print (a grey scan of a red seal) is found, but not whitened:
    the signature reader tells print from it by grey level and keeps the print whole."""
    black = seal_ring.find(_column(True), DPI)
    grey = seal_ring.find(_column(True).point(lambda v: 120 if v < 128 else 255), DPI)
    assert black is not None and black.as_dark_as_print
    assert grey is not None and not grey.as_dark_as_print


def test_fft_sizes_have_no_prime_factor_above_five() -> None:
    assert [seal_ring._fast_size(n) for n in (1, 16, 17, 257, 272, 301)] == [
        1,
        16,
        18,
        270,
        288,
        320,
    ]


def test_ring_covers_are_the_share_of_each_circle_inked() -> None:
    """The correlation by FFT gives, at every pixel and up to the map's edges, exactly
    the share of the circle about it that is ink, counted pixel by pixel."""
    rng = np.random.default_rng(0)
    pooled = (rng.random((53, 81)) < 0.3).astype(np.float32)
    covers = seal_ring._Covers(pooled, 30)
    for radius in (12, 30):
        size = 2 * radius + 3
        yy, xx = np.mgrid[:size, :size] - (radius + 1)
        ring = np.abs(np.hypot(xx, yy) - radius) < 0.5
        padded = np.pad(pooled, radius + 1)  # nothing is inked beyond the map
        inked = zip(*np.nonzero(ring), strict=True)
        counted = sum(padded[dy : dy + 53, dx : dx + 81] for dy, dx in inked)
        assert np.array_equal(covers[radius], counted / np.float32(ring.sum()))
