"""Regenerate rules/gazetteer.tsv, the list of Vietnam's administrative units, from its source.

Source: the PyPI package `vietnamadminunits` 1.0.4 (MIT, Tran Ngoc Minh Hieu), whose file
vietnamadminunits/data/dataset.db (SQLite) holds two tables built from the General Statistics
Office's list of units (danhmuchanhchinh.gso.gov.vn):

- admin_units_legacy: the 63-province structure (province > district > commune) as it stood
  on 30 June 2025, written here as era "2008";
- admin_units: the 34-province structure in force from 1 July 2025 (province > commune),
  written here as era "2025".

Usage (the package is only a data source: download it, never install it into the project):

    .venv/bin/pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/gaz
    .venv/bin/python scripts/make_gazetteer.py \
        /tmp/gaz/vietnamadminunits-1.0.4-py3-none-any.whl -o rules/gazetteer.tsv

The input may be the wheel or its extracted dataset.db. Names are written in NFC with the type
word in its usual case ("Thị xã", not "Thị Xã") and single spaces; the tone placement and
spelling of the source are kept. The output is sorted (era, level, code), so running the script
twice on the same input writes the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sqlite3
import sys
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATASET_IN_WHEEL = "vietnamadminunits/data/dataset.db"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "rules" / "gazetteer.tsv"
COLUMNS = ("era", "level", "code", "name", "short", "parent_code")
LEVELS = ("province", "district", "commune")

# The type words that start a unit's full name at each level, in the case they are written in.
# The source's own type columns are not used: a few of them contradict the name ("Thị trấn
# Ngọc Lặc" typed Xã), and the name is what the legal acts and documents write.
TYPE_WORDS = {
    "province": ("Tỉnh", "Thành phố"),
    "district": ("Quận", "Huyện", "Thị xã", "Thành phố"),
    "commune": ("Phường", "Xã", "Thị trấn", "Đặc khu"),
}

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Row:
    era: str
    level: str
    code: str
    name: str
    short: str
    parent_code: str

    def sort_key(self) -> tuple[str, int, str]:
        return (self.era, LEVELS.index(self.level), self.code)


def read_dataset(source: Path) -> sqlite3.Connection:
    """The package's SQLite dataset, opened in memory from the wheel or from dataset.db."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            data = wheel.read(DATASET_IN_WHEEL)
    else:
        data = source.read_bytes()
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    return connection


def tidy(text: str) -> str:
    """NFC with whitespace runs collapsed: the source has a few doubled spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def split_type(level: str, full_name: str) -> tuple[str, str]:
    """(type word, rest of the name), the type word as written in TYPE_WORDS."""
    name = tidy(full_name)
    for type_word in TYPE_WORDS[level]:
        if name.casefold().startswith(type_word.casefold() + " "):
            return type_word, name[len(type_word) + 1 :].strip()
    raise ValueError(f"{full_name!r} does not start with the type word of a {level}")


def make_row(era: str, level: str, code: str, full_name: str, parent: str) -> Row:
    """One unit; a numbered unit (Quận 1, Phường 14) keeps its type word in `short` too,
    because its number alone names nothing."""
    type_word, rest = split_type(level, full_name)
    name = f"{type_word} {rest}"
    short = name if rest.isdigit() else rest
    for value in (code, name, short, parent):
        if "\t" in value or "\n" in value:
            raise ValueError(f"tab or newline in {value!r}")
    return Row(era, level, code.strip(), name, short, parent.strip())


def legacy_rows(connection: sqlite3.Connection) -> Iterable[Row]:
    """Era 2008: provinces, districts and communes of the 63-province structure."""
    query = (
        "SELECT provinceCode, province, districtCode, district, wardCode, ward"
        " FROM admin_units_legacy"
    )
    for p_code, province, d_code, district, w_code, ward in connection.execute(query):
        yield make_row("2008", "province", p_code, province, "")
        yield make_row("2008", "district", d_code, district, p_code)
        if ward is not None:  # island districts without communes (Bạch Long Vĩ, Côn Đảo...)
            yield make_row("2008", "commune", w_code, ward, d_code)


def current_rows(connection: sqlite3.Connection) -> Iterable[Row]:
    """Era 2025: provinces and communes (phường, xã, đặc khu); there are no districts."""
    query = "SELECT provinceCode, province, wardCode, ward FROM admin_units"
    for p_code, province, w_code, ward in connection.execute(query):
        yield make_row("2025", "province", p_code, province, "")
        yield make_row("2025", "commune", w_code, ward, p_code)


def unique_units(rows: Iterable[Row]) -> list[Row]:
    """The distinct units, sorted; a code that names two different units is an error."""
    by_code: dict[tuple[str, str], Row] = {}
    for row in rows:
        key = (row.era, row.code)
        if by_code.setdefault(key, row) != row:
            raise ValueError(f"code {row.code} in era {row.era}: {by_code[key]} and {row}")
    units = sorted(by_code.values(), key=Row.sort_key)
    for unit in units:
        if unit.level != "province" and (unit.era, unit.parent_code) not in by_code:
            raise ValueError(f"{unit} has no parent in its era")
    return units


def render(units: list[Row]) -> str:
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join((u.era, u.level, u.code, u.name, u.short, u.parent_code)) for u in units]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the vietnamadminunits wheel or its dataset.db")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    connection = read_dataset(args.source)
    units = unique_units([*legacy_rows(connection), *current_rows(connection)])
    args.output.write_text(render(units), encoding="utf-8", newline="\n")

    digest = hashlib.sha256(args.source.read_bytes()).hexdigest()
    print(f"{args.source.name} sha256 {digest}")
    for era in ("2008", "2025"):
        counts = {lvl: sum(u.era == era and u.level == lvl for u in units) for lvl in LEVELS}
        print(f"era {era}: " + ", ".join(f"{n} {lvl}" for lvl, n in counts.items()))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
