"""Plan and write a corpus: born-digital PDFs and scans, with one truth record per file.

A plan is pure data (which spec, which format, which degradation), fixed by the seed; the
files can then be written in any order or in parallel and still come out the same.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from tests.docgen.random_docs import make_specs
from tests.docgen.render import header_bottom_mm, render_pdf
from tests.docgen.scan import SUFFIXES, Degradation, Format, save_as, scan_with
from tests.docgen.spec import DocSpec
from tests.docgen.stamp import random_stamp

Profile = Literal["clean", "office", "outside"]
Kind = Literal["digital", "scan"]


@dataclass(frozen=True)
class Job:
    name: str  # file name inside the output folder
    kind: Kind
    fmt: Format
    spec: DocSpec
    degradation: Degradation | None  # None for born-digital


def plan(*, scans: int, digital: int, seed: int, profile: Profile, copier: int = 0) -> list[Job]:
    """`digital` born-digital PDFs, then `scans` scans, then `copier` old-copier scans (the
    "outside" profile only), all from `make_specs(..., seed)`.

    "office" is the project's first model of office scans (kept as it was, so old seeds give
    the same files); "outside" models what offices really send, after scans made by other
    hands: the clerk's ĐẾN stamp on half of them, a seal on every signed document, one page of
    a multi-page scan fed the wrong way, and old copiers and faxes."""
    specs = make_specs(scans + digital + copier, seed)
    rng = random.Random(f"scan-plan/{seed}/{profile}")
    jobs = [
        Job(f"d{i + 1:04d}.pdf", "digital", "pdf", spec, None)
        for i, spec in enumerate(specs[:digital])
    ]
    for i, spec in enumerate(specs[digital:]):
        if profile == "outside":
            jobs.append(_outside_job(rng, i, spec, old_copier=i >= scans))
            continue
        fmt = _format(rng, spec.pages)
        degradation = _office(rng) if profile == "office" else Degradation(seed=rng.getrandbits(31))
        if profile == "clean":
            spec = replace(spec, seal=False)
        elif rng.random() < 0.8:
            spec = replace(spec, seal=True)
        jobs.append(Job(f"s{i + 1:04d}{SUFFIXES[fmt]}", "scan", fmt, spec, degradation))
    return jobs


def _outside_job(rng: random.Random, index: int, spec: DocSpec, *, old_copier: bool) -> Job:
    degradation = _copier(rng) if old_copier else _office(rng, whole_batch_turns=False)
    degradation = _outside(rng, spec, degradation)
    spec = replace(spec, seal=spec.signer is not None)
    fmt = _format(rng, spec.pages)
    if degradation.bilevel and fmt in ("jpeg", "png"):
        fmt = "tiff"  # a fax arrives as a G4 TIFF or a PDF, never as a JPEG
    name = f"{'c' if old_copier else 's'}{index + 1:04d}{SUFFIXES[fmt]}"
    return Job(name, "scan", fmt, spec, degradation)


def _format(rng: random.Random, pages: int) -> Format:
    # JPEG and PNG hold one page; copiers mostly send PDF.
    if pages > 1:
        return rng.choices(("pdf", "tiff"), (4, 1))[0]
    return rng.choices(("pdf", "jpeg", "png", "tiff"), (5, 3, 1, 1))[0]


def _office(rng: random.Random, *, whole_batch_turns: bool = True) -> Degradation:
    """An office copier on a bad day: mixed resolution and colour, crooked or turned pages."""
    return Degradation(
        dpi=rng.choice((200, 300)),
        grey=rng.random() < 0.6,
        skew_deg=round(rng.uniform(-2.0, 2.0), 2),
        rotate=rng.choices((0, 90, 180, 270), (85, 6, 7, 2))[0] if whole_batch_turns else 0,
        noise=round(rng.uniform(0.0, 0.03), 3),
        blur=round(rng.choice((0.0, rng.uniform(0.3, 1.0))), 2),
        jpeg_quality=rng.randint(60, 90),
        seed=rng.getrandbits(31),
    )


def _copier(rng: random.Random) -> Degradation:
    """An old copier or a fax: 200 dpi, heavy sensor noise, strong JPEG, blur, speckles, a
    streak from the glass, the lid's shadow; a quarter of them black-and-white (G4)."""
    bilevel = rng.random() < 0.25
    return Degradation(
        dpi=200,
        grey=rng.random() < 0.85,
        skew_deg=round(rng.uniform(-2.5, 2.5), 2),
        noise=round(rng.uniform(0.02, 0.05) if bilevel else rng.uniform(0.04, 0.09), 3),
        blur=round(rng.uniform(0.5, 1.3), 2),
        jpeg_quality=None if bilevel else rng.randint(45, 70),
        seed=rng.getrandbits(31),
        speckles=round(rng.uniform(0.0005, 0.004), 4),
        streak=rng.random() < 0.5,
        lid_edge=rng.random() < 0.4,
        bilevel=bilevel,
    )


