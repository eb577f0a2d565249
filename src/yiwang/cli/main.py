"""The ``yiwang`` command: one Typer app with one sub-app per bounded context."""

from __future__ import annotations

import importlib
import sys

import typer

# Typer 0.2x ships its own copy of click (typer._click); older releases use click itself.
try:
    from typer._click.exceptions import NoArgsIsHelpError as _NoArgs
    from typer._click.exceptions import UsageError as _UsageError
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click.exceptions import NoArgsIsHelpError as _NoArgs  # type: ignore[assignment,no-redef]
    from click.exceptions import UsageError as _UsageError  # type: ignore[assignment,no-redef]

app = typer.Typer(
    name="yiwang",
    help="Yiwang (一网) one-stop government services platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# (module, sub-command name); each module exposes a Typer `app`. Imported lazily-by-list so a
# context under construction does not break the others.
_SUBAPPS: list[tuple[str, str, str]] = [
    ("yiwang.cli.calendar", "app", "calendar"),
    ("yiwang.cli.catalog", "app", "catalog"),
    ("yiwang.cli.demo", "app", "demo"),
    ("yiwang.cli.operations", "db_app", "db"),
    ("yiwang.cli.audit", "app", "audit"),
    ("yiwang.cli.licences", "keys_app", "keys"),
    ("yiwang.cli.licences", "licence_app", "licence"),
    ("yiwang.cli.credit", "app", "credit"),
    ("yiwang.cli.inspections", "app", "inspect"),
    ("yiwang.cli.postcheck", "app", "postcheck"),
    ("yiwang.cli.serve", "app", "serve"),
    ("yiwang.cli.projects", "app", "projects"),
    ("yiwang.cli.report", "app", "report"),
    ("yiwang.cli.accounts", "app", "accounts"),
]
_COMMANDS: list[tuple[str, str, str]] = [
    ("yiwang.cli.operations", "sweep", "sweep"),
    ("yiwang.cli.worker", "worker", "worker"),
]


def _register() -> None:
    for module_name, attribute, command in _SUBAPPS:
        module = importlib.import_module(module_name)
        app.add_typer(getattr(module, attribute), name=command)
    for module_name, attribute, command in _COMMANDS:
        module = importlib.import_module(module_name)
        app.command(name=command)(getattr(module, attribute))


def _first_line(error: BaseException) -> str:
    # SQLAlchemy wraps the driver's error and appends the statement and a link; the driver's
    # own first line ("connection refused", "unable to open database file") is the news.
    cause = getattr(error, "orig", None) or error
    text = str(cause).strip().splitlines()
    return (text[0] if text else type(cause).__name__)[:300]


def _environment_problem(error: BaseException) -> str | None:
    """One bilingual line for an error of the operator's setup (a database that cannot be
    reached or opened, a file that cannot be read or written), None for anything else. The
    CLI may not import SQLAlchemy (import contracts), so its errors are known by module."""
    modules = {kind.__module__.split(".")[0] for kind in type(error).__mro__}
    if modules & {"sqlalchemy", "psycopg", "psycopg2", "sqlite3"}:
        return f"无法打开数据库，请检查 YIWANG_DATABASE_URL / cannot open the database, check YIWANG_DATABASE_URL: {_first_line(error)}"
    if isinstance(error, OSError):
        return f"无法读写文件或连接 / cannot read, write or connect: {_first_line(error)}"
    return None


def main() -> None:
    _register()
    try:
        result = app(standalone_mode=False)
    except _NoArgs as error:
        if error.ctx is not None:
            sys.stdout.write(error.ctx.get_help() + "\n")
        sys.exit(2)
    except _UsageError as error:
        # Scripts get one line and status 2, not a usage box (the CLI contract).
        command = error.ctx.command_path if error.ctx is not None else "yiwang"
        sys.stderr.write(f"错误 error: {error.format_message()} (see `{command} --help`)\n")
        sys.exit(2)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)
    except Exception as error:
        line = _environment_problem(error)
        if line is None:
            raise  # a bug, not the operator's setup: the traceback is what a developer needs
        sys.stderr.write(f"错误 error: {line}\n")
        sys.exit(2)
    sys.exit(result if isinstance(result, int) else 0)
