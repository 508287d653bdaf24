"""Who an outgoing document goes to: its "Nơi nhận" and "Kính gửi", matched to the directory.

The office's directory (rules/agencies.toml) lists the agencies it writes to, each with an
email address or `eoffice = true` (it receives through the shared e-office system), and
groups ("UBND các xã, thị trấn") of several. `resolve` reads recipients as the văn thư does:

- "Như trên" means the "Kính gửi" addressees; "Như Điều 3" the agencies Article 3 of the
  body charges with carrying the document out;
- "Lưu: VT, VP" is the office's own file copy: never sent, reported in `own_copy`;
- "TT. HĐND, UBND huyện" names two bodies; "Chủ tịch, các PCT UBND huyện" the UBND;
- "(b/c)", "(để biết)", "(t/h)" only say why a copy goes there.

Names are compared without case, punctuation, "và", tone placement (hoà = hòa) or, failing
that, diacritics, with the usual abbreviations spelled out (UBND, HĐND, MTTQ, VP, TT.) and a
few OCR letter confusions (rn/m, cl/d, 0/o) undone. There is no similarity score: two names
match only when they come out the same, and only when one entry does. A line that matches
nothing is reported verbatim for the clerk, never guessed: sending to "UBND xã Sơn Hiệp"
what was meant for "UBND xã Sơn Bình" is worse than asking.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daemon.ocr.fields_vocab import agency_like
from daemon.ocr.vntext import clean, fold_tones, loose_key, squash, strip_aligned
from daemon.rules import RulesError

__all__ = ["Agency", "Directory", "Group", "Recipient", "Resolution", "resolve"]


@dataclass(frozen=True)
class Agency:
    name: str
    aliases: tuple[str, ...] = ()
    email: str | None = None
    code: str | None = None  # mã định danh điện tử
    eoffice: bool = False  # receives through the shared e-office system: no email


@dataclass(frozen=True)
class Group:
    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]  # agency names, as the directory spells them


@dataclass(frozen=True)
class Recipient:
    agency: Agency
    line: str  # the Nơi nhận line, Kính gửi addressee or clerk's name it was read from


@dataclass(frozen=True)
class Resolution:
    recipients: tuple[Recipient, ...]  # one per agency, in document order
    own_copy: tuple[str, ...]  # "Lưu: VT, VP": the office's file copies, never sent
    unmatched: tuple[str, ...]  # lines (or names) that name no known agency: the clerk decides


# --- names as keys --------------------------------------------------------------------------

_ABBR = {  # loose token -> the words it stands for (OCR's UBNĐ, UBNO included)
    **dict.fromkeys(("ubnd", "ubno", "ubnid"), "ủy ban nhân dân"),
    **dict.fromkeys(("ubmttq", "ubmttqvn", "mttq", "mttqvn"), "mặt trận tổ quốc"),
    **{"hdnd": "hội đồng nhân dân", "vp": "văn phòng", "tp": "thành phố", "tx": "thị xã"},
    **{"kbnn": "kho bạc nhà nước", "bhxh": "bảo hiểm xã hội", "ttyt": "trung tâm y tế"},
}
# Leading titles of people: the letter goes to their agency ("Chủ tịch, các PCT UBND ...").
_TITLE = (
    r"(?:pho )?(?:chu tich|giam doc|chanh|thu truong|truong|bi thu|chu nhiem)|pct|ct|"
    r"lanh dao|ld|thanh vien|thuong truc"
)
_TITLES = re.compile(rf"^(?:(?:cac|ong|ba|dong chi) )?(?:{_TITLE})(?: (?:cac )?(?:{_TITLE}))* ")
_CONFUSED = (("rn", "m"), ("cl", "d"), ("0", "o"), ("1", "i"), ("l", "i"), ("5", "s"), (" ", ""))


# "(Ủy ban) Mặt trận Tổ quốc (Việt Nam)" is one body however much of it is printed.
_FRONT = re.compile(r"(?:uy ban )?mat tran to quoc(?: viet nam)?")


@dataclass(frozen=True)
class _Key:
    tone: str  # with diacritics, old tone placement folded: "ủy ban nhân dân xã sơn bình"
    loose: str  # without diacritics: "uy ban nhan dan xa son binh"
    ocr: str  # loose, OCR's letter confusions undone, no spaces

    @classmethod
    def of(cls, text: str, *, titles: bool = False) -> _Key:
        tone = _spelled_out(text)
        match = _TITLES.match(loose_key(tone) + " ") if titles else None
        if match and match.end() < len(tone):  # "Chủ tịch UBND huyện": the UBND
            tone = " ".join(tone.split()[len(match.group().split()) :])
        if front := _FRONT.search(strip_aligned(tone)):  # same offsets in `tone`
            tone = f"{tone[: front.start()]}ủy ban mặt trận tổ quốc{tone[front.end() :]}"
        ocr = loose = loose_key(tone)
        for wrong, right in _CONFUSED:
            ocr = ocr.replace(wrong, right)
        return cls(tone, loose, ocr)


def _spelled_out(text: str) -> str:
    """`text`'s words, case and tone placement folded, abbreviations spelled out, no "và"."""
    words: list[str] = []
    for i, word in enumerate(re.findall(r"\w+", fold_tones(clean(text)).casefold())):
        folded = loose_key(word)
        if folded == "tt":  # TT. HĐND: thường trực; UBND TT. Tô Hạp: thị trấn
            after_ubnd = loose_key(" ".join(words)).endswith("uy ban nhan dan")
            words.append("thị trấn" if after_ubnd else "thường trực" if i == 0 else word)
        elif folded != "va":
            words.append(_ABBR.get(folded, word))
    return " ".join(words)


