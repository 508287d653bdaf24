"""Vietnam's administrative units (rules/gazetteer.tsv), to check OCR'd place and agency names.

The file holds two eras, because the mail holds both: "2008", the 63 provinces with their
districts and communes as they stood until 30 June 2025 (documents dated before then, and later
ones citing old units, name these), and "2025", the 34 provinces and their communes from
1 July 2025, when districts were abolished. Names compare whatever the case, Unicode form or
tone placement (Khánh Hoà = KHÁNH HÒA), but every other diacritic counts: "Khánh Sớn" is a
misreading, not a spelling of Khánh Sơn. See rules/gazetteer.README.md for the source.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from daemon.errors import PermanentError
from daemon.ocr.vntext import loose_key, nfc, tone_key

ERAS = ("2008", "2025")
LEVELS = ("province", "district", "commune")
COLUMNS = ("era", "level", "code", "name", "short", "parent_code")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")

# What may stand before the place itself: "TP. Hồ Chí Minh", "Tp Hồ Chí Minh", "Thành phố Huế",
# "Tỉnh Bắc Giang", "TX. Kỳ Anh". Matched on the case-folded key.
_PLACE_PREFIX = re.compile(
    r"(?:t\.?\s?p\b\.?|t\.?\s?x\b\.?|thành phố|tỉnh|huyện|quận|thị xã|thị trấn|xã|phường|đặc khu)"
    r"\s*"
)


class GazetteerError(PermanentError):
    """The gazetteer file is missing or malformed; the message names the file and line."""


@dataclass(frozen=True)
class Unit:
    """One administrative unit of one era; `code` is the GSO code, unique within its era."""

    era: str  # "2008" or "2025"
    level: str  # "province", "district" or "commune" (phường, xã, thị trấn, đặc khu)
    code: str
    name: str  # with its type word: "Huyện Khánh Sơn"
    short: str  # without it: "Khánh Sơn" (numbered units keep it: "Quận 1")
    parent_code: str  # "" for a province

    @property
    def type_word(self) -> str | None:
        """The type its name opens with, in small letters ("xã", "thị trấn"); None where
        the name is not its short name after a type ("Quận 1" keeps it)."""
        if self.name == self.short or not self.name.endswith(" " + self.short):
            return None
        return self.name[: -len(self.short)].strip().lower()


def name_key(text: str) -> str:
    """The form names are compared in: NFC, case-folded, one tone placement (hòa, thủy),
    one apostrophe, one spacing around dashes and between words."""
    return _DASH.sub(" - ", tone_key(text.translate(_APOSTROPHES)))


class Gazetteer:
    """The units of both eras, indexed by short name and by parent."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units = tuple(units)
        self._by_short: dict[str, list[Unit]] = defaultdict(list)
        self._by_parent: dict[str, list[Unit]] = defaultdict(list)
        self._by_letters: dict[str, set[str]] = defaultdict(set)  # filled on first use
        self._by_code = {(unit.era, unit.code): unit for unit in self.units}
        for unit in self.units:
            self._by_short[name_key(unit.short)].append(unit)
            if unit.parent_code:
                self._by_parent[unit.parent_code].append(unit)

    def provinces(self, era: str | None = None) -> list[Unit]:
        """The provinces and centrally-run cities of `era`, or of both eras."""
        return [u for u in self.units if u.level == "province" and era in (None, u.era)]

    def find(self, short_name: str) -> list[Unit]:
        """Every unit, of any level and era, whose short name is `short_name`."""
        return list(self._by_short.get(name_key(short_name), ()))

    def unit(self, era: str, code: str) -> Unit | None:
        """The unit of `era` with GSO code `code`, if any."""
        return self._by_code.get((era, code))

    def children(self, code: str, era: str | None = None) -> list[Unit]:
        """The units directly inside unit `code`. Province codes recur across eras (24 is Bắc
        Giang in 2008, Bắc Ninh in 2025), so pass `era` to get one era's children."""
        return [u for u in self._by_parent.get(code, ()) if era in (None, u.era)]

    def spelled_like(self, name: str) -> list[str]:
        """The short names written with the same letters as `name`, marks aside: the places
        a misread mark may have hidden ("Cấm Xuyên" -> Cẩm Xuyên)."""
        if not self._by_letters:
            for unit in self.units:
                self._by_letters[loose_key(unit.short)].add(unit.short)
        return sorted(self._by_letters.get(loose_key(name), ()))

    def known_place(self, name: str) -> bool:
        """Whether `name`, as written on a place-date line or after an agency's type ("Khánh
        Hòa", "TP. Hồ Chí Minh", "Tp Hồ Chí Minh", "Thành phố Huế"), is a province, district
        or commune of either era."""
        key = name_key(name.strip(" \t,;:"))
        if key in self._by_short:  # first as written: "Quận 1", "Phường Đúc" keep their type
            return True
        prefix = _PLACE_PREFIX.match(key)
        return prefix is not None and key[prefix.end() :] in self._by_short


def shipped() -> Gazetteer:
    """The gazetteer shipped with vanthu (reference data: the office does not edit it)."""
    table = shipped_table("gazetteer.tsv")
    if table is None:
        raise GazetteerError("the shipped gazetteer (rules/gazetteer.tsv) is missing")
    return load(table)


def shipped_table(name: str) -> Path | None:
    """A reference table shipped with vanthu: in the checkout's rules/, or the installed
    wheel's daemon/shipped_rules/; None when it is missing."""
    package = Path(__file__).resolve().parents[1]
    for folder in (package / "shipped_rules", package.parent / "rules"):
        if (folder / name).is_file():
            return folder / name
    return None


def shipped_rows(name: str) -> list[str]:
    """The rows of a shipped table under its header line, empty ones left out; none when
    the table is missing."""
    table = shipped_table(name)
    if table is None:
        return []
    return [row for row in table.read_text(encoding="utf-8").splitlines()[1:] if row]


def load(path: Path) -> Gazetteer:
    """The gazetteer in `path`, parsed once per version of the file (it has ~14,000 lines)."""
    try:
        stat = path.stat()
    except OSError as error:
        raise GazetteerError(f"cannot read the gazetteer {path}: {error}") from error
    return _parse(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _parse(path: Path, mtime_ns: int, size: int) -> Gazetteer:
    """Parse `path`; mtime and size are part of the cache key so an edited file is re-read."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows, None)
        if header is None or tuple(header) != COLUMNS:
            raise GazetteerError(f"{path}: the first line must name the columns {COLUMNS}")
        return Gazetteer(_unit(path, rows.line_num, row) for row in rows if row)


def _unit(path: Path, line: int, row: list[str]) -> Unit:
    if len(row) != len(COLUMNS):
        raise GazetteerError(f"{path}:{line}: {len(row)} columns, expected {len(COLUMNS)}")
    unit = Unit(*(nfc(value.strip()) for value in row))
    if unit.era not in ERAS or unit.level not in LEVELS:
        raise GazetteerError(f"{path}:{line}: unknown era {unit.era!r} or level {unit.level!r}")
    if not unit.short or (unit.level == "province") == bool(unit.parent_code):
        raise GazetteerError(f"{path}:{line}: a short name and, below a province, a parent")
    return unit
