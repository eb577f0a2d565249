"""`yiwang postcheck draw|record`: post-checks of instant decisions on credit commitments."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated

import typer

from yiwang.cli.common import console, fail, print_json

app = typer.Typer(
    help="事后核查 Post-checks of instant decisions made on credit commitments.",
    no_args_is_help=True,
)


@app.command()
def draw(
    seed: Annotated[str, typer.Option(help="Published seed of this draw (any text).")],
    share: Annotated[
        str | None, typer.Option(help="Share to draw, e.g. 0.2 (default: the credit rules').")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Draw decisions for a post-check: ranked by SHA-256(seed | decision id), reproducible."""
    from yiwang.bootstrap import bootstrap

    try:
        fraction = Fraction(share) if share is not None else None
    except (ValueError, ZeroDivisionError):
        fail(f"比例格式错误 / bad share {share!r}")
    if fraction is not None and not 0 <= fraction <= 1:
        fail(f"比例须在0到1之间 / share must be within 0..1: {share}")
    platform = bootstrap()
    try:
        draw_id, drawn = platform.credit.draw_post_checks(seed.encode("utf-8"), fraction)
    finally:
        platform.dispose()
    if json_output:
        print_json({"draw_id": draw_id, "drawn": drawn})
        return
    console.print(f"抽取 draw {draw_id}: {len(drawn)} 项 decision(s)")
    for decision_id in drawn:
        console.print(f"  {decision_id}")


@app.command()
def record(
    decision_id: Annotated[str, typer.Argument()],
    false_commitment: Annotated[
        bool, typer.Option("--false/--true", help="Was the commitment found false?")
    ],
    department: Annotated[str, typer.Option(help="Checking department code.")],
    finding: Annotated[str, typer.Option(help="What the check found.")] = "",
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record a post-check; a false commitment revokes the decision and its licence."""
    from yiwang.bootstrap import bootstrap
    from yiwang.cases.errors import CaseError

    platform = bootstrap()
    try:
        result = platform.credit.record_post_check(
            decision_id, found_false=false_commitment, department=department, finding=finding
        )
    except CaseError as error:
        fail(str(error))
    finally:
        platform.dispose()
    summary = {
        "decision_id": result.decision_id,
        "found_false": result.found_false,
        "licence_revoked": result.licence_revoked,
        "credit_class": result.classification.credit_class.value,
        "rule": result.classification.rule_id,
    }
    if json_output:
        print_json(summary)
    else:
        console.print(summary)
