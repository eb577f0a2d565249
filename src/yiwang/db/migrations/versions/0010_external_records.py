"""external records of datasets held by other systems (marriage, death, court judgments)

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yiwang.db.types

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "external_records",
        sa.Column("dataset", sa.String(length=40), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=18), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", yiwang.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("dataset", "field", "subject_id"),
    )


def downgrade() -> None:
    op.drop_table("external_records")
