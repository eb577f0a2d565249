"""case legal record: acceptance (受理) of each item, extensions, excluded periods,
suspension, withdrawal and the authorisation behind a clerk's filing; registry records that
departments supply (recognised talent, exporter classes)

Revision ID: 0008
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yiwang.db.types

revision = "0008"
down_revision = "0007"  # chain: 0005 → 0009 → 0007 → 0008 (numbers were reserved per branch)
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal", yiwang.db.types.PortableJSON(), nullable=True))
    op.create_table(
        "registry_records",
        sa.Column("dataset", sa.String(60), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("subject_id", sa.String(18), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("supplied_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", yiwang.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("dataset", "field", "subject_id", name=op.f("pk_registry_records")),
    )


def downgrade() -> None:
    op.drop_table("registry_records")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("legal")
