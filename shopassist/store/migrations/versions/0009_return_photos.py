"""return photos: customers' photos of damaged goods, stored with their return

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 18:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "return_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("conversation", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["returns.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("return_id", "sha256", name="uq_return_photo"),
    )
    op.create_index("ix_return_photos_return_id", "return_photos", ["return_id"])
    op.create_index("ix_return_photos_conversation", "return_photos", ["conversation"])


def downgrade() -> None:
    op.drop_index("ix_return_photos_conversation", table_name="return_photos")
    op.drop_index("ix_return_photos_return_id", table_name="return_photos")
    op.drop_table("return_photos")