# --- the directory --------------------------------------------------------------------------

Entry = Agency | Group
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Directory:
    """The office's agencies and groups, indexed by every spelling of their names."""

    agencies: tuple[Agency, ...] = ()
    groups: tuple[Group, ...] = ()
    _index: dict[str, dict[str, set[int]]] = field(init=False, repr=False)
    _members: dict[str, tuple[Agency, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        entries: list[Entry] = [*self.agencies, *self.groups]
        self._index, self._members = {t: defaultdict(set) for t in ("tone", "loose", "ocr")}, {}
        owner: dict[str, Entry] = {}
        for n, entry in enumerate(entries):
            for name in (entry.name, *entry.aliases):
                key = _Key.of(name)
                other = owner.setdefault(key.tone, entry)
                if other is not entry:
                    raise ValueError(f"{name!r} also names {other.name!r}")
                for tier in self._index:
                    self._index[tier][getattr(key, tier)].add(n)
        for group in self.groups:
            members = [self._lookup(_Key.of(m), agencies_only=True) for m in group.members]
            missing = [m for m, a in zip(group.members, members, strict=True) if a is None]
            if missing:
                raise ValueError(f"group {group.name!r}: member {missing[0]!r} names no agency")
            self._members[group.name] = tuple(a for a in members if isinstance(a, Agency))

    @classmethod
    def load(cls, path: Path) -> Directory:
        """Read agencies.toml; a missing file is an empty directory. Raises RulesError
        naming the file and the entry or key at fault."""
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RulesError(f"{path}: cannot be read: {exc}") from exc
        unknown = sorted(set(raw) - {"agency", "group"})
        if unknown:
            raise RulesError(f"{path}: {unknown[0]}: unknown key (known: [[agency]], [[group]])")
        agencies = [
            _agency(a, f"{path}: [[agency]] #{i}") for i, a in _numbered(raw, "agency", path)
        ]
        groups = [_group(g, f"{path}: [[group]] #{i}") for i, g in _numbered(raw, "group", path)]
        try:
            return cls(tuple(agencies), tuple(groups))
        except ValueError as exc:
            raise RulesError(f"{path}: {exc}") from exc

    def find(self, text: str) -> Agency | Group | None:
        """The one agency or group `text` names (titles of people in front allowed), or None
        when it names none or could name several."""
        text = _clean_line(text)
        return self._lookup(_Key.of(text)) or self._lookup(_Key.of(text, titles=True))

    def expand(self, entry: Entry) -> tuple[Agency, ...]:
        return (entry,) if isinstance(entry, Agency) else self._members[entry.name]

    def _lookup(self, key: _Key, *, agencies_only: bool = False) -> Entry | None:
        entries: list[Entry] = [*self.agencies, *([] if agencies_only else self.groups)]
        for tier in ("tone", "loose", "ocr"):
            hits = {
                n for n in self._index.get(tier, {}).get(getattr(key, tier), ()) if n < len(entries)
            }
            if len(hits) == 1:
                return entries[hits.pop()]
            if hits:
                return None  # "Cam Thanh" and "Cam Thành" without the tone to tell: ask
        return None


def _numbered(raw: dict[str, Any], table: str, path: Path) -> list[tuple[int, dict[str, Any]]]:
    items = raw.get(table, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise RulesError(f"{path}: {table}: must be an array of tables [[{table}]]")
    return list(enumerate(items, start=1))


def _checked(item: dict[str, Any], where: str, schema: dict[str, type]) -> dict[str, Any]:
    """`item`'s values, each of its schema type (str, bool, or list of strings), text NFC."""
    unknown = sorted(set(item) - set(schema))
    if unknown:
        raise RulesError(f"{where}: {unknown[0]}: unknown key (known: {', '.join(schema)})")
    out: dict[str, Any] = {}
    for key, value in item.items():
        kind = schema[key]
        if kind is list and isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = tuple(squash(clean(v)) for v in value if v.strip())
        elif kind is str and isinstance(value, str) and value.strip():
            out[key] = squash(clean(value))
        elif kind is bool and isinstance(value, bool):
            out[key] = value
        else:
            what = {list: "a list of strings", str: "a non-empty string", bool: "true or false"}
            raise RulesError(f"{where}: {key}: must be {what[kind]}")
    if "name" not in out:
        raise RulesError(f"{where}: name: required")
    return out


def _named(item: dict[str, Any], where: str) -> str:
    """Where an entry is, named when it has a name: "...: [[agency]] #3 (Sở Y tế)"."""
    name = item.get("name")
    return f"{where} ({name})" if isinstance(name, str) else where


def _agency(item: dict[str, Any], where: str) -> Agency:
    where = _named(item, where)
    schema = {"name": str, "aliases": list, "email": str, "code": str, "eoffice": bool}
    values = _checked(item, where, schema)
    email = values.get("email")
    if email is not None and not _EMAIL.match(email):
        raise RulesError(f"{where}: email: {email!r} is not an email address")
    if email is None and not values.get("eoffice"):
        raise RulesError(
            f"{where}: email: required unless eoffice = true (else it receives nothing)"
        )
    return Agency(**values)


def _group(item: dict[str, Any], where: str) -> Group:
    where = _named(item, where)
    values = _checked(item, where, {"name": str, "aliases": list, "members": list})
    if not values.get("members"):
        raise RulesError(f"{where}: members: a group needs at least one member")
    return Group(values["name"], values.get("aliases", ()), values["members"])


# --- reading the lines ----------------------------------------------------------------------

_LEAD = re.compile(r"^[\W_]+")
# Why a copy goes there, at the end (on the folded text): "(b/c)", "(để biết)", "- t/h".
_NOTE = re.compile(
    r"\s*(?:\([^()]*\)?|[-–]\s*(?:de\s+)?(?:b\s*/\s*c|t\s*/\s*h|biet|bao cao|thuc hien)"
    r"|\bde\s+(?:b\s*/\s*c|t\s*/\s*h|biet|bao cao|thuc hien|chi dao|phoi hop))\s*[;,.:]*\s*$"
)
_AS_ABOVE = re.compile(r"^nhu\s*(?:tren|kinh gui)$")
_AS_ARTICLE = re.compile(r"^nhu\s*dieu\s*(\d+(?:\s*(?:,|;|va|&)\s*\d+)*)$")
# "Lưu: VT, VP" and OCR's "Luu VT", "Lưu hồ sơ", "Tưu: VF" (the first unit is always VT).
_ARCHIVE = re.compile(
    r"^(?:luu\s*(?::|$|(?:vt|van thu|hs|ho so)\b)|[lte]\w{1,3}\s*[:;.]?\s*v[tfil1]\b)"
)
_ARTICLE_HEAD = re.compile(r"(?m)^[\s*#]*dieu\s+(\d+)\s*[.:]")
_ARTICLE_END = re.compile(r"(?m)\./\.|^\W*noi nhan\s*:")  # the body's end
# Where the agencies charged with an article end: "... chịu trách nhiệm thi hành ...".
_PREDICATE = re.compile(
    r"\b(?:chiu trach nhiem|co trach nhiem|can cu quyet dinh|to chuc thuc hien|thi hanh)\b"
)
# Never at a plain "và": "Văn phòng HĐND và UBND huyện" is one agency; "và các ..." is not.
_PARTS = re.compile(r"\s*[,;]\s*|\s+và\s+(?=các\s)")
_LOCALITY = re.compile(r"\b(?:huyen|tinh|thi xa|thi tran|thanh pho|tp|xa|phuong|quan)\b.*$")
_LEADER = re.compile(r"^(?:tt\.?|thuong truc)\s")
_MAX_JOIN = 4  # parts of one name split at its commas: "UBND các huyện, thị xã, thành phố"


def _clean_line(text: str) -> str:
    """A line without its dash, trailing notes and punctuation (NFC, spaces squashed)."""
    text = _LEAD.sub("", squash(clean(text)))
    while (note := _NOTE.search(strip_aligned(text))) is not None and note.start() > 0:
        text = text[: note.start()]
    return text.rstrip(" ;,.:")


@dataclass
class _Tally:
    directory: Directory
    recipients: list[Recipient] = field(default_factory=list)
    own_copy: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    def add(self, entries: list[Entry], line: str) -> None:
        seen = {r.agency for r in self.recipients}
        for entry in entries:
            for agency in self.directory.expand(entry):
                if agency not in seen:
                    seen.add(agency)
                    self.recipients.append(Recipient(agency, line))

    def name(self, text: str) -> None:
        """A line naming agencies, in full or part by part; reported when a part is unknown."""
        entries, missed = _match(self.directory, _clean_line(text))
        self.add(entries, text)
        if missed:
            self.unmatched.append(text)

    def result(self) -> Resolution:
        return Resolution(tuple(self.recipients), tuple(self.own_copy), tuple(self.unmatched))


def resolve(
    recipients: Sequence[str],
    addressees: Sequence[str],
    body: str,
    directory: Directory,
    *,
    extra: Sequence[str] = (),
    replace: bool = False,
) -> Resolution:
    """The agencies to send to, the office's own copies and what matched nothing.

    The addressees come first unless a "Như trên" line places them; `extra` (names the
    clerk gave) come after the document's own, or alone with `replace`.
    """
    tally = _Tally(directory)
    keys = [loose_key(_clean_line(line)) for line in recipients]
    tally.own_copy = [
        _clean_line(r) for r, k in zip(recipients, keys, strict=True) if _ARCHIVE.match(k)
    ]
    if not replace:
        if not any(_AS_ABOVE.match(k) for k in keys):
            for name in addressees:
                tally.name(name)
        for line, key in zip(recipients, keys, strict=True):
            _line(tally, line, key, addressees, body)
    for name in extra:
        tally.name(name)
    return tally.result()


def _line(tally: _Tally, line: str, key: str, addressees: Sequence[str], body: str) -> None:
    if not key or _ARCHIVE.match(key):
        return
    if _AS_ABOVE.match(key):
        for name in addressees:
            tally.name(name)
        if not addressees:
            tally.unmatched.append(line)  # "Như trên" with no Kính gửi read
        return
    article = _AS_ARTICLE.match(key)
    if article is None:
        tally.name(line)
        return
    for number in re.findall(r"\d+", article.group(1)):
        text = _article(body, int(number))
        if text is None:
            tally.unmatched.append(line)
            return
        entries, missed = _match(tally.directory, text, prose=True)
        tally.add(entries, line)
        tally.unmatched += [f"{_clean_line(line)}: {part}" for part in missed]


def _article(body: str, number: int) -> str | None:
    """The agencies' part of Article `number` ("Điều 3.") of the body: from its start to
    "chịu trách nhiệm thi hành ..." (or its end), the decision's own article coming first."""
    folded = strip_aligned(body)
    ended = _ARTICLE_END.search(folded)  # past it: an appended regulation's own articles
    limit = ended.start() if ended else len(body)
    heads = [m for m in _ARTICLE_HEAD.finditer(folded) if m.start() < limit]
    start = next((m for m in heads if int(m.group(1)) == number), None)
    if start is None:
        return None
    end = next((m.start() for m in heads if m.start() > start.end()), limit)
    said = _PREDICATE.search(folded, start.end(), end)
    return squash(body[start.end() : said.start() if said else end].replace("*", ""))


def _match(
    directory: Directory, text: str, *, prose: bool = False
) -> tuple[list[Entry], list[str]]:
    """The entries `text` names: whole, else part by part (a name may span parts, and a
    shared "TT." or "huyện" is lent to the parts that lack it), and the runs of parts that
    name nothing. `prose` (an article): only runs that read like an agency count as missed."""
    whole = directory.find(text) if text else None
    if whole is not None:
        return [whole], []
    parts = [p for p in _PARTS.split(text) if p.strip()]
    tail = _LOCALITY.search(strip_aligned(parts[-1])) if parts else None
    suffix = parts[-1][tail.start() :] if tail else ""
    leader = _LEADER.match(strip_aligned(text))
    prefix = text[: leader.end()].strip() if leader else ""
    found: list[Entry] = []
    runs: list[list[str]] = [[]]
    i = 0
    while i < len(parts):
        for j in range(min(len(parts), i + _MAX_JOIN), i, -1):
            joined = ", ".join(parts[i:j])
            tries = dict.fromkeys(
                squash(f"{a} {joined} {b}") for a in ("", prefix) for b in ("", suffix)
            )
            hit = next((e for t in tries if (e := directory.find(t)) is not None), None)
            if hit is not None:
                found.append(hit)
                runs.append([])
                i = j
                break
        else:
            runs[-1].append(parts[i])
            i += 1
    missed = [", ".join(run) for run in runs if run]
    return found, [m for m in missed if not prose or agency_like(m)]
