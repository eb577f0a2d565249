"""Documents the catalog carries for other contexts: the credit rules
(``credit/rules.yaml``), the inspection plans (``inspections/*.yaml``) and the plans' targets
(``plans/targets.yaml``).

They are part of the pinned catalog version, so a case, a draw and a report all read the
rules of the version they were made under. Each context owns its document's types and its
parser; this module only feeds them the already-read YAML and turns their errors into the
catalog's one convention (file, entry, field), so `catalog check` lists them beside every
other problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from yiwang.catalog.errors import CatalogProblem
from yiwang.credit.errors import CreditRulesError
from yiwang.credit.rules import CreditRules, parse_rules
from yiwang.inspections.errors import PlanError
from yiwang.inspections.models import InspectionPlan
from yiwang.inspections.schemas import parse_plan
from yiwang.metrics.catalog_report import ReportError, Targets, parse_targets

CREDIT_RULES_FILE = "credit/rules.yaml"
TARGETS_FILE = "plans/targets.yaml"
PLANS_FOLDER = "inspections/"

# The parsers' messages name the place first: "信用规则 rules[3].class: … / credit rules …".
_CREDIT = re.compile(r"^信用规则 (?P<where>\S+): (?P<zh>.*?) / credit rules \S+: (?P<en>.*)$", re.S)
_PLAN = re.compile(
    r"^抽查计划 (?P<plan>\S+) (?P<where>\S+): (?P<zh>.*?) / inspection plan \S+ \S+: (?P<en>.*)$",
    re.S,
)
_TARGET = re.compile(r"^\S+ (?P<where>\S*): (?P<message>.*)$", re.S)


def _entry(where: str) -> str:
    """The list element a field path points into (``rules[3].class`` -> ``rules[3]``)."""
    head = where.split(".", 1)[0]
    return head if head.endswith("]") else ""


def credit_rules(data: Any, problems: list[CatalogProblem]) -> CreditRules | None:
    try:
        return parse_rules(data)  # checks that the document is a mapping itself
    except CreditRulesError as error:
        text = str(error)
        match = _CREDIT.match(text)
        where = match["where"] if match and match["where"] != "(root)" else ""
        message = f"{match['zh']} / {match['en']}" if match else text
        problems.append(CatalogProblem(CREDIT_RULES_FILE, _entry(where), where, message))
        return None


def inspection_plan(
    name: str, data: Any, problems: list[CatalogProblem]
) -> InspectionPlan | None:
    try:
        return parse_plan(data)
    except PlanError as error:
        text = str(error)
        match = _PLAN.match(text)
        if match is None:
            problems.append(CatalogProblem(name, "", "", text))
        else:
            problems.append(
                CatalogProblem(
                    name, match["plan"], match["where"], f"{match['zh']} / {match['en']}"
                )
            )
        return None


def targets(data: Any, problems: list[CatalogProblem]) -> Targets | None:
    try:
        return parse_targets(data, TARGETS_FILE)
    except ReportError as error:
        for text in error.problems or (str(error),):
            match = _TARGET.match(text)
            where = match["where"] if match else ""
            message = match["message"] if match else text
            # targets are keyed by domain: "domains.medical_insurance.shares.instant"
            parts = where.split(".")
            entry = parts[1] if len(parts) > 1 and parts[0] == "domains" else ""
            problems.append(CatalogProblem(TARGETS_FILE, entry, where, message))
        return None


def plans_by_id(
    parsed: Mapping[str, InspectionPlan], problems: list[CatalogProblem]
) -> Mapping[str, InspectionPlan]:
    """Plans by their id; two files with one id is a problem (a draw names its plan by id)."""
    plans: dict[str, InspectionPlan] = {}
    for name, plan in parsed.items():
        if plan.plan_id in plans:
            problems.append(
                CatalogProblem(name, plan.plan_id, "id", "计划编号重复 / duplicate plan id")
            )
        plans[plan.plan_id] = plan
    return MappingProxyType(plans)
