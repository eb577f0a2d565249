"""Helpers shared by the sub-commands: errors as one line and an exit status, never a traceback."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from yiwang.localtime import local_iso

console = Console()
err_console = Console(stderr=True)


# Characters that move the cursor, recolour or retitle the terminal, or reorder what follows
# (bidi overrides): shown as escapes, never sent raw.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain(value: object) -> str:
    """Text from applicants or registries made safe for a terminal: control characters
    (ESC, CR, new lines that would draw a fake table row, DEL, C1) and bidi controls become
    visible escapes such as ``\\x1b`` and ``\\n``."""
    text = "" if value is None else str(value)
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif ch in _BIDI or 0xD800 <= code < 0xE000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def cell(value: object) -> Text:
    """A table cell of untrusted text: escaped as `plain` and never read as Rich markup."""
    return Text(plain(value))


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print("[red]错误 error:[/red] ", end="")
    err_console.print(message, highlight=False, soft_wrap=True, markup=False)
    raise typer.Exit(code)


def _plain(value: Any) -> str:
    # Instants are shown in local time with their offset, as everywhere a person reads them.
    return local_iso(value) if isinstance(value, datetime) else str(value)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n")
