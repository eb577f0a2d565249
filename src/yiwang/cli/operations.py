"""Operator commands: `yiwang sweep` (escalation), `yiwang db upgrade` (migrations) and
`yiwang db partitions` (the logs' monthly partitions)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from yiwang.cli.common import console, print_json

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
