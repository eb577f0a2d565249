"""The shipped data files: credit rules (catalog/credit/rules.yaml) and sample plans, and
``yiwang credit classify`` on a real enterprise file."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

from yiwang.cli.credit import app as credit_app
from yiwang.credit.rules import load_rules_text
from yiwang.inspections.schemas import load_plan_text

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "catalog" / "credit" / "rules.yaml"

root = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
root.add_typer(credit_app, name="credit")
runner = CliRunner()


def _unit_rules_doc() -> dict[str, Any]:
    path = ROOT / "tests" / "unit" / "credit" / "credit_factories.py"
    spec = importlib.util.spec_from_file_location("credit_factories_for_catalog_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    doc: dict[str, Any] = module.RULES_DOC
    return doc


def test_shipped_credit_rules_are_the_ones_the_unit_tests_work_through() -> None:
    shipped = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    assert shipped == _unit_rules_doc()
    rules = load_rules_text(RULES.read_text(encoding="utf-8"))
    assert [rule.rule_id[0] for rule in rules.rules] == list("SSSSGGGGGGMMMM")


@pytest.mark.parametrize("path", sorted((ROOT / "catalog" / "inspections").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_sample_plans_are_valid(path: Path) -> None:
    plan = load_plan_text(path.read_text(encoding="utf-8"))
    assert plan.rates[-1][1] > max(rate for _, rate in plan.rates[:-1])
    assert len(plan.departments) * plan.inspectors_per_department >= 2


ENTERPRISE = """
credit_code: 91370102MA0000001B
as_of: 2024-06-30
records:
  - id: P-1
    kind: 行政处罚
    occurred_on: 2024-03-01
    department: 济南市市场监督管理局
    severity: 一般
    legal_basis: 《食品安全法》第一百二十六条
  - id: V-1
    kind: inspection_violation
    occurred_on: 2024-05-01
    department: samr
    severity: minor
    legal_basis: 市场监管领域轻微违法行为免罚清单
    violation_code: NP-SAMR-001
"""


def write_enterprise(tmp_path: Path, text: str = ENTERPRISE) -> Path:
    from stdnum.cn import uscc

    code = "91370102MA0000001"
    text = text.replace("91370102MA0000001B", code + uscc.calc_check_digit(code))
    path = tmp_path / "enterprise.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_classify_shows_class_rule_and_records(tmp_path: Path) -> None:
    result = runner.invoke(root, ["credit", "classify", str(write_enterprise(tmp_path)),
                                  "--rules", str(RULES)])
    assert result.exit_code == 0, result.stderr
    assert "一般失信" in result.stdout
    assert "G1-GENERAL-PENALTY" in result.stdout
    assert "V-1" in result.stdout and "免罚清单" in result.stdout


def test_classify_json_and_as_of_option(tmp_path: Path) -> None:
    result = runner.invoke(root, ["credit", "classify", str(write_enterprise(tmp_path)),
                                  "--rules", str(RULES), "--as-of", "2026-06-30", "--json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["credit_class"], document["rule_id"]) == ("诚信守法", "T0-DEFAULT")


def test_classify_bad_input_exits_2(tmp_path: Path) -> None:
    bad = write_enterprise(tmp_path, ENTERPRISE.replace("severity: 一般", "severity: 很严重"))
    result = runner.invoke(root, ["credit", "classify", str(bad), "--rules", str(RULES)])
    assert result.exit_code == 2
    assert "severity" in result.stderr and "Traceback" not in result.stderr
    result = runner.invoke(root, ["credit", "classify", str(tmp_path / "none.yaml"),
                                  "--rules", str(RULES)])
    assert result.exit_code == 2


def test_check_rules(tmp_path: Path) -> None:
    result = runner.invoke(root, ["credit", "check-rules", str(RULES)])
    assert result.exit_code == 0 and "14" in result.stdout
    broken = tmp_path / "rules.yaml"
    broken.write_text(RULES.read_text(encoding="utf-8").replace("at_least: 3", "at_least: 0"),
                      encoding="utf-8")
    result = runner.invoke(root, ["credit", "check-rules", str(broken)])
    assert result.exit_code == 2 and "at_least" in result.stderr
