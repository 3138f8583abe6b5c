"""ticket summary: the summary written when a handoff ticket opens, and what wrote it

Tickets opened before keep NULL: the console writes the template's from the transcript.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 00:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.add_column(sa.Column("summary", sa.Text(), nullable=True))
        batch.add_column(sa.Column("summary_by", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("summary_check", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_column("summary_check")
        batch.drop_column("summary_by")
        batch.drop_column("summary")
