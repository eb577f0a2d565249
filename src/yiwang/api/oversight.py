"""Credit classes and "双随机、一公开" inspections at the edge (R-CRED-1, R-INSP-1..3).

An enterprise sees its own credit class with the rule and the records behind it; staff see
the class of an enterprise applicant on the task page. The public reads the shipped
inspection plans and the published draws (open data files) and can re-verify a draw.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from yiwang.accounts.models import Account, Role
from yiwang.api import schemas as s
from yiwang.api.deps import Services
from yiwang.api.errors import ApiError
from yiwang.bootstrap import SHIPPED_CATALOG, Platform
from yiwang.credit.models import CreditClass, CreditRecord
from yiwang.db import tables as t
from yiwang.db.engine import read_connection
from yiwang.identity.numbers import is_valid_credit_code
from yiwang.inspections.errors import InspectionError
from yiwang.inspections.models import InspectionPlan, Inspector, RosterEntry
from yiwang.inspections.publication import (
    ENTERPRISES_FILE,
    INSPECTORS_FILE,
    PLAN_FILE,
    PRE_FILE,
    SEED_FILE,
    SELECTION_CSV_FILE,
    SELECTION_FILE,
    draw_to_directory,
    verify_directory,
)
from yiwang.inspections.roster import EnterpriseRoster, InspectorRoster
from yiwang.inspections.schemas import IDENTIFIER, load_plan_text

log = logging.getLogger("yiwang.api")

# --- credit ------------------------------------------------------------------------------


def is_enterprise(subject_id: str | None) -> bool:
    return bool(subject_id) and is_valid_credit_code(subject_id or "")


def credit_public(services: Services, credit_code: str) -> s.CreditPublic:
    platform = services.platform
    classification = platform.credit.classification(credit_code)
    with platform.unit_of_work(read_only=True) as uow:
        records: list[CreditRecord] = list(uow.credit.records(credit_code))
    contributing = set(classification.contributing_records)
    return s.CreditPublic(
        credit_code=credit_code,
        as_of=classification.as_of,
        credit_class=classification.credit_class.value,
        credit_class_en=classification.credit_class.english,
        rule_id=classification.rule_id,
        rule_text_zh=classification.rule_text_zh,
        rules_version=classification.rules_version,
        records=[
            s.CreditRecordPublic(
                record_id=r.record_id,
                kind=r.kind.value,
                kind_zh=r.kind.label_zh,
                severity=r.severity.value if r.severity else None,
                occurred_on=r.occurred_on,
                source_department=r.source_department,
                legal_basis=r.legal_basis,
                summary_zh=r.summary_zh,
                contributing=r.record_id in contributing,
            )
            for r in sorted(records, key=lambda r: (r.record_id not in contributing, r.occurred_on), reverse=False)
        ],
    )


def own_credit(services: Services, account: Account) -> s.CreditPublic:
    if account.role is not Role.APPLICANT or not is_enterprise(account.subject_id):
        raise ApiError(403, "not_an_enterprise", "信用分类只适用于企业等市场主体账号", "credit classes apply to enterprise accounts only")
    assert account.subject_id is not None
    return credit_public(services, account.subject_id)


# --- inspections -------------------------------------------------------------------------

PUBLISHED_FILES: tuple[tuple[str, str, str], ...] = (
    (PRE_FILE, "application/json", "事前公示（计划与名册哈希、种子承诺）"),
    (PLAN_FILE, "application/json", "抽查计划"),
    (ENTERPRISES_FILE, "text/csv; charset=utf-8", "企业名册"),
    (INSPECTORS_FILE, "text/csv; charset=utf-8", "执法人员名录"),
    (SEED_FILE, "application/json", "随机种子"),
    (SELECTION_FILE, "application/json", "抽取结果"),
    (SELECTION_CSV_FILE, "text/csv; charset=utf-8", "抽取结果（CSV）"),
)
MEDIA_TYPES = {name: media for name, media, _ in PUBLISHED_FILES}


def plans_dir(platform: Platform) -> Path:
    return (platform.settings.catalog_dir or SHIPPED_CATALOG) / "inspections"


def published_root(platform: Platform) -> Path:
    return Path(platform.settings.data_dir) / "published" / "inspections"


def shipped_plans(platform: Platform) -> list[InspectionPlan]:
    plans = []
    directory = plans_dir(platform)
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        try:
            plans.append(load_plan_text(path.read_text(encoding="utf-8")))
        except (InspectionError, OSError) as error:
            log.warning("inspection plan %s skipped: %s", path.name, error)
    return plans


@dataclass(frozen=True)
class PlanView:
    plan: InspectionPlan
    directory: Path | None  # the published draw, if any
    selected_count: int | None


def _selected_count(directory: Path) -> int | None:
    import json

    try:
        selection = json.loads((directory / SELECTION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    selected = selection.get("selected") if isinstance(selection, dict) else None
    return len(selected) if isinstance(selected, list) else None


def plan_views(platform: Platform) -> list[PlanView]:
    root = published_root(platform)
    views = []
    for plan in shipped_plans(platform):
        directory = root / plan.plan_id
        published = directory.is_dir() and (directory / PRE_FILE).is_file()
        views.append(PlanView(plan, directory if published else None, _selected_count(directory) if published else None))
    return views


def plan_public(view: PlanView) -> s.InspectionPlanPublic:
    plan = view.plan
    files = []
    if view.directory is not None:
        files = [
            s.PublishedFilePublic(name=name, url=f"/open-data/inspections/{plan.plan_id}/{name}", media_type=media)
            for name, media, _ in PUBLISHED_FILES
            if (view.directory / name).is_file()
        ]
    return s.InspectionPlanPublic(
        plan_id=plan.plan_id,
        title_zh=plan.title_zh,
        year=plan.year,
        period_start=plan.period_start,
        period_end=plan.period_end,
        departments=[d.name_zh for d in plan.departments],
        published=view.directory is not None,
        selected_count=view.selected_count,
        files=files,
    )


def published_dir(platform: Platform, plan_id: str) -> Path:
    """The directory of a published draw; 404 for anything else (no path tricks)."""
    if not IDENTIFIER.match(plan_id) or plan_id in (".", ".."):
        raise draw_not_found(plan_id)
    known = {view.plan.plan_id: view for view in plan_views(platform)}
    view = known.get(plan_id)
    if view is None or view.directory is None:
        raise draw_not_found(plan_id)
    return view.directory


def published_file(platform: Platform, plan_id: str, name: str) -> tuple[Path, str]:
    directory = published_dir(platform, plan_id)
    if name not in MEDIA_TYPES or not (directory / name).is_file():
        raise ApiError(404, "file_not_found", f"没有公开文件 {name[:60]}", f"no published file {name[:60]}")
    return directory / name, MEDIA_TYPES[name]


def draw_not_found(plan_id: str) -> ApiError:
    return ApiError(404, "draw_not_found", f"抽查计划 {plan_id[:60]} 尚未公布抽取结果", f"no published draw for plan {plan_id[:60]}")


def verify_draw(platform: Platform, plan_id: str) -> s.DrawVerificationPublic:
    directory = published_dir(platform, plan_id)
    try:
        result = verify_directory(directory)
    except InspectionError as error:
        return s.DrawVerificationPublic(plan_id=plan_id, ok=False, selected_count=0, problems=[str(error)])
    return s.DrawVerificationPublic(
        plan_id=plan_id,
        ok=result.ok,
        selected_count=result.selected_count,
        problems=[f"{p.code}: {p.message}" for p in result.problems],
    )


# --- the demo draw (yiwang serve --demo) ---------------------------------------------------

_SECTOR_IDS = {
    "疫苗": "vaccines",
    "药品": "drugs",
    "特种设备": "special_equipment",
    "危险化学品": "hazardous_chemicals",
    "软件和信息技术服务": "software",
    "批发和零售": "wholesale_retail",
    "餐饮": "catering",
    "建筑": "construction",
    "交通运输": "transport",
    "商务服务": "business_services",
}


def sector_id(sector: str) -> str:
    mapped = _SECTOR_IDS.get(sector, sector)
    return mapped if IDENTIFIER.match(mapped) else "general"


def demo_roster(platform: Platform) -> EnterpriseRoster:
    """The legal-entity registry as a draw roster: public facts and the current credit class."""
    with read_connection(platform.engine) as connection:
        rows = connection.execute(
            select(t.enterprises.c.credit_code, t.enterprises.c.name, t.enterprises.c.sector, t.enterprises.c.region_code)
        ).all()
        with_records = set(connection.execute(select(t.credit_records.c.credit_code).distinct()).scalars())
    entries = []
    for row in rows:
        # Government bodies (registration authority 1, 机构编制) are not market entities: never drawn.
        if not is_valid_credit_code(row.credit_code) or row.credit_code.startswith("1"):
            continue
        credit_class = (
            platform.credit.classification(row.credit_code).credit_class
            if row.credit_code in with_records
            else CreditClass.TRUSTWORTHY
        )
        entries.append(RosterEntry(row.credit_code, credit_class, sector_id(row.sector), row.region_code, row.name))
    return EnterpriseRoster.from_entries(entries)


def demo_inspectors(plan: InspectionPlan, counties: list[str]) -> InspectorRoster:
    """A small pool per department: four inspectors each, in different counties."""
    pool = []
    for d_index, department in enumerate(plan.departments):
        for n in range(4):
            county = counties[(d_index + n) % len(counties)] if counties else "370102"
            pool.append(Inspector(f"{department.department_id.upper()}-{n + 1:03d}", department.department_id, county))
    return InspectorRoster(pool)


def publish_demo_draws(platform: Platform) -> list[str]:
    """Draw every shipped plan not yet drawn, into data_dir/published/inspections/<plan id>/.
    The demo seed is derived from the plan id, so a demo draw is the same on every machine."""
    root = published_root(platform)
    drawn = []
    roster: EnterpriseRoster | None = None
    for plan in shipped_plans(platform):
        directory = root / plan.plan_id
        if (directory / SELECTION_FILE).is_file():
            continue
        if roster is None:
            roster = demo_roster(platform)
        counties = sorted(plan.scope.counties) or sorted(set(roster.county_vocab))[:6]
        seed = hashlib.sha256(f"yiwang-demo-draw:{plan.plan_id}".encode()).digest()
        try:
            draw_to_directory(directory, plan, roster, demo_inspectors(plan, counties), seed)
        except InspectionError as error:
            log.warning("demo draw of %s failed: %s", plan.plan_id, error)
            continue
        drawn.append(plan.plan_id)
    return drawn
