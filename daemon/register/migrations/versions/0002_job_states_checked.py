"""The database refuses a job state it does not know (jobs.state is one of JobState).

SQLite cannot add a constraint to a table in place: batch mode copies `jobs` into a new table
with the constraint, with its indexes (the partial unique index on active jobs included), and
moves it into place, all inside the upgrade's transaction.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATES = ("pending", "running", "done", "failed", "set_aside", "duplicate")


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.create_check_constraint(
            "ck_job_state", "state IN (" + ", ".join(f"'{s}'" for s in STATES) + ")"
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint("ck_job_state", type_="check")
