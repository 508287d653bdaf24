"""Planning OCR regions on a page image: header gutter, sideways pages, skew."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from daemon.ocr import layout, regions, textlayer
from daemon.ocr.model import Line
from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf
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


@pytest.mark.parametrize("angle", [-3.0, -2.0, -1.0, 0.0, 1.5, 2.75])  # the climb to the edges too
def test_skew_is_measured(page: Image.Image, angle: float) -> None:
    crooked = page.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    assert regions.skew_angle(regions.ink_map(crooked)) == pytest.approx(-angle, abs=0.3)


def _every_step(ink: np.ndarray) -> float:
    """The skew by trying every half degree within +-3, then a quarter either side."""
    small = Image.fromarray(ink.astype(np.uint8) * 255)
    best = max((a / 2 for a in range(-6, 7)), key=lambda a: regions._sharpness(small, a))
    return max((best - 0.25, best, best + 0.25), key=lambda a: regions._sharpness(small, a))


@pytest.mark.parametrize(("angle", "turn"), [(1.0, 0), (-2.5, 0), (2.5, 90), (-2.0, 270)])
def test_skew_climb_finds_what_trying_every_step_finds(
    page: Image.Image, angle: float, turn: int
) -> None:
    crooked = page.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    ink = regions.ink_map(crooked.rotate(turn, expand=True) if turn else crooked)
    assert regions.looks_sideways(ink) == bool(turn)
    assert regions.skew_angle(ink) == _every_step(ink)


# ---------------------------------------------------------------- fields first


Doc = tuple[Image.Image, tuple[Line, ...], dict[str, object]]


def _generated(cong_van: bool) -> Doc:
    """A generated one-page ND30 document with a body: image, its true lines, its truth."""
    spec = next(
        s
        for s in make_specs(30, seed=5)
        if s.pages == 1 and s.kind != "letter" and (s.doc_type == "Công văn") == cong_van
    )
    pdf = render_pdf(spec)
    layer = textlayer.text_layers(pdf)[0].page
    assert layer is not None
    return render(pdf, dpi=DPI), layer.lines, spec.truth_json()


@pytest.fixture(scope="module")
def nd30() -> Doc:
    return _generated(cong_van=False)


def _inside(line: Line, region: regions.Region, size: tuple[int, int]) -> bool:
    x0, y0, x1, y1 = region.box
    w, h = size
    return x0 <= line.x0 * w and line.x1 * w <= x1 and y0 <= line.y0 * h and line.y1 * h <= y1


def test_field_regions_hold_the_fields_and_skip_the_body(
    nd30: Doc,
) -> None:
    image, lines, truth = nd30
    plan = regions.field_plan(image, first=True, last=True)
    assert [r.name for r in plan.regions] == [
        "header-left",
        "header-right",
        "title",
        "closing-left",
        "closing-right",
    ]
    wanted = [str(truth["number"]).split("/")[0], "ngày", "Nơi nhận", str(truth["signer"])]
    wanted += str(truth["subject"]).split()[:3]
    for word in wanted:
        line = next(ln for ln in lines if word in ln.text)
        assert any(_inside(line, r, image.size) for r in plan.regions), line.text
    outside = [ln for ln in lines if not any(_inside(ln, r, image.size) for r in plan.regions)]
    assert len(outside) >= len(lines) // 4  # the body is left for later
    area = sum((r.box[2] - r.box[0]) * (r.box[3] - r.box[1]) for r in plan.regions)
    assert area < 0.6 * image.width * image.height


def test_the_right_header_column_is_read_from_under_the_motto(nd30: Doc) -> None:
    image, lines, _ = nd30
    right = regions.field_plan(image, first=True, last=False).regions[1]
    assert right.name == "header-right" and right.under_motto is not None
    cut = right.under_motto / image.height
    motto = next(ln for ln in lines if "Hạnh phúc" in ln.text)
    date = next(ln for ln in lines if "ngày" in ln.text and ln.x0 > 0.4)
    assert motto.y1 < cut < date.y0


def test_a_right_column_of_two_rows_is_read_whole() -> None:
    """No third row under the motto: what is under it is not the date line."""
    rows = [[(0.1, y, 0.4, y + 0.01), (0.5, y, 0.9, y + 0.01)] for y in (0.05, 0.07)]
    rows.append([(0.1, 0.09, 0.4, 0.1)])
    rows.insert(1, [(0.6, 0.061, 0.604, 0.063), (0.7, 0.061, 0.703, 0.063)])  # dots under Ộ, Ệ
    assert regions._under_motto(rows, 0.45, 1000) is None
    rows.append([(0.55, 0.11, 0.85, 0.12)])
    assert regions._under_motto(rows, 0.45, 1000) == 105


def test_no_region_cuts_a_line(
    nd30: Doc,
) -> None:
    image, lines, _ = nd30
    for region in regions.field_plan(image, first=True, last=True).regions:
        top, bottom = region.box[1] / image.height, region.box[3] / image.height
        for line in lines:
            assert not (line.y0 < top < line.y1 - 0.002), (region.name, line.text)
            assert not (line.y0 + 0.002 < bottom < line.y1), (region.name, line.text)


def test_field_regions_by_page_role(
    nd30: Doc,
) -> None:
    image = nd30[0]
    first = regions.field_plan(image, first=True, last=False).regions
    assert [r.name for r in first] == ["header-left", "header-right", "title"]
    last = regions.field_plan(image, first=False, last=True).regions
    assert [r.name for r in last] == ["closing-left", "closing-right"]
    assert regions.field_plan(image, first=False, last=False).regions == ()


def test_closing_columns_stand_apart(nd30: Doc) -> None:
    """ "Nơi nhận:" and its list on the left, the signer's title and name on the right."""
    image, lines, truth = nd30
    plan = regions.field_plan(image, first=False, last=True)
    left, right = plan.regions
    for word, side in (("Nơi nhận", left), ("- Lưu", left), (str(truth["signer"]), right)):
        line = next(ln for ln in lines if word in ln.text)
        assert _inside(line, side, image.size), (word, side.name)


