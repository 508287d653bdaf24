"""Search over the registers: the register's fields and the documents' full text, best first.

A clerk types "quyet dinh" on a keyboard without Vietnamese input and expects "Quyết định";
she types "đăng ký" with marks and means exactly that. So every word is kept twice: *marked*
(NFC, lower case, the tone on one agreed place: hoà = hòa, see daemon.ocr.vntext) and *folded*
(`fold`: no marks at all, and đ -> d, which Unicode does not decompose). A query word written
without marks matches the folded words; one written with marks must match with its marks
(tone placement and case aside). Words are cut by Python on both back ends (a run of letters
and digits), so "123/QĐ-UBND" is the phrase "123 qđ ubnd" everywhere.

Each document is indexed twice:

- its *fields* (migration 0011), short: số và ký hiệu; tên loại and trích yếu; cơ quan ban
  hành and người ký; nơi nhận, kính gửi, and each entry's đơn vị nhận, người nhận and ghi chú.
  Python writes them, marked and folded, on both back ends alike: an FTS5 table on SQLite, a
  table with two tsvectors under GIN indexes on PostgreSQL, both named `search_fields`;
- the *whole document* (migration 0007): the fields and the full text. SQLite: an FTS5 table
  `search_fts`; PostgreSQL: a table `search_text` whose tsvectors fold with `unaccent`
  through the IMMUTABLE wrapper `vanthu_unaccent` (the `simple` configuration both times:
  there is no Vietnamese stemmer).

A search asks the fields first: the latest RANKED documents whose fields hold every term are
ranked in Python (`rank`: the number that is the query first, then where the terms are, then
the latest arrival), so both back ends give the same order. Only when these are fewer than
asked does it look in the full text, for the latest documents holding every term there. Both
back ends only ever walk a match list newest first and stop: a word found in most of the
register ("quyết định") no longer has every one of its tens of thousands of matches ranked
(bench/search.py: a p95 of 270 ms on 100,000 entries with bm25 over them all). When more than
RANKED documents match in their fields, only the latest RANKED were ranked, and the answer
says so (`Found.bounded`).

The code that writes a document or an entry calls `reindex` in its own transaction; secret
documents are never registered, so never indexed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, joinedload

import daemon.ocr.vntext as vntext

FTS_TABLE = "search_fts"  # SQLite: the whole document (migration 0007)
PG_TABLE = "search_text"  # PostgreSQL: the whole document (migration 0007)
FIELDS_TABLE = "search_fields"  # both: the fields (migration 0011)
#: The entries by (year, document_id), made by 0011 for the search alone: the first and last
#: document of a year bound its walk down the match lists.
YEAR_INDEX = "search_entries_year_idx"
#: What migrations 0007 and 0011 make beside the models (FTS5 keeps its own tables
#: `search_fts_*` and `search_fields_*`).
SCHEMA_OBJECTS = frozenset(
    {
        FTS_TABLE,
        PG_TABLE,
        FIELDS_TABLE,
        "search_text_marked_idx",
        "search_text_folded_idx",
        "search_fields_marked_idx",
        "search_fields_folded_idx",
        YEAR_INDEX,
    }
)
#: The two indexes, for `reindex_all`.
TEXT, FIELDS = "text", "fields"
#: The fields' groups, in the order they are kept, and what a term found in each is worth.
GROUPS = ("number", "subject", "sender", "receiver")
GROUP_WEIGHTS = (4, 4, 2, 1)
#: Between two groups in the kept fields: neither tokenizer makes a word of it.
GROUP_MARK = " | "
_CHUNK = 500  # documents per batch when (re)indexing
_WORD = re.compile(r"[^\W_]+")


# --- the fold ----------------------------------------------------------------------------


class _FoldTable(dict[int, str]):
    """vntext.strip_aligned one character at a time, each worked out once: `str.translate`
    through it folds a page of text ten times faster than folding character by character
    (snippets fold the full text of every hit)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = vntext.strip_aligned(chr(code))
        return folded


_FOLDED = _FoldTable()


