"""`yiwang report catalog` on the shipped catalog and its targets (real files): the plans'
figures as measured, the SVG chart, strict mode, and one-line refusals."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import typer
import yaml
from typer.testing import CliRunner

from yiwang.bootstrap import SHIPPED_CATALOG
from yiwang.catalog.loader import load_catalog_dir
from yiwang.cli.report import app as report_app
from yiwang.metrics.catalog_report import catalog_report, parse_targets

root = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
root.add_typer(report_app, name="report")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(root, ["report", "catalog", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def shipped_json(*args: str) -> dict[str, Any]:
    code, out, _ = run("--json", *args)
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


def test_medical_insurance_meets_plan_five() -> None:
    data = shipped_json("--domain", "medical")
    [medical] = data["domains"]
    total = medical["rows"][0]
    assert total["items"] == 34
    assert total["instant"] == 20 and total["instant_share"] >= 0.58
    assert total["online_or_mobile"] >= 28  # 80% of 34 is 27.2
    groups = [row["key"] for row in medical["rows"] if row["level"] == 1]
    assert groups == ["employee", "resident", "institution"]
    assert len([row for row in medical["rows"] if row["level"] == 2]) == 18
    checks = {check["code"]: check for check in medical["checks"]}
    assert checks["limit:medins.employee_manual_reimbursement"]["value"] == "10wd / legal 30wd"
    assert checks["limit:medins.relation_transfer"]["value"] == "15wd / legal 45wd"
    assert all(check["passed"] for check in medical["checks"]), [
        c for c in medical["checks"] if not c["passed"]
    ]


def test_every_domain_of_the_shipped_catalog_meets_its_targets() -> None:
    data = shipped_json()
    assert [d["code"] for d in data["domains"]] == [
        "medical",
        "real_estate",
        "talent",
        "cross_border",
        "internal",
    ]
    failing = [
        (d["code"], c["code"]) for d in data["domains"] for c in d["checks"] if c["passed"] is False
    ]
    assert failing == [] and data["passed"] is True
    real_estate = next(d for d in data["domains"] if d["code"] == "real_estate")
    assert {c["code"] for c in real_estate["checks"]} >= {
        "tier:instant",
        "tier:1wd",
        "tier:5wd",
        "tiers:complete",
    }
    code, _, _ = run("--strict")
    assert code == 0


def test_table_and_svg(tmp_path: Path) -> None:
    svg = tmp_path / "medical.svg"
    code, out, _ = run("--domain", "medical", "--svg", str(svg))
    assert code == 0
    assert "医疗保障经办服务" in out and "58.8%" in out and "全部达标" in out
    chart = ET.parse(svg).getroot()
    rows = chart.findall("{http://www.w3.org/2000/svg}g")
    assert len(rows) == 1 + 3 + 18  # total, three domains, eighteen categories
    assert {row.get("data-domain") for row in rows} == {"medical"}


def test_strict_mode_fails_when_a_target_is_missed(tmp_path: Path) -> None:
    targets = yaml.safe_load(
        (SHIPPED_CATALOG / "plans" / "targets.yaml").read_text(encoding="utf-8")
    )
    targets["domains"]["medical"]["shares"]["instant"] = 0.60  # 20/34 = 58.8% falls short
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(targets, allow_unicode=True), encoding="utf-8")
    code, out, _ = run("--domain", "medical", "--targets", str(path), "--strict", "--json")
    assert code == 1
    check = next(c for c in json.loads(out)["domains"][0]["checks"] if c["code"] == "instant_share")
    assert check["passed"] is False and check["value"] == "58.8%" and check["target"] == "≥ 60.0%"
    # Without --strict the report is still printed and the exit status is 0.
    assert run("--domain", "medical", "--targets", str(path))[0] == 0


def test_refusals_are_one_line_with_status_2(tmp_path: Path) -> None:
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("domains: [unclosed\n", encoding="utf-8")
    bad_share = tmp_path / "share.yaml"
    bad_share.write_text(
        "domains:\n  x:\n    select: {files: [a.yaml]}\n    shares: {instant: 2}\n",
        encoding="utf-8",
    )
    broken = tmp_path / "catalog"
    shutil.copytree(SHIPPED_CATALOG, broken)
    items = broken / "items" / "real_estate.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace(
            "department: natural_resources", "department: land", 1
        ),
        encoding="utf-8",
    )
    for args in (
        ("--domain", "nope"),
        ("--targets", str(bad_yaml)),
        ("--targets", str(bad_share)),
        ("--targets", str(tmp_path / "missing.yaml")),
        ("--catalog", str(tmp_path / "nowhere")),
        ("--catalog", str(broken)),
        ("--svg", str(tmp_path / "no" / "such" / "dir.svg")),
    ):
        code, out, err = run(*args)
        assert code == 2, args
        assert len([line for line in err.splitlines() if line.strip()]) == 1, (args, err)
        assert "Traceback" not in out + err


def test_report_functions_agree_with_the_cli() -> None:
    catalog = load_catalog_dir(SHIPPED_CATALOG)
    targets = parse_targets(
        yaml.safe_load((SHIPPED_CATALOG / "plans" / "targets.yaml").read_text(encoding="utf-8"))
    )
    report = catalog_report(catalog, targets, "medical")
    assert report.catalog_version == catalog.version
    assert (
        shipped_json("--domain", "medical")["domains"][0]["rows"][0]["items"]
        == report.domains[0].total.items
    )
