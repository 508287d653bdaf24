"""The clerk's desk: its accounts (admin, clerk, leader; scrypt password hashes; disabled, never
deleted) and the failed logins kept for the rate limit per account and per address."""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'clerk', 'leader')", name="ck_user_role"),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_failures_name", "login_failures", ["name", "at"])
    op.create_index("ix_login_failures_address", "login_failures", ["address", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_address", "login_failures")
    op.drop_index("ix_login_failures_name", "login_failures")
    op.drop_table("login_failures")
    op.drop_table("users")
