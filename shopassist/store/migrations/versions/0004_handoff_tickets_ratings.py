"""handoff tickets with transcripts, conversation ratings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 03:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("customer_email", sa.String(length=254), nullable=True),
        sa.Column("order_number", sa.String(length=20), nullable=True),
        sa.Column("transcript", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_handoff_tickets_conversation", "handoff_tickets", ["conversation"])
    op.create_index("ix_handoff_tickets_created_at", "handoff_tickets", ["created_at"])
    op.create_table(
        "conversation_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation", sa.String(length=80), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_conversation_ratings_conversation", "conversation_ratings", ["conversation"]
    )
    op.create_index("ix_conversation_ratings_created_at", "conversation_ratings", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_conversation_ratings_created_at", table_name="conversation_ratings")
    op.drop_index("ix_conversation_ratings_conversation", table_name="conversation_ratings")
    op.drop_table("conversation_ratings")
    op.drop_index("ix_handoff_tickets_created_at", table_name="handoff_tickets")
    op.drop_index("ix_handoff_tickets_conversation", table_name="handoff_tickets")
    op.drop_table("handoff_tickets")
