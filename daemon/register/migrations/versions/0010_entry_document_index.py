"""An index on the register's entries by their document: the desk's review queue joins the
documents needing review to their entries, and without it SQLite walked every entry for each
such document (50,000 entries, 1,000 to review: 7-10 s a page; with it, about 40 ms)."""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_register_entries_document_id", "register_entries", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_register_entries_document_id", table_name="register_entries")