def fold(text: str) -> str:
    """`text` lower-cased without Vietnamese diacritics, đ/Đ -> d: 'Quyết ĐỊNH' -> 'quyet dinh'.

    The one fold of the search, on both back ends (vntext.strip_aligned). One character in,
    one out, so a match found in the fold is at the same place in the text (`snippet` relies
    on it)."""
    return vntext.nfc(text).translate(_FOLDED)


def marked(text: str) -> str:
    """`text` lower-cased with its marks, the tone on the new place: 'Hoà BÌNH' -> 'hòa bình'."""
    return vntext.fold_tones(vntext.clean(text)).lower()


def words(text: str) -> list[str]:
    """The words of `text` as the index keeps them (marked): runs of letters and digits."""
    return _WORD.findall(marked(text))


def in_models(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic's `include_name`: the search objects are made by hand, not by the models."""
    if not name:
        return True
    made_by_hand = name in SCHEMA_OBJECTS or name.startswith((FTS_TABLE + "_", FIELDS_TABLE + "_"))
    return not made_by_hand


# --- the query ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query (or a phrase: "123/QĐ-UBND", or words in double quotes)."""

    words: tuple[str, ...]  # marked
    exact: bool  # written with marks: only matches with them

    @cached_property  # asked for each text a snippet looks at
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(w) for w in self.words)


class QueryError(ValueError):
    """A query with nothing to search for."""


_CHUNKS = re.compile(r'"([^"]*)"|(\S+)')


def parse(query: str) -> list[Term]:
    """The terms of `query`, all required. A term is exact when any of its letters carries a
    mark (or is đ): 'quyết dinh' requires 'quyết' with its marks and 'dinh' in any form."""
    terms = []
    for quoted, bare in _CHUNKS.findall(query):
        found = tuple(words(quoted or bare))
        if found:
            terms.append(Term(found, exact=any(fold(w) != w for w in found)))
    if not terms:
        raise QueryError(f"nothing to search for in {query!r}: give a word or a number")
    return terms


# --- the index ---------------------------------------------------------------------------

_documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("number", sa.String),
    sa.column("doc_type", sa.String),
    sa.column("subject", sa.Text),
    sa.column("parent_issuer", sa.String),
    sa.column("issuer", sa.String),
    sa.column("signer", sa.String),
    sa.column("recipients", sa.JSON),
    sa.column("addressees", sa.JSON),
    sa.column("text", sa.Text),
)
_entries = sa.table(
    "register_entries",
    sa.column("id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("book", sa.String),
    sa.column("year", sa.Integer),
    sa.column("received_at", sa.DateTime),
    sa.column("recipient_unit", sa.String),
    sa.column("assignee", sa.String),
    sa.column("note", sa.Text),
    sa.column("closing_note", sa.Text),
)
_fts = sa.table(
    FTS_TABLE,
    sa.column("rowid", sa.Integer),
    *(sa.column(c, sa.Text) for c in ("head", "body", "head_folded", "body_folded")),
)
_pg = sa.table(
    PG_TABLE,
    sa.column("document_id", sa.Integer),
    sa.column("head", sa.Text),
    sa.column("body", sa.Text),
    sa.column("marked", TSVECTOR),
    sa.column("folded", TSVECTOR),
)
_fields_fts = sa.table(
    FIELDS_TABLE, sa.column("rowid", sa.Integer), sa.column("marked"), sa.column("folded")
)
_fields_pg = sa.table(
    FIELDS_TABLE,
    sa.column("document_id", sa.Integer),
    sa.column("marked", sa.Text),
    sa.column("folded", sa.Text),
    sa.column("marked_vector", TSVECTOR),
    sa.column("folded_vector", TSVECTOR),
)
_HEAD = ("number", "doc_type", "subject")
_BODY = ("parent_issuer", "issuer", "signer", "recipients", "addressees")
_ENTRY = ("recipient_unit", "assignee", "note", "closing_note")
# The fields' groups (GROUPS), from the document's columns; the entries' columns go last.
_GROUPED = (("number",), ("doc_type", "subject"), ("parent_issuer", "issuer", "signer"))
_RECEIVER = ("recipients", "addressees")


@dataclass(frozen=True)
class Indexed:
    """What the indexes keep of one document, marked: its head and body (the whole
    document) and its fields (GROUPS, joined by GROUP_MARK)."""

    document_id: int
    head: str
    body: str
    fields: str


def _joined(values: Iterable[Any]) -> str:
    parts: list[str] = []
    for value in values:
        if isinstance(value, list | tuple):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return " ".join(words("\n".join(parts)))


def _collect(conn: Connection, ids: Sequence[int], with_text: bool) -> list[Indexed]:
    """Read what is indexed of these documents, with plain SQL on the columns as migration
    0007 found them (the models may have grown since). Without `with_text`, the head and
    body are left empty (the full text is the long part to read)."""
    entry_text: dict[int, list[Any]] = {}
    rows = conn.execute(
        sa.select(_entries.c.document_id, *(_entries.c[c] for c in _ENTRY))
        # by the unique key (book, document_id): there is no index on document_id alone
        .where(_entries.c.book.in_(["den", "di"]), _entries.c.document_id.in_(ids))
        .order_by(_entries.c.id)
    )
    for row in rows:
        entry_text.setdefault(row.document_id, []).extend(row[1:])
    columns = [c for c in _documents.c if with_text or c.name != "text"]
    found = conn.execute(
        sa.select(*columns).where(_documents.c.id.in_(ids)).order_by(_documents.c.id)
    )
    indexed = []
    for doc in found:
        entries = entry_text.get(doc.id, ())
        groups = [_joined(getattr(doc, c) for c in group) for group in _GROUPED]
        groups.append(_joined([*(getattr(doc, c) for c in _RECEIVER), *entries]))
        head = body = ""
        if with_text:
            head = _joined(getattr(doc, c) for c in _HEAD)
            body = _joined([*(getattr(doc, c) for c in _BODY), *entries, doc.text])
        indexed.append(Indexed(doc.id, head, body, GROUP_MARK.join(groups)))
    return indexed


def _write(conn: Connection, ids: Sequence[int], indexes: Collection[str]) -> None:
    """Replace the rows of `ids` in `indexes` (TEXT, FIELDS) with what the register holds."""
    rows = _collect(conn, ids, with_text=TEXT in indexes)
    postgres = conn.dialect.name == "postgresql"
    if TEXT in indexes and postgres:
        conn.execute(sa.delete(_pg).where(_pg.c.document_id.in_(ids)))
        if rows:
            conn.execute(
                sa.insert(_pg),
                [{"document_id": r.document_id, "head": r.head, "body": r.body} for r in rows],
            )
    elif TEXT in indexes:
        conn.execute(sa.delete(_fts).where(_fts.c.rowid.in_(ids)))
        if rows:
            conn.execute(
                sa.insert(_fts),
                [
                    {
                        "rowid": r.document_id,
                        "head": r.head,
                        "body": r.body,
                        "head_folded": fold(r.head),
                        "body_folded": fold(r.body),
                    }
                    for r in rows
                ],
            )
    if FIELDS in indexes:
        table = _fields_pg if postgres else _fields_fts
        key = table.c.document_id if postgres else table.c.rowid
        conn.execute(sa.delete(table).where(key.in_(ids)))
        if rows:
            conn.execute(
                sa.insert(table),
                [
                    {key.name: r.document_id, "marked": r.fields, "folded": fold(r.fields)}
                    for r in rows
                ],
            )


def reindex(session: Session, document_id: int) -> None:
    """Bring the indexes of one document up to date with its fields, text and entries, in
    the session's transaction. Call it after any change to them (registration, the full
    text, a clerk's correction, an assignment, a closing note)."""
    session.flush()
    _write(session.connection(), [document_id], (TEXT, FIELDS))


def reindex_all(conn: Connection, indexes: Collection[str] = (TEXT, FIELDS)) -> int:
    """Index every document (a migration's backfill; a rebuild) in `indexes`, as the schema
    stands at that migration. How many were indexed."""
    ids = list(conn.execute(sa.select(_documents.c.id).order_by(_documents.c.id)).scalars())
    for start in range(0, len(ids), _CHUNK):
        _write(conn, ids[start : start + _CHUNK], indexes)
    return len(ids)


# --- ranking -----------------------------------------------------------------------------


def rank(terms: Sequence[Term], fields: str, folded: str) -> tuple[int, int, int]:
    """How well a document's fields (as kept: marked, and their fold) answer `terms`, larger
    is better: (1 when the number is the query, as "12/QĐ-UBND" is 12/QĐ-UBND; the weight
    (GROUP_WEIGHTS) of the best group holding the whole query as it was typed, one word
    after the other, as "Sở Tài chính" in SỞ TÀI CHÍNH and not in Sở Tài nguyên ... chính
    sách; the sum over the terms of the weight of the best group holding each). The same
    Python on both back ends, so they give the same order."""
    return _Ranking(terms).of(fields, folded)


class _Ranking:
    """`rank` for one query over many documents: the terms' needles made once."""

    def __init__(self, terms: Sequence[Term]) -> None:
        # (padded phrase, in the marked fields?): a word's spaces either side, so that
        # "12 qđ ubnd" is not found in "112 qđ ubnd"
        self.needles = [(_padded(t.words if t.exact else t.folded), t.exact) for t in terms]
        # the whole query: with its marks when every term has them
        every = all(t.exact for t in terms)
        self.whole = (_padded([w for t in terms for w in (t.words if every else t.folded)]), every)
        self.words = sum(len(t.words) for t in terms)

    def of(self, fields: str, folded: str) -> tuple[int, int, int]:
        marked, loose = f" {fields} ", f" {folded} "
        total = in_number = 0
        for needle, exact in self.needles:
            group = _group(marked if exact else loose, needle)
            if group is not None:
                total += GROUP_WEIGHTS[group]
                in_number += group == 0
        needle, exact = self.whole
        group = _group(marked if exact else loose, needle)
        whole = GROUP_WEIGHTS[group] if group is not None else 0
        number = fields.split(GROUP_MARK, 1)[0]
        is_number = in_number == len(self.needles) and len(number.split()) == self.words
        return int(is_number), whole, total


def _padded(words_: Sequence[str]) -> str:
    return " " + " ".join(words_) + " "


def _group(kept: str, needle: str) -> int | None:
    """The first group of the kept fields (padded) holding `needle`: the groups go by
    weight, so the first is the best."""
    at = kept.find(needle)
    if at < 0:
        return None
    return min(kept.count(GROUP_MARK, 0, at + 1), len(GROUP_WEIGHTS) - 1)


# --- searching ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One register entry that matched, with a piece of text around the first match."""

    book: str
    year: int
    seq: int  # số đến / số đi
    received_at: dt.datetime  # aware UTC
    document_id: int
    number: str | None
    doc_type: str | None
    subject: str | None
    issuer: str | None
    snippet: str

    def as_json(self) -> dict[str, Any]:
        return {
            "book": self.book,
            "year": self.year,
            "seq": self.seq,
            "received_at": self.received_at.isoformat(),
            "document_id": self.document_id,
            "number": self.number,
            "doc_type": self.doc_type,
            "subject": self.subject,
            "issuer": self.issuer,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class Found:
    """A search's answer: the hits, best first, and whether their ranking was bounded: more
    than `ranked` documents matched in their fields, and only the latest `ranked` of them
    competed (an older one may be as good; narrow the search to reach it)."""

    hits: list[Hit]
    bounded: bool
    ranked: int


RANKED = 500  # the latest documents matching in their fields that are ranked


def search(
    session: Session,
    query: str,
    *,
    book: str | None = None,
    year: int | None = None,
    limit: int = 20,
) -> list[Hit]:
    """The entries whose document matches every term of `query`, best first (see `find`)."""
    return find(session, query, book=book, year=year, limit=limit).hits


def find(
    session: Session,
    query: str,
    *,
    book: str | None = None,
    year: int | None = None,
    limit: int = 20,
) -> Found:
    """The entries (of `book`, of `year`) whose document matches every term of `query`, at
    most `limit`, best first: documents holding every term in their fields, ranked (`rank`,
    then the latest arrival), among the latest RANKED of them; then, when these are fewer
    than `limit`, documents holding them only with the full text, the latest first."""
    from daemon.register.models import Entry

    if limit < 1:
        raise QueryError(f"limit must be 1 or more, got {limit}")
    terms = parse(query)
    conn = session.connection()
    scope = _Scope([book] if book else ["den", "di"], year, _year_span(conn, year))
    window = max(RANKED, limit)
    if year is not None and scope.span == (None, None):  # no entry in that year
        return Found([], False, window)
    candidates = _fields_matching(conn, terms, scope, window + 1)
    bounded = len(candidates) > window
    ranking = _Ranking(terms)
    scored = [(ranking.of(m, f), i) for i, m, f in candidates[:window]]
    documents = [i for _, i in sorted(scored, reverse=True)][:limit]
    if len(documents) < limit:
        documents += _text_matching(conn, terms, scope, limit - len(documents), documents)
    # Each document's entries (sổ đến and sổ đi), the latest first, in the documents' order.
    loaded = sa.select(Entry).where(Entry.document_id.in_(documents), Entry.book.in_(scope.books))
    if year is not None:
        loaded = loaded.where(Entry.year == year)
    place = {d: n for n, d in enumerate(documents)}
    entries = sorted(
        session.scalars(loaded.options(joinedload(Entry.document))),
        key=lambda e: (place[e.document_id], -e.received_at.timestamp(), -e.id),
    )
    in_fields = {i for _, i in scored}
    hits = [_hit(e, terms, e.document_id in in_fields) for e in entries[:limit]]
    return Found(hits, bounded, window)


@dataclass(frozen=True)
class _Scope:
    """Which entries a search looks at: of these books, of this year (whose documents' ids
    lie in `span`, when a year is asked for)."""

    books: list[str]
    year: int | None
    span: tuple[int | None, int | None]

    def holds(self, document_id: Any) -> Any:
        """The document has an entry in scope: a probe by the entries' index on document_id
        for each match walked, the walk bounded by the year's first and last document."""
        entry = sa.select(_entries.c.id).where(
            _entries.c.document_id == document_id, _entries.c.book.in_(self.books)
        )
        if self.year is None:
            return entry.exists()
        low, high = self.span
        entry = entry.where(_entries.c.year == self.year)
        return sa.and_(document_id.between(low, high), entry.exists())


def _year_span(conn: Connection, year: int | None) -> tuple[int | None, int | None]:
    """The first and last document with an entry in `year` (YEAR_INDEX); (None, None) when
    it has none, or no year was asked for."""
    if year is None:
        return None, None
    # Two subqueries, so that each reads one end of the index (min and max in one select
    # would read the whole year).
    low, high = (
        sa.select(end(_entries.c.document_id)).where(_entries.c.year == year).scalar_subquery()
        for end in (sa.func.min, sa.func.max)
    )
    row = conn.execute(sa.select(low, high)).one()
    return row[0], row[1]


def _fields_matching(
    conn: Connection, terms: list[Term], scope: _Scope, n: int
) -> list[tuple[int, str, str]]:
    """The latest `n` documents whose fields hold every term: (id, fields, folded fields).
    Without a term written with marks, the fields are not read marked (`rank` does not look
    at them then): on SQLite, the folded ones stand in."""
    if conn.dialect.name == "postgresql":
        loose = [t.folded for t in terms if not t.exact]
        exact = [t.words for t in terms if t.exact]

        def pg_match(c: Any) -> Any:
            found = []
            if loose:
                found.append(c.folded_vector.op("@@")(_tsquery(loose, unaccent=False)))
            if exact:
                found.append(c.marked_vector.op("@@")(_tsquery(exact, unaccent=False)))
            return sa.and_(*found)

        vectors = ("marked_vector", "folded_vector")
        rows = _pg_latest(conn, _fields_pg, ("marked", "folded"), vectors, pg_match, scope, n)
    else:
        key = _fields_fts.c.rowid
        marked = "marked" if any(t.exact for t in terms) else "folded"
        stmt = sa.select(key, _fields_fts.c[marked], _fields_fts.c.folded).where(
            _match(FIELDS_TABLE, terms, "{marked}", "{folded}"), scope.holds(key)
        )
        rows = conn.execute(stmt.order_by(key.desc()).limit(n)).all()
    return [(row[0], row[1], row[2]) for row in rows]


def _text_matching(
    conn: Connection,
    terms: list[Term],
    scope: _Scope,
    n: int,
    exclude: Collection[int],
) -> list[int]:
    """The latest `n` documents holding every term somewhere, those in `exclude` aside."""
    if conn.dialect.name == "postgresql":
        loose = [t.words for t in terms if not t.exact]
        exact = [t.words for t in terms if t.exact]

        def pg_match(c: Any) -> Any:
            found = []
            if loose:
                found.append(c.folded.op("@@")(_tsquery(loose, unaccent=True)))
            if exact:
                found.append(c.marked.op("@@")(_tsquery(exact, unaccent=False)))
            return sa.and_(*found)

        rows = _pg_latest(conn, _pg, (), ("marked", "folded"), pg_match, scope, n, exclude)
        return [row[0] for row in rows]
    key = _fts.c.rowid
    marked_in, folded_in = "{head body}", "{head_folded body_folded}"
    stmt = sa.select(key).where(_match(FTS_TABLE, terms, marked_in, folded_in), scope.holds(key))
    if exclude:
        stmt = stmt.where(key.not_in(sorted(exclude)))
    return list(conn.execute(stmt.order_by(key.desc()).limit(n)).scalars())


#: PostgreSQL: the latest documents walked before the GIN index is asked, per index (the
#: whole document's vectors are long to read), and how much wider each next range is.
PG_WALK = {FIELDS_TABLE: 2000, PG_TABLE: 200}
PG_WIDER = 4


def _pg_latest(
    conn: Connection,
    table: Any,
    columns: Sequence[str],
    vectors: Sequence[str],
    match: Callable[[Any], Any],
    scope: _Scope,
    n: int,
    exclude: Collection[int] = (),
) -> Sequence[Any]:
    """The latest `n` rows of `table` (document_id, `columns`) that `match` (on `vectors`)
    and are in `scope`, those in `exclude` aside.

    PostgreSQL plans "ORDER BY document_id DESC LIMIT n" as a walk down the primary key
    testing each row, which stops early for a word in most documents but tests them all for
    a word in none (4 s on the bench's 100,000 entries), and the planner cannot tell them
    apart; taking every match from the GIN index instead reads thousands of rows for a
    common word (250 ms). So: walk the latest PG_WALK documents; when fewer than `n` of them
    match, take the matches from the GIN index among the latest documents of ranges
    PG_WIDER times wider each time, until one holds `n` of them or the range is the whole
    index. Each step's answer is exact for its range, so the first that has `n` is the
    answer, and the rows read stay near `n` whatever the word."""
    key = table.c.document_id

    def latest(source: Any, matched: bool) -> sa.Select[Any]:
        own = source.c.document_id
        stmt = sa.select(own, *(source.c[c] for c in columns)).where(scope.holds(own))
        if not matched:
            stmt = stmt.where(match(source.c))
        if exclude:
            stmt = stmt.where(own.not_in(sorted(exclude)))
        return stmt.order_by(own.desc()).limit(n)

    low, high = scope.span
    if low is None or high is None:
        low, high = conn.execute(sa.select(sa.func.min(key), sa.func.max(key))).one()
        if low is None or high is None:
            return []
    walk = PG_WALK[table.name]
    wanted = [key, *(table.c[c] for c in {*columns, *vectors})]
    recent = sa.select(*wanted).where(key.between(low, high)).order_by(key.desc()).limit(walk)
    found = conn.execute(latest(recent.subquery(), matched=False)).all()
    width = walk
    while len(found) < n and high - width >= low:
        width *= PG_WIDER
        floor = max(low, high - width + 1)
        matches = sa.select(key, *(table.c[c] for c in columns)).where(
            match(table.c), key.between(floor, high)
        )
        found = conn.execute(latest(matches.cte("matches").prefix_with("MATERIALIZED"), True)).all()
    return found


def _match(table: str, terms: list[Term], marked_in: str, folded_in: str) -> Any:
    """An FTS5 MATCH of every term: a phrase of its marked words in the columns `marked_in`,
    or of its folded words in `folded_in`. The words are letters and digits: nothing to
    quote."""

    def phrase(term: Term) -> str:
        if term.exact:
            return f'{marked_in} : "{" ".join(term.words)}"'
        return f'{folded_in} : "{" ".join(term.folded)}"'

    query = " AND ".join(phrase(t) for t in terms)
    return sa.literal_column(table).op("MATCH")(sa.literal(query))


def _tsquery(phrases: Iterable[Sequence[str]], unaccent: bool) -> Any:
    """Every phrase (its words, marked or folded), as one tsquery; the words folded by
    `unaccent` first for the whole document's folded vector."""
    query: Any = None
    for words_ in phrases:
        text = " ".join(words_)
        arg: Any = sa.func.vanthu_unaccent(text) if unaccent else sa.literal(text)
        one = sa.func.phraseto_tsquery(sa.literal_column("'simple'::regconfig"), arg)
        query = one if query is None else query.op("&&")(one)
    return query


def _hit(entry: Any, terms: list[Term], in_fields: bool) -> Hit:
    """The entry as a hit; its snippet from what the line does not show already (the subject
    and number last), and from the full text first only when the fields did not match: a
    document's text is long to search again. Among the fields, one holding the query as it
    was typed comes first ("Quyết định", not the "ĐỊNH" of BÌNH ĐỊNH)."""
    document = entry.document
    fields = [
        document.issuer,
        document.signer,
        *document.recipients,
        *document.addressees,
        entry.recipient_unit,
        entry.assignee,
        entry.note,
        entry.closing_note,
        document.subject,
        document.number,
        document.doc_type,
    ]
    texts = [*fields, document.text] if in_fields else [document.text, *fields]
    shown = ""
    if in_fields and len(terms) > 1:  # the field holding the query as typed, if one does
        whole = Term(tuple(w for t in terms for w in t.words), all(t.exact for t in terms))
        shown = snippet(fields, [whole])
    return Hit(
        book=entry.book,
        year=entry.year,
        seq=entry.seq,
        received_at=entry.received_at,
        document_id=document.id,
        number=document.number,
        doc_type=document.doc_type,
        subject=document.subject,
        issuer=document.issuer,
        snippet=shown or snippet(texts, terms),
    )


# --- snippets ----------------------------------------------------------------------------


def snippet(texts: Iterable[str | None], terms: Sequence[Term], width: int = 40) -> str:
    """About `width` characters either side of the first match in the first of `texts` that
    has one, on one line; '' when none has (the index also holds fields not shown here)."""
    for text in texts:
        if not text:
            continue
        text = vntext.nfc(text)
        span = _first_match(text, terms)
        if span is not None:
            start, end = max(0, span[0] - width), min(len(text), span[1] + width)
            while start > 0 and not text[start - 1].isspace():  # whole words only
                start -= 1
            while end < len(text) and not text[end].isspace():
                end += 1
            cut = vntext.squash(text[start:end])
            return ("…" if start else "") + cut + ("…" if end < len(text) else "")
    return ""


def _first_match(text: str, terms: Sequence[Term]) -> tuple[int, int] | None:
    """Where the earliest term matches in `text` (NFC), as the index would match it."""
    loose = fold(text)  # same length as text
    if not any(t.folded[0] in loose for t in terms):  # no term's first word: no match
        return None
    exact = vntext.fold_tones(text).lower() if any(t.exact for t in terms) else ""
    if len(exact) != len(text):  # a letter that lower-cases to two: look loosely
        exact = ""
    best: tuple[int, int] | None = None
    for term in terms:
        if term.exact and exact:
            found = _phrase(term.words).search(exact)
        else:
            found = _phrase(term.folded).search(loose)
        if found and (best is None or found.start() < best[0]):
            best = found.span()
    return best


def _phrase(parts: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, parts)) + r"(?![^\W_])")
