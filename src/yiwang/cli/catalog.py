"""`yiwang catalog check|diff|load`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table

from yiwang.calendar import describe_limit_text
from yiwang.catalog.diff import diff_catalogs
from yiwang.catalog.errors import CatalogInvalid
from yiwang.catalog.loader import load_catalog_dir
from yiwang.catalog.models import CatalogSpec
from yiwang.catalog.validation import items_not_suppliable_alone
from yiwang.cli.common import console, err_console, fail, print_json

app = typer.Typer(help="服务目录 Service catalog: check, compare, load.", no_args_is_help=True)


def _refuse(path: Path, error: CatalogInvalid) -> NoReturn:
    err_console.print(
        f"[red]{path}: 目录有 {len(error.problems)} 处错误 / {len(error.problems)} problem(s)[/red]"
    )
    for problem in error.problems:
        err_console.print(f"  {problem}", highlight=False, soft_wrap=True, markup=False)
    raise typer.Exit(1) from None


def _load(path: Path, *, names: bool = True) -> CatalogSpec:
    """The catalog under ``path``; with ``names``, also checked against every registered
    extension (a catalog naming what no code provides is refused)."""
    from yiwang.bootstrap import checked_catalog, register_extensions

    if not path.is_dir():
        fail(f"目录不存在 / no catalog directory at {path}")
    try:
        return checked_catalog(path, register_extensions()) if names else load_catalog_dir(path)
    except CatalogInvalid as error:
        _refuse(path, error)


def _default_path() -> Path:
    from yiwang.bootstrap import SHIPPED_CATALOG

    return SHIPPED_CATALOG


@app.command()
def check(
    path: Annotated[
        Path | None, typer.Argument(help="Catalog directory (default: the shipped one).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Validate a catalog; every problem is listed with its file, item and field (exit 1)."""
    spec = _load(path or _default_path())
    warnings = items_not_suppliable_alone(spec.items, spec.bundles)
    summary = {
        "version": spec.version,
        "items": len(spec.items),
        "bundles": len(spec.bundles),
        "department_kinds": len(spec.department_kinds),
        "regions": len(spec.regions),
    }
    if json_output:
        print_json({"ok": True, **summary, "warnings": [str(w) for w in warnings]})
        return
    for warning in warnings:
        err_console.print(f"  warning: {warning}", highlight=False, soft_wrap=True, markup=False)
    console.print(
        f"[green]目录有效 catalog OK[/green] version {spec.version}: {summary['items']} items, "
        f"{summary['bundles']} bundles, {summary['department_kinds']} department kinds, {summary['regions']} regions"
    )


def _fmt(percent: float | None) -> str:
    return "—" if percent is None else f"{percent:+.1f}%"


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Old catalog directory.")],
    new: Annotated[Path, typer.Argument(help="New catalog directory.")],
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Materials, steps and time limits removed or added, per item and in total (R-CAT-5)."""
    # An old catalog may name what this code no longer provides: compare the data only.
    report = diff_catalogs(_load(old, names=False), _load(new, names=False))
    if json_output:
        print_json(report.to_json())
        return
    table = Table(title=f"目录对比 catalog diff {report.old_version} → {report.new_version}")
    for column in ("事项 item", "状态", "材料 −/+", "不再索要", "环节 −/+", "承诺时限", "法定时限"):
        table.add_column(column)
    for item in report.items:
        if item.status == "unchanged":
            continue
        table.add_row(
            f"{item.name}\n{item.code}",
            item.status,
            f"−{len(item.materials_removed)} / +{len(item.materials_added)}",
            str(len(item.materials_no_longer_asked)),
            f"−{len(item.steps_removed)} / +{len(item.steps_added)}",
            " → ".join(describe_limit_text(t).zh for t in item.promised_limit) if item.promised_limit else "",
            " → ".join(describe_limit_text(t).zh for t in item.legal_limit) if item.legal_limit else "",
        )
    console.print(table)
    totals = Table(title="合计 totals")
    for column in ("", "before", "after", "change"):
        totals.add_column(column)
    for name, change in report.totals.items():
        totals.add_row(name, f"{change.before:g}", f"{change.after:g}", _fmt(change.percent))
    console.print(totals)
    if report.lists:
        lists = Table(title="实施清单变更 implementation lists")
        for column in (
            "区划 region",
            "事项 item",
            "变更",
            "原 before",
            "现 after",
            "自 since",
            "依据 legal basis",
        ):
            lists.add_column(column)
        for entry in report.lists:
            lists.add_row(
                entry.region_code,
                entry.item_code,
                entry.change,
                entry.before,
                entry.after,
                entry.since,
                entry.legal_basis,
            )
        console.print(lists)


@app.command()
def load(
    path: Annotated[
        Path | None, typer.Argument(help="Catalog directory (default: the shipped one).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Publish the catalog to the configured database as the current version.

    New cases use it; running cases keep the version they started under.
    """
    from yiwang.bootstrap import bootstrap

    root = path or _default_path()
    spec = _load(root)  # refuses a broken catalog before anything is stored
    platform = bootstrap(catalog_dir=root)
    try:
        current = platform.catalogs.current().version
    finally:
        platform.dispose()
    if json_output:
        print_json({"version": current, "items": len(spec.items), "bundles": len(spec.bundles)})
        return
    console.print(
        f"当前目录版本 current catalog version: {current} ({len(spec.items)} items, {len(spec.bundles)} bundles)"
    )
