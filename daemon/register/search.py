"""Search over the registers: the register's fields and the documents' full text, best first.

A clerk types "quyet dinh" on a keyboard without Vietnamese input and expects "Quyết định";
she types "đăng ký" with marks and means exactly that. So every word is kept twice: *marked*
(NFC, lower case, the tone on one agreed place: hoà = hòa, see daemon.ocr.vntext) and *folded*
(`fold`: no marks at all, and đ -> d, which Unicode does not decompose). A query word written
without marks matches the folded words; one written with marks must match with its marks
(tone placement and case aside). Words are cut by Python on both back ends (a run of letters
and digits), so "123/QĐ-UBND" is the phrase "123 qđ ubnd" everywhere.

Each document is indexed once, in two parts: the *head* (số và ký hiệu, tên loại, trích yếu),
weighted ten times the *body* (cơ quan ban hành, người ký, nơi nhận, kính gửi, each entry's
đơn vị nhận, người nhận and ghi chú, and the full text).

- SQLite: an FTS5 table `search_fts` (rowid = the document's id) holding head, body and their
  folds as Python made them; ranked by bm25.
- PostgreSQL: a table `search_text` holding head and body with two generated tsvectors, marked
  and folded by `unaccent` through the IMMUTABLE wrapper `vanthu_unaccent` (GIN indexes, the
  `simple` configuration: there is no Vietnamese stemmer); ranked by ts_rank.

Migration 0007 makes them. The code that writes a document or an entry calls `reindex` in its
own transaction; secret documents are never registered, so never indexed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, joinedload

import daemon.ocr.vntext as vntext

FTS_TABLE = "search_fts"  # SQLite
PG_TABLE = "search_text"  # PostgreSQL
#: What migration 0007 makes beside the models (FTS5 keeps its own tables `search_fts_*`).
SCHEMA_OBJECTS = frozenset(
    {FTS_TABLE, PG_TABLE, "search_text_marked_idx", "search_text_folded_idx"}
)
HEAD_WEIGHT, BODY_WEIGHT = 10.0, 1.0
_CHUNK = 500  # documents per batch when (re)indexing
_WORD = re.compile(r"[^\W_]+")


# --- the fold ----------------------------------------------------------------------------


def fold(text: str) -> str:
    """`text` lower-cased without Vietnamese diacritics, đ/Đ -> d: 'Quyết ĐỊNH' -> 'quyet dinh'.

    The one fold of the search, on both back ends. One character in, one out, so a match
    found in the fold is at the same place in the text (`snippet` relies on it)."""
    return vntext.strip_aligned(text)


def marked(text: str) -> str:
    """`text` lower-cased with its marks, the tone on the new place: 'Hoà BÌNH' -> 'hòa bình'."""
    return vntext.fold_tones(vntext.clean(text)).lower()


def words(text: str) -> list[str]:
    """The words of `text` as the index keeps them (marked): runs of letters and digits."""
    return _WORD.findall(marked(text))


def in_models(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic's `include_name`: the search objects are made by hand, not by the models."""
    return not (name and (name in SCHEMA_OBJECTS or name.startswith(FTS_TABLE + "_")))


# --- the query ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query (or a phrase: "123/QĐ-UBND", or words in double quotes)."""

    words: tuple[str, ...]  # marked
    exact: bool  # written with marks: only matches with them

    @property
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
_HEAD = ("number", "doc_type", "subject")
_BODY = ("parent_issuer", "issuer", "signer", "recipients", "addressees")
_ENTRY = ("recipient_unit", "assignee", "note", "closing_note")


@dataclass(frozen=True)
class Indexed:
    """What the index keeps of one document: its head and body words, marked."""

    document_id: int
    head: str
    body: str


def _joined(values: Iterable[Any]) -> str:
    parts: list[str] = []
    for value in values:
        if isinstance(value, list | tuple):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return " ".join(words("\n".join(parts)))


