"""Inspection results: validation, the credit records they feed, and open data (CSV, JSON).

A result is recorded per drawn enterprise and per plan item:

* ``pass`` (未发现问题) and ``issues_found`` (发现问题,责令整改) make no credit record;
* ``violation`` (发现违法行为) makes one ``inspection_violation`` record with the result's
  severity, violation code and legal basis, from the item's department; the credit rules then
  decide what it means for the class (a first minor violation on the no-penalty list is waived).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from yiwang.credit.models import CreditRecord, RecordKind
from yiwang.inspections.errors import ResultError
from yiwang.inspections.models import (
    DrawResult,
    InspectionPlan,
    InspectionResult,
    ItemOutcome,
)
from yiwang.inspections.schemas import plan_to_dict
from yiwang.inspections.services import selection_to_dict

RESULT_COLUMNS = (
    "plan_id",
    "credit_code",
    "item_id",
    "department_id",
    "outcome",
    "outcome_zh",
    "inspected_on",
    "inspectors",
    "severity",
    "violation_code",
    "legal_basis",
    "findings_zh",
)


def validate_results(
    plan: InspectionPlan, draw_result: DrawResult, results: Iterable[InspectionResult]
) -> tuple[InspectionResult, ...]:
    """Check results belong to the plan, a drawn enterprise and an item of the plan."""
    drawn = {e.credit_code for e in draw_result.selected}
    items = {item.item_id: item for item in plan.items}
    seen: set[tuple[str, str]] = set()
    checked = []
    for result in results:
        where = f"{result.credit_code}/{result.item_id}"
        if result.plan_id != plan.plan_id:
            raise ResultError(f"{where}: 检查结果属于计划 {result.plan_id} / the result belongs "
                              f"to plan {result.plan_id}, not {plan.plan_id}")
        if result.credit_code not in drawn:
            raise ResultError(f"{where}: 该企业未被抽中 / the enterprise was not drawn")
        item = items.get(result.item_id)
        if item is None:
            raise ResultError(f"{where}: 抽查事项不在计划中 / the item is not on the plan")
        if item.department_id != result.department_id:
            raise ResultError(f"{where}: 事项由 {item.department_id} 检查 / the item belongs to "
                              f"department {item.department_id}")
        if (result.credit_code, result.item_id) in seen:
            raise ResultError(f"{where}: 重复的检查结果 / duplicate result")
        seen.add((result.credit_code, result.item_id))
        if not plan.period_start <= result.inspected_on <= plan.period_end:
            raise ResultError(f"{where}: 检查日期不在计划期间内 / the inspection date lies "
                              "outside the plan period")
        if result.outcome is ItemOutcome.VIOLATION and (
            result.severity is None or not result.legal_basis.strip()
        ):
            raise ResultError(f"{where}: 违法行为须注明严重程度和法律依据 / a violation needs "
                              "a severity and a legal basis")
        checked.append(result)
    return tuple(checked)


def credit_records_from_results(results: Iterable[InspectionResult]) -> tuple[CreditRecord, ...]:
    """The credit records a set of results feeds (violations only)."""
    records = []
    for result in results:
        if result.outcome is not ItemOutcome.VIOLATION:
            continue
        if result.severity is None:
            raise ResultError(f"{result.credit_code}/{result.item_id}: 违法行为须注明严重程度 / "
                              "a violation needs a severity")
        records.append(CreditRecord(
            record_id=f"INSP-{result.plan_id}-{result.credit_code}-{result.item_id}",
            credit_code=result.credit_code,
            kind=RecordKind.INSPECTION_VIOLATION,
            occurred_on=result.inspected_on,
            source_department=result.department_id,
            legal_basis=result.legal_basis,
            severity=result.severity,
            summary_zh=result.findings_zh,
            violation_code=result.violation_code,
            reference=result.plan_id,
        ))
    return tuple(records)


def _result_row(result: InspectionResult) -> dict[str, Any]:
    return {
        "plan_id": result.plan_id,
        "credit_code": result.credit_code,
        "item_id": result.item_id,
        "department_id": result.department_id,
        "outcome": result.outcome.value,
        "outcome_zh": result.outcome.label_zh,
        "inspected_on": result.inspected_on.isoformat(),
        "inspectors": ";".join(result.inspectors),
        "severity": result.severity.value if result.severity else "",
        "violation_code": result.violation_code or "",
        "legal_basis": result.legal_basis,
        "findings_zh": result.findings_zh,
    }


def _ordered(results: Iterable[InspectionResult]) -> list[InspectionResult]:
    return sorted(results, key=lambda r: (r.plan_id, r.credit_code, r.item_id))


def results_csv(results: Iterable[InspectionResult]) -> str:
    """Open data: inspection results as CSV (UTF-8 text, ``\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RESULT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in _ordered(results):
        writer.writerow(_result_row(result))
    return out.getvalue()


def results_json(results: Iterable[InspectionResult]) -> str:
    """Open data: inspection results as a JSON array."""
    rows = [_result_row(result) for result in _ordered(results)]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def open_data_json(
    plans: Sequence[InspectionPlan],
    draws: Sequence[DrawResult],
    results: Iterable[InspectionResult],
) -> str:
    """Plans, draws and results together: the public page's data as one JSON document."""
    document = {
        "plans": [plan_to_dict(plan) for plan in plans],
        "draws": [selection_to_dict(result) for result in draws],
        "results": [_result_row(result) for result in _ordered(results)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
