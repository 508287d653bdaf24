"""Search over the registers (daemon/register/search.py): on SQLite an FTS5 table of each
document's words, marked and folded; on PostgreSQL a table of its words with two generated
tsvectors (marked, and folded by `unaccent`) under GIN indexes. The documents already in the
register are indexed by the upgrade.

PostgreSQL needs the `unaccent` extension (Debian ships it with the server, in
postgresql-NN; it is a trusted extension, so the database's owner may create it).
"""

from alembic import op
from sqlalchemy.engine import Connection

from daemon.register import search

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Python folds and cuts the words (search.fold, search.words): FTS5 must keep them as given.
SQLITE = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    head, body, head_folded, body_folded, tokenize = 'unicode61 remove_diacritics 0'
)
"""

# unaccent() is STABLE (its dictionary could change); a generated column and an index need
# an IMMUTABLE function, which naming the dictionary makes safe enough (the usual wrapper).
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION vanthu_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$
"""
PG_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, {fold}(head)), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, {fold}(body)), 'B')"
)
PG_TABLE = f"""
CREATE TABLE search_text (
    document_id integer PRIMARY KEY REFERENCES documents (id),
    head text NOT NULL,
    body text NOT NULL,
    marked tsvector GENERATED ALWAYS AS ({PG_VECTOR.format(fold="")}) STORED,
    folded tsvector GENERATED ALWAYS AS ({PG_VECTOR.format(fold="vanthu_unaccent")}) STORED
)
"""
PG_INDEXES = (
    "CREATE INDEX search_text_marked_idx ON search_text USING gin (marked)",
    "CREATE INDEX search_text_folded_idx ON search_text USING gin (folded)",
)


def _unaccent_schema(conn: Connection) -> str:
    """Create the extension when missing; the schema it lives in."""
    available = conn.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"
    ).scalar()
    if not available:
        raise RuntimeError(
            "search needs PostgreSQL's unaccent extension, which this server does not have: "
            "install the server's contrib files (Debian: postgresql-NN) and upgrade again"
        )
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema = conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'"
    ).scalar_one()
    return '"' + schema.replace('"', '""') + '"'


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(PG_FUNCTION.format(schema=_unaccent_schema(conn)))
        conn.exec_driver_sql(PG_TABLE)
        for statement in PG_INDEXES:
            conn.exec_driver_sql(statement)
    else:
        conn.exec_driver_sql(SQLITE)
    search.reindex_all(conn, [search.TEXT])  # the fields' index came with 0011


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TABLE search_text")
        conn.exec_driver_sql("DROP FUNCTION vanthu_unaccent(text)")
    else:
        conn.exec_driver_sql("DROP TABLE search_fts")
