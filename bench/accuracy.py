"""Field accuracy of reading + extraction on a generated corpus, beside the targets.

    .venv/bin/python -m bench.accuracy                      # 100 office scans + 20 PDFs, seed 2027
    .venv/bin/python -m bench.accuracy --profile outside --scans 150 --copier 50 --seed N
    .venv/bin/python -m bench.accuracy --limit 10 --show-misses 5
    .venv/bin/python -m bench.accuracy --json > out.json

The "outside" profile models scans made by other hands (tests/docgen/batch.py): the clerk's
ĐẾN stamp over the title on half of them, a seal on every signed document, a page of a
multi-page scan turned, and `--copier` old-copier and fax scans. Besides each field's accuracy
per kind of file and per condition (stamp, dpi, profile, turned page, seal), it prints the two
figures a clerk lives with: silent errors (documents that would be registered `registered`
with a wrong number, date, type, subject or issuer) and the zero-touch rate (documents right
on every key field and not flagged).

The corpus is made by tests/docgen (cached under bench/out/, git-ignored) with a seed kept
out of tuning. Each file is read by `daemon.ocr.reader.Reader` with the default settings and
its fields extracted with rules/doc_types.toml; the figures are printed on stdout, separately
for scans and born-digital PDFs, each with its target and PASS/FAIL. Progress goes to stderr.
Exit status 0 when every target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daemon.config import ReadingSettings
from daemon.ocr.doctypes import DocTypes
from daemon.ocr.fields import extract_fields
from daemon.ocr.model import KEY_FIELDS, Reading

ROOT = Path(__file__).resolve().parent.parent
EXACT_FIELDS = (
    "number",
    "date",
    "doc_type",
    "urgency",
    "secrecy",
    "issuer",
    "subject",
    "signer",
    "place",
    "parent_issuer",
)
CER_FIELDS = ("subject", "issuer")
KINDS = ("scan", "copier", "digital")  # office-quality scans, old-copier scans, born-digital
KIND_LABELS = {
    "scan": "office-quality scans",
    "copier": "old-copier scans",
    "digital": "born-digital PDFs",
}
CONDITIONS = ("profile", "stamp", "dpi", "turned", "seal")
CONDITION_COLUMNS = ("number", "date", "doc_type", "issuer", "subject", "signer")

# The reading issue's targets on office scans: ("min", x) for accuracy, F1 and rates, ("max",
# x) for error rates and counts. Fields without one (place, parent_issuer) are information.
SCAN_TARGETS: dict[str, tuple[str, float]] = {
    "number": ("min", 0.99),
    "date": ("min", 0.99),
    "doc_type": ("min", 0.99),
    "urgency": ("min", 0.99),
    "secrecy": ("min", 0.99),
    "issuer": ("min", 0.98),
    "subject": ("min", 0.95),
    "signer": ("min", 0.95),
    "cer:subject": ("max", 0.01),
    "recipients_f1": ("min", 0.95),
    "silent_errors": ("max", 0),
    "zero_touch": ("min", 0.90),
}
COPIER_SLACK = 0.10  # old-copier scans: within 10 points of office scans on every field


def targets(kind: str, office: dict[str, float] | None = None) -> dict[str, tuple[str, float]]:
    """Office scans have fixed targets; old-copier scans are held to the office figures less
    COPIER_SLACK (given `office`); born-digital PDFs must be read perfectly; conditions have
    none."""
    if kind == "scan":
        return SCAN_TARGETS
    if kind == "copier":
        relative: dict[str, tuple[str, float]] = {
            name: ("min", value - COPIER_SLACK)
            for name, value in (office or {}).items()
            if SCAN_TARGETS.get(name, ("max", 0))[0] == "min" and name != "zero_touch"
        }
        return relative | {"silent_errors": ("max", 0), "zero_touch": ("min", 0.70)}
    if kind != "digital":
        return {}  # a condition's figures are information
    perfect: dict[str, tuple[str, float]] = {name: ("min", 1.0) for name in EXACT_FIELDS}
    perfect |= {f"cer:{name}": ("max", 0.0) for name in CER_FIELDS}
    perfect["recipients_f1"] = ("min", 1.0)
    perfect["silent_errors"] = ("max", 0)
    return perfect


# --- comparing ----------------------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_EDGE_PUNCT = re.compile(r"^[\s\-.;,:]+|[\s\-.;,:]+$")


def norm(value: object) -> str | None:
    """A value as compared for exact match: NFC, whitespace collapsed."""
    if value is None:
        return None
    return " ".join(unicodedata.normalize("NFC", str(value)).split()) or None


def norm_recipient(item: str) -> str:
    """A "Nơi nhận" item compared loosely: dashes unified, edge punctuation and case ignored."""
    text = _DASHES.sub("-", unicodedata.normalize("NFC", item))
    text = re.sub(r"\s*([,:;.])\s*", r"\1 ", text)
    return " ".join(_EDGE_PUNCT.sub("", text).split()).casefold()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance by characters (insert, delete, substitute)."""
    if len(a) < len(b):
        a, b = b, a
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def recipient_counts(truth: Iterable[str], got: Iterable[str]) -> tuple[int, int, int]:
    """(true positives, items read, items true), matching items as multisets."""
    want, have = Counter(map(norm_recipient, truth)), Counter(map(norm_recipient, got))
    return sum((want & have).values()), sum(have.values()), sum(want.values())


