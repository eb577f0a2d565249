"""Year files on disk, ``yiwang calendar load``, and the CLI run as a real process."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from typer.testing import CliRunner

from yiwang.calendar import TaskClock, TimeLimit, load_default_calendar, parse_year_file
from yiwang.cli.calendar import app as calendar_app

DATA = Path(__file__).parent / "data"
D = dt.date.fromisoformat
SHANGHAI = ZoneInfo("Asia/Shanghai")

root = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
root.add_typer(calendar_app, name="calendar")
runner = CliRunner()


def test_example_yaml_and_csv_describe_the_same_year() -> None:
    from_yaml = parse_year_file((DATA / "2027.yaml").read_text("utf-8"), "2027.yaml")
    from_csv = parse_year_file((DATA / "2027.csv").read_text("utf-8"), "2027.csv")
    assert from_yaml.year == from_csv.year == 2027
    assert from_yaml.holidays == from_csv.holidays
    assert from_yaml.adjusted_working_days == from_csv.adjusted_working_days
    assert len(from_yaml.holidays) == 28
    assert "example" in from_yaml.source


def test_loaded_year_turns_provisional_answers_official() -> None:
    year = parse_year_file((DATA / "2027.yaml").read_text("utf-8"), "2027.yaml")
    before = load_default_calendar()
    after = before.with_official_year(year)
    assert before.day_info(D("2027-02-12")).is_working_day  # provisional rule: back to work
    info = after.day_info(D("2027-02-12"))
    assert (info.is_working_day, info.holiday_name, info.source) == (False, "春节", "official")
    assert after.day_info(D("2027-02-20")).is_adjusted_working_day
    assert after.add_working_days(D("2026-12-28"), 5) == (D("2027-01-05"), False)

    clock = TaskClock.start(dt.datetime(2027, 2, 1, 10, tzinfo=SHANGHAI), TimeLimit.parse("10wd"))
    provisional, official = clock.due(before), clock.due(after)
    assert provisional is not None and provisional.provisional
    assert official is not None and not official.provisional
    assert official.at > provisional.at  # the official 春节 is longer than the statutory days


def test_cli_load_prints_a_summary(tmp_path: Path) -> None:
    result = runner.invoke(root, ["calendar", "load", str(DATA / "2027.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "2027" in result.stdout
    assert "假日 holidays: 28" in result.stdout
    assert "adjusted working days: 5" in result.stdout
    assert "春节: 2027-02-05..2027-02-12" in result.stdout
    assert "saved" in result.stdout
    # The stored year is what later queries answer from: 12 February 2027 is now official.
    info = runner.invoke(root, ["calendar", "info", "2027-02-12", "--json"])
    assert json.loads(info.stdout)["source"] == "official"


def test_cli_load_json() -> None:
    result = runner.invoke(root, ["calendar", "load", str(DATA / "2027.csv"), "--json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["year"] == 2027
    assert payload["holidays"][0] == {"date": "2027-01-01", "name": "元旦"}
    assert {"date": "2027-10-09", "name": "国庆节"} in payload["adjusted_working_days"]


def test_cli_load_invalid_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "2027.csv"
    path.write_text("2027-01-01,holiday,元旦\n2027-02-09,adjusted_working_day,春节\n", "utf-8")
    result = runner.invoke(root, ["calendar", "load", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "2027.csv" in result.stderr and "line 2" in result.stderr
    assert "Saturdays or Sundays" in result.stderr


def test_cli_load_refuses_a_year_after_a_gap(tmp_path: Path) -> None:
    path = tmp_path / "2029.csv"
    path.write_text("2029-01-01,holiday,元旦\n", "utf-8")
    result = runner.invoke(root, ["calendar", "load", str(path)])
    assert result.exit_code == 2
    assert "can only add 2027" in result.stderr


def test_cli_load_missing_or_binary_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(root, ["calendar", "load", str(tmp_path / "2027.yaml")])
    assert result.exit_code == 2 and "cannot read" in result.stderr
    binary = tmp_path / "2027.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = runner.invoke(root, ["calendar", "load", str(binary)])
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from yiwang.cli.calendar import app; app()", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_end_to_end_process() -> None:
    done = _cli("add", "2026-02-14", "1")
    assert (done.returncode, done.stdout) == (0, "2026-02-24\n")
    bad = _cli("add", "2026-02-30", "1")
    assert bad.returncode == 2
    assert bad.stdout == "" and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == "日期 2026-02-30 不存在 / date 2026-02-30 does not exist"
