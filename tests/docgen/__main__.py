"""python -m tests.docgen --out DIR --scans 100 --digital 20 --seed 7 [--profile clean|office]

Writes born-digital PDFs (dNNNN.pdf), scans (sNNNN.pdf/.jpg/.png/.tif) and truth.jsonl.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tests.docgen.batch import Job, generate, plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.docgen", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="output folder (created)")
    parser.add_argument("--scans", type=int, default=100, help="scanned documents")
    parser.add_argument("--digital", type=int, default=20, help="born-digital PDFs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--profile",
        choices=("clean", "office"),
        default="office",
        help="clean: 300 dpi grey, straight; office: mixed and degraded",
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = parser.parse_args(argv)
    if args.scans < 0 or args.digital < 0 or args.jobs < 1:
        parser.error("--scans and --digital must be >= 0, --jobs >= 1")
    started = time.monotonic()
    jobs = plan(scans=args.scans, digital=args.digital, seed=args.seed, profile=args.profile)

    def progress(done: int, total: int, job: Job) -> None:
        d = job.degradation
        how = f"{d.dpi} dpi {'grey' if d.grey else 'colour'} rot {d.rotate}" if d else "digital"
        print(
            f"[{done:>{len(str(total))}}/{total}] {job.name:<10} {job.spec.doc_type:<12} {how}",
            file=sys.stderr,
            flush=True,
        )

    truth = generate(jobs, args.out, workers=args.jobs, progress=progress)
    print(
        f"wrote {len(jobs)} files and {truth} in {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
