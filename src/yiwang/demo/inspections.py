"""The demo draw (`yiwang serve --demo`): every shipped inspection plan drawn over the demo
province's legal-entity registry, with a small made-up pool of inspectors."""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import select

from yiwang.bootstrap import Platform
from yiwang.credit.models import CreditClass
from yiwang.db import tables as t
from yiwang.identity.numbers import is_valid_credit_code
from yiwang.inspections.errors import InspectionError
from yiwang.inspections.models import InspectionPlan, Inspector, RosterEntry
from yiwang.inspections.publication import SELECTION_FILE, draw_to_directory
from yiwang.inspections.roster import EnterpriseRoster, InspectorRoster
from yiwang.inspections.schemas import IDENTIFIER
from yiwang.inspections.views import published_root, shipped_plans

log = logging.getLogger(__name__)

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
    with platform.unit_of_work(read_only=True) as uow:
        connection = uow.connection
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
