"""ticket language: the conversation's language on each handoff ticket

Tickets opened before keep NULL: their language is unknown.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 19:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    op.create_index("ix_handoff_tickets_language", "handoff_tickets", ["language"])


def downgrade() -> None:
    op.drop_index("ix_handoff_tickets_language", table_name="handoff_tickets")
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_column("language")
