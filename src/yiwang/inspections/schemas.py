"""Inspection plans as data: YAML/JSON mapping <-> :class:`InspectionPlan`, canonical JSON.

Plan document (``catalog/inspections/*.yaml``)::

    id: SD-JN-2024-01
    title_zh: 2024年济南市市场监管领域部门联合双随机抽查(第一批)
    year: 2024
    period: {start: 2024-04-01, end: 2024-06-30}
    departments:
      - {id: samr, name_zh: 济南市市场监督管理局}
    items:
      - {id: SAMR-01, department: samr, name_zh: 登记事项检查, legal_basis: …}
    scope: {sectors: [], counties: []}          # empty = all
    key_sectors: [vaccines, drugs, special_equipment, hazardous_chemicals]
    sampling_rates: {诚信守法: "0.02", 轻微失信: "0.05", 一般失信: "0.10", 严重失信: "0.30"}
    inspectors_per_department: 2
    recusal: {last_visit: true, conflicts: true, same_county: false}
    beacon_source_zh: 抽取日前一交易日上证综合指数收盘点位

Rules of plan 9 checked here: the 严重失信 rate is higher than every other class's rate; at
least two inspectors per visit; every joining department has items on the list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from yiwang.credit.models import CreditClass
from yiwang.inspections.errors import PlanError
from yiwang.inspections.models import (
    DEFAULT_KEY_SECTORS,
    Department,
    InspectionItem,
    InspectionPlan,
    RecusalPolicy,
    Scope,
)

#: Sector and county identifiers appear in CSV files: keep them plain.
IDENTIFIER = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")

_CLASS_ORDER = (
    CreditClass.TRUSTWORTHY,
    CreditClass.MINOR_DISHONESTY,
    CreditClass.GENERAL_DISHONESTY,
    CreditClass.SERIOUS_DISHONESTY,
)


def _fail(plan_id: str, where: str, zh: str, en: str) -> PlanError:
    return PlanError(f"抽查计划 {plan_id} {where}: {zh} / inspection plan {plan_id} {where}: {en}")


def _text(value: Any, plan_id: str, where: str) -> str:
    if value is None or isinstance(value, bool | list | dict) or not str(value).strip():
        raise _fail(plan_id, where, "缺少或为空", "missing or empty")
    return str(value).strip()


def _date(value: Any, plan_id: str, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(plan_id, where, "日期格式应为 YYYY-MM-DD", "expected YYYY-MM-DD") from None


def _identifiers(value: Any, plan_id: str, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise _fail(plan_id, where, "应为列表", "expected a list")
    result = set()
    for item in value:
        text = str(item).strip()
        if not IDENTIFIER.match(text):
            raise _fail(plan_id, where, f"标识符 {text!r} 无效", f"invalid identifier {text!r}")
        result.add(text)
    return frozenset(result)


def _bool(value: Any, default: bool, plan_id: str, where: str) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _fail(plan_id, where, "应为 true/false", "expected true or false")
    return value


def parse_plan(document: Any) -> InspectionPlan:
    """Validate a plan document into an :class:`InspectionPlan` (raises :class:`PlanError`)."""
    if not isinstance(document, Mapping):
        raise PlanError("抽查计划应为映射 / an inspection plan must be a mapping")
    plan_id = _text(document.get("id"), "?", "id")
    if not IDENTIFIER.match(plan_id):
        raise _fail(plan_id, "id", "编号只能包含字母、数字、._-", "id must match [A-Za-z0-9_.-]")
    year = document.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2200:
        raise _fail(plan_id, "year", "年度无效", "invalid year")
    period = document.get("period")
    if not isinstance(period, Mapping):
        raise _fail(plan_id, "period", "缺少检查期间", "missing period {start, end}")
    start = _date(period.get("start"), plan_id, "period.start")
    end = _date(period.get("end"), plan_id, "period.end")
    if end < start or start.year != year or end.year != year:
        raise _fail(plan_id, "period", "检查期间应在计划年度内且结束不早于开始",
                    "the period must lie within the plan year, end not before start")

    raw_departments = document.get("departments")
    if not isinstance(raw_departments, list) or not raw_departments:
        raise _fail(plan_id, "departments", "至少需要一个部门", "at least one department")
    departments = []
    for index, raw in enumerate(raw_departments):
        if not isinstance(raw, Mapping):
            raise _fail(plan_id, f"departments[{index}]", "应为映射", "expected a mapping")
        dept_id = _text(raw.get("id"), plan_id, f"departments[{index}].id")
        if not IDENTIFIER.match(dept_id):
            raise _fail(plan_id, f"departments[{index}].id", "部门编号无效", "invalid id")
        departments.append(Department(dept_id, _text(raw.get("name_zh"), plan_id,
                                                      f"departments[{index}].name_zh")))
    dept_ids = [d.department_id for d in departments]
    if len(set(dept_ids)) != len(dept_ids):
        raise _fail(plan_id, "departments", "部门重复", "duplicate departments")

    raw_items = document.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise _fail(plan_id, "items", "抽查事项清单不能为空", "the item list must not be empty")
    items = []
    for index, raw in enumerate(raw_items):
        if not isinstance(raw, Mapping):
            raise _fail(plan_id, f"items[{index}]", "应为映射", "expected a mapping")
        item = InspectionItem(
            item_id=_text(raw.get("id"), plan_id, f"items[{index}].id"),
            department_id=_text(raw.get("department"), plan_id, f"items[{index}].department"),
            name_zh=_text(raw.get("name_zh"), plan_id, f"items[{index}].name_zh"),
            legal_basis=_text(raw.get("legal_basis"), plan_id, f"items[{index}].legal_basis"),
        )
        if item.department_id not in dept_ids:
            raise _fail(plan_id, f"items[{index}]", f"部门 {item.department_id} 未参加本计划",
                        f"department {item.department_id} does not join this plan")
        items.append(item)
    if len({item.item_id for item in items}) != len(items):
        raise _fail(plan_id, "items", "事项编号重复", "duplicate item ids")
    without_items = sorted(set(dept_ids) - {item.department_id for item in items})
    if without_items:
        raise _fail(plan_id, "items", f"部门 {without_items} 没有抽查事项",
                    f"departments {without_items} have no inspection items")

    scope_doc = document.get("scope") or {}
    if not isinstance(scope_doc, Mapping):
        raise _fail(plan_id, "scope", "应为映射", "expected a mapping")
    scope = Scope(
        sectors=_identifiers(scope_doc.get("sectors"), plan_id, "scope.sectors"),
        counties=_identifiers(scope_doc.get("counties"), plan_id, "scope.counties"),
    )
    key_sectors = (
        _identifiers(document["key_sectors"], plan_id, "key_sectors")
        if "key_sectors" in document
        else DEFAULT_KEY_SECTORS
    )

    raw_rates = document.get("sampling_rates")
    if not isinstance(raw_rates, Mapping):
        raise _fail(plan_id, "sampling_rates", "缺少各信用等级的抽查比例",
                    "missing sampling rates per credit class")
    rates: dict[CreditClass, Decimal] = {}
    for key, value in raw_rates.items():
        try:
            member = CreditClass.parse(str(key))
        except ValueError:
            raise _fail(plan_id, "sampling_rates", f"未知信用等级 {key}",
                        f"unknown credit class {key}") from None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            rate = Decimal(str(value))
        except InvalidOperation:
            raise _fail(plan_id, f"sampling_rates.{key}", "比例无效", "invalid rate") from None
        if not (rate.is_finite() and 0 <= rate <= 1):
            raise _fail(plan_id, f"sampling_rates.{key}", "比例应在0到1之间",
                        "a rate must lie within [0, 1]")
        rates[member] = rate
    missing = [member.value for member in _CLASS_ORDER if member not in rates]
    if missing:
        raise _fail(plan_id, "sampling_rates", f"缺少 {missing}", f"missing classes {missing}")
    serious = rates[CreditClass.SERIOUS_DISHONESTY]
    if any(rates[member] >= serious for member in _CLASS_ORDER[:3]):
        raise _fail(plan_id, "sampling_rates", "严重失信企业的抽查比例应高于其他等级",
                    "the 严重失信 rate must be higher than every other class's rate")

    per_department = document.get("inspectors_per_department", 2)
    if not isinstance(per_department, int) or isinstance(per_department, bool) \
            or per_department < 1:
        raise _fail(plan_id, "inspectors_per_department", "应为正整数",
                    "expected a positive integer")
    if per_department * len(departments) < 2:
        raise _fail(plan_id, "inspectors_per_department", "每次检查至少两名执法人员",
                    "a visit needs at least two inspectors")
    recusal_doc = document.get("recusal") or {}
    if not isinstance(recusal_doc, Mapping):
        raise _fail(plan_id, "recusal", "应为映射", "expected a mapping")
    recusal = RecusalPolicy(
        exclude_last_visit=_bool(recusal_doc.get("last_visit"), True, plan_id,
                                 "recusal.last_visit"),
        exclude_conflicts=_bool(recusal_doc.get("conflicts"), True, plan_id,
                                "recusal.conflicts"),
        exclude_same_county=_bool(recusal_doc.get("same_county"), False, plan_id,
                                  "recusal.same_county"),
    )
    beacon = document.get("beacon_source_zh")
    return InspectionPlan(
        plan_id=plan_id,
        title_zh=_text(document.get("title_zh"), plan_id, "title_zh"),
        year=year,
        period_start=start,
        period_end=end,
        departments=tuple(departments),
        items=tuple(items),
        scope=scope,
        key_sectors=key_sectors,
        rates=tuple((member, rates[member]) for member in _CLASS_ORDER),
        inspectors_per_department=per_department,
        recusal=recusal,
        beacon_source_zh="" if beacon is None else str(beacon).strip(),
    )


def plan_to_dict(plan: InspectionPlan) -> dict[str, Any]:
    """The plan in the document shape :func:`parse_plan` reads (round-trips exactly)."""
    return {
        "id": plan.plan_id,
        "title_zh": plan.title_zh,
        "year": plan.year,
        "period": {"start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()},
        "departments": [{"id": d.department_id, "name_zh": d.name_zh} for d in plan.departments],
        "items": [
            {"id": i.item_id, "department": i.department_id, "name_zh": i.name_zh,
             "legal_basis": i.legal_basis}
            for i in plan.items
        ],
        "scope": {"sectors": sorted(plan.scope.sectors), "counties": sorted(plan.scope.counties)},
        "key_sectors": sorted(plan.key_sectors),
        "sampling_rates": {member.value: str(rate) for member, rate in plan.rates},
        "inspectors_per_department": plan.inspectors_per_department,
        "recusal": {
            "last_visit": plan.recusal.exclude_last_visit,
            "conflicts": plan.recusal.exclude_conflicts,
            "same_county": plan.recusal.exclude_same_county,
        },
        "beacon_source_zh": plan.beacon_source_zh,
    }


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes: UTF-8, sorted keys, no insignificant spaces, final newline."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def plan_json_bytes(plan: InspectionPlan) -> bytes:
    """The published plan file (``plan.json``); its SHA-256 enters the draw key."""
    return canonical_json(plan_to_dict(plan))


def load_plan_text(text: str) -> InspectionPlan:
    """Parse plan YAML (or JSON, a subset of YAML) text; the caller reads the file."""
    import yaml

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlanError(f"抽查计划不是有效的 YAML / the plan is not valid YAML: {exc}") from None
    return parse_plan(document)
