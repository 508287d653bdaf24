"""How long each job's analysis took (reading a document, sending a mail), kept on the job
when it ends: /metrics shows the seconds spent reading documents (OCR seconds) from the
register, so the figure survives restarts and adds up across several `vanthu run` processes.
Jobs that ended before this revision have none."""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("analysis_seconds", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("analysis_seconds")