def _collect(conn: Connection, ids: Sequence[int]) -> list[Indexed]:
    """Read what is indexed of these documents, with plain SQL on the columns as migration
    0007 found them (the models may have grown since)."""
    entry_text: dict[int, list[Any]] = {}
    rows = conn.execute(
        sa.select(_entries.c.document_id, *(_entries.c[c] for c in _ENTRY))
        # by the unique key (book, document_id): there is no index on document_id alone
        .where(_entries.c.book.in_(["den", "di"]), _entries.c.document_id.in_(ids))
        .order_by(_entries.c.id)
    )
    for row in rows:
        entry_text.setdefault(row.document_id, []).extend(row[1:])
    found = conn.execute(
        sa.select(_documents).where(_documents.c.id.in_(ids)).order_by(_documents.c.id)
    )
    return [
        Indexed(
            document_id=doc.id,
            head=_joined(getattr(doc, c) for c in _HEAD),
            body=_joined(
                [*(getattr(doc, c) for c in _BODY), *entry_text.get(doc.id, ()), doc.text]
            ),
        )
        for doc in found
    ]


def _write(conn: Connection, ids: Sequence[int]) -> None:
    """Replace the index rows of `ids` with what the register now holds."""
    rows = _collect(conn, ids)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.delete(_pg).where(_pg.c.document_id.in_(ids)))
        if rows:
            conn.execute(
                sa.insert(_pg),
                [{"document_id": r.document_id, "head": r.head, "body": r.body} for r in rows],
            )
        return
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


def reindex(session: Session, document_id: int) -> None:
    """Bring the index of one document up to date with its fields, text and entries, in the
    session's transaction. Call it after any change to them (registration, the full text,
    a clerk's correction, an assignment)."""
    session.flush()
    _write(session.connection(), [document_id])


def reindex_all(conn: Connection) -> int:
    """Index every document (the migration's backfill; a rebuild). How many were indexed."""
    ids = list(conn.execute(sa.select(_documents.c.id).order_by(_documents.c.id)).scalars())
    for start in range(0, len(ids), _CHUNK):
        _write(conn, ids[start : start + _CHUNK])
    return len(ids)


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


RANKED = 1000  # the latest matching documents that are ranked (see `search`)


def search(
    session: Session,
    query: str,
    *,
    book: str | None = None,
    year: int | None = None,
    limit: int = 20,
) -> list[Hit]:
    """The entries whose document matches every term of `query`, best first (a match in the
    number or subject above one in the body; ties: the latest arrival first) among the
    latest RANKED documents that match: a word found in most of the register ("quyết định")
    would otherwise have every one of tens of thousands of matches ranked (bench/search.py:
    a p95 of 270 ms on 100,000 entries), and a clerk looking for it wants the recent ones."""
    from daemon.register.models import Entry

    if limit < 1:
        raise QueryError(f"limit must be 1 or more, got {limit}")
    terms = parse(query)
    ranked = _ranked(session.connection(), terms, book, year, limit)
    loaded = sa.select(Entry).where(Entry.id.in_(ranked)).options(joinedload(Entry.document))
    found = {e.id: e for e in session.scalars(loaded)}
    return [_hit(found[i], terms) for i in ranked if i in found]


def _ranked(
    conn: Connection, terms: list[Term], book: str | None, year: int | None, limit: int
) -> list[int]:
    books = [book] if book else ["den", "di"]
    # Only documents of the books and year asked for compete for the RANKED places.
    wanted = None
    if book or year:
        wanted = sa.select(_entries.c.document_id).where(_entries.c.book.in_(books))
        if year:
            wanted = wanted.where(_entries.c.year == year)
    postgres = conn.dialect.name == "postgresql"
    hits = _pg_hits(terms, wanted) if postgres else _sqlite_hits(terms, wanted)
    # The matches first, then their entries: by (book, document_id), the unique key's index
    # (SQLite would otherwise run the full-text query once per entry).
    stmt = sa.select(_entries.c.id).join(
        hits, (_entries.c.book.in_(books)) & (_entries.c.document_id == hits.c.document_id)
    )
    if year:
        stmt = stmt.where(_entries.c.year == year)
    stmt = stmt.order_by(hits.c.rank, _entries.c.received_at.desc(), _entries.c.id.desc())
    return list(conn.execute(stmt.limit(limit)).scalars())


