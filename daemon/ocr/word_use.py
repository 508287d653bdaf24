"""How much Vietnamese at large uses a syllable: a slip OCR made into a valid one shows.

rules/syllables.tsv (see its README) lists the ~4,700 valid syllables of wordfreq's Vietnamese
list, each with its Zipf frequency (log10 of uses per billion words: 3 is once in a million,
7 is "và"). A syllable outside it is valid only on paper ("truyền nhiềm"); one ~300 times
rarer than another written with the same letters is more likely OCR's slip than itself
("cụng cấp": cung). Read on first use: the service process imports the extractor but never
judges a trích yếu.
"""

from __future__ import annotations

import functools

from daemon.ocr import gazetteer
from daemon.ocr.syllables import foreign_or_invalid
from daemon.ocr.vntext import fold_word, loose_key

FREQUENT = 5.5  # Zipf: once in ~30,000 words ("lấy", "vừa"; not "hổ", "dị")
_TWIN_GAP = 2.5  # Zipf: ~300 times as common


@functools.cache
def syllables_in_use() -> dict[str, float]:
    """Each syllable in use (one tone placement, lower case) and its Zipf frequency."""
    rows = (row.split("\t") for row in gazetteer.shipped_rows("syllables.tsv"))
    return {word: float(zipf) for word, zipf in rows}


def frequent(word: str) -> bool:
    """Whether Vietnamese writes `word` once in ~30,000 words or more."""
    return syllables_in_use().get(fold_word(word), 0.0) >= FREQUENT


def in_use(word: str) -> bool:
    """Whether Vietnamese writes `word` at all (any case; true when the table is missing)."""
    in_use = syllables_in_use()
    return not in_use or fold_word(word) in in_use


def out_of_use(word: str, *, first: bool) -> bool:
    """A valid syllable no one writes: OCR's slip, though the word it slipped from is not
    clear ("truyền nhiềm": nhiễm, or nhiệm?). Names are left alone: their capital says so,
    unless `first` (a trích yếu's first word has one anyway)."""
    if (word[:1].isupper() and not first) or foreign_or_invalid(word):
        return False  # an invalid syllable is the spelling check's to flag
    in_use = syllables_in_use()
    return bool(in_use) and fold_word(word) not in in_use


def rare_twin(word: str, *, first: bool) -> bool:
    """A rare syllable one tone or vowel mark from one ~300 times as common ("cụng cấp":
    cung). On the real regulations, each left out of the common words of official writing in
    turn, words outside those common words raised no false alarm (at twice as likely as the
    word: 9 lines of 592)."""
    if word[:1].isupper() and not first:
        return False
    return fold_word(word) in syllables_in_use() and bool(likelier_twins(word))


def likelier_twins(word: str) -> list[str]:
    """The syllables in use written with the letters of `word` and ~300 times as common
    (any in use, when `word` is in use nowhere): what a slip may have come from."""
    zipf = syllables_in_use().get(fold_word(word), 0.0)
    floor = zipf + _TWIN_GAP if zipf else 0.0
    return [twin for twin, z in twins(word) if z >= floor]


def twins(word: str) -> tuple[tuple[str, float], ...]:
    """The syllables in use written with the letters of `word`, marks aside, each with its
    Zipf frequency (`word` itself among them when in use)."""
    return _by_letters().get(loose_key(word), ())


@functools.cache
def _by_letters() -> dict[str, tuple[tuple[str, float], ...]]:
    """The syllables in use by their letters (marks aside), each with its Zipf frequency."""
    found: dict[str, list[tuple[str, float]]] = {}
    for word, zipf in syllables_in_use().items():
        found.setdefault(loose_key(word), []).append((word, zipf))
    return {key: tuple(words) for key, words in found.items()}
