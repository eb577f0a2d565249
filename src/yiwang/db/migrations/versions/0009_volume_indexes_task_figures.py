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
from yiwang.db.tables import OPEN_TASKS_SQL

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
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("region_code", sa.String(6), nullable=True))
        batch.add_column(sa.Column("online", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("time_limit", sa.String(40), nullable=True))
        batch.add_column(sa.Column("paused", sa.Boolean(), nullable=True))
    # Only open tasks are read through the copies; closed ones never reopen.
    open_tasks = OPEN_TASKS_SQL.replace("status", "tasks.status")
    if op.get_bind().dialect.name == "postgresql":
        limit, paused = "(tasks.clock ->> 'limit')", "(tasks.clock ->> 'paused_at') IS NOT NULL"
    else:
        limit = "json_extract(tasks.clock, '$.limit')"
        paused = "json_extract(tasks.clock, '$.paused_at') IS NOT NULL"
    op.execute(
        f"UPDATE tasks SET region_code = (SELECT c.region_code FROM cases c WHERE c.id = tasks.case_id), "
        f"online = (SELECT c.channel IN {figures.ONLINE_SQL} FROM cases c WHERE c.id = tasks.case_id), "
        f"time_limit = {limit}, paused = {paused} WHERE {open_tasks}"
    )
    op.create_index(
        "ix_tasks_open_region",
        "tasks",
        ["region_code"],
        postgresql_ops={"region_code": "varchar_pattern_ops"},
        postgresql_include=["department_code", "item_code", "due_at", "online", "time_limit", "paused"],
        postgresql_where=sa.text(OPEN_TASKS_SQL),
        sqlite_where=sa.text(OPEN_TASKS_SQL),
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
    op.drop_index("ix_tasks_open_region", table_name="tasks")
    with op.batch_alter_table("tasks") as batch:
        for column in ("paused", "time_limit", "online", "region_code"):
            batch.drop_column(column)
    op.drop_index("ix_cases_region_prefix", table_name="cases")
    op.drop_index("ix_cases_subject_submitted", table_name="cases")
    op.drop_index("ix_cases_submitted_at", table_name="cases")
