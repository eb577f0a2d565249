"""Value objects of double-random inspections (双随机、一公开, R-INSP-1..3)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from yiwang.credit.models import CreditClass, Severity

#: Key sectors where 诚信守法 enterprises may still be drawn
#: (plan 9: 疫苗、药品、特种设备、危险化学品).
DEFAULT_KEY_SECTORS = frozenset({"vaccines", "drugs", "special_equipment", "hazardous_chemicals"})


@dataclass(frozen=True, slots=True)
class Department:
    department_id: str
    name_zh: str


@dataclass(frozen=True, slots=True)
class InspectionItem:
    """One item on the inspection list (抽查事项), checked by one department."""

    item_id: str
    department_id: str
    name_zh: str
    legal_basis: str


@dataclass(frozen=True, slots=True)
class Scope:
    """Which enterprises a plan covers; an empty set means "all"."""

    sectors: frozenset[str] = frozenset()
    counties: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RecusalPolicy:
    """Inspector recusal (回避): last visit, declared conflicts, same county."""

    exclude_last_visit: bool = True
    exclude_conflicts: bool = True
    exclude_same_county: bool = False


@dataclass(frozen=True, slots=True)
class InspectionPlan:
    """A joint random inspection plan (部门联合抽查计划): one visit, several departments."""

    plan_id: str
    title_zh: str
    year: int
    period_start: date
    period_end: date
    departments: tuple[Department, ...]
    items: tuple[InspectionItem, ...]
    scope: Scope
    key_sectors: frozenset[str]
    rates: tuple[tuple[CreditClass, Decimal], ...]  # one per class, in class rank order
    inspectors_per_department: int
    recusal: RecusalPolicy
    beacon_source_zh: str = ""

    def rate(self, credit_class: CreditClass) -> Decimal:
        for member, value in self.rates:
            if member is credit_class:
                return value
        return Decimal(0)

    def department_ids(self) -> tuple[str, ...]:
        return tuple(department.department_id for department in self.departments)


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One enterprise in a frozen draw roster: only public facts."""

    credit_code: str
    credit_class: CreditClass
    sector: str
    county: str
    name: str = ""
    last_random_joint_year: int | None = None
    last_inspectors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Inspector:
    """One inspector of a department's pool (执法检查人员名录库), by staff number, not name."""

    staff_no: str
    department_id: str
    county: str
    conflicts: frozenset[str] = frozenset()  # credit codes with a declared conflict of interest


@dataclass(frozen=True, slots=True)
class StratumSummary:
    credit_class: CreditClass
    roster_count: int
    eligible_count: int
    rate: Decimal
    selected_count: int


@dataclass(frozen=True, slots=True)
class DepartmentAssignment:
    department_id: str
    staff_nos: tuple[str, ...]
    shortage: bool  # fewer eligible inspectors than the plan asks for


@dataclass(frozen=True, slots=True)
class SelectedEnterprise:
    credit_code: str
    name: str
    credit_class: CreditClass
    sector: str
    county: str
    rank: int  # 1-based rank inside its stratum
    key: int  # the 64-bit ranking key
    assignments: tuple[DepartmentAssignment, ...]


@dataclass(frozen=True, slots=True)
class DrawResult:
    plan_id: str
    plan_sha256: str
    algorithm: str
    strata: tuple[StratumSummary, ...]
    selected: tuple[SelectedEnterprise, ...]


class ItemOutcome(enum.Enum):
    """Result of one inspection item (检查结果)."""

    PASS = "pass"  # 未发现问题
    ISSUES_FOUND = "issues_found"  # 发现问题,责令整改
    VIOLATION = "violation"  # 发现违法行为

    @property
    def label_zh(self) -> str:
        return {"pass": "未发现问题", "issues_found": "发现问题,责令整改",
                "violation": "发现违法行为"}[self.value]


@dataclass(frozen=True, slots=True)
class InspectionResult:
    """The result of one item at one drawn enterprise."""

    plan_id: str
    credit_code: str
    item_id: str
    department_id: str
    outcome: ItemOutcome
    inspected_on: date
    inspectors: tuple[str, ...]
    findings_zh: str = ""
    severity: Severity | None = None  # required for a violation
    violation_code: str | None = None
    legal_basis: str = ""
