"""Factories for inspection tests: plans, valid credit codes, populations, inspector pools."""

from __future__ import annotations

import copy
import hashlib
import random
from typing import Any

from stdnum.cn import uscc

from yiwang.credit.models import CreditClass
from yiwang.inspections.models import InspectionPlan, Inspector, RosterEntry
from yiwang.inspections.schemas import parse_plan, plan_json_bytes

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
COUNTIES = ("370102", "370103", "370104", "370105", "370112")
SECTORS = ("food", "retail", "software", "vaccines", "drugs", "special_equipment",
           "hazardous_chemicals", "catering")
KEY_SECTORS = frozenset({"vaccines", "drugs", "special_equipment", "hazardous_chemicals"})
SEED = bytes(range(32))

PLAN_DOC: dict[str, Any] = {
    "id": "TEST-2024-01",
    "title_zh": "2024年部门联合双随机抽查(测试)",
    "year": 2024,
    "period": {"start": "2024-04-01", "end": "2024-06-30"},
    "departments": [
        {"id": "samr", "name_zh": "市场监督管理局"},
        {"id": "tax", "name_zh": "税务局"},
    ],
    "items": [
        {"id": "SAMR-01", "department": "samr", "name_zh": "年报公示检查",
         "legal_basis": "《企业信息公示暂行条例》"},
        {"id": "TAX-01", "department": "tax", "name_zh": "发票检查",
         "legal_basis": "《税收征收管理法》"},
    ],
    "scope": {"sectors": [], "counties": []},
    "key_sectors": sorted(KEY_SECTORS),
    "sampling_rates": {"诚信守法": "0.05", "轻微失信": "0.10", "一般失信": "0.20",
                       "严重失信": "0.50"},
    "inspectors_per_department": 2,
    "recusal": {"last_visit": True, "conflicts": True, "same_county": False},
    "beacon_source_zh": "测试信标",
}


def plan_doc(**overrides: Any) -> dict[str, Any]:
    doc = copy.deepcopy(PLAN_DOC)
    doc.update(overrides)
    return doc


def plan(**overrides: Any) -> InspectionPlan:
    return parse_plan(plan_doc(**overrides))


def plan_sha(value: InspectionPlan) -> str:
    return hashlib.sha256(plan_json_bytes(value)).hexdigest()


def credit_code(rnd: random.Random) -> str:
    body = "9137" + "".join(rnd.choice("0123456789") for _ in range(4))
    body += "".join(rnd.choice(ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def population(
    size: int,
    rnd: random.Random,
    *,
    class_weights: tuple[float, float, float, float] = (0.4, 0.2, 0.2, 0.2),
    inspected_share: float = 0.2,
    year: int = 2024,
) -> list[RosterEntry]:
    codes: set[str] = set()
    while len(codes) < size:
        codes.add(credit_code(rnd))
    classes = list(CreditClass)
    entries = []
    for code in sorted(codes):
        inspected = rnd.random() < inspected_share
        entries.append(RosterEntry(
            credit_code=code,
            credit_class=rnd.choices(classes, weights=class_weights)[0],
            sector=rnd.choice(SECTORS),
            county=rnd.choice(COUNTIES),
            name=f"测试企业{code[-5:]}有限公司",
            last_random_joint_year=rnd.choice([year, year - 1]) if inspected else None,
        ))
    return entries


def pools(
    rnd: random.Random, departments: tuple[str, ...] = ("samr", "tax"), per_department: int = 6
) -> list[Inspector]:
    return [
        Inspector(f"{department.upper()}{index:03d}", department, rnd.choice(COUNTIES))
        for department in departments
        for index in range(per_department)
    ]
