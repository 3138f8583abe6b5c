"""product copy: the product descriptions written in the console, every saved version

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "product_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(length=120), nullable=False),
        sa.Column("edited_by", sa.String(length=60), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("flagged", sa.Text(), server_default="[]", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_product_copy_product_id", "product_copy", ["product_id"])
    op.create_index("ix_product_copy_created_at", "product_copy", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_product_copy_created_at", table_name="product_copy")
    op.drop_index("ix_product_copy_product_id", table_name="product_copy")
    op.drop_table("product_copy")