@dataclass
class Miss:
    file: str
    field: str
    truth: object
    got: object
    conf: float | None


@dataclass
class Tally:
    """Counts for one kind of file (scans or born-digital)."""

    docs: int = 0
    right: Counter[str] = field(default_factory=Counter)
    edits: Counter[str] = field(default_factory=Counter)
    chars: Counter[str] = field(default_factory=Counter)
    rec: list[int] = field(default_factory=lambda: [0, 0, 0])  # tp, read, true
    wrong_but_sure: int = 0  # key fields wrong with confidence >= the review threshold
    right_but_unsure: int = 0  # key fields right with confidence below it
    review_docs: int = 0  # documents that would be registered needs_review
    errors: int = 0
    silent: int = 0  # not flagged, yet a key field is wrong: a wrong public record
    silent_files: list[str] = field(default_factory=list)
    # right on every key field, yet flagged: the file and its fields below the threshold
    false_alarms: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    zero_touch: int = 0  # every key field right, and not flagged

    def add(
        self,
        name: str,
        truth: dict[str, Any],
        got: dict[str, Any],
        threshold: float,
        misses: list[Miss],
    ) -> None:
        self.docs += 1
        conf: dict[str, float] = got.get("confidence", {})
        for key in EXACT_FIELDS:
            ok = norm(truth.get(key)) == norm(got.get(key))
            self.right[key] += ok
            if not ok:
                misses.append(Miss(name, key, truth.get(key), got.get(key), conf.get(key)))
            if key in KEY_FIELDS and conf:
                sure = conf.get(key, 0.0) >= threshold
                self.wrong_but_sure += (not ok) and sure
                self.right_but_unsure += ok and not sure
        if conf and any(conf.get(k, 0.0) < threshold for k in KEY_FIELDS):
            self.review_docs += 1
        # Flagged: unreadable, needs_review, or held because its secrecy was not read.
        flagged = not conf or any(conf.get(k, 0.0) < threshold for k in (*KEY_FIELDS, "secrecy"))
        keys_right = all(norm(truth.get(k)) == norm(got.get(k)) for k in KEY_FIELDS)
        self.silent += not flagged and not keys_right
        if not flagged and not keys_right:
            self.silent_files.append(name)
        self.zero_touch += not flagged and keys_right
        if flagged and keys_right and conf:
            unsure = {k: conf.get(k, 0.0) for k in (*KEY_FIELDS, "secrecy")}
            self.false_alarms.append((name, {k: c for k, c in unsure.items() if c < threshold}))
        for key in CER_FIELDS:
            want, have = norm(truth.get(key)) or "", norm(got.get(key)) or ""
            self.edits[key] += edit_distance(want, have)
            self.chars[key] += len(want)
        tp, n_read, n_true = recipient_counts(
            truth.get("recipients") or (), got.get("recipients") or ()
        )
        self.rec = [self.rec[0] + tp, self.rec[1] + n_read, self.rec[2] + n_true]
        if norm_recipient_list(truth) != norm_recipient_list(got):
            misses.append(
                Miss(
                    name,
                    "recipients",
                    truth.get("recipients"),
                    got.get("recipients"),
                    conf.get("recipients"),
                )
            )

    def figures(self) -> dict[str, float]:
        out = {key: self.right[key] / self.docs for key in EXACT_FIELDS} if self.docs else {}
        for key in CER_FIELDS:
            out[f"cer:{key}"] = self.edits[key] / self.chars[key] if self.chars[key] else 0.0
        tp, n_read, n_true = self.rec
        if n_read + n_true:
            out["recipients_f1"] = 2 * tp / (n_read + n_true)
        elif self.docs:
            out["recipients_f1"] = 1.0
        if self.docs:
            out["silent_errors"] = self.silent
            out["zero_touch"] = self.zero_touch / self.docs
        return out


