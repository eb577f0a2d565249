"""case_events and access_log partitioned by month (PostgreSQL)

Each log becomes ``PARTITION BY RANGE (at)``: one partition per UTC month that has rows, the
current month and `partitions.AHEAD` months after it, and a DEFAULT partition. The primary
key becomes ``(id, at)`` (PostgreSQL requires the partition key in every unique index); ids
still come from ``case_events_id_seq`` and from the access-log writer's head row, whose
consecutive ids the audit walk checks, so a duplicate or missing id is still found there.
The append-only row triggers are created on the parent, and PostgreSQL clones them onto every
partition, present and future.

How: the old table is renamed aside, the partitioned one created ``LIKE`` it, the rows
copied with ``INSERT ... SELECT``, the indexes built on the parent (hence on each partition),
the sequence handed to the new column, the old table dropped. The whole log is rewritten in
the migration's transaction: on a large database this is planned downtime (docs/deploy.md).

SQLite has no partitioning: a no-op there (docs/performance.md, "Partitioned logs").

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import op
from sqlalchemy import text

from yiwang.db import partitions

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Each table: (its indexes other than the primary key, as name -> columns).
_INDEXES: dict[str, dict[str, str]] = {
    "case_events": {"ix_case_events_case_id": "case_id", "ix_case_events_kind": "kind"},
    "access_log": {"ix_access_log_subject_id": "subject_id"},
}


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    now = datetime.now(UTC)
    for table in partitions.PARTITIONED:
        _partition(table, now)


def _partition(table: str, now: datetime) -> None:
    connection = op.get_bind()
    old = f"{table}_unpartitioned"
    op.execute(f"ALTER TABLE {table} RENAME TO {old}")
    op.execute(f"ALTER TABLE {old} RENAME CONSTRAINT pk_{table} TO pk_{old}")
    for index in _INDEXES[table]:
        op.execute(f"ALTER INDEX {index} RENAME TO {index}_unpartitioned")
    # LIKE ... INCLUDING DEFAULTS keeps ``nextval('case_events_id_seq')`` on the id column.
    op.execute(
        f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS, "
        f"CONSTRAINT pk_{table} PRIMARY KEY (id, at)) PARTITION BY RANGE (at)"
    )
    # The months that have rows (not every month since the first: one stray old date must
    # not make hundreds of empty partitions), the current one and those ahead.
    had = connection.execute(
        text(f"SELECT DISTINCT date_trunc('month', at AT TIME ZONE 'UTC') FROM {old}")
    ).scalars()
    ahead = partitions.months_between(
        now, partitions.add_months(partitions.month_start(now), partitions.AHEAD)
    )
    for month in sorted({*(m.replace(tzinfo=UTC) for m in had), *ahead}):
        partitions.create_month(connection, table, month)
    partitions.create_default(connection, table)
    op.execute(f"INSERT INTO {table} SELECT * FROM {old}")
    for index, column in _INDEXES[table].items():
        op.execute(f"CREATE INDEX {index} ON {table} ({column})")
    if table == "case_events":
        op.execute("ALTER SEQUENCE case_events_id_seq OWNED BY case_events.id")
    op.execute(f"DROP TABLE {old}")
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION yiwang_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in partitions.PARTITIONED:
        partitioned = f"{table}_partitioned"
        op.execute(f"ALTER TABLE {table} RENAME TO {partitioned}")
        op.execute(f"ALTER TABLE {partitioned} RENAME CONSTRAINT pk_{table} TO pk_{partitioned}")
        for index in _INDEXES[table]:
            op.execute(f"ALTER INDEX {index} RENAME TO {index}_partitioned")
        op.execute(
            f"CREATE TABLE {table} (LIKE {partitioned} INCLUDING DEFAULTS, "
            f"CONSTRAINT pk_{table} PRIMARY KEY (id))"
        )
        op.execute(f"INSERT INTO {table} SELECT * FROM {partitioned}")
        for index, column in _INDEXES[table].items():
            op.execute(f"CREATE INDEX {index} ON {table} ({column})")
        if table == "case_events":
            op.execute("ALTER SEQUENCE case_events_id_seq OWNED BY case_events.id")
        op.execute(f"DROP TABLE {partitioned}")
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION yiwang_append_only()"
        )
