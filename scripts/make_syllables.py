"""Regenerate rules/syllables.tsv, the Vietnamese syllables in general use and how common each is.

Source: the PyPI package `wordfreq` 3.1.1 (Robyn Speer; code Apache-2.0, word lists
CC BY-SA 4.0), file wordfreq/data/small_vi.msgpack.gz: the Vietnamese words (syllables, as
Vietnamese is written) seen at least once per million words in wordfreq's sources (Wikipedia,
subtitles, news, web text), in frequency buckets of one centibel.

Usage (the package is only a data source: download it, never install it into the project;
msgpack is needed to read it, in a throwaway environment or the project's):

    .venv/bin/pip download --no-deps wordfreq==3.1.1 -d /tmp/wf
    .venv/bin/pip install msgpack
    .venv/bin/python scripts/make_syllables.py /tmp/wf/wordfreq-3.1.1-py3-none-any.whl

Only valid Vietnamese syllables are kept (`daemon.ocr.syllables.foreign_or_invalid`: no
English words, abbreviations or numbers), folded to one tone placement and lower case, with
their Zipf frequency (log10 of occurrences per billion words; 3 is once per million). The
output is sorted by frequency, then by syllable, so the same input writes the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from daemon.ocr.syllables import foreign_or_invalid  # noqa: E402
from daemon.ocr.vntext import fold_word, nfc  # noqa: E402

LIST_IN_WHEEL = "wordfreq/data/small_vi.msgpack.gz"
DEFAULT_OUTPUT = ROOT / "rules" / "syllables.tsv"


def read_buckets(source: Path) -> list[list[str]]:
    """wordfreq's list: a header, then one bucket of words per centibel below frequency 1."""
    try:
        import msgpack
    except ImportError:
        sys.exit("make_syllables: msgpack is needed to read wordfreq's list: pip install msgpack")
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            packed = wheel.read(LIST_IN_WHEEL)
    else:
        packed = source.read_bytes()
    data = msgpack.load(gzip.GzipFile(fileobj=io.BytesIO(packed)), raw=False)
    if not isinstance(data[0], dict) or data[0].get("format") != "cB":
        sys.exit(f"make_syllables: {source} is not a wordfreq cB list")
    return data[1:]


def syllables(buckets: list[list[str]]) -> dict[str, float]:
    """Valid syllable -> Zipf frequency (the higher of its spellings' when tone placement
    differs: hoà and hòa are one syllable)."""
    zipf: dict[str, float] = {}
    for centibels, words in enumerate(buckets):
        for word in words:
            word = nfc(word)
            if not word.isalpha() or foreign_or_invalid(word):
                continue
            key = fold_word(word)
            zipf.setdefault(key, round(9 - centibels / 100, 2))
    return zipf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="wordfreq's wheel or its small_vi.msgpack.gz")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    table = syllables(read_buckets(args.source))
    rows = sorted(table.items(), key=lambda item: (-item[1], item[0]))
    with args.output.open("w", encoding="utf-8", newline="\n") as out:
        out.write("syllable\tzipf\n")
        out.writelines(f"{word}\t{zipf:.2f}\n" for word, zipf in rows)
    print(f"{args.output}: {len(rows)} syllables", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
