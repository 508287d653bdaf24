"""The outgoing register: deliveries (one row per document and recipient agency), the number
of copies in the sổ đi, and the "Kính gửi" addressees read from a document."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STATUSES = (
    "queued",
    "sending",
    "sent",
    "deferred",
    "uncertain",
    "bounced",
    "failed",
    "eoffice",
    "held",
)


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("addressees", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    op.add_column("register_entries", sa.Column("copies", sa.Integer(), nullable=True))
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("queue_id", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")",
            name="ck_delivery_status",
        ),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "recipient", name="uq_delivery_recipient"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_deliveries_status", "deliveries", ["status"])
    op.create_index("ix_deliveries_document_id", "deliveries", ["document_id"])


def downgrade() -> None:
    op.drop_table("deliveries")
    with op.batch_alter_table("register_entries") as batch:
        batch.drop_column("copies")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("addressees")