def test_closing_without_a_gap_is_one_region() -> None:
    page = Image.new("L", (1240, 1754), 255)
    for y in range(100, 300, 60):  # a header: two columns
        page.paste(0, (150, y, 500, y + 20))
        page.paste(0, (700, y, 1100, y + 20))
    for y in range(400, 1400, 60):  # rows running across where the columns would part
        page.paste(0, (150, y, 900, y + 20))
    plan = regions.field_plan(page, first=False, last=True)
    assert [r.name for r in plan.regions] == ["closing"]


def test_cong_van_has_its_subject_in_the_header() -> None:
    image, lines, truth = _generated(cong_van=True)
    plan = regions.field_plan(image, first=True, last=True)
    assert [r.name for r in plan.regions][:2] == ["header-left", "header-right"]
    left = plan.regions[0]
    for word in str(truth["subject"]).split()[:3]:
        line = next(ln for ln in lines if word in ln.text and ln.y0 < 0.3)
        assert _inside(line, left, image.size), line.text


def test_unrecognised_layout_is_read_whole() -> None:
    letter = Image.new("L", (1240, 1754), 255)
    for y in range(300, 1400, 60):  # lines of "text" from margin to margin, no header
        letter.paste(0, (150, y, 1100, y + 20))
    plan = regions.field_plan(letter, first=True, last=True)
    assert [(r.name, r.box) for r in plan.regions] == [("page", (0, 0, 1240, 1754))]


def test_turned_ink_matches_the_turned_page(page: Image.Image) -> None:
    ink = regions.ink_map(page)
    turned = regions.turn_ink(ink, 2.0)
    assert turned.shape == ink.shape
    assert regions.skew_angle(turned) == pytest.approx(-2.0, abs=0.3)


def test_a_pages_ink_maps_are_those_of_its_image(page: Image.Image) -> None:
    """Both maps come from one pooled copy of the page, each as `ink_map` makes it alone;
    levelled, each is the map turned."""
    crooked = page.rotate(1.5, resample=Image.Resampling.BILINEAR, fillcolor=255)
    inks = regions.InkMaps(crooked)
    for faint in (False, True):
        alone = regions.ink_map(crooked, faint=faint)
        assert np.array_equal(inks.levelled(0.0, faint=faint), alone)
        assert np.array_equal(inks.levelled(-1.5, faint=faint), regions.turn_ink(alone, -1.5))
    assert not np.array_equal(inks.printed, inks.faint)  # the faint one has more ink


def _gutter(rows: list[list[regions.Box]]) -> layout.Gutter:
    gutter = layout.find_gutter(rows)
    assert gutter is not None
    return gutter


def _row(*spans: tuple[float, float], y: float) -> list[regions.Box]:
    return [(x0, y, x1, y + 0.012) for x0, x1 in spans]


