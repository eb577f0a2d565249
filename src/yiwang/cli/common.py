"""Helpers shared by the sub-commands: errors as one line and an exit status, never a traceback."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any, NoReturn

import typer
from rich.console import Console

from yiwang.localtime import local_iso

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print("[red]错误 error:[/red] ", end="")
    err_console.print(message, highlight=False, soft_wrap=True, markup=False)
    raise typer.Exit(code)


def _plain(value: Any) -> str:
    # Instants are shown in local time with their offset, as everywhere a person reads them.
    return local_iso(value) if isinstance(value, datetime) else str(value)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n")
