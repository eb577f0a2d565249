"""Inspection results: per-item outcomes, the credit records they feed, open data."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date

import pytest
from inspection_factories import SEED, plan, plan_sha, pools, population

from yiwang.credit.models import CreditClass, RecordKind, Severity
from yiwang.credit.rules import parse_rules
from yiwang.credit.services import classify
from yiwang.inspections.draw import draw
from yiwang.inspections.errors import ResultError
from yiwang.inspections.models import DrawResult, InspectionResult, ItemOutcome
from yiwang.inspections.results import (
    credit_records_from_results,
    open_data_json,
    results_csv,
    results_json,
    validate_results,
)
from yiwang.inspections.roster import EnterpriseRoster, InspectorRoster


def drawn() -> DrawResult:
    rnd = random.Random(41)
    value = plan()
    return draw(value, plan_sha(value), EnterpriseRoster.from_entries(population(200, rnd)),
                InspectorRoster(pools(rnd)), SEED)


def result(code: str, item: str = "SAMR-01", outcome: ItemOutcome = ItemOutcome.PASS,
           **extra: object) -> InspectionResult:
    department = "samr" if item.startswith("SAMR") else "tax"
    return InspectionResult(
        plan_id="TEST-2024-01", credit_code=code, item_id=item, department_id=department,
        outcome=outcome, inspected_on=date(2024, 5, 6), inspectors=("SAMR001", "SAMR002"),
        **extra,  # type: ignore[arg-type]
    )


def test_only_violations_feed_credit_records() -> None:
    code = drawn().selected[0].credit_code
    results = [
        result(code, "SAMR-01", ItemOutcome.PASS),
        result(code, "TAX-01", ItemOutcome.VIOLATION, severity=Severity.GENERAL,
               legal_basis="《税收征收管理法》第六十条", findings_zh="未按规定保管发票"),
    ]
    records = credit_records_from_results(results)
    assert len(records) == 1
    record = records[0]
    assert (record.kind, record.severity, record.source_department, record.occurred_on) == (
        RecordKind.INSPECTION_VIOLATION, Severity.GENERAL, "tax", date(2024, 5, 6))
    assert record.record_id == f"INSP-TEST-2024-01-{code}-TAX-01"


MINIMAL_RULES = {
    "version": "test",
    "rules": [{"id": "G1", "class": "一般失信", "text_zh": "2年内一般违法",
               "condition": {"kinds": ["inspection_violation"], "severities": ["general"],
                             "window_days": 730}}],
    "default": {"id": "T0", "class": "诚信守法", "text_zh": "无"},
    "grace_period": {"min_years": 1, "max_years": 3, "kinds": ["inspection_violation"]},
    "no_penalty_list": {"kinds": ["inspection_violation"], "lookback_days": 730, "items": []},
    "repeat_violations": {"kinds": ["inspection_violation"], "severities": ["minor"],
                          "window_days": 365, "warning_at": 2, "key_attention_at": 3},
    "repair": [],
    "commitments": {"post_check_share": "0.1"},
}


def test_a_violation_found_lowers_the_class_under_the_rules() -> None:
    code = drawn().selected[0].credit_code
    records = credit_records_from_results([
        result(code, "SAMR-01", ItemOutcome.VIOLATION, severity=Severity.GENERAL,
               legal_basis="《企业信息公示暂行条例》第十八条")])
    assert classify(records, date(2024, 6, 30), parse_rules(MINIMAL_RULES)).credit_class \
        is CreditClass.GENERAL_DISHONESTY


def test_issues_found_make_no_record() -> None:
    code = drawn().selected[0].credit_code
    assert credit_records_from_results([result(code, outcome=ItemOutcome.ISSUES_FOUND)]) == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"credit_code": "91370102MA0000000X"}, "not drawn"),
        ({"item_id": "POLICE-01"}, "not on the plan"),
        ({"department_id": "tax"}, "belongs to department samr"),
        ({"inspected_on": date(2024, 7, 1)}, "outside the plan period"),
        ({"outcome": ItemOutcome.VIOLATION}, "severity"),
    ],
)
def test_invalid_results_are_refused(change: dict[str, object], message: str) -> None:
    import dataclasses

    selection = drawn()
    good = result(selection.selected[0].credit_code)
    with pytest.raises(ResultError, match=message):
        validate_results(plan(), selection, [dataclasses.replace(good, **change)])  # type: ignore[arg-type]


def test_open_data_csv_and_json_carry_every_result() -> None:
    selection = drawn()
    results = [result(c.credit_code) for c in selection.selected[:5]]
    validate_results(plan(), selection, results)
    rows = list(csv.DictReader(io.StringIO(results_csv(results))))
    assert [r["credit_code"] for r in rows] == sorted(c.credit_code
                                                      for c in selection.selected[:5])
    assert {r["outcome_zh"] for r in rows} == {"未发现问题"}
    as_json = json.loads(results_json(results))
    assert [r["credit_code"] for r in as_json] == [r["credit_code"] for r in rows]
    everything = json.loads(open_data_json([plan()], [selection], results))
    assert everything["plans"][0]["id"] == "TEST-2024-01"
    assert len(everything["draws"][0]["selected"]) == len(selection.selected)
    assert len(everything["results"]) == 5
