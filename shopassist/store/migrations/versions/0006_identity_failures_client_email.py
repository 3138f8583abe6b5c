"""identity failures: the client and (a hash of) the e-mail address of each failed check

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 21:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("identity_failures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("email_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_identity_failures_client"), ["client"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_identity_failures_email_key"), ["email_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("identity_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_failures_email_key"))
        batch_op.drop_index(batch_op.f("ix_identity_failures_client"))
        batch_op.drop_column("email_key")
        batch_op.drop_column("client")