def test_header_keeps_a_number_row_that_nearly_meets_the_date() -> None:
    """A long "Số:" beside the date leaves a narrow gap at the gutter: seen as one centred
    run, it used to end the header above the number (rows from a real scan's ink map)."""
    rows = [
        _row((0.201, 0.427), (0.497, 0.908), y=0.070),  # agency | motto
        _row((0.222, 0.407), (0.531, 0.874), y=0.090),
        _row((0.268, 0.360), (0.530, 0.875), y=0.108),  # rule | rule
        _row((0.167, 0.462), (0.497, 0.906), y=0.121),  # Số: ... | place, date
        _row((0.170, 0.457), y=0.155),  # V/v ...
        _row((0.270, 0.360), y=0.175),  # KHẨN
        _row((0.268, 0.637), y=0.234),  # Kính gửi
        *(_row((0.145, 0.920), y=0.297 + 0.02 * i) for i in range(6)),  # the body
    ]
    body = regions._body_rows(rows)
    found = regions._header_regions(rows, body, _gutter(rows), 2480, 3508)
    assert found is not None
    left = next(r for r in found[0] if r.name == "header-left")
    assert left.box[3] / 3508 > 0.175 + 0.012  # down to the KHẨN mark
    assert regions._parted(rows[3], 0.48) and not regions._parted(rows[6], 0.48)
    assert not regions._parted(_row((0.50, 0.56), y=0.2), 0.48)  # a short title off centre


def test_a_speck_left_of_the_gutter_does_not_keep_the_title_in_the_header() -> None:
    """A speck left of the gutter beside QUYẾT ĐỊNH made its row look parted, as the
    header's are: the header ran down over it, and the title was read in the right column
    with the stamp beside it ("QUYẾT ĐỊNH| p£ ÿˆ Đ nuyện tư sơn": no type, no trích yếu;
    rows from an old copier's page, 6464 c0162)."""
    rows = [
        _row((0.227, 0.432), (0.507, 0.909), y=0.071),  # agency | motto
        _row((0.239, 0.418), (0.561, 0.852), y=0.091),
        _row((0.233, 0.422), (0.519, 0.895), y=0.126),  # Số: ... | place, date
        _row((0.317, 0.319), (0.463, 0.612), y=0.164),  # a speck, QUYẾT ĐỊNH (stamp cleared)
        _row((0.304, 0.612), y=0.186),  # the trích yếu, up to the stamp
        _row((0.321, 0.612), y=0.207),
        *(_row((0.21, 0.919), y=0.272 + 0.02 * i) for i in range(6)),  # the body
    ]
    assert not regions._parted(rows[3], 0.4475)
    body = regions._body_rows(rows)
    found = regions._header_regions(rows, body, _gutter(rows), 1654, 2339, stamped=True)
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[1] / 2339 < 0.164  # QUYẾT ĐỊNH is in


def test_a_title_whose_rows_specks_pulled_off_centre_is_still_read() -> None:
    """On an old copier's page specks join the title's rows and none looks centred: the
    title block then runs down to the body, as under a stamp, rather than being lost."""
    rows = [
        _row((0.201, 0.427), (0.497, 0.908), y=0.070),  # agency | motto
        _row((0.222, 0.407), (0.531, 0.874), y=0.090),
        _row((0.167, 0.462), (0.497, 0.906), y=0.121),  # Số: ... | place, date
        _row((0.40, 0.62), (0.95, 0.96), y=0.160),  # QUYẾT ĐỊNH, a speck far right
        _row((0.05, 0.06), (0.30, 0.75), y=0.180),  # the trích yếu, a speck far left
        _row((0.33, 0.72), (0.93, 0.94), y=0.198),
        *(_row((0.145, 0.920), y=0.26 + 0.02 * i) for i in range(6)),  # the body
    ]
    body = regions._body_rows(rows)
    found = regions._header_regions(rows, body, _gutter(rows), 2480, 3508)
    assert found is not None
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[3] / 3508 > 0.198 + 0.012  # the trích yếu's last row is in


