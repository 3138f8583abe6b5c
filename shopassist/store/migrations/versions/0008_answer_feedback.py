"""answer feedback: the web chat's thumbs up or down on each of the assistant's answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation", sa.String(length=80), nullable=False),
        sa.Column("message_at", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.String(length=80), nullable=False),
        sa.Column("value", sa.String(length=4), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation", "message_at", name="uq_answer_feedback"),
    )
    op.create_index("ix_answer_feedback_conversation", "answer_feedback", ["conversation"])
    op.create_index("ix_answer_feedback_updated_at", "answer_feedback", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_answer_feedback_updated_at", table_name="answer_feedback")
    op.drop_index("ix_answer_feedback_conversation", table_name="answer_feedback")
    op.drop_table("answer_feedback")
