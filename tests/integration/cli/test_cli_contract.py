"""The command-line contract scripts rely on, through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def yiwang(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yiwang.cli", *args], capture_output=True, text=True, check=False, timeout=60
    )


@pytest.mark.parametrize(
    "args",
    [
        ("calendar", "add", "2026-02-30", "3"),  # a date that does not exist
        ("calendar", "add", "2026-01-05", "-3"),  # a negative N
        ("calendar", "add", "2026-01-05", "3", "--bogus"),  # an unknown option
        ("calendar", "between", "2026-01-05"),  # a missing argument
        ("calendar", "info", "yesterday"),
        ("no-such-command",),
    ],
)
def test_invalid_input_exits_2_with_one_line(args: tuple[str, ...]) -> None:
    result = yiwang(*args)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_calendar_answers_for_2026_and_says_provisional_after() -> None:
    # 国庆节 2026: 1-7 October off, Saturday 10 October worked (调休).
    result = yiwang("calendar", "add", "2026-09-30", "3", "--json")
    assert json.loads(result.stdout) == {"date": "2026-10-10", "provisional": False}
    info = json.loads(yiwang("calendar", "info", "2026-10-10", "--json").stdout)
    assert info["working_day"] and info["adjusted_working_day"] and info["source"] == "official"
    later = json.loads(yiwang("calendar", "add", "2026-12-30", "2", "--json").stdout)
    assert later == {"date": "2027-01-04", "provisional": True}
    between = json.loads(yiwang("calendar", "between", "2026-09-30", "2026-10-12", "--json").stdout)
    assert between["days"] == 4 and not between["provisional"]  # 8, 9, 10 and 12 October


def test_voucher_windows_of_october_2026() -> None:
    # 1-7 October are holidays and Saturday 10 October is worked: the first window is
    # 8, 9, 10, 12, 13, 14 and 15 October.
    rows = json.loads(yiwang("calendar", "windows", "2026-10", "--json").stdout)
    assert [(r["first"], r["last"]) for r in rows] == [
        ("2026-10-08", "2026-10-15"),
        ("2026-10-16", "2026-10-22"),
        ("2026-10-23", "2026-10-29"),
    ]
    assert yiwang("calendar", "windows", "2026-13").returncode == 2
