"""The document types an office recognises (rules/doc_types.toml) and lookups into them.

Names are matched whatever the case and tone placement (QUYẾT ĐỊNH, Bản thoả thuận);
abbreviations exactly or case-insensitively (QYĐ = QyĐ) but never D for Đ, because
HD (Hướng dẫn) and HĐ (Hợp đồng) are different types. OCR'd titles can be corrected to the
nearest known name.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daemon.errors import PermanentError
from daemon.ocr.vntext import loose_key, nfc, squash, tone_key


class DocTypesError(PermanentError):
    """The types file is missing or wrong; the message names the file, entry and problem."""


@dataclass(frozen=True)
class DocType:
    name: str  # sentence case, as the register shows it: "Quyết định"
    abbr: str | None = None  # in the ký hiệu: QĐ; None for Công văn, Luật
    aliases: tuple[str, ...] = ()
    old_abbr: tuple[str, ...] = ()
    normative: bool = False  # văn bản quy phạm pháp luật
    letter: bool = False  # a citizen's letter (đơn thư), not an agency document

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def abbrs(self) -> tuple[str, ...]:
        return ((self.abbr,) if self.abbr else ()) + self.old_abbr


@dataclass(frozen=True)
class TitleMatch:
    """A printed title recognised as a type; `rest` is what followed the name on the line."""

    type: DocType
    score: float  # 1.0 exact; lower when diacritics or letters had to be corrected
    rest: str = ""


_KEYS = {"name", "abbr", "aliases", "old_abbr", "normative", "letter"}


def _parse_entry(entry: Any, where: str) -> DocType:
    if not isinstance(entry, dict):
        raise DocTypesError(f"{where}: must be a table")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise DocTypesError(f"{where}: unknown key(s) {', '.join(unknown)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DocTypesError(f"{where}: 'name' must be a non-empty string")
    where = f"{where} ({name})"

    def strings(key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise DocTypesError(f"{where}: '{key}' must be a list of strings")
        return tuple(squash(nfc(v)) for v in value)

    def flag(key: str) -> bool:
        value = entry.get(key, False)
        if not isinstance(value, bool):
            raise DocTypesError(f"{where}: '{key}' must be true or false")
        return value

    abbr = entry.get("abbr")
    if abbr is not None and (not isinstance(abbr, str) or not abbr.strip()):
        raise DocTypesError(f"{where}: 'abbr' must be a non-empty string")
    return DocType(
        name=squash(nfc(name)),
        abbr=nfc(abbr).strip() if abbr else None,
        aliases=strings("aliases"),
        old_abbr=strings("old_abbr"),
        normative=flag("normative"),
        letter=flag("letter"),
    )


class DocTypes:
    """An immutable set of document types with name, abbreviation and title lookups."""

    def __init__(self, types: Iterable[DocType]) -> None:
        self._types = tuple(types)
        self._by_name: dict[str, DocType] = {}
        self._by_abbr: dict[str, DocType] = {}
        self._by_abbr_ci: dict[str, DocType] = {}
        loose: dict[str, list[DocType]] = {}
        for doc_type in self._types:
            for name in doc_type.names:
                key = tone_key(name)
                if key in self._by_name:
                    raise DocTypesError(f"name {name!r} is given twice")
                self._by_name[key] = doc_type
                loose.setdefault(loose_key(name), []).append(doc_type)
            for abbr in doc_type.abbrs:
                if abbr.casefold() in self._by_abbr_ci:
                    raise DocTypesError(f"abbreviation {abbr!r} is given twice")
                self._by_abbr[abbr] = doc_type
                self._by_abbr_ci[abbr.casefold()] = doc_type
        #: Every type's abbreviations (QĐ, TTr, CV ...): never an agency's code in a ký hiệu.
        self.abbrs = frozenset(self._by_abbr)
        # A diacritic-free key is only trusted when it names one type.
        self._by_loose = {k: v[0] for k, v in loose.items() if len(set(v)) == 1}

    @classmethod
    def load(cls, path: Path) -> DocTypes:
        """Read a types file (rules/doc_types.toml); DocTypesError names what is wrong."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DocTypesError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        return cls.from_toml(text, source=str(path))

    @classmethod
    def from_toml(cls, text: str, *, source: str = "<doc types>") -> DocTypes:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DocTypesError(f"{source}: not valid TOML: {exc}") from exc
        entries = data.get("type")
        if not isinstance(entries, list) or not entries:
            raise DocTypesError(f"{source}: needs at least one [[type]] table")
        extra = sorted(set(data) - {"type"})
        if extra:
            raise DocTypesError(f"{source}: unknown table(s) {', '.join(extra)}")
        types = [_parse_entry(e, f"{source}: [[type]] #{i + 1}") for i, e in enumerate(entries)]
        try:
            return cls(types)
        except DocTypesError as exc:
            raise DocTypesError(f"{source}: {exc}") from None

    def __iter__(self) -> Iterator[DocType]:
        return iter(self._types)

    def __len__(self) -> int:
        return len(self._types)

    def by_name(self, name: str, *, loose: bool = False) -> DocType | None:
        """The type called `name` (any case, either tone placement; aliases too).

        With `loose`, a name that lost its diacritics ("QUYET DINH") also matches, when
        only one type has that diacritic-free spelling.
        """
        found = self._by_name.get(tone_key(name))
        if found is None and loose:
            found = self._by_loose.get(loose_key(name))
        return found

    def by_abbr(self, abbr: str) -> DocType | None:
        """The type whose ký hiệu abbreviation is `abbr`: exact, else case-insensitive."""
        abbr = nfc(abbr).strip()
        return self._by_abbr.get(abbr) or self._by_abbr_ci.get(abbr.casefold())

    def match_title(self, text: str, *, cutoff: float = 0.8) -> TitleMatch | None:
        """Recognise a printed title line ("QUYẾT ĐỊNH", "ĐƠN KHIẾU NẠI (lần 2)").

        The whole line must be a type name, except for letters, whose title may go on
        ("ĐƠN XIN ..."). Misread diacritics or letters are corrected to the nearest name
        when the similarity reaches `cutoff`; the score says how sure the match is.
        """
        text = _bare_title(text)
        if not text:
            return None
        exact = self._by_name.get(tone_key(text))
        if exact is not None:
            return TitleMatch(exact, 1.0)
        folded = self._by_loose.get(loose_key(text))
        if folded is not None:
            return TitleMatch(folded, 0.9)
        return self._letter_prefix(text) or self.correct(text, cutoff=cutoff)

    def correct(self, text: str, *, cutoff: float = 0.8) -> TitleMatch | None:
        """The known name nearest to an OCR'd `text`, if similar enough."""
        return _nearest(loose_key(text), self._types, cutoff)

    def resembles(self, text: str, doc_type: DocType, *, cutoff: float) -> TitleMatch | None:
        """`text` as a title of `doc_type` (named by the ký hiệu) when as similar to one of
        its names as `cutoff` asks: a title an old copier spoiled beyond `correct`'s reach
        ("H Z G DẪN" for HƯỚNG DẪN, 0.67), which no other type's name need be near."""
        return _nearest(loose_key(_bare_title(text)), (doc_type,), cutoff)

    def _letter_prefix(self, text: str) -> TitleMatch | None:
        """The longest letter type whose name starts `text` on a word boundary."""
        words = text.split()
        for size in range(len(words) - 1, 0, -1):
            head = " ".join(words[:size])
            for score, found in (
                (1.0, self._by_name.get(tone_key(head))),
                (0.9, self._by_loose.get(loose_key(head))),
            ):
                if found is not None and found.letter:
                    return TitleMatch(found, score, " ".join(words[size:]))
        return None


def _bare_title(text: str) -> str:
    # "BÁO CÁO __", "_—_ CHƯƠNG TRÌNH": a rule or the stamp's frame read beside it
    return squash(nfc(text)).strip(" .:;,-–—_|")


def _nearest(key: str, types: Iterable[DocType], cutoff: float) -> TitleMatch | None:
    """The type whose name is nearest to `key` (a loose key), if similar enough."""
    best = max(
        (
            (difflib.SequenceMatcher(None, key, loose_key(n)).ratio(), t)
            for t in types
            for n in t.names
        ),
        key=lambda found: found[0],
        default=None,
    )
    if best is None or best[0] < cutoff:
        return None
    return TitleMatch(best[1], round(best[0] * 0.9, 3))
