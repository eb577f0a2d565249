"""`yiwang audit verify|reads`: the data-access log (R-DATA-2)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from yiwang.cli.common import cell, console, err_console, print_json
from yiwang.localtime import local_iso

app = typer.Typer(help="访问日志 Access log: verify the hash chain, list reads of a subject.", no_args_is_help=True)


@app.command()
def verify(json_output: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Check every entry's hash and link, and the count and last hash against the head;
    exit 1 naming the first broken entry or the truncation."""
    from yiwang.bootstrap import access_log_with_head
    from yiwang.registries.audit import verify_chain

    entries, head = access_log_with_head()
    verdict = verify_chain(entries, head)
    if json_output:
        print_json(
            {
                "ok": verdict.ok,
                "entries_checked": verdict.entries,
                "first_broken_entry": verdict.first_broken_id,
                "reason": verdict.reason,
                "head_hash": verdict.head_hash,
            }
        )
    elif verdict.ok:
        console.print(f"访问日志完整 access log intact: {verdict.entries} entries, head {verdict.head_hash}")
    else:
        err_console.print(
            f"访问日志被篡改 access log broken at entry {verdict.first_broken_id}: {verdict.reason}",
            markup=False,
        )
    if not verdict.ok:
        raise typer.Exit(1)


@app.command()
def reads(
    subject: Annotated[str, typer.Argument(help="公民身份号码 or 统一社会信用代码")],
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Who read this person's or enterprise's data, what, why and under which case."""
    from yiwang.bootstrap import access_log

    entries = access_log(subject.strip().upper())
    rows: list[dict[str, object]] = [
        {
            "at": local_iso(e.record.at),
            "reader": e.record.reader,
            "dataset": e.record.dataset,
            "fields": list(e.record.fields),
            "purpose": e.record.purpose,
            "case_id": e.record.case_id,
        }
        for e in entries
    ]
    if json_output:
        print_json(rows)
        return
    table = Table(title="数据被查阅记录 reads of this subject's data")
    for column in ("时间 at", "查阅者 reader", "数据 dataset", "用途 purpose", "办件 case"):
        table.add_column(column)
    for e in entries:
        record = e.record
        table.add_row(
            local_iso(record.at, "minutes"),
            cell(record.reader),
            cell(f"{record.dataset}.{','.join(record.fields)}"),
            cell(record.purpose),
            cell(record.case_id or ""),
        )
    console.print(table)
