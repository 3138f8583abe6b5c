"""console: users, sessions, login failures, review flags; the agent of a handoff ticket

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 07:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.add_column(sa.Column("agent", sa.String(length=60), nullable=True))
    op.create_table(
        "console_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["console_users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_console_sessions_user_id", "console_sessions", ["user_id"])
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])
    op.create_table(
        "console_login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_console_login_failures_at", "console_login_failures", ["at"])
    op.create_index("ix_console_login_failures_username", "console_login_failures", ["username"])
    op.create_index("ix_console_login_failures_address", "console_login_failures", ["address"])
    op.create_table(
        "review_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation", sa.String(length=80), nullable=False),
        sa.Column("message_at", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation", "message_at", name="uq_review_flag"),
    )
    op.create_index("ix_review_flags_conversation", "review_flags", ["conversation"])


def downgrade() -> None:
    op.drop_index("ix_review_flags_conversation", table_name="review_flags")
    op.drop_table("review_flags")
    op.drop_index("ix_console_login_failures_address", table_name="console_login_failures")
    op.drop_index("ix_console_login_failures_username", table_name="console_login_failures")
    op.drop_index("ix_console_login_failures_at", table_name="console_login_failures")
    op.drop_table("console_login_failures")
    op.drop_index("ix_console_sessions_expires_at", table_name="console_sessions")
    op.drop_index("ix_console_sessions_user_id", table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("console_users")
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_column("agent")
