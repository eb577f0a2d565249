"""``yiwang calendar ...`` through a local root app wired the way main.py wires it."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from yiwang.cli.calendar import app as calendar_app

root = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
root.add_typer(calendar_app, name="calendar")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(root, ["calendar", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_add_prints_the_iso_date() -> None:
    assert run("add", "2026-02-14", "1") == (0, "2026-02-24\n", "")


def test_add_json() -> None:
    code, out, _ = run("add", "2026-12-28", "5", "--json")
    assert code == 0
    assert json.loads(out) == {"date": "2027-01-05", "provisional": True}


def test_add_provisional_text_notes_it_on_stderr_only() -> None:
    code, out, err = run("add", "2026-12-28", "5")
    assert (code, out) == (0, "2027-01-05\n")
    assert "provisional" in err


def test_between() -> None:
    assert run("between", "2026-09-30", "2026-10-12")[:2] == (0, "4\n")
    _, out, _ = run("between", "2026-10-12", "2026-09-30", "--json")
    assert json.loads(out) == {"days": -4, "provisional": False}


def test_info_json_keys() -> None:
    code, out, _ = run("info", "2026-02-14", "--json")
    assert code == 0
    assert json.loads(out) == {
        "date": "2026-02-14",
        "working_day": True,
        "holiday": None,
        "adjusted_working_day": True,
        "provisional": False,
        "source": "official",
    }
    assert json.loads(run("info", "2027-10-01", "--json")[1]) == {
        "date": "2027-10-01",
        "working_day": False,
        "holiday": "国庆节",
        "adjusted_working_day": False,
        "provisional": True,
        "source": "provisional",
    }


def test_info_text() -> None:
    code, out, _ = run("info", "2026-01-01")
    assert code == 0
    assert "元旦" in out and "working day: 否 no" in out and "official" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-02-30", "1"), "date 2026-02-30 does not exist"),
        (("add", "2026-01-01", "-3"), "N must not be negative"),
        (("add", "2026-01-01", "1.5"), "N must be a non-negative integer"),
        (("add", "2026-01-01", "x"), "N must be a non-negative integer"),
        (("add", "26-1-1", "1"), "must be written YYYY-MM-DD"),
        (("between", "2026-01-01", "2026-13-01"), "date 2026-13-01 does not exist"),
        (("info", "1999-12-31"), "outside the working calendar"),
        (("add", "2060-12-30", "5"), "outside the working calendar"),
    ],
)
def test_invalid_input_exits_2_with_one_line(args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ("add", "2026-01-01", "3", "--bogus"),
        ("info", "2026-01-01", "--bogus"),
        ("add", "2026-01-01"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert "Traceback" not in err
