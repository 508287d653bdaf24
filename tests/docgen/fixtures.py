"""Rebuild the committed fixtures: python -m tests.docgen.fixtures [--out tests/fixtures/docs]

A handful of small files chosen from a fixed seed to cover what the service must handle:
born-digital PDFs (a quyết định, an urgent công văn, a two-page document, one set in DejaVu),
clean scans in each image format, a secret document's scan and a citizen's complaint letter,
and two scans as they really arrive: one with the clerk's red ĐẾN stamp over the title, one
from an old copier sent as a black-and-white G4 TIFF (noise, blur, speckles, a streak).
Scans are 200 dpi grey: 16 grey levels where saved losslessly, JPEG quality 45 for the JPEG.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from tests.docgen.batch import Job, produce, record
from tests.docgen.random_docs import complaint_spec, make_specs, secret_spec
from tests.docgen.render import header_bottom_mm
from tests.docgen.scan import Degradation, Format
from tests.docgen.spec import DocSpec
from tests.docgen.stamp import Stamp

SEED = 2026
POOL = 48  # candidates drawn from make_specs(POOL, SEED); the wanted ones come by #37
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "fixtures" / "docs"
SCAN = Degradation(dpi=200, grey=True, levels=16, seed=SEED)  # saved losslessly
JPEG_SCAN = Degradation(dpi=200, grey=True, jpeg_quality=45, seed=SEED)

Want = Callable[[DocSpec], bool]


def _plain(spec: DocSpec) -> bool:
    return spec.secrecy is None


def _body_chars(spec: DocSpec) -> int:
    return sum(len(p.text) for p in spec.body)  # a short body keeps an image file small


# (file name, scan format or None for born-digital, what the document must be, its purpose)
WANTED: tuple[tuple[str, Format | None, Want, str], ...] = (
    (
        "digital_quyetdinh.pdf",
        None,
        lambda s: s.doc_type == "Quyết định" and s.pages == 1 and s.seal and s.font == "liberation",
        "born-digital quyết định with a seal",
    ),
    (
        "digital_congvan_khan.pdf",
        None,
        lambda s: s.is_cong_van and s.urgency is not None and s.pages == 1,
        "born-digital công văn with an urgency mark and a V/v subject",
    ),
    (
        "digital_2pages.pdf",
        None,
        lambda s: s.pages == 2 and s.doc_type in ("Kế hoạch", "Báo cáo", "Hướng dẫn"),
        "born-digital, two pages: Nơi nhận and signature on page 2",
    ),
    (
        "digital_dejavu.pdf",
        None,
        lambda s: s.font == "dejavu" and s.pages == 1 and s.parent_issuer is not None,
        "born-digital in DejaVu Serif, with a parent agency line",
    ),
    ("scan_page.jpg", "jpeg", lambda s: s.pages == 1 and _body_chars(s) < 700, "clean scan, JPEG"),
    ("scan_page.png", "png", lambda s: s.pages == 1 and s.is_cong_van, "clean scan, PNG"),
    ("scan_2pages.tif", "tiff", lambda s: s.pages == 2, "clean scan, two-page TIFF"),
)


STAMPED = "scan with the clerk's red ĐẾN stamp over the title and trích yếu, and a seal"
COPIER = "old copier, sent black and white (G4 TIFF): noise, blur, speckles, a streak, lid edge"
OLD_COPIER = Degradation(
    dpi=200,
    grey=True,
    skew_deg=1.2,
    noise=0.03,
    blur=0.8,
    seed=SEED,
    speckles=0.0015,
    streak=True,
    lid_edge=True,
    bilevel=True,
)


def _stamped(spec: DocSpec) -> Degradation:
    stamp = Stamp(
        layout="nd30-luu",
        ink="red",
        place="number",
        agency="UBND HUYỆN KHÁNH SƠN",
        number=1287,
        received=spec.date + dt.timedelta(days=3),
        unit="Phòng Nội vụ",
        dx_mm=8.0,
        dy_mm=2.0,
        angle=-2.5,
        seed=SEED,
    )
    return replace(SCAN, stamp=stamp, stamp_top_mm=header_bottom_mm(spec))


def jobs() -> list[tuple[Job, str]]:
    """The fixture files to write, each with a note on what it is for."""
    pool = [s for s in make_specs(POOL, SEED) if _plain(s)]
    chosen: list[tuple[Job, str]] = []
    for name, fmt, want, note in WANTED:
        spec = next(s for s in pool if want(s))
        pool.remove(spec)
        if fmt is None:
            chosen.append((Job(name, "digital", "pdf", spec, None), note))
        else:
            scan = JPEG_SCAN if fmt == "jpeg" else SCAN
            chosen.append((Job(name, "scan", fmt, replace(spec, seal=False), scan), note))
    stamped = next(s for s in pool if s.pages == 1 and s.is_cong_van and _body_chars(s) < 900)
    pool.remove(stamped)
    chosen.append((Job("scan_stamped.png", "scan", "png", stamped, _stamped(stamped)), STAMPED))
    copier = next(s for s in pool if s.pages == 1 and s.kind == "official")
    chosen.append((Job("scan_copier.tif", "scan", "tiff", copier, OLD_COPIER), COPIER))
    secret = Job("scan_secret.pdf", "scan", "pdf", secret_spec(), SCAN)
    chosen.append((secret, "scan of a Mật document: must be set aside, never registered"))
    complaint = Job("complaint_letter.pdf", "digital", "pdf", complaint_spec(), None)
    chosen.append((complaint, "a citizen's ĐƠN KHIẾU NẠI: must be set aside, never registered"))
    return chosen


def build(out: Path) -> list[dict[str, object]]:
    """Write the fixture files and truth.json (a list of truth.jsonl-style records + note)."""
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for job, note in jobs():
        produce(job, out)
        records.append({**record(job), "note": note})
    (out / "truth.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.docgen.fixtures")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for rec in build(args.out):
        size = (args.out / str(rec["file"])).stat().st_size
        print(f"{rec['file']:<26} {size // 1024:>4} KB  {rec['note']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
