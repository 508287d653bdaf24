"""The schedule's run ledger: one row per job and period (the digest of 2026-12-04, the backup
of 2026-W49), unique, so that a scheduled run is done once across every process, with who
claimed it, when it started and finished, and the error of a failed run."""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedule_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job", sa.String(40), nullable=False),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("slot_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("claimed_by", sa.String(200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.UniqueConstraint("job", "period", name="uq_schedule_run"),
        sa.CheckConstraint("state IN ('running', 'done', 'failed')", name="ck_schedule_run_state"),
    )


def downgrade() -> None:
    op.drop_table("schedule_runs")
