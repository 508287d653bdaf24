"""Search asks the register's fields first (daemon/register/search.py): a small index of each
document's number, type and subject, issuer and signer, recipients, units and notes, the
same on both back ends (Python writes the words marked and folded), beside the index of the
whole document made by 0007, and an index of the entries by year for a search of one year.
The documents already in the register are indexed by the upgrade; the whole-document index
is left as it is.

Why: a word found in most of the register had every one of its matches ranked over the
whole text (bench/search.py: SQLite p95 270 ms on 100,000 entries, PostgreSQL above 1 s).
"""

from alembic import op

from daemon.register import search

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Python folds and cuts the words (search.fold, search.words): FTS5 must keep them as given.
SQLITE = """
CREATE VIRTUAL TABLE search_fields USING fts5(
    marked, folded, tokenize = 'unicode61 remove_diacritics 0'
)
"""

# Both columns are Python's words: no unaccent here, so both back ends match the same words.
PG_TABLE = """
CREATE TABLE search_fields (
    document_id integer PRIMARY KEY REFERENCES documents (id),
    marked text NOT NULL,
    folded text NOT NULL,
    marked_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, marked)) STORED,
    folded_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED
)
"""
PG_INDEXES = (
    "CREATE INDEX search_fields_marked_idx ON search_fields USING gin (marked_vector)",
    "CREATE INDEX search_fields_folded_idx ON search_fields USING gin (folded_vector)",
)
# A search for one year walks the match lists only between the year's first and last
# document (search.YEAR_INDEX; the search's own, so not in the models).
YEAR_INDEX = "CREATE INDEX search_entries_year_idx ON register_entries (year, document_id)"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(PG_TABLE)
        for statement in PG_INDEXES:
            conn.exec_driver_sql(statement)
    else:
        conn.exec_driver_sql(SQLITE)
    conn.exec_driver_sql(YEAR_INDEX)
    search.reindex_all(conn, [search.FIELDS])


def downgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("DROP INDEX search_entries_year_idx")
    conn.exec_driver_sql("DROP TABLE search_fields")
