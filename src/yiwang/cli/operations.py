"""Operator commands: `yiwang sweep` (escalation) and `yiwang db upgrade` (migrations)."""

from __future__ import annotations

from typing import Annotated

import typer

from yiwang.cli.common import console, print_json

db_app = typer.Typer(help="数据库 Database: migrations.", no_args_is_help=True)


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
