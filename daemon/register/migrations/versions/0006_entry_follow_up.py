"""Following an incoming entry through to its end: who it was given to (the person beside the
unit), the exact moment it is due when a rule counts in working hours, where the due date came
from (the office's rule, the document's own deadline, its urgency), and when it was closed."""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("register_entries") as batch:
        batch.add_column(sa.Column("assignee", sa.String(300), nullable=True))
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("due_basis", sa.String(20), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closing_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("register_entries") as batch:
        for name in ("closing_note", "closed_at", "due_basis", "due_at", "assignee"):
            batch.drop_column(name)
