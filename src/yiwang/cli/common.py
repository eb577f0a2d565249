"""Helpers shared by the sub-commands: errors as one line and an exit status, never a traceback."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

T = TypeVar("T")


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print("[red]错误 error:[/red] ", end="")
    err_console.print(message, highlight=False, soft_wrap=True, markup=False)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def user_errors(*types: type[BaseException], code: int = 2) -> Iterator[None]:
    """Turn the listed domain errors into a one-line message and exit status ``code``."""
    try:
        yield
    except types as error:
        fail(str(error), code)


def platform_from_settings(**kwargs: Any) -> Any:
    from yiwang.bootstrap import bootstrap

    return bootstrap(**kwargs)


def guarded(function: Callable[..., T]) -> Callable[..., T]:
    return function
