"""Planning OCR regions on a page image: header gutter, sideways pages, skew."""

from __future__ import annotations

import pytest
from PIL import Image

from daemon.ocr import regions
from tests.unit.test_read_pdfs import nd30_pdf, render

DPI = 150  # enough for the ink map, cheap to render


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return render(nd30_pdf(), dpi=DPI)


def test_header_columns_become_two_regions(page: Image.Image) -> None:
    plan = regions.plan(page)
    names = [r.name for r in plan.regions]
    assert names == ["header-left", "header-right", "body"]
    left, right, body = (r.box for r in plan.regions)
    assert left[2] == right[0]  # the cut
    assert 0.40 < left[2] / page.width < 0.45  # between UBND (ends ~0.40) and CỘNG HÒA (~0.44)
    assert left[3] == body[1] and 0.12 < body[1] / page.height < 0.25
    assert body[2:] == page.size


def test_tight_header_still_splits() -> None:
    page = render(nd30_pdf(parent="BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", gap_mm=3), dpi=DPI)
    assert [r.name for r in regions.plan(page).regions][:2] == ["header-left", "header-right"]


def test_no_header_search_when_not_asked(page: Image.Image) -> None:
    plan = regions.plan(page, header=False)
    assert [(r.name, r.box) for r in plan.regions] == [("page", (0, 0, *page.size))]


def test_blank_page_has_no_text_rows() -> None:
    plan = regions.plan(Image.new("L", (1240, 1754), 255))
    assert plan.text_rows == 0
    assert [r.name for r in plan.regions] == ["page"]


def test_sideways_pages_are_recognised(page: Image.Image) -> None:
    assert not regions.looks_sideways(regions.ink_map(page))
    assert not regions.looks_sideways(regions.ink_map(page.rotate(180)))
    assert regions.looks_sideways(regions.ink_map(page.rotate(90, expand=True)))
    assert regions.looks_sideways(regions.ink_map(page.rotate(270, expand=True)))


@pytest.mark.parametrize("angle", [-2.0, -1.0, 0.0, 1.5])
def test_skew_is_measured(page: Image.Image, angle: float) -> None:
    crooked = page.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    assert regions.skew_angle(regions.ink_map(crooked)) == pytest.approx(-angle, abs=0.3)
