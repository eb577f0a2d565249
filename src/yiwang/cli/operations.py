"""Operator commands: `yiwang sweep` (escalation), `yiwang db upgrade` (migrations) and
`yiwang db partitions` and `yiwang db detach-events` (the logs' monthly partitions)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from yiwang.cli.common import console, fail, print_json

db_app = typer.Typer(help="数据库 Database: migrations, partitions.", no_args_is_help=True)


def sweep(json_output: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Record DeadlineMissed once per overdue task (safe to run from several processes)."""
    from yiwang.bootstrap import bootstrap

    platform = bootstrap()
    try:
        recorded = platform.cases.sweep()
    finally:
        platform.dispose()
    if json_output:
        print_json({"deadline_missed_recorded": recorded})
    else:
        console.print(f"超期提醒 escalations recorded: {recorded}")


@db_app.command()
def upgrade() -> None:
    """Apply every pending migration to the configured database."""
    from yiwang.bootstrap import upgrade_database

    upgrade_database()
    console.print("数据库已是最新 database is up to date")


@db_app.command()
def partitions(json_output: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the monthly partitions of the event and access logs with their row counts
    (PostgreSQL; counting reads every row)."""
    from yiwang.bootstrap import log_partitions

    found = log_partitions()
    if json_output:
        print_json(
            [
                {
                    "table": p.table,
                    "partition": p.name,
                    "from": p.lower.isoformat() if p.lower else None,
                    "to": p.upper.isoformat() if p.upper else None,
                    "rows": p.rows,
                }
                for p in found
            ]
        )
        return
    if not found:
        console.print("没有分区 no partitions (SQLite keeps each log in one table)")
        return
    table = Table(title="日志分区 log partitions (UTC months)")
    for column in ("表 table", "分区 partition", "自 from", "至 to", "行数 rows"):
        table.add_column(column, justify="right" if column == "行数 rows" else "left")
    for p in found:
        table.add_row(
            p.table,
            p.name,
            p.lower.strftime("%Y-%m-%d") if p.lower else "默认 default",
            p.upper.strftime("%Y-%m-%d") if p.upper else "",
            f"{p.rows:,}",
        )
    console.print(table)


def _month(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        raise typer.BadParameter("YYYY-MM, e.g. 2025-01") from None


@db_app.command("detach-events")
def detach_events(
    before: Annotated[
        str, typer.Option(help="The first month kept (YYYY-MM, UTC); the months before it are detached.")
    ],
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """归档 Detach the event partitions of the months before --before, for archiving: each
    becomes a plain table archived_case_events_YYYY_MM to dump and drop (PostgreSQL).
    Refused while a case with events there is still open or closed later."""
    from yiwang.bootstrap import detach_events_before

    outcome = detach_events_before(_month(before))
    if outcome.open_cases:
        fail(
            "仍有办件的历史跨越该月份，未分离 not detached: cases with events there are open or "
            f"closed later: {', '.join(outcome.open_cases)}",
            code=1,
        )
    if json_output:
        print_json({"detached": outcome.partitions})
    elif outcome.partitions:
        for name in outcome.partitions:
            console.print(f"已分离 detached: {name}", highlight=False)
    else:
        console.print("没有可分离的分区 nothing to detach", highlight=False)
