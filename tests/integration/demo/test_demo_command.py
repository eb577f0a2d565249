"""`yiwang demo --json`: the contract scripts rely on."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

from stdnum.cn import uscc
from typer.testing import CliRunner

from yiwang.cli.main import _register, app

_register()


def test_demo_concludes_a_startup_within_one_working_day(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--json", "--database", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["status"] == "concluded"
    assert summary["elapsed_working_days"] <= 1
    assert len(summary["stages"]) == 2
    tasks = [task for stage in summary["stages"] for task in stage["tasks"]]
    assert len(tasks) == 6
    assert all(task["status"] == "approved" for task in tasks)
    assert all(task["working_hours_used"] >= 0 for task in tasks)
    # Seal carving and tax set-up each within their 2 working hours.
    assert all(task["working_hours_used"] <= 2 for task in summary["stages"][1]["tasks"])
    licence = next(output for output in summary["outputs"] if output["kind"] == "business_licence")
    assert uscc.is_valid(licence["number"])
    assert {output["kind"] for output in summary["outputs"]} >= {"business_licence", "seals", "tax_setup"}
    assert summary["timeline"][0]["event"] == "ApplicationSubmitted"
    assert summary["timeline"][-1]["event"] == "CaseConcluded"


def test_demo_reports_elapsed_time_in_the_one_meaning_of_working_days(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--json", "--database", str(tmp_path / "demo.db")])
    summary = json.loads(result.output)
    # One working day is the office day's 7 working hours: days and hours say the same thing.
    assert summary["elapsed_working_days"] == round(summary["elapsed_working_hours"] / 7, 3)
    # The first stage's 0.5 working day from the 09:30 submission ends at 14:00 (3.5 working
    # hours), as the bundle's 1 working day ends at 09:30 the next working day.
    # (Each item's own clock starts when its department accepts it, 行政许可法 Art. 32, so the
    # tasks' deadlines follow their acceptance; the stage's promise is the one to read.)
    submitted = datetime.fromisoformat(summary["submitted_at"])
    assert submitted.time() == time(9, 30)
    first_stage_due = datetime.fromisoformat(summary["stages"][0]["due_at"])
    assert first_stage_due.astimezone(submitted.tzinfo).time() == time(14, 0)
    for task in summary["stages"][0]["tasks"]:
        due = datetime.fromisoformat(task["due_at"]).astimezone(submitted.tzinfo)
        assert due.date() == submitted.date() and time(14, 0) <= due.time() <= time(17, 0)
