"""`yiwang projects`: the construction board in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from yiwang.cli.common import cell, console, plain, print_json

app = typer.Typer(
    help="工程建设项目看板 Construction projects: stage, days used against the budget, light."
)

_COLOURS = {"green": "green", "yellow": "yellow", "red": "red", "none": "dim"}


@app.callback(invoke_without_command=True)
def projects(
    bundle: Annotated[
        str, typer.Option(help="Bundle code of the projects.")
    ] = "bundle.construction_project",
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from yiwang.bootstrap import bootstrap

    platform = bootstrap()
    try:
        rows = platform.construction_board(bundle)
    finally:
        platform.dispose()
    if json_output:
        print_json(
            [
                {**row.__dict__}
                if hasattr(row, "__dict__")
                else {f: getattr(row, f) for f in row.__slots__}
                for row in rows
            ]
        )
        return
    table = Table(title="工程建设项目 construction projects")
    for column in (
        "办件 case",
        "项目 project",
        "流程 flow",
        "阶段 stage",
        "已用/预算 工作日",
        "灯 light",
    ):
        table.add_column(column)
    for row in rows:
        colour = _COLOURS.get(row.light, "white")
        # The project name and flow come from the applicant's form: never markup or raw.
        light = Text("●", style=colour)
        light.append(" " + plain(row.light))
        table.add_row(
            cell(row.case_id),
            cell(row.project),
            cell(row.flow_type),
            cell(row.stage),
            f"{row.days_used:g} / {row.budget_days:g}",
            light,
        )
    console.print(table)