def _outside(rng: random.Random, spec: DocSpec, degradation: Degradation) -> Degradation:
    """What every paper document received carries: the clerk's stamp on half of them (under
    the number or the date, over the title), and, in a multi-page scan, one page turned."""
    stamp = None
    if spec.kind == "official" and rng.random() < 0.5:
        agency = rng.choice(RECEIVING_AGENCIES)
        stamp = random_stamp(rng, agency, spec.date)
    turned = rng.random() < 0.35 and spec.pages > 1
    return replace(
        degradation,
        stamp=stamp,
        stamp_top_mm=header_bottom_mm(spec) if stamp else 0.0,
        turned_page=rng.randrange(spec.pages) if turned else None,
        turned_by=rng.choice((90, 180, 270)) if turned else 0,
    )


# Who stamps documents "ĐẾN": the receiving offices of the seeds' regulations.
RECEIVING_AGENCIES = (
    "UBND huyện Khánh Sơn",
    "UBND huyện Hiệp Hòa",
    "UBND huyện Tây Sơn",
    "Sở Nội vụ tỉnh Bắc Giang",
    "Văn phòng HĐND và UBND huyện",
    "Ban Quản lý dự án",
)


def produce(job: Job, out_dir: Path) -> dict[str, object]:
    """Write one file; return its truth record (a line of truth.jsonl).

    A scan with a JPEG quality is saved as JPEG (or JPEG pages in a PDF) at that quality.
    """
    pdf = render_pdf(job.spec)
    path = out_dir / job.name
    if job.degradation is None:
        path.write_bytes(pdf)
    else:
        save_as(
            scan_with(pdf, job.degradation),
            path,
            job.fmt,
            jpeg_quality=job.degradation.jpeg_quality,
        )
    return record(job)


def record(job: Job) -> dict[str, object]:
    spec = job.spec
    return {
        "file": job.name,
        "kind": job.kind,
        "format": job.fmt,
        "pages": spec.pages,
        "degradation": job.degradation.as_json() if job.degradation else None,
        "layout": {
            "font": spec.font,
            "font_size": spec.font_size,
            "seal": spec.seal,
            "letter": spec.kind == "letter",
        },
        "conditions": conditions(job),
        "truth": spec.truth_json(),
    }


def conditions(job: Job) -> dict[str, str]:
    """The conditions a benchmark reports accuracy by (empty for born-digital PDFs)."""
    d = job.degradation
    if d is None:
        return {}
    old = d.dpi == 200 and (d.bilevel or d.speckles > 0)
    return {
        "profile": "old-copier" if old else "office",
        "stamp": "stamp" if d.stamp else "no stamp",
        "dpi": f"{d.dpi} dpi",
        "turned": "page turned" if d.turned_page is not None or d.rotate else "upright",
        "seal": "seal" if job.spec.seal else "no seal",
    }


def generate(
    jobs: Sequence[Job],
    out_dir: Path,
    *,
    workers: int = 1,
    progress: Callable[[int, int, Job], None] | None = None,
) -> Path:
    """Write every job's file and `truth.jsonl` (in plan order) into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    records: list[dict[str, object]] = []
    with ProcessPoolExecutor(workers) if workers > 1 else _Serial() as pool:
        results = pool.map(produce, jobs, [out_dir] * len(jobs))
        for done, (job, rec) in enumerate(zip(jobs, results, strict=True), start=1):
            records.append(rec)
            if progress:
                progress(done, len(jobs), job)
    truth = out_dir / "truth.jsonl"
    truth.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return truth


class _Serial:
    """The part of an executor `generate` uses, in this process."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(
        self, fn: Callable[..., dict[str, object]], *iterables: Sequence[object]
    ) -> Iterator[dict[str, object]]:
        return map(fn, *iterables)