def test_a_speck_beside_one_trich_yeu_row_does_not_end_the_title() -> None:
    """The title's rows look centred but for one, which a speck by the margin parts from its
    middle: the title block must not end above that row (the trích yếu's last line was lost,
    its first line registered as the whole, and no one was told; rows from a real scan)."""
    rows = [
        _row((0.252, 0.404), (0.498, 0.899), y=0.077),  # agency | motto
        _row((0.225, 0.431), (0.555, 0.842), y=0.096),
        _row((0.210, 0.441), (0.533, 0.862), y=0.149),  # Số: ... | place, date
        _row((0.472, 0.599), y=0.186),  # THÔNG TƯ
        _row((0.339, 0.732), y=0.209),  # the trích yếu
        _row((0.117, 0.122), (0.349, 0.723), y=0.229),  # its last line, a speck far left
        *(_row((0.166, 0.906), y=0.263 + 0.02 * i) for i in range(6)),  # the body
    ]
    body = regions._body_rows(rows)
    found = regions._header_regions(rows, body, _gutter(rows), 2480, 3508)
    assert found is not None
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[3] / 3508 > 0.229 + 0.012


def test_a_row_of_dust_between_the_title_and_the_trich_yeu_does_not_end_the_title() -> None:
    """A speck under "CÔNG ĐIỆN", off its axis, made a row of its own: the title block ended
    there and the trích yếu under it was never read (rows from a real scan)."""
    rows = [
        _row((0.227, 0.433), (0.503, 0.906), y=0.078),  # agency | motto
        _row((0.229, 0.430), (0.560, 0.848), y=0.097),
        _row((0.244, 0.415), (0.521, 0.888), y=0.132),  # Số: ... | place, date
        _row((0.235, 0.423), y=0.151),  # THƯỢNG KHẨN
        _row((0.472, 0.606), y=0.197),  # CÔNG ĐIỆN
        _row((0.578, 0.583), y=0.213),  # a speck
        _row((0.219, 0.856), y=0.218),  # the trích yếu
        *(_row((0.163, 0.911), y=0.283 + 0.02 * i) for i in range(6)),  # the body
    ]
    body = regions._body_rows(rows)
    found = regions._header_regions(rows, body, _gutter(rows), 2480, 3508)
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[3] / 3508 > 0.218 + 0.012


def test_lines_the_stamp_ran_together_under_the_header_are_read_as_the_title() -> None:
    """Beside a stamp the title, the trích yếu and the body's first lines made one tall row
    reaching the margins, a body row by its width: with no title block the page lost its
    type and trích yếu. A row as tall as several lines is read as the title."""
    rows = [
        _row((0.221, 0.427), (0.502, 0.921), y=0.071),  # agency | motto
        _row((0.236, 0.412), (0.568, 0.855), y=0.091),
        _row((0.232, 0.416), (0.534, 0.889), y=0.126),  # Số: ... | place, date
        _row((0.265, 0.382), y=0.146),  # TỐI MẬT
        [(0.152, 0.191, 0.811, 0.320), (0.925, 0.191, 0.929, 0.200)],  # run together
        *(_row((0.152, 0.926), y=0.358 + 0.02 * i) for i in range(6)),  # the body
    ]
    body = regions._body_rows(rows)
    found = regions._header_regions(rows, body, _gutter(rows), 2480, 3508, stamped=True)
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[3] / 3508 > 0.320


def test_the_trich_yeu_the_stamp_ran_into_the_body_is_read_with_the_title() -> None:
    """Rows of an old copier's stamped page (seed 1313, c0163): the title "QUYẾT ĐỊNH" on
    its own row, then the trích yếu, the authority line and the body's first lines run
    together by the stamp's frame into one tall row as wide as the body. The title block
    ended before that row, and the page lost its trích yếu; it now takes the row in."""
    rows = [
        _row((0.209, 0.42), (0.49, 0.907), y=0.085),  # agency | motto
        _row((0.207, 0.42), (0.56, 0.84), y=0.103),
        _row((0.226, 0.42), (0.513, 0.881), y=0.138),  # Số: ... | place, date
        _row((0.453, 0.605), y=0.178),  # QUYẾT ĐỊNH
        [(0.190, 0.197, 0.921, 0.312)],  # trích yếu, authority, body: run together
        *(_row((0.145, 0.913), y=0.340 + 0.02 * i) for i in range(6)),  # the body
    ]
    body = regions._body_rows(rows)
    found = regions._header_regions(rows, body, _gutter(rows), 1655, 2340, stamped=True)
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[3] / 2340 > 0.312
    # Without a stamp, a body row under the title is the body: the title block ends there.
    plain = regions._header_regions(rows, body, _gutter(rows), 1655, 2340)
    title = next(r for r in plain[0] if r.name == "title")
    assert title.box[3] / 2340 < 0.2


