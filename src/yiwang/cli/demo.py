"""`yiwang demo`: one enterprise start-up from submission to licence and seals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table

from yiwang.cli.common import cell, console, print_json

app = typer.Typer(help="演示 Demo: the enterprise start-up end to end on a fresh SQLite file.")


@app.callback(invoke_without_command=True)
def demo(
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    database: Annotated[
        Path, typer.Option(help="SQLite file to create (replaced if present).")
    ] = Path("var/demo.db"),
) -> None:
    from yiwang.bootstrap import bootstrap, settings_for_file
    from yiwang.clock import SimulatedClock, utc_now
    from yiwang.demo.province import (
        demo_summary,
        ensure_signing_keys,
        next_working_morning,
        pick_founder,
        run_enterprise_startup,
        seed_demo_province,
    )

    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    clock = SimulatedClock(utc_now())
    platform = bootstrap(settings_for_file(database), clock=clock)
    clock.set(next_working_morning(platform, clock()))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        console=console,
        disable=json_output,
        transient=True,
    ) as progress:
        bars: dict[str, TaskID] = {}

        def report(label: str, done: int, total: int) -> None:
            if label not in bars:
                bars[label] = progress.add_task(f"生成演示数据 seeding {label}", total=total)
            progress.update(bars[label], completed=done)

        population = seed_demo_province(platform, progress=report)
        ensure_signing_keys(platform)
    run = run_enterprise_startup(platform, clock, pick_founder(population))
    summary = demo_summary(platform, run)
    platform.dispose()
    if json_output:
        print_json(summary)
        return
    table = Table(
        title=f"办件 Case {summary['case_id']} · {summary['company_name']}", show_lines=False
    )
    for column in ("时间 time", "工作时 wh", "事件 event", "任务 task", "详情 detail"):
        table.add_column(column)
    for entry in summary["timeline"]:
        task = (entry["task"] or "").rpartition("-")[2]
        table.add_row(
            entry["at"][11:16],
            f"{entry['working_hours_since_submission']:.2f}",
            cell(entry["event"]),
            cell(task),
            cell(entry["detail"]),
        )
    console.print(table)
    for stage in summary["stages"]:
        console.print(f"[bold]{stage['name']}[/bold]")
        for task in stage["tasks"]:
            rule = f" (智能审批 {task['decided_by_rule']})" if task["decided_by_rule"] else ""
            console.print(
                f"  {task['department']}: {task['status']}, {task['working_hours_used']} 工作小时{rule}"
            )
    console.print(
        f"状态 status: [green]{summary['status']}[/green] · 用时 {summary['elapsed_working_days']} 个工作日 working days"
    )
    for output in summary["outputs"]:
        console.print(f"  {output['name']}: {output['number']} {' '.join(output['pieces'])}")
