"""Monthly partitions of the two append-only logs, ``case_events`` and ``access_log``, on
PostgreSQL (migration 0011); SQLite has no partitioning and keeps one table each.

Each log is ``PARTITION BY RANGE (at)`` with one partition per UTC month
(``case_events_2026_11`` holds ``2026-11-01T00:00Z <= at < 2026-12-01T00:00Z``) and a DEFAULT
partition (``case_events_default``) so that an append never fails for want of a month.
UTC months, not Shanghai ones: the bounds must not move when the display zone setting does.

Upkeep (`ensure_partitions`) creates the current month and ``ahead`` months after it; it runs
at every `yiwang db upgrade` (and migration in process) and from the worker's loop. Rows that
landed in DEFAULT (upkeep lagged, or an entry dated outside the prepared months) are moved
into partitions of their own months in the same transaction: PostgreSQL refuses to create a
partition whose range has rows in DEFAULT, so DEFAULT is detached, the months created, a new
empty DEFAULT attached, its former rows inserted again through the parent (which routes them)
and the detached table dropped. No row is updated or deleted, so the append-only triggers
never need to be lifted; DEFAULT is expected to be small (it is empty after each upkeep).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, text

# The partitioned tables and their partition key; names come only from here (never from input).
PARTITIONED: dict[str, str] = {"case_events": "at", "access_log": "at"}
# Months prepared after the current one, so a worker that stops for a while loses nothing.
AHEAD = 3
# One upkeep at a time per schema (two workers, or a worker and `yiwang db upgrade`): an
# advisory lock released at commit, keyed by the schema so other schemas are not held up.
_UPKEEP_LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.yiwang_partitions'))"
_BOUND = re.compile(r"FROM \('([^']+)'\) TO \('([^']+)'\)")


@dataclass(frozen=True, slots=True)
class Partition:
    table: str
    name: str
    lower: datetime | None  # None for the DEFAULT partition
    upper: datetime | None
    rows: int

    @property
    def is_default(self) -> bool:
        return self.lower is None


def month_start(at: datetime) -> datetime:
    """The first instant of ``at``'s UTC month."""
    at = at.astimezone(UTC)
    return datetime(at.year, at.month, 1, tzinfo=UTC)


def add_months(month: datetime, count: int) -> datetime:
    index = month.year * 12 + month.month - 1 + count
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def months_between(first: datetime, last: datetime) -> list[datetime]:
    """Every month start from ``first``'s month to ``last``'s, both included."""
    month, end = month_start(first), month_start(last)
    months = []
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def partition_name(table: str, month: datetime) -> str:
    return f"{table}_{month:%Y_%m}"


def default_name(table: str) -> str:
    return f"{table}_default"


def is_partitioned(connection: Connection, table: str) -> bool:
    if connection.dialect.name != "postgresql":
        return False
    kind = connection.execute(
        text("SELECT relkind FROM pg_class WHERE oid = to_regclass(:table)"), {"table": table}
    ).scalar()
    return kind == "p"


def create_month(connection: Connection, table: str, month: datetime) -> None:
    """The month's partition, if it does not exist yet (its range must hold no DEFAULT rows)."""
    upper = add_months(month, 1)
    connection.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {partition_name(table, month)} PARTITION OF {table} "
            f"FOR VALUES FROM ('{month.isoformat()}') TO ('{upper.isoformat()}')"
        )
    )


def create_default(connection: Connection, table: str) -> None:
    connection.execute(
        text(f"CREATE TABLE IF NOT EXISTS {default_name(table)} PARTITION OF {table} DEFAULT")
    )


def ensure_partitions(
    connection: Connection,
    now: datetime,
    *,
    ahead: int = AHEAD,
    since: datetime | None = None,
    lock_timeout_ms: int | None = None,
) -> list[str]:
    """Create the partitions of ``since``'s month (default: ``now``'s) to ``ahead`` months
    after ``now``'s, and of every month that has rows in DEFAULT (moving those rows into
    them); idempotent. Returns the partitions created. A no-op on SQLite and before 0011.

    Creating a partition locks the parent table briefly; behind a long reader that lock
    would queue every append. ``lock_timeout_ms`` gives up instead (an error; the caller
    retries later, the months ahead leave time)."""
    if connection.dialect.name != "postgresql":
        return []
    if lock_timeout_ms is not None:
        connection.execute(text(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}"))
    connection.execute(text(_UPKEEP_LOCK))
    created: list[str] = []
    for table, column in PARTITIONED.items():
        if not is_partitioned(connection, table):
            continue
        existing = set(_partition_names(connection, table))
        wanted = months_between(since or now, add_months(month_start(now), ahead))
        stray = _default_months(connection, table, column)
        missing = sorted(
            {m for m in [*wanted, *stray] if partition_name(table, m) not in existing}
        )
        if stray:
            _rehome_default(connection, table, missing)
        else:
            for month in missing:
                create_month(connection, table, month)
        created += [partition_name(table, m) for m in missing]
    return created


def list_partitions(connection: Connection) -> list[Partition]:
    """Every partition of the partitioned logs with its bounds and exact row count, oldest
    first and DEFAULT last per table; empty on SQLite. Counting reads every row."""
    if connection.dialect.name != "postgresql":
        return []
    # Bounds are printed in the session's zone: UTC, so they parse back to the same instants.
    connection.execute(text("SET LOCAL TIME ZONE 'UTC'"))
    found: list[Partition] = []
    for table in PARTITIONED:
        if not is_partitioned(connection, table):
            continue
        rows = _children(connection, table)
        parts = []
        for row in rows:
            count = connection.execute(text(f'SELECT count(*) FROM "{row.name}"')).scalar_one()
            match = _BOUND.search(row.bound)
            lower = datetime.fromisoformat(match.group(1)) if match else None
            upper = datetime.fromisoformat(match.group(2)) if match else None
            parts.append(Partition(table, str(row.name), lower, upper, int(count)))
        parts.sort(key=lambda p: (p.is_default, p.lower or datetime.max.replace(tzinfo=UTC)))
        found += parts
    return found


def _partition_names(connection: Connection, table: str) -> list[str]:
    return [
        str(name)
        for name in connection.execute(
            text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = to_regclass(:table)"
            ),
            {"table": table},
        ).scalars()
    ]


