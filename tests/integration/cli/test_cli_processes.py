"""`yiwang worker` and `yiwang serve --workers` refuse what cannot work, in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def yiwang(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yiwang.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **env},
    )


def test_several_server_processes_refuse_sqlite(tmp_path: Path) -> None:
    env = {"YIWANG_DATABASE_URL": f"sqlite:///{tmp_path / 'y.db'}", "YIWANG_DATA_DIR": str(tmp_path)}
    result = yiwang(env, "serve", "--no-demo", "--workers", "2")
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr and "Traceback" not in result.stderr + result.stdout


def test_worker_without_a_database_says_so_in_one_line(tmp_path: Path) -> None:
    # Nothing listens on port 1.
    env = {"YIWANG_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "YIWANG_DATA_DIR": str(tmp_path)}
    result = yiwang(env, "worker", "--once")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "无法启动 / cannot start" in lines[0], result.stderr


def test_worker_once_sweeps_and_exits(tmp_path: Path) -> None:
    env = {"YIWANG_DATABASE_URL": f"sqlite:///{tmp_path / 'y.db'}", "YIWANG_DATA_DIR": str(tmp_path)}
    result = yiwang(env, "worker", "--once")
    assert result.returncode == 0, result.stderr
    assert "escalated: 0" in result.stdout


def test_a_bad_database_url_is_one_bilingual_line_for_every_command(tmp_path: Path) -> None:
    # Nothing listens on port 1; a SQLite file under a regular file can never be created.
    (tmp_path / "a-file").write_text("")
    commands = [["projects"], ["audit", "verify"], ["sweep"], ["licence", "revoke", "L-1", "--reason", "x", "--by", "admin"]]
    for url in ("postgresql+psycopg://nobody@127.0.0.1:1/x", f"sqlite:///{tmp_path / 'a-file' / 'x.db'}"):
        for command in commands:
            result = yiwang({"YIWANG_DATABASE_URL": url, "YIWANG_DATA_DIR": str(tmp_path)}, *command)
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert result.returncode == 2, (url, command, result.stderr)
            assert len(lines) == 1 and lines[0].startswith("错误 error: "), (url, command, result.stderr)
            assert "Traceback" not in result.stderr + result.stdout