def norm_recipient_list(fields: dict[str, Any]) -> list[str]:
    return sorted(map(norm_recipient, fields.get("recipients") or ()))


# --- the corpus ---------------------------------------------------------------------------


def corpus(
    out: Path, *, scans: int, digital: int, seed: int, profile: str, jobs: int, copier: int = 0
) -> Path:
    """The corpus folder, generated on first use (then reused: generation is deterministic)."""
    extra = f"-{copier}c" if copier else ""
    folder = out / f"corpus-{profile}-seed{seed}-{scans}s-{digital}d{extra}"
    truth = folder / "truth.jsonl"
    if truth.exists():
        return folder
    from tests.docgen.batch import generate, plan  # test-only dependencies (reportlab...)

    started = time.monotonic()
    jobs_list = plan(scans=scans, digital=digital, seed=seed, profile=profile, copier=copier)  # type: ignore[arg-type]
    partial = folder.with_name(folder.name + ".part")

    def progress(done: int, total: int, job: Any) -> None:
        print(f"\rgenerating {done}/{total} {job.name}", end="", file=sys.stderr, flush=True)

    generate(jobs_list, partial, workers=jobs, progress=progress)
    partial.rename(folder)
    print(f"\ngenerated {folder} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return folder


def load_records(folder: Path, limit: int | None) -> list[dict[str, Any]]:
    """truth.jsonl's records, at most `limit` of each kind."""
    records = [
        json.loads(line)
        for line in (folder / "truth.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    if limit is None:
        return records
    seen: Counter[str] = Counter()
    kept = []
    for rec in records:
        seen[rec["kind"]] += 1
        if seen[rec["kind"]] <= limit:
            kept.append(rec)
    return kept


# --- reading ------------------------------------------------------------------------------


def read_all(
    folder: Path, records: Sequence[dict[str, Any]], settings: ReadingSettings, cache: Path | None
) -> list[Reading | str]:
    """Each file's Reading (or the error it raised, as text), in record order.

    Several threads call the Reader at once so that its process pool always has pages.
    `cache` keeps readings between runs, for tuning the extractor without re-running OCR.
    """
    from daemon.ocr.reader import Reader

    started, done = time.monotonic(), 0
    with Reader(settings) as reader:

        def one(rec: dict[str, Any]) -> Reading | str:
            nonlocal done
            path = folder / rec["file"]
            hit = cache / (rec["file"] + ".pickle") if cache else None
            if hit is not None and hit.exists():
                result: Reading | str = pickle.loads(hit.read_bytes())
            else:
                try:
                    result = reader.read(path)
                except Exception as exc:  # a benchmark reports failures, it does not stop
                    result = f"{type(exc).__name__}: {exc}"
                if hit is not None:
                    hit.write_bytes(pickle.dumps(result))
            done += 1
            print(
                f"\rread {done}/{len(records)} {rec['file']} ({time.monotonic() - started:.0f} s)",
                end="",
                file=sys.stderr,
                flush=True,
            )
            return result

        threads = max(2, 2 * (settings.workers or 2))
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(one, records))
    print(file=sys.stderr)
    return results


def evaluate(
    records: Sequence[dict[str, Any]],
    readings: Sequence[Reading | str],
    types: DocTypes,
    threshold: float,
    today: dt.date,
) -> tuple[dict[str, Tally], list[Miss]]:
    """Tallies by kind ("scan", "copier", "digital") and by condition ("stamp=stamp", ...)."""
    tallies = {kind: Tally() for kind in KINDS}
    misses: list[Miss] = []
    for rec, reading in zip(records, readings, strict=True):
        conditions: dict[str, str] = rec.get("conditions") or {}
        kind = "copier" if conditions.get("profile") == "old-copier" else rec["kind"]
        tally = tallies[kind]
        if isinstance(reading, str):
            tally.errors += 1
            got: dict[str, Any] = {}
            misses.append(Miss(rec["file"], "error", None, reading, None))
        else:
            got = extract_fields(reading, types, today=today).as_json()
        tally.add(rec["file"], rec["truth"], got, threshold, misses)
        for name, value in conditions.items():
            tallies.setdefault(f"{name}={value}", Tally()).add(
                rec["file"], rec["truth"], got, threshold, []
            )
    return tallies, misses


# --- reporting ----------------------------------------------------------------------------


def verdicts(
    kind: str, figures: dict[str, float], office: dict[str, float] | None = None
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    goals = targets(kind, office)
    for name, value in figures.items():
        goal = goals.get(name)
        passed = None
        if goal is not None:
            sense, bound = goal
            passed = value >= bound - 1e-9 if sense == "min" else value <= bound + 1e-9
        out[name] = {"value": round(value, 4), "target": goal, "pass": passed}
    return out


def _fmt(name: str, value: float) -> str:
    if name == "silent_errors":
        return str(int(value))
    if name == "recipients_f1":
        return f"{value:.3f}"
    return f"{100 * value:.2f}%" if name.startswith("cer:") else f"{100 * value:.1f}%"


def print_table(kind: str, tally: Tally, rows: dict[str, dict[str, Any]], threshold: float) -> None:
    print(f"\n{KIND_LABELS[kind]}: {tally.docs} documents, {tally.errors} unreadable")
    print(f"  {'field':<16} {'value':>8}  {'target':>9}  verdict")
    for name, row in rows.items():
        goal = row["target"]
        target = "-" if goal is None else ("≥ " if goal[0] == "min" else "≤ ") + _fmt(name, goal[1])
        verdict = "" if row["pass"] is None else ("PASS" if row["pass"] else "FAIL")
        print(f"  {name:<16} {_fmt(name, row['value']):>8}  {target:>9}  {verdict}")
    print(
        f"  confidence (threshold {threshold}): {tally.wrong_but_sure} wrong key fields sure, "
        f"{tally.right_but_unsure} right ones unsure; {tally.review_docs} documents "
        f"needs_review"
    )


def print_conditions(tallies: dict[str, Tally]) -> None:
    """Scans by condition: each key field, the signer, recipients F1, zero-touch, silent."""
    print("\nscans by condition:")
    head = "".join(f"{name[:8]:>9}" for name in CONDITION_COLUMNS)
    print(f"  {'condition':<24}{'docs':>5}{head}{'F1':>7}{'0-touch':>9}{'silent':>7}")
    for condition in CONDITIONS:
        for key in sorted(k for k in tallies if k.startswith(f"{condition}=")):
            tally = tallies[key]
            figures = tally.figures()
            cells = "".join(f"{100 * figures[name]:>8.1f}%" for name in CONDITION_COLUMNS)
            print(
                f"  {key:<24}{tally.docs:>5}{cells}{figures['recipients_f1']:>7.3f}"
                f"{100 * figures['zero_touch']:>8.1f}%{tally.silent:>7}"
            )


def print_misses(misses: Sequence[Miss], per_field: int) -> None:
    """The misses a clerk would suffer most: per field, the most confident wrong ones first."""
    print(f"\nworst misses (up to {per_field} per field, most confident first):")
    by_field: dict[str, list[Miss]] = {}
    for miss in misses:
        by_field.setdefault(miss.field, []).append(miss)
    for name, items in by_field.items():
        items.sort(key=lambda m: -(m.conf or 0.0))
        print(f"  {name}: {len(items)} wrong")
        for m in items[:per_field]:
            conf = "" if m.conf is None else f" conf={m.conf:.2f}"
            print(f"    {m.file}{conf}\n      truth: {m.truth!r}\n      got:   {m.got!r}")


def print_silent(tallies: dict[str, Tally], misses: Sequence[Miss]) -> None:
    """Each document that would be registered with a wrong key field and no flag."""
    names = sorted({f for key, t in tallies.items() if key in KINDS for f in t.silent_files})
    print(f"\nsilent errors ({len(names)} documents, wrong and not flagged):")
    for name in names:
        for m in misses:
            if m.file == name and m.field in KEY_FIELDS:
                conf = "" if m.conf is None else f" conf={m.conf:.2f}"
                print(f"  {name} {m.field}{conf}: {m.truth!r} read as {m.got!r}")


def print_false_alarms(tallies: dict[str, Tally], most: int) -> None:
    """Documents right on every key field that the clerk is still asked to check, with the
    fields that asked: what keeps the zero-touch rate down besides the misses."""
    alarms = sorted(a for key, t in tallies.items() if key in KINDS for a in t.false_alarms)
    print(f"\nfalse alarms ({len(alarms)} documents right on every key field, yet flagged):")
    for name, fields in alarms[:most]:
        print(f"  {name} " + ", ".join(f"{k}={c:.2f}" for k, c in fields.items()))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.accuracy",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--scans", type=int, default=100)
    p.add_argument("--digital", type=int, default=20)
    p.add_argument("--seed", type=int, default=2027, help="corpus seed (2027: never tuned on)")
    p.add_argument("--copier", type=int, default=0, help="old-copier scans (profile outside)")
    p.add_argument("--profile", choices=("office", "clean", "outside"), default="office")
    p.add_argument("--limit", type=int, help="read at most N files of each kind")
    p.add_argument("--workers", type=int, default=0, help="reading processes (0: all CPUs)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.add_argument(
        "--show-misses",
        type=int,
        nargs="?",
        const=10,
        default=0,
        metavar="N",
        help="list up to N misses per field (default 10)",
    )
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    p.add_argument(
        "--cache-readings",
        action="store_true",
        help="keep readings under the corpus folder (tune extraction without OCR)",
    )
    p.add_argument("--rules", type=Path, default=ROOT / "rules" / "doc_types.toml")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = ReadingSettings(workers=args.workers)
    folder = corpus(
        args.out,
        scans=args.scans,
        copier=args.copier,
        digital=args.digital,
        seed=args.seed,
        profile=args.profile,
        jobs=args.workers or 2,
    )
    records = load_records(folder, args.limit)
    cache = folder / "readings" if args.cache_readings else None
    if cache:
        cache.mkdir(exist_ok=True)
    started = time.monotonic()
    readings = read_all(folder, records, settings, cache)
    seconds = time.monotonic() - started
    types = DocTypes.load(args.rules)
    tallies, misses = evaluate(records, readings, types, settings.review_threshold, dt.date.today())
    office = tallies["scan"].figures()
    report = {
        kind: verdicts(kind, tallies[kind].figures(), office)
        for kind in KINDS
        if tallies[kind].docs
    }
    passed = all(row["pass"] is not False for rows in report.values() for row in rows.values())
    if args.json:
        json.dump(
            {
                "corpus": str(folder),
                "seconds": round(seconds, 1),
                "pass": passed,
                "kinds": report,
                "calibration": {
                    k: {
                        "docs": t.docs,
                        "errors": t.errors,
                        "wrong_but_sure": t.wrong_but_sure,
                        "right_but_unsure": t.right_but_unsure,
                        "needs_review": t.review_docs,
                        "silent_errors": t.silent,
                        "zero_touch": t.zero_touch,
                        "silent_files": t.silent_files,
                        "false_alarms": t.false_alarms,
                    }
                    for k, t in tallies.items()
                },
                "conditions": {
                    k: verdicts("condition", t.figures()) for k, t in tallies.items() if "=" in k
                },
                "misses": [vars(m) for m in misses] if args.show_misses else [],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=1,
            default=str,
        )
        print()
    else:
        print(f"corpus {folder} ({len(records)} files, read in {seconds:.0f} s)")
        for kind in report:
            print_table(kind, tallies[kind], report[kind], settings.review_threshold)
        if any("=" in key for key in tallies):
            print_conditions(tallies)
        if args.show_misses:
            print_misses(misses, args.show_misses)
            print_silent(tallies, misses)
            print_false_alarms(tallies, args.show_misses)
        print(f"\noverall: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
