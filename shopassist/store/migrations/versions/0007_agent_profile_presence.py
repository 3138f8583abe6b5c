"""console users: the display name and avatar customers see, and presence at the handoff queue

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("console_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("display_name", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("avatar", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("available_until", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_console_users_available_until"), ["available_until"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("console_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_console_users_available_until"))
        batch_op.drop_column("available_until")
        batch_op.drop_column("avatar")
        batch_op.drop_column("display_name")
