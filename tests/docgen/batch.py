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
from tests.docgen.render import render_pdf
from tests.docgen.scan import SUFFIXES, Degradation, Format, save_as, scan_with
from tests.docgen.spec import DocSpec

Profile = Literal["clean", "office"]
Kind = Literal["digital", "scan"]


@dataclass(frozen=True)
class Job:
    name: str  # file name inside the output folder
    kind: Kind
    fmt: Format
    spec: DocSpec
    degradation: Degradation | None  # None for born-digital


def plan(*, scans: int, digital: int, seed: int, profile: Profile) -> list[Job]:
    """`digital` born-digital PDFs then `scans` scans, all from `make_specs(..., seed)`."""
    specs = make_specs(scans + digital, seed)
    rng = random.Random(f"scan-plan/{seed}/{profile}")
    jobs = [
        Job(f"d{i + 1:04d}.pdf", "digital", "pdf", spec, None)
        for i, spec in enumerate(specs[:digital])
    ]
    for i, spec in enumerate(specs[digital:]):
        fmt = _format(rng, spec.pages)
        degradation = _office(rng) if profile == "office" else Degradation(seed=rng.getrandbits(31))
        if profile == "clean":
            spec = replace(spec, seal=False)
        elif rng.random() < 0.8:
            spec = replace(spec, seal=True)
        jobs.append(Job(f"s{i + 1:04d}{SUFFIXES[fmt]}", "scan", fmt, spec, degradation))
    return jobs


def _format(rng: random.Random, pages: int) -> Format:
    # JPEG and PNG hold one page; copiers mostly send PDF.
    if pages > 1:
        return rng.choices(("pdf", "tiff"), (4, 1))[0]
    return rng.choices(("pdf", "jpeg", "png", "tiff"), (5, 3, 1, 1))[0]


def _office(rng: random.Random) -> Degradation:
    """An office copier on a bad day: mixed resolution and colour, crooked or turned pages."""
    return Degradation(
        dpi=rng.choice((200, 300)),
        grey=rng.random() < 0.6,
        skew_deg=round(rng.uniform(-2.0, 2.0), 2),
        rotate=rng.choices((0, 90, 180, 270), (85, 6, 7, 2))[0],
        noise=round(rng.uniform(0.0, 0.03), 3),
        blur=round(rng.choice((0.0, rng.uniform(0.3, 1.0))), 2),
        jpeg_quality=rng.randint(60, 90),
        seed=rng.getrandbits(31),
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
        "truth": spec.truth_json(),
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