def _sqlite_hits(terms: list[Term], wanted: sa.Select[Any] | None) -> sa.CTE:
    def phrase(term: Term) -> str:
        columns = "{head body}" if term.exact else "{head_folded body_folded}"
        return f'{columns} : "{" ".join(term.words if term.exact else term.folded)}"'

    table: Any = sa.literal_column(FTS_TABLE)
    weights = (HEAD_WEIGHT, BODY_WEIGHT) * 2
    rank = sa.func.bm25(table, *weights)  # smaller is better
    match = table.op("MATCH")(" AND ".join(phrase(t) for t in terms))
    # Only the latest matches are ranked: FTS5 walks a match list newest first and stops.
    latest = sa.select(_fts.c.rowid.label("id")).where(match)
    if wanted is not None:
        latest = latest.where(_fts.c.rowid.in_(wanted))
    recent = latest.order_by(_fts.c.rowid.desc()).limit(RANKED).subquery()
    floor = sa.select(sa.func.min(recent.c.id)).scalar_subquery()
    return (
        sa.select(_fts.c.rowid.label("document_id"), rank.label("rank"))
        .where(match, _fts.c.rowid >= floor)
        .cte("hits")
        .prefix_with("MATERIALIZED")
    )


def _tsquery(phrases: Iterable[str], unaccent: bool) -> Any:
    query: Any = None
    for text in phrases:
        arg: Any = sa.func.vanthu_unaccent(text) if unaccent else text
        one = sa.func.phraseto_tsquery(sa.literal_column("'simple'::regconfig"), arg)
        query = one if query is None else query.op("&&")(one)
    return query


def _pg_hits(terms: list[Term], wanted: sa.Select[Any] | None) -> sa.CTE:
    loose = [" ".join(t.words) for t in terms if not t.exact]
    exact = [" ".join(t.words) for t in terms if t.exact]
    # ts_rank's weights are {D, C, B, A}: the body is B, the head A (as bm25's weights).
    weights: Any = sa.literal_column(f"'{{0, 0, {BODY_WEIGHT / HEAD_WEIGHT}, 1}}'::float4[]")
    everything = _tsquery((" ".join(t.words) for t in terms), unaccent=True)
    # negated, so that smaller is better on both back ends; 1: divided by 1 + log(length)
    rank = -sa.func.ts_rank(weights, _pg.c.folded, everything, 1)
    matching = sa.select(_pg.c.document_id)
    if loose:
        matching = matching.where(_pg.c.folded.op("@@")(_tsquery(loose, unaccent=True)))
    if exact:
        matching = matching.where(_pg.c.marked.op("@@")(_tsquery(exact, unaccent=False)))
    # Only the latest matches are ranked: ts_rank reads each match's vector, and a word in
    # most documents would have it read tens of thousands of them.
    if wanted is not None:
        matching = matching.where(_pg.c.document_id.in_(wanted))
    recent = matching.order_by(_pg.c.document_id.desc()).limit(RANKED).subquery()
    stmt = sa.select(_pg.c.document_id, rank.label("rank")).where(
        _pg.c.document_id.in_(sa.select(recent.c.document_id))
    )
    return stmt.cte("hits")


def _hit(entry: Any, terms: list[Term]) -> Hit:
    document = entry.document
    texts = [
        document.text,
        document.issuer,
        document.signer,
        *document.recipients,
        *document.addressees,
        entry.recipient_unit,
        entry.assignee,
        entry.note,
        document.subject,
        document.number,
        document.doc_type,
    ]
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
        snippet=snippet(texts, terms),
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
    exact = vntext.fold_tones(text).lower()
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
