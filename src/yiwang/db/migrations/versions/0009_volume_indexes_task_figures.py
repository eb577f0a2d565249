"""Province volume: list indexes and the closed-task figures summary

Indexes for the lists that sort by submission time (the supervisor's, the construction
board's) and for the region-prefix filter, and ``task_figures``, filled once from the
existing tasks and kept up to date by the case repository from then on.

Revision ID: 0009
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from yiwang.db import figures

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # IF NOT EXISTS: on a large live database an operator builds these first with CREATE
    # INDEX CONCURRENTLY (docs/deploy.md), and the migration then leaves them alone.
    op.create_index("ix_cases_submitted_at", "cases", ["submitted_at"], if_not_exists=True)
    op.create_index(
        "ix_cases_subject_submitted", "cases", ["subject_code", "submitted_at"], if_not_exists=True
    )
    op.create_index(
        "ix_cases_region_prefix",
        "cases",
        ["region_code", "submitted_at"],
        postgresql_ops={"region_code": "varchar_pattern_ops"},
        if_not_exists=True,
    )
    op.create_table(
        "task_figures",
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("department_code", sa.String(80), nullable=False),
        sa.Column("item_code", sa.String(120), nullable=False),
        sa.Column("closed", sa.BigInteger(), nullable=False),
        sa.Column("online", sa.BigInteger(), nullable=False),
        sa.Column("completed", sa.BigInteger(), nullable=False),
        sa.Column("instant", sa.BigInteger(), nullable=False),
        sa.Column("hours_used", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "region_code", "department_code", "item_code", name="pk_task_figures"
        ),
    )
    figures.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("task_figures")
    op.drop_index("ix_cases_region_prefix", table_name="cases")
    op.drop_index("ix_cases_subject_submitted", table_name="cases")
    op.drop_index("ix_cases_submitted_at", table_name="cases")