def _default_months(connection: Connection, table: str, column: str) -> list[datetime]:
    if connection.execute(text(f"SELECT to_regclass('{default_name(table)}')")).scalar() is None:
        return []
    months = connection.execute(
        text(
            f"SELECT DISTINCT date_trunc('month', {column} AT TIME ZONE 'UTC') "
            f"FROM {default_name(table)}"
        )
    ).scalars()
    return [month.replace(tzinfo=UTC) for month in months]


def _rehome_default(connection: Connection, table: str, months: list[datetime]) -> None:
    """Create ``months`` although DEFAULT holds rows of them: set DEFAULT aside, create the
    months and a new DEFAULT, route its rows again through the parent, drop it. One
    transaction (the caller's): readers see the rows before or after, never missing."""
    old = default_name(table)
    aside = f"{table}_default_moving"
    connection.execute(text(f"ALTER TABLE {table} DETACH PARTITION {old}"))
    connection.execute(text(f"ALTER TABLE {old} RENAME TO {aside}"))
    for month in months:
        create_month(connection, table, month)
    create_default(connection, table)
    connection.execute(text(f"INSERT INTO {table} SELECT * FROM {aside}"))
    connection.execute(text(f"DROP TABLE {aside}"))


@dataclass(frozen=True, slots=True)
class Detached:
    """The outcome of `detach_event_months`: the partitions detached (now plain tables named
    ``archived_case_events_YYYY_MM``, to be dumped and dropped by the operator), or some of
    the cases that kept them attached."""

    partitions: list[str]
    open_cases: list[str]


def detach_event_months(connection: Connection, before: datetime, *, sample: int = 10) -> Detached:
    """Detach the ``case_events`` partitions of the months wholly before ``before`` (a month
    start), for archiving. Refused (nothing detached) while a case with events in those
    months is open or closed on or after ``before``: its timeline would be cut in two.
    Only events: the access log's audit walk starts at entry 1, so its months stay."""
    if not is_partitioned(connection, "case_events"):
        return Detached([], [])
    before = month_start(before)
    connection.execute(text(_UPKEEP_LOCK))
    open_cases = list(
        connection.execute(
            text(
                "SELECT DISTINCT e.case_id FROM case_events e JOIN cases c ON c.id = e.case_id "
                "WHERE e.at < :before AND (c.closed_at IS NULL OR c.closed_at >= :before) "
                "ORDER BY e.case_id LIMIT :sample"
            ),
            {"before": before, "sample": sample},
        ).scalars()
    )
    if open_cases:
        return Detached([], [str(case_id) for case_id in open_cases])
    # DEFAULT may hold old rows too: upkeep gives them a month of their own first.
    ensure_partitions(connection, before, ahead=0)
    detached = []
    for part in _partitions_before(connection, "case_events", before):
        # Renamed, so upkeep never mistakes it for the month's partition (IF NOT EXISTS).
        connection.execute(text(f"ALTER TABLE case_events DETACH PARTITION {part}"))
        connection.execute(text(f"ALTER TABLE {part} RENAME TO archived_{part}"))
        detached.append(f"archived_{part}")
    return Detached(detached, [])


def _children(connection: Connection, table: str) -> Sequence[Row[Any]]:
    """The partitions of ``table``: each one's name and its bound as PostgreSQL prints it
    (in the session's time zone)."""
    return connection.execute(
        text(
            "SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound "
            "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(:table)"
        ),
        {"table": table},
    ).all()


def _partitions_before(connection: Connection, table: str, before: datetime) -> list[str]:
    connection.execute(text("SET LOCAL TIME ZONE 'UTC'"))
    rows = _children(connection, table)
    found = []
    for row in rows:
        match = _BOUND.search(row.bound)
        if match and datetime.fromisoformat(match.group(2)) <= before:
            found.append((match.group(1), str(row.name)))
    return [name for _, name in sorted(found)]
