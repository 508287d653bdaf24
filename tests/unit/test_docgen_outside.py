"""The generator's model of scans made by other hands: the clerk's ĐẾN stamp, old copiers and
faxes, a page turned inside a batch, and the conditions a benchmark reports by."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

from tests.docgen.batch import conditions, plan
from tests.docgen.random_docs import make_specs
from tests.docgen.render import header_bottom_mm, render_pdf
from tests.docgen.scan import Degradation, save_as, scan_with
from tests.docgen.spec import DocSpec
from tests.docgen.stamp import INKS, random_stamp, stamp_image


def _spec() -> DocSpec:
    return next(s for s in make_specs(6, seed=5) if s.kind == "official" and s.pages == 1)


def test_the_stamp_lands_in_the_band_under_the_header_in_its_ink() -> None:
    spec = _spec()
    stamp = replace(random_stamp(random.Random(1), "UBND huyện Khánh Sơn", spec.date), ink="red")
    top = header_bottom_mm(spec)
    plain = scan_with(render_pdf(spec), Degradation(dpi=150, grey=False, seed=2))[0]
    stamped = scan_with(
        render_pdf(spec),
        Degradation(dpi=150, grey=False, seed=2, stamp=stamp, stamp_top_mm=top),
    )[0]
    changed = np.any(np.asarray(plain) != np.asarray(stamped), axis=2)
    rows = np.flatnonzero(changed.any(axis=1)) / 150 * 25.4  # in mm from the top
    assert top - 8 < rows.min() and rows.max() < top + 14 + 40
    red = np.asarray(stamped)[changed]
    assert (red[:, 0] > red[:, 2] + 60).mean() > 0.3, "mostly red ink where it changed"


def test_a_stamp_is_the_same_for_the_same_seed_and_turns_by_its_angle() -> None:
    stamp = random_stamp(random.Random(7), "Sở Nội vụ tỉnh Bắc Giang", _spec().date)
    first, again = stamp_image(stamp, 200), stamp_image(stamp, 200)
    assert first.tobytes() == again.tobytes()
    straight = stamp_image(replace(stamp, angle=0.0), 200)
    assert straight.size == (round(50 / 25.4 * 200), round(35 / 25.4 * 200))
    if stamp.angle:
        assert first.size != straight.size
    assert set(INKS) == {"red", "violet", "black"}


def test_a_fax_is_black_and_white_and_saved_as_group_4(tmp_path: Path) -> None:
    pages = scan_with(
        render_pdf(_spec()),
        Degradation(dpi=200, seed=3, noise=0.03, speckles=0.002, bilevel=True, streak=True),
    )
    assert pages[0].mode == "1"
    path = save_as(pages, tmp_path / "fax.tif", "tiff")
    with Image.open(path) as image:
        assert image.info.get("compression") == "group4"
    save_as(pages, tmp_path / "fax.pdf", "pdf")  # a PDF of G4 pages
    assert (tmp_path / "fax.pdf").read_bytes().count(b"/CCITTFaxDecode") == 1


def test_one_page_of_a_batch_is_turned() -> None:
    spec = next(s for s in make_specs(20, seed=8) if s.pages == 2)
    pages = scan_with(render_pdf(spec), Degradation(dpi=72, seed=1, turned_page=1, turned_by=90))
    assert pages[0].width < pages[0].height and pages[1].width > pages[1].height


def test_the_outside_plan_has_every_condition() -> None:
    jobs = plan(scans=60, digital=4, seed=31, profile="outside", copier=20)
    scans = [job for job in jobs if job.kind == "scan"]
    seen = Counter(f"{k}={v}" for job in scans for k, v in conditions(job).items())
    assert seen["profile=old-copier"] == 20 and seen["profile=office"] == 60
    assert 20 < seen["stamp=stamp"] < 60
    assert seen["dpi=200 dpi"] >= 20 and seen["turned=page turned"] > 0
    assert all(job.spec.seal == (job.spec.signer is not None) for job in scans)
    assert any(job.degradation and job.degradation.bilevel for job in scans)
    assert conditions(jobs[0]) == {}  # born-digital