def test_specks_in_the_margins_do_not_widen_the_text_frame() -> None:
    """Two specks of an old copier, one in each margin (rows from a real scan's ink map):
    taken for the frame's edges, no row reached from edge to edge, no body was found, the
    title block ran down over the closing block and the signer was never read."""
    rows = [
        _row((0.219, 0.423), (0.493, 0.903), y=0.036),  # agency | motto
        _row((0.227, 0.415), (0.554, 0.843), y=0.046),
        _row((0.236, 0.407), (0.514, 0.880), y=0.063),  # Số: ... | place, date
        _row((0.278, 0.364), y=0.074),  # KHẨN
        _row((0.045, 0.048), (0.459, 0.603), y=0.097),  # THÔNG BÁO, a speck far left
        _row((0.249, 0.815), y=0.107),  # the trích yếu
        *(_row((0.155, 0.907), y=0.123 + 0.009 * i) for i in range(5)),  # the body
        _row((0.202, 0.843), (0.931, 0.935), y=0.188),  # its last line, a speck far right
        _row((0.154, 0.395), (0.527, 0.814), y=0.201),  # Nơi nhận: | the signer's title
        _row((0.154, 0.340), (0.600, 0.700), y=0.215),  # a recipient | the scribble
        _row((0.640, 0.760), y=0.260),  # the signer's name
    ]
    assert regions._frame_centre(rows) == pytest.approx((0.154 + 0.907) / 2)
    body = regions._body_rows(rows)
    assert body[6:11] == [True] * 5
    found = regions._header_regions(rows, body, _gutter(rows), 2480, 3508)
    assert found is not None and found[1] == 6  # the title ends above the body
    start = max(i + 1 for i, is_body in enumerate(body) if is_body)
    assert 11 <= start <= 12  # the closing block starts after the body, by "Nơi nhận:"


def test_an_old_copiers_closing_block_still_parts_into_columns() -> None:
    """Specks in the gap between "Nơi nhận:" and the signature, and the seal and scribble
    joining the whole block into one band of the ink map (rows from a real scan): read as
    one region, the noise came out as a score of lines and the signer's name was lost."""
    rows = [
        *(_row((0.162, 0.906), y=0.60 + 0.02 * i) for i in range(3)),  # the body
        _row((0.162, 0.661), y=0.66),  # its last line
        [(0.16, 0.68, 0.364, 0.76), (0.45, 0.70, 0.452, 0.702), (0.538, 0.68, 0.819, 0.76)],
    ]
    assert regions._column_cut(rows[4:]) == pytest.approx((0.364 + 0.538) / 2, abs=0.002)
    found = regions._closing_regions(rows, 3, Image.new("L", (1654, 2339)))
    assert [r.name for r in found] == ["closing-left", "closing-right"]
    assert found[0].box[1] / 2339 < 0.68 and found[1].box[3] / 2339 > 0.76


@pytest.mark.parametrize("gap_mm", [2.5, 2.2])
def test_an_agency_name_running_up_to_the_motto_still_splits(gap_mm: float) -> None:
    """A long ministry's name 2-2.5 mm from the motto: closed over like a word space, it
    left no gutter, and the whole page was read as one block (its signer lost)."""
    page = render(nd30_pdf(parent="BỘ GIÁO DỤC VÀ ĐÀO TẠO", gap_mm=gap_mm), dpi=DPI)
    for plan in (regions.plan(page), regions.field_plan(page, first=True, last=True)):
        left, right = plan.regions[:2]
        assert (left.name, right.name) == ("header-left", "header-right")
        assert 0.40 < left.box[2] / page.width < 0.45  # in the gap, before CỘNG HÒA (~0.44)


