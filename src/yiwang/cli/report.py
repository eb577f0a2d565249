"""`yiwang report catalog`: the catalog's figures beside the plans' targets (pass/fail)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.table import Table
from rich.text import Text as RichText

from yiwang.catalog.errors import CatalogInvalid
from yiwang.catalog.loader import load_catalog_dir
from yiwang.cli.common import console, fail, print_json
from yiwang.metrics.catalog_report import (
    CatalogReport,
    DomainReport,
    ReportError,
    catalog_report,
    days,
    parse_targets,
    percent,
    report_json,
    svg_chart,
)

app = typer.Typer(
    help="报表 Reports: the catalog against the plans' numeric targets.", no_args_is_help=True
)

TARGETS_FILE = Path("plans") / "targets.yaml"


@app.callback()
def report() -> None:
    """报表 Reports (a group, so more reports can join `catalog`)."""


def _default_catalog() -> Path:
    from yiwang.bootstrap import SHIPPED_CATALOG

    return SHIPPED_CATALOG


def _read_targets(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"无法读取目标文件 / cannot read the targets file {path}: {error.strerror}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        fail(f"目标文件 YAML 语法错误 / YAML syntax error in {path}{line}")


def _mark(passed: bool | None) -> str:
    return {True: " ✓", False: " ✗", None: ""}[passed]


def _verdict(passed: bool | None) -> RichText:
    if passed is None:
        return RichText("—", style="dim")
    return (
        RichText("通过 pass", style="green")
        if passed
        else RichText("未达标 FAIL", style="bold red")
    )


def _domain_tables(domain: DomainReport) -> tuple[Table, Table]:
    shares = domain.targets.shares
    cut = domain.targets.compression
    plan = f"（方案{domain.plan}）" if domain.plan is not None else ""
    title = f"{domain.name.zh}{plan} {domain.name.en}"
    marked = any(
        t is not None
        for t in (shares.instant, shares.online_or_mobile, shares.materials_not_asked, cut)
    )
    table = Table(
        title=title,
        title_justify="left",
        caption="方案目标按合计考核，类别行的 ✓/✗ 仅供参考 / the targets apply to the total; "
        "marks on categories are indicative"
        if marked
        else None,
        caption_justify="left",
    )

    def target(share: Fraction | None) -> str:
        return f" ≥{percent(share)}" if share is not None else ""

    table.add_column("类别\ncategory")
    table.add_column("事项\nitems", justify="right")
    table.add_column(f"即办\ninstant{target(shares.instant)}", justify="right")
    table.add_column(f"网上/掌上\nonline{target(shares.online_or_mobile)}", justify="right")
    table.add_column("材料/项\nasked/all", justify="right")
    table.add_column(f"免提交\nnot asked{target(shares.materials_not_asked)}", justify="right")
    table.add_column("时限(工作日)\npromised/legal", justify="right")
    table.add_column(f"压缩\ncut{target(cut)}", justify="right")
    for row in domain.rows:
        figures = row.figures
        marks = domain.marks(figures)
        label = ("  " * max(row.level - 1, 0)) + row.label
        style = "bold" if row.level < 2 else ""
        table.add_row(
            label,
            str(figures.items),
            percent(figures.instant_share) + _mark(marks["instant_share"]),
            percent(figures.online_share) + _mark(marks["online_share"]),
            f"{days(figures.materials_asked_per_item)} / {days(figures.materials_per_item)}",
            percent(figures.materials_not_asked_share) + _mark(marks["materials_not_asked"]),
            f"{days(figures.mean_promised_days)} / {days(figures.mean_legal_days)}",
            percent(figures.compression) + _mark(marks["compression"]),
            style=style,
        )
    checks = Table(title=f"{domain.name.zh} 目标核对 targets", title_justify="left")
    for column in ("指标 target", "实测 measured", "目标 plan", "结论 result", "说明 detail"):
        checks.add_column(column)
    for check in domain.checks:
        checks.add_row(
            f"{check.label.zh}\n{check.label.en}",
            check.value,
            check.target,
            _verdict(check.passed),
            check.detail,
        )
    return table, checks


def _print(report: CatalogReport) -> None:
    for domain in report.domains:
        table, checks = _domain_tables(domain)
        console.print(table)
        if domain.checks:
            console.print(checks)
        console.print()
    summary = "全部达标 all targets met" if report.passed else "有未达标项 some targets missed"
    style = "green" if report.passed else "bold red"
    console.print(f"[{style}]{summary}[/{style}] (catalog {report.catalog_version})")


@app.command("catalog")
def catalog_command(
    domain: Annotated[
        str | None, typer.Option("--domain", help="Only this domain, e.g. medical.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    svg: Annotated[
        Path | None, typer.Option("--svg", help="Also write an SVG bar chart to this file.")
    ] = None,
    catalog_path: Annotated[
        Path | None, typer.Option("--catalog", help="Catalog directory (default: the shipped one).")
    ] = None,
    targets_path: Annotated[
        Path | None,
        typer.Option("--targets", help="Targets file (default: <catalog>/plans/targets.yaml)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with status 1 when a target is missed.")
    ] = False,
) -> None:
    """Per domain and category: items, instant share, online/mobile share, materials asked of
    the applicant against all materials, promised against legal limits — beside the targets."""
    root = catalog_path or _default_catalog()
    if not root.is_dir():
        fail(f"目录不存在 / no catalog directory at {root}")
    try:
        catalog = load_catalog_dir(root)
    except CatalogInvalid as error:
        fail(
            f"目录有 {len(error.problems)} 处错误，请先运行 yiwang catalog check / "
            f"the catalog has {len(error.problems)} problem(s); run `yiwang catalog check`"
        )
    targets_file = targets_path or root / TARGETS_FILE
    try:
        targets = parse_targets(_read_targets(targets_file), str(targets_file))
        report = catalog_report(catalog, targets, domain)
    except ReportError as error:
        fail(str(error))
    if svg is not None:
        try:
            svg.write_text(svg_chart(report), encoding="utf-8")
        except OSError as error:
            fail(f"无法写入 / cannot write {svg}: {error.strerror}")
    if json_output:
        print_json(report_json(report))
    else:
        _print(report)
        if svg is not None:
            console.print(f"SVG: {svg}")
    if strict and not report.passed:
        raise typer.Exit(1)
