"""Regenerate rules/common_words.tsv and rules/common_pairs.tsv from real regulations.

Source: the regulations in the project's seeds/ folder (see rules/common_words.README.md),
read as text. Only valid Vietnamese syllables count (`daemon.ocr.syllables.foreign_or_invalid`
leaves out abbreviations such as UBND, English words and URLs), folded to one tone placement
and lower case.

- common_words.tsv: every syllable, with how often it occurs.
- common_pairs.tsv: every two syllables written next to each other (only spaces between them)
  at least twice, with how often: "thủ trưởng", "cụ thể", "cung cấp". The reading takes them as
  right as printed, so that its pair lexicon never "undoes" them into another known pair
  ("Thủ trưởng" -> "Thứ trưởng").
- listed_pairs.tsv: every two syllables written with a comma between them at least twice
  ("gửi, nhận", "phòng, chống"): a list, where a comma between the words of a compound is
  otherwise a speck ("Ban, hành").

Usage:

    .venv/bin/python scripts/make_seed_lexicon.py ../shared/seeds

The output is sorted by count, then by text, so the same seeds write the same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from daemon.ocr.syllables import foreign_or_invalid  # noqa: E402
from daemon.ocr.vntext import fold_word, nfc  # noqa: E402

_RUN = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)*")  # words with only spaces between them
MIN_PAIR = 2  # a pair seen once may be a slip of the source's own typing


def count(texts: list[str]) -> tuple[Counter[str], Counter[str]]:
    """Syllables and pairs of adjacent syllables in `texts`, with their counts."""
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for text in texts:
        for run in _RUN.findall(nfc(text)):
            folded = [fold_word(word) for word in run.split()]
            valid = [None if foreign_or_invalid(word) else word for word in folded]
            words.update(word for word in valid if word)
            pairs.update(f"{a} {b}" for a, b in zip(valid, valid[1:], strict=False) if a and b)
    return words, pairs


_LISTED = re.compile(r"([^\W\d_]+), ([^\W\d_]+)")  # two words with a comma between


def listed(texts: list[str]) -> Counter[str]:
    """Pairs of syllables written with a comma between them in `texts`, with their counts."""
    pairs: Counter[str] = Counter()
    for text in texts:
        for a, b in _LISTED.findall(nfc(text)):
            a, b = fold_word(a), fold_word(b)
            if not (foreign_or_invalid(a) or foreign_or_invalid(b)):
                pairs[f"{a} {b}"] += 1
    return pairs


def _write(path: Path, header: str, counts: Counter[str], least: int = 1) -> int:
    rows = sorted(((k, n) for k, n in counts.items() if n >= least), key=lambda r: (-r[1], r[0]))
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(header + "\tcount\n")
        out.writelines(f"{key}\t{n}\n" for key, n in rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", type=Path, help="the folder of regulations (*.txt)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "rules")
    args = parser.parse_args(argv)
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.seeds.glob("*.txt"))]
    if not texts:
        sys.exit(f"make_seed_lexicon: no *.txt in {args.seeds}")
    words, pairs = count(texts)
    n_words = _write(args.output / "common_words.tsv", "word", words)
    n_pairs = _write(args.output / "common_pairs.tsv", "pair", pairs, MIN_PAIR)
    n_listed = _write(args.output / "listed_pairs.tsv", "pair", listed(texts), MIN_PAIR)
    print(
        f"{len(texts)} texts: {n_words} words, {n_pairs} pairs, {n_listed} listed pairs",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
