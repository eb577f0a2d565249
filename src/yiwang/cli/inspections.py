"""``yiwang inspect``: verifiable double-random draws (双随机、一公开).

* ``yiwang inspect draw PLAN.yaml --roster E.csv --inspectors I.csv --out DIR`` freezes the
  roster, writes the pre-publication, draws and writes the post-publication files in DIR.
* ``yiwang inspect verify DIR`` re-runs the draw from the published files: exit 0 when the
  selection is reproduced, 1 when anything differs (the reason is named), 2 on bad input.
"""

from __future__ import annotations

import json
import secrets
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated, BinaryIO, NoReturn

import rich.progress
import typer

from yiwang.cli.common import fail
from yiwang.inspections.errors import InspectionError
from yiwang.inspections.publication import draw_to_directory, verify_directory
from yiwang.inspections.roster import read_enterprise_roster, read_inspector_roster
from yiwang.inspections.schemas import load_plan_text

app = typer.Typer(
    help="双随机抽查:可验证的抽取 / double-random inspections: verifiable draws.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _bad_input(message: str) -> NoReturn:
    fail(message.replace("\n", " "), 2)


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _bad_input(f"找不到{what}文件 {path} / {what} file not found: {path}")
    except (UnicodeDecodeError, IsADirectoryError):
        _bad_input(f"无法读取{what}文件 {path} / cannot read {what} file {path}")


def _parse_seed(seed_hex: str | None) -> bytes:
    if seed_hex is None:
        return secrets.token_bytes(32)
    try:
        seed = bytes.fromhex(seed_hex.strip())
    except ValueError:
        _bad_input("种子应为十六进制 / --seed must be hexadecimal")
    if len(seed) < 16:
        _bad_input("种子至少16字节(32个十六进制字符) / --seed needs at least 16 bytes")
    return seed


@app.command("draw")
def draw_command(
    plan_file: Annotated[Path, typer.Argument(help="抽查计划 YAML / plan YAML")],
    roster: Annotated[Path, typer.Option("--roster", help="企业名册 CSV / enterprise roster")],
    inspectors: Annotated[
        Path, typer.Option("--inspectors", help="执法人员名录 CSV / inspector pools")
    ],
    out: Annotated[Path, typer.Option("--out", help="公布文件目录 / output directory")],
    seed: Annotated[
        str | None, typer.Option("--seed", help="种子(十六进制),默认随机 / seed hex")
    ] = None,
    beacon: Annotated[
        str, typer.Option("--beacon", help="公开随机信标的取值 / public beacon value")
    ] = "",
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出 / JSON output")] = False,
) -> None:
    """Freeze the roster, publish the commitments, draw and publish the selection."""
    plan_text = _read_text(plan_file, "抽查计划")
    seed_bytes = _parse_seed(seed)
    try:
        plan = load_plan_text(plan_text)
        with roster.open("rb") as stream:
            enterprise_roster, _ = read_enterprise_roster(stream)
        with inspectors.open("rb") as stream:
            inspector_roster, _ = read_inspector_roster(stream)
        published = draw_to_directory(
            out, plan, enterprise_roster, inspector_roster, seed_bytes, beacon
        )
    except FileNotFoundError as exc:
        _bad_input(f"找不到文件 {exc.filename} / file not found: {exc.filename}")
    except InspectionError as exc:
        _bad_input(str(exc))
    result = published.result
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "plan_id": result.plan_id,
                    "directory": str(out),
                    "roster_sha256": published.pre.roster_sha256,
                    "seed_commitment": published.pre.seed_commitment,
                    "strata": [
                        {
                            "credit_class": s.credit_class.value,
                            "eligible": s.eligible_count,
                            "rate": str(s.rate),
                            "selected": s.selected_count,
                        }
                        for s in result.strata
                    ],
                    "selected": len(result.selected),
                },
                ensure_ascii=False,
            )
        )
        return
    typer.echo(
        f"抽查计划 {result.plan_id}: 抽取 {len(result.selected)} 户企业 / "
        f"plan {result.plan_id}: {len(result.selected)} enterprises drawn"
    )
    for s in result.strata:
        typer.echo(
            f"  {s.credit_class.value}: 名册 {s.roster_count}, 符合条件 {s.eligible_count}, "
            f"比例 {s.rate}, 抽中 {s.selected_count}"
        )
    typer.echo(f"名册哈希 / roster hash: {published.pre.roster_sha256}")
    typer.echo(f"种子承诺 / seed commitment: {published.pre.seed_commitment}")
    typer.echo(f"公布文件 / published files: {out}")


@app.command("verify")
def verify_command(
    directory: Annotated[Path, typer.Argument(help="公布文件目录 / published draw directory")],
    pre_publication: Annotated[
        Path | None,
        typer.Option(
            "--pre-publication",
            help="事前取得的预公布文件 / the pre-publication as obtained before the draw",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出 / JSON output")] = False,
) -> None:
    """Re-run a published draw; exit 0 if reproduced, 1 if anything differs, 2 on bad input."""
    if not directory.is_dir():
        _bad_input(f"目录不存在 {directory} / not a directory: {directory}")

    def open_roster(path: Path) -> AbstractContextManager[BinaryIO]:
        # A province's roster is hundreds of MB: show how far reading and hashing has got.
        return rich.progress.open(
            path, "rb", description="读取并校验名册 reading and hashing the roster", disable=as_json
        )

    try:
        outcome = verify_directory(directory, pre_publication, open_roster=open_roster)
    except InspectionError as exc:
        _bad_input(str(exc))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "ok": outcome.ok,
                    "selected": outcome.selected_count,
                    "problems": [{"code": p.code, "message": p.message} for p in outcome.problems],
                },
                ensure_ascii=False,
            )
        )
    elif outcome.ok:
        typer.echo(
            f"验证通过:重新抽取结果与公布结果一致({outcome.selected_count} 户) / "
            f"verified: the draw reproduces the published selection "
            f"({outcome.selected_count} enterprises)"
        )
    else:
        for problem in outcome.problems:
            typer.echo(f"验证失败 [{problem.code}] {problem.message}", err=True)
    if not outcome.ok:
        raise typer.Exit(1)
