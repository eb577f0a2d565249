"""The ``yiwang`` command: one Typer app with one sub-app per bounded context."""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="yiwang",
    help="Yiwang (一网) one-stop government services platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# (module, sub-command name); each module exposes a Typer `app`. Imported lazily-by-list so a
# context under construction does not break the others.
_SUBAPPS: list[tuple[str, str]] = [
    ("yiwang.cli.calendar", "calendar"),
    ("yiwang.cli.demo", "demo"),
]


def _register() -> None:
    for module_name, command in _SUBAPPS:
        module = importlib.import_module(module_name)
        app.add_typer(module.app, name=command)


def main() -> None:
    _register()
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)
