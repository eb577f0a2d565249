"""cases.legal_due_at: when the legal sweep next has something to do for a case

The sweep (deemed acceptance, deemed withdrawal, excluded periods past their cap) read every
case with an open task; with this column, kept by the case repository on each save and
indexed where set, it reads only the cases due.

Backfill: every case not closed gets its submission time, a conservative value (every legal
deadline of a case falls after its submission). The first sweep after the upgrade reads
those cases once, as the sweep did before, and stores each case's exact instant
(``cases.legal.next_legal_due``); closed cases stay NULL and are never read.

Revision ID: 0012
Revises: 0011 (partitions; both branched from 0010 and were chained at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yiwang.db.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# cases.models.CLOSED_CASE_STATUSES as of this revision (a migration keeps its own copy).
_CLOSED = "('concluded', 'rejected', 'revoked', 'withdrawn', 'terminated')"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("legal_due_at", yiwang.db.types.UTCDateTime(), nullable=True))
    op.execute(f"UPDATE cases SET legal_due_at = submitted_at WHERE status NOT IN {_CLOSED}")
    op.create_index(
        "ix_cases_legal_due",
        "cases",
        ["legal_due_at"],
        postgresql_where=sa.text("legal_due_at IS NOT NULL"),
        sqlite_where=sa.text("legal_due_at IS NOT NULL"),
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("ix_cases_legal_due", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("legal_due_at")
