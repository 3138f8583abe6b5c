"""colour and size options of products and order items, failed identity checks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 00:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("colours", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("sizes", sa.String(length=200), nullable=True))

    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("colour", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("size", sa.String(length=20), nullable=True))

    op.create_table(
        "identity_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("order_number", sa.String(length=20), nullable=False),
        sa.Column("conversation", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("identity_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_failures_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_identity_failures_conversation"), ["conversation"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_identity_failures_order_number"), ["order_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("identity_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_failures_order_number"))
        batch_op.drop_index(batch_op.f("ix_identity_failures_conversation"))
        batch_op.drop_index(batch_op.f("ix_identity_failures_at"))

    op.drop_table("identity_failures")
    # Plain ALTER TABLE ... DROP COLUMN, also on SQLite (3.35+): batch mode would copy the
    # tables, and dropping the old copy fails the foreign keys of the rows pointing at them
    # (return items at order items, order items at products) once there is data.
    op.drop_column("order_items", "size")
    op.drop_column("order_items", "colour")
    op.drop_column("products", "sizes")
    op.drop_column("products", "colours")
