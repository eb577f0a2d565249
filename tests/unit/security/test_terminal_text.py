"""Applicant text reaching an operator's terminal: no escape codes, no Rich markup, no fake
table rows."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from yiwang.cli.common import cell, plain

HOSTILE = "明湖项目\x1b]0;pwned\x07\x1b[2J[bold red]通过[/bold red]\n│ YW-FAKE │ 已办结 │\u202egpj.exe\x9b"


def _render(*cells: object) -> str:
    table = Table("case", "project")
    table.add_row(*cells)  # type: ignore[arg-type]
    out = io.StringIO()
    Console(file=out, width=200, color_system=None, force_terminal=False).print(table)
    return out.getvalue()


def test_plain_shows_control_and_bidi_characters_as_escapes() -> None:
    text = plain(HOSTILE)
    assert "\x1b" not in text and "\x07" not in text and "\n" not in text and "\x9b" not in text
    assert "\u202e" not in text
    assert "\\x1b]0;pwned" in text and "\\x0a" in text and "\\u202e" in text
    assert plain("泉城路188号 Quancheng Rd.") == "泉城路188号 Quancheng Rd."


def test_a_hostile_cell_is_one_row_and_shows_its_markup_literally() -> None:
    rendered = _render("YW20261126AAAA", cell(HOSTILE))
    assert "[bold red]通过[/bold red]" in rendered  # shown, not interpreted
    assert "\x1b" not in rendered
    rows = [line for line in rendered.splitlines() if "YW" in line]
    assert len(rows) == 1  # the new line did not draw a second row


def test_without_cell_the_same_text_would_forge_a_row() -> None:
    # The finding: a raw string is read as markup and its new line draws another row.
    rendered = _render("YW20261126AAAA", HOSTILE)
    assert "[bold red]" not in rendered
    assert len([line for line in rendered.splitlines() if "YW" in line]) == 2
