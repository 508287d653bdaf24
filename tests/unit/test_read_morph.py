"""The ink map's operations, against the obvious slow definitions."""

from __future__ import annotations

import numpy as np

from daemon.ocr import morph

RNG = np.random.default_rng(3)


def _mask(shape: tuple[int, int] = (40, 30), density: float = 0.1) -> np.ndarray:
    return RNG.random(shape) < density


def test_dilate_is_a_rectangle_around_each_pixel() -> None:
    mask = _mask()
    out = morph.dilate(mask, 2, 1)
    for y, x in zip(*np.nonzero(out), strict=True):
        assert mask[max(0, y - 2) : y + 3, max(0, x - 1) : x + 2].any()
    assert out[mask].all()


def test_box_count_counts_the_square() -> None:
    mask = _mask()
    counts = morph.box_count(mask, 2)
    for y in range(mask.shape[0]):
        for x in range(mask.shape[1]):
            assert counts[y, x] == mask[max(0, y - 2) : y + 3, max(0, x - 2) : x + 3].sum()


def test_covered_by_runs_keeps_long_vertical_runs_only() -> None:
    mask = np.zeros((30, 4), dtype=bool)
    mask[2:12, 0] = True  # 10 long
    mask[5:9, 1] = True  # 4 long
    mask[0:30, 2] = True  # the whole column
    out = morph.covered_by_runs(mask, 6)
    assert out[2:12, 0].all() and not out[:, 1].any() and out[:, 2].all() and not out[:, 3].any()


def test_components_are_eight_connected_boxes() -> None:
    mask = np.zeros((10, 10), dtype=bool)
    mask[1, 1] = mask[2, 2] = mask[3, 3] = True  # a diagonal: one part
    mask[7:9, 6:9] = True
    assert sorted(morph.components(mask)) == [(1, 1, 4, 4), (6, 7, 9, 9)]


def test_box_count_is_exact_on_a_tall_page() -> None:
    mask = np.ones((70_000, 3), dtype=bool)  # longer than any narrow sum type counts
    mask[50_000, 1] = False
    counts = morph.box_count(mask, 2)
    assert counts[0, 0] == 9 and counts[30_000, 1] == 15 and counts[-1, -1] == 9
    assert counts[50_000, 1] == 14 and counts[50_002, 2] == 14 and counts[50_003, 0] == 15
