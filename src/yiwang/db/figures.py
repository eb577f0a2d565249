"""The closed-task summary behind the supervisor's figures (R-SUP-2), kept in SQL.

At a province's volume the figures cannot be computed from the tasks on every request
(millions of rows). Closed tasks never change again, so their contribution is added to
``task_figures`` once, by the case repository, in the transaction that closes them; open
tasks (a few per cent of all) are still counted live because their lights move with the clock.
`rebuild` recomputes the whole table from the tasks and their completion events: the
migration that creates the table and the volume generator use it, and a test holds the
incremental upkeep to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, text

from yiwang.cases.models import TaskStatus

# Channels counted as online for the online-share figure.
ONLINE_CHANNELS = ("online", "mobile", "api")
ONLINE_SQL = "(" + ", ".join(f"'{channel}'" for channel in ONLINE_CHANNELS) + ")"


@dataclass(frozen=True, slots=True)
class ClosedTask:
    """One task that closed in this transaction, with what the figures need of it."""

    region_code: str
    department_code: str
    item_code: str
    status: str
    channel: str
    decided_by_rule: str | None
    hours_used: float


_UPSERT = text(
    "INSERT INTO task_figures "
    "(region_code, department_code, item_code, closed, online, completed, instant, hours_used) "
    "VALUES (:region_code, :department_code, :item_code, :closed, :online, :completed, "
    ":instant, :hours_used) "
    "ON CONFLICT (region_code, department_code, item_code) DO UPDATE SET "
    "closed = task_figures.closed + excluded.closed, "
    "online = task_figures.online + excluded.online, "
    "completed = task_figures.completed + excluded.completed, "
    "instant = task_figures.instant + excluded.instant, "
    "hours_used = task_figures.hours_used + excluded.hours_used"
)


def add_closed(connection: Connection, tasks: Iterable[ClosedTask]) -> None:
    """Add closed tasks to the summary. Cancelled tasks count nowhere (as before)."""
    rows: dict[tuple[str, str, str], dict[str, float]] = defaultdict(
        lambda: {"closed": 0, "online": 0, "completed": 0, "instant": 0, "hours_used": 0.0}
    )
    for task in tasks:
        if task.status not in (TaskStatus.APPROVED.value, TaskStatus.REJECTED.value):
            continue
        row = rows[(task.region_code, task.department_code, task.item_code)]
        row["closed"] += 1
        if task.channel in ONLINE_CHANNELS:
            row["online"] += 1
        if task.status == TaskStatus.APPROVED.value:
            row["completed"] += 1
            row["hours_used"] += task.hours_used
            if task.decided_by_rule or task.hours_used == 0.0:
                row["instant"] += 1
    # Sorted, so two transactions touching the same rows lock them in the same order.
    for key in sorted(rows):
        region_code, department_code, item_code = key
        connection.execute(
            _UPSERT,
            {
                "region_code": region_code,
                "department_code": department_code,
                "item_code": item_code,
                **rows[key],
            },
        )


def _hours_expression(dialect: str) -> str:
    if dialect == "postgresql":
        return "(e.data ->> 'working_hours_used')::float"
    return "CAST(json_extract(e.data, '$.working_hours_used') AS REAL)"


def rebuild(connection: Connection) -> None:
    """Recompute the whole summary from the tasks (one aggregate query)."""
    hours = _hours_expression(connection.dialect.name)
    online = ", ".join(f"'{channel}'" for channel in ONLINE_CHANNELS)
    connection.execute(text("DELETE FROM task_figures"))
    connection.execute(
        text(
            f"""
            INSERT INTO task_figures
                (region_code, department_code, item_code, closed, online, completed, instant,
                 hours_used)
            SELECT c.region_code, k.department_code, k.item_code,
                   COUNT(*),
                   SUM(CASE WHEN c.channel IN ({online}) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN k.status = 'approved' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN k.status = 'approved'
                             AND (COALESCE(k.decided_by_rule, '') <> ''
                                  OR COALESCE(h.hours, 0) = 0) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN k.status = 'approved' THEN COALESCE(h.hours, 0) ELSE 0 END)
            FROM tasks k
            JOIN cases c ON c.id = k.case_id
            LEFT JOIN (
                SELECT e.task_id AS task_id, MAX({hours}) AS hours
                FROM case_events e
                WHERE e.kind = 'TaskCompleted' AND e.task_id IS NOT NULL
                GROUP BY e.task_id
            ) h ON h.task_id = k.id
            WHERE k.status IN ('approved', 'rejected')
            GROUP BY c.region_code, k.department_code, k.item_code
            """
        )
    )


def hours_by_task(events: Iterable[tuple[str | None, str, Mapping[str, object]]]) -> dict[str, float]:
    """Working hours used, by task, from (task id, kind, data) of `TaskCompleted` events."""
    hours: dict[str, float] = {}
    for task_id, kind, data in events:
        if task_id and kind == "TaskCompleted":
            value = data.get("working_hours_used")
            hours[task_id] = float(value) if isinstance(value, (int, float)) else 0.0
    return hours