def test_the_stamp_frames_edge_beyond_its_box_makes_no_body_row() -> None:
    """A stamp set down askew leaves its frame's right edge a pixel beyond the box found
    for it: beside the trích yếu's second line that sliver reached the right margin, the
    row passed for the body's and the title block ended above it; the second line was lost
    and the first registered surely (rows from a real scan's ink map, training seed 3636).
    A letter's remains beside the stamp's left side stay: a body line under it."""
    stamp = (0.660, 0.182, 0.909, 0.328)
    rows = [
        _row((0.207, 0.420), (0.500, 0.901), y=0.071),  # agency | motto
        _row((0.235, 0.414), (0.560, 0.844), y=0.092),
        _row((0.233, 0.417), (0.514, 0.885), y=0.126),  # Số: ... | place, date
        _row((0.459, 0.612), y=0.163),  # NGHỊ QUYẾT
        _row((0.260, 0.653), y=0.186),  # the trích yếu, its end under the stamp
        _row((0.233, 0.659), (0.908, 0.909), y=0.206),  # its second line; the frame's edge
        _row((0.325, 0.659), y=0.242),  # the body's first lines, their ends under the stamp
        _row((0.209, 0.659), y=0.297),
        *(_row((0.209, 0.911), y=0.376 + 0.02 * i) for i in range(6)),  # the body
    ]
    assert regions._body_rows(rows)[5]  # as it was
    body = regions._body_rows([regions._without_frame_edge(row, [stamp]) for row in rows])
    assert not body[5]
    found = regions._header_regions(rows, body, _gutter(rows), 2480, 3508, stamped=True)
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[3] / 3508 > 0.206 + 0.012  # the second line is in
    remains = _row((0.209, 0.640), (0.655, 0.659), y=0.297)  # a letter by the left side
    assert regions._without_frame_edge(remains, [stamp]) == remains


def test_a_dark_mark_in_the_margin_is_not_the_text_frames_edge() -> None:
    """A dark mark in the left margin beside "Nơi nhận:" (wider than a speck; an old
    copier's) was taken for the text frame's edge: no row then ran from edge to edge, the
    title block ran down over the closing block, and the signer under the seal was lost.
    The frame's edge is where rows line up (rows from an old copier's page, 5151 c0166)."""
    rows = [
        _row((0.235, 0.41), (0.495, 0.917), y=0.081),  # agency | motto
        _row((0.227, 0.415), (0.562, 0.851), y=0.099),
        _row((0.222, 0.421), (0.534, 0.879), y=0.134),  # Số: ... | place, date
        _row((0.491, 0.583), y=0.175),  # CHỈ THỊ
        _row((0.221, 0.852), y=0.194),  # the trích yếu
        _row((0.198, 0.92), y=0.227),  # the body, its first line indented
        _row((0.152, 0.924), y=0.249),
        _row((0.15, 0.6), y=0.268),
        _row((0.149, 0.924), y=0.292),
        _row((0.15, 0.92), y=0.332),
        _row((0.197, 0.719), y=0.378),
        # Nơi nhận | signature block run together with the seal, the mark beside them
        [(0.053, 0.403, 0.082, 0.538), (0.149, 0.403, 0.293, 0.538), (0.537, 0.403, 0.804, 0.538)],
    ]
    assert regions._extent(rows) == (0.149, 0.924)
    body = regions._body_rows(rows)
    assert body[5:10] == [True, True, False, True, True]
    found = regions._header_regions(rows, body, _gutter(rows), 1545, 2339)
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[3] / 2339 < 0.227  # the title block ends above the body
    # regions still take the mark in: no text is ever cut off
    assert regions._frame(rows, 1000) == (43, 934)


def test_dust_above_the_number_and_the_date_does_not_end_the_header() -> None:
    """A fleck of dust under the header's rules, near the page's middle, passed for a
    centred title: the header columns ended above "Số:" and the date, which were read as
    one line with a scanner's streak, and the trích yếu was never read (rows from an old
    copier's page, 5151 c0198)."""
    rows = [
        _row((0.191, 0.447), (0.497, 0.902), y=0.083),  # agency | motto
        _row((0.227, 0.426), (0.556, 0.845), y=0.102),
        [(0.281, 0.141, 0.357, 0.144)],  # the rule under the agency
        [(0.511, 0.147, 0.52, 0.15)],  # dust
        _row((0.22, 0.421), (0.511, 0.888), y=0.153),  # Số: ... | place, date
        _row((0.475, 0.59), y=0.192),  # GIẤY MỜI
        _row((0.317, 0.748), y=0.215),  # the trích yếu
        _row((0.333, 0.729), y=0.233),
        *(_row((0.151, 0.912), y=0.267 + 0.02 * i) for i in range(6)),  # the body
    ]
    body = regions._body_rows(rows)
    found = regions._header_regions(rows, body, _gutter(rows), 1654, 2339)
    left = next(r for r in found[0] if r.name == "header-left")
    assert left.box[3] / 2339 > 0.153 + 0.012  # down past "Số:"
    title = next(r for r in found[0] if r.name == "title")
    assert title.box[3] / 2339 > 0.233 + 0.012  # the trích yếu's last row is in
