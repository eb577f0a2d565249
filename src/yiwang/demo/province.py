"""The demo province and the enterprise start-up run end to end (`yiwang demo`).

Seeding is deterministic from a seed: the same seed gives the same people, enterprises and
departments, so a demo and a bug report can be reproduced.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from yiwang.bootstrap import Platform
from yiwang.calendar.month import window_at, working_day_windows
from yiwang.cases import events as ev
from yiwang.cases.commands import AcceptTask, CompleteTask, SubmitApplication
from yiwang.cases.models import Case
from yiwang.cases.services import CaseServices
from yiwang.clock import SimulatedClock
from yiwang.db import tables as t
from yiwang.db.uow import name_key
from yiwang.identity.models import Person
from yiwang.identity.numbers import allocate_credit_code
from yiwang.identity.population import Population, generate_population

DEMO_SEED = 20201106  # the day the plans were published
DEMO_PEOPLE = 5000
DEMO_ENTERPRISES = 2000
STARTUP_BUNDLE = "bundle.enterprise_startup"


def seed_demo_province(
    platform: Platform,
    *,
    seed: int = DEMO_SEED,
    people: int = DEMO_PEOPLE,
    enterprises: int = DEMO_ENTERPRISES,
    progress: Callable[[str, int, int], None] | None = None,
) -> Population:
    """Fill departments and the population and legal-entity registries, once per database."""
    catalog = platform.catalogs.current()
    population = generate_population(
        catalog.regions, people=people, enterprises=enterprises, seed=seed
    )
    with platform.engine.begin() as connection:
        if connection.execute(select(func.count()).select_from(t.people)).scalar():
            return population
        department_rows = [
            {
                "code": f"{kind.code}@{city.code}",
                "kind": kind.code,
                "region_code": city.code,
                "name_zh": f"{city.name}{kind.name.zh}",
                "name_en": f"{kind.name.en}, {city.code}",
            }
            for city in catalog.regions.cities
            for kind in catalog.department_kinds.values()
        ]
        connection.execute(insert(t.departments), department_rows)
        batches: list[tuple[str, Any, list[dict[str, Any]]]] = [
            (
                "people",
                t.people,
                [
                    {
                        "id_number": p.id_number,
                        "name": p.name,
                        "gender": p.gender.value,
                        "birth_date": p.birth_date,
                        "region_code": p.region_code,
                        "phone": p.phone,
                    }
                    for p in population.people
                ],
            ),
            (
                "enterprises",
                t.enterprises,
                [
                    {
                        "credit_code": e.credit_code,
                        "name": e.name,
                        "name_key": name_key(e.name),
                        "entity_type": e.entity_type.value,
                        "region_code": e.region_code,
                        "legal_rep_id": e.legal_representative_id,
                        "registered_on": e.registered_on,
                        "sector": e.sector,
                        "address": e.address,
                        "case_id": None,
                    }
                    for e in population.enterprises
                ],
            ),
        ]
        batches.append(("registry records", t.external_records, demo_registry_records(population, platform.clock())))
        batches.append(("credit records", t.credit_records, demo_credit_records(population, platform.clock())))
        for label, table, rows in batches:
            for start in range(0, len(rows), 1000):
                connection.execute(insert(table), rows[start : start + 1000])
                if progress is not None:
                    progress(label, min(start + 1000, len(rows)), len(rows))
    return population


def demo_registry_records(population: Population, at: datetime) -> list[dict[str, Any]]:
    """Records of the datasets other systems hold (婚姻登记 of every adult, a few death
    certificates and court judgments), drawn from the population's seed so every demo has
    the same ones; summaries are masked as a reviewer sees them."""
    import random

    from yiwang.identity.numbers import mask_id_number

    rng = random.Random(DEMO_SEED)
    rows: list[dict[str, Any]] = []
    today = at.date()
    for person in population.people:
        age = today.year - person.birth_date.year
        if age < 20:
            continue
        status = rng.choices(("未婚", "已婚", "离婚", "丧偶"), (max(5, 40 - age), 50, 6, 1 + age // 20))[0]
        rows.append(
            {
                "dataset": "marriage",
                "field": "status",
                "subject_id": person.id_number,
                "reference": f"marriage.status:{person.id_number[-6:]}",
                "summary": f"{person.name[0]}** {mask_id_number(person.id_number)} 婚姻状况：{status}",
                "recorded_at": at,
            }
        )
    for person in population.people[-3:]:
        rows.append(
            {
                "dataset": "death",
                "field": "certificate",
                "subject_id": person.id_number,
                "reference": f"death.certificate:{person.id_number[-6:]}",
                "summary": f"{person.name[0]}** {mask_id_number(person.id_number)} 死亡医学证明",
                "recorded_at": at,
            }
        )
    for person in population.people[-6:-3]:
        rows.append(
            {
                "dataset": "court",
                "field": "judgment",
                "subject_id": person.id_number,
                "reference": f"court.judgment:{person.id_number[-6:]}",
                "summary": f"{person.name[0]}** {mask_id_number(person.id_number)} 生效判决书（不动产继承、执行）",
                "recorded_at": at,
            }
        )
    return rows


# Share of the demo's enterprises per credit class, roughly as a city's credit file looks:
# most are 诚信守法, so a draw at 2% would find few; the others are drawn at 5–30%.
_DEMO_CREDIT_MIX = (("minor", 0.12), ("general", 0.10), ("grave", 0.05))


def demo_credit_records(population: Population, at: datetime) -> list[dict[str, Any]]:
    """Administrative penalties for a seeded share of the enterprises (轻微, 一般, 严重 under
    the declared credit rules), decided within the last year, so the demo's credit classes
    are mixed and its double-random draws select enterprises. The first enterprises of the
    demo city (the demo accounts' and builders') keep a clean file."""
    import random

    rng = random.Random(DEMO_SEED + 5)
    today = at.date()
    clean = {e.credit_code for e in [e for e in population.enterprises if e.region_code.startswith("3701")][:6]}
    rows: list[dict[str, Any]] = []
    for enterprise in population.enterprises:
        if enterprise.credit_code in clean:
            continue
        draw = rng.random()
        for severity, share in _DEMO_CREDIT_MIX:
            if draw < share:
                rows.append(
                    {
                        "record_id": f"DEMO-{severity.upper()}-{enterprise.credit_code}",
                        "credit_code": enterprise.credit_code,
                        "kind": "administrative_penalty",
                        "severity": severity,
                        "occurred_on": today - timedelta(days=rng.randint(20, 300)),
                        "source_department": "market_regulation",
                        "legal_basis": "《中华人民共和国行政处罚法》第九条",
                        "summary_zh": {"minor": "未按规定公示年度报告，责令改正", "general": "虚假宣传，罚款", "grave": "销售不合格产品，情节严重，罚款并吊销许可"}[severity],
                        "violation_code": None,
                        "reference": f"济市监罚〔{today.year}〕{rng.randint(100, 999)}号",
                        "lifted_on": None,
                        "lift_reason_zh": "",
                        "repaired_on": None,
                        "repair_commitment_ref": "",
                    }
                )
                break
            draw -= share
    return rows


def ensure_signing_keys(platform: Platform) -> list[str]:
    """Create a signing key for every department that issues licences and has none yet
    (what an operator does once per department with `yiwang keys create`)."""
    from yiwang.cases.licensing import issuer_code
    from yiwang.licences.errors import KeyNotFound

    store = platform.licence_keys
    catalog = platform.catalogs.current()
    issuers = {
        issuer_code(catalog, item, city.code)[0]
        for item in catalog.items.values()
        if item.output is not None and item.output.is_licence
        for city in catalog.regions.cities
    }
    created = []
    for code in sorted(issuers):
        try:
            store.current(code)
        except KeyNotFound:
            store.create(code, created_at=platform.clock())
            created.append(code)
    return created


def next_working_morning(platform: Platform, after: datetime) -> datetime:
    """09:30 local time on the first working day after ``after``'s date."""
    calendar = platform.calendars.current()
    zone = ZoneInfo(platform.settings.timezone)
    day = calendar.add_working_days(after.astimezone(zone).date(), 1).date
    return datetime.combine(day, time(9, 30), tzinfo=zone)


def startup_form(founder: Person, county_code: str, company_name: str) -> dict[str, Any]:
    return {
        "company_name": company_name,
        "entity_type": "llc_natural_person_sole",
        "region_code": county_code,
        "address": "泉城路188号8层801室",
        "registered_capital": "100",
        "business_scope": ["I001", "I002"],
        "legal_rep_name": founder.name,
        "legal_rep_id": founder.id_number,
        "legal_rep_phone": founder.phone,
        "employees": "5",
        "finance_contact_name": founder.name,
        "finance_contact_id": founder.id_number,
        "bank_appointment": "icbc",
        "delivery": "mail",
        "mail_address": "济南市历下区泉城路188号",
    }


# How long each department takes in the demo (minutes after the task opens): prompt,
# as the plans expect, but not instantaneous.
DEMO_REVIEW_MINUTES = {
    "hrss.employer_social_insurance_registration": 25,
    "medins.employer_registration": 40,
    "hfund.employer_account_opening": 55,
    "police.seal_carving": 70,
    "tax.new_taxpayer_setup": 50,
}


@dataclass
class DemoRun:
    case: Case
    events: list[ev.CaseEvent]
    submitted_at: datetime
    concluded_at: datetime
    elapsed_working_seconds: int
    timeline: list[dict[str, Any]] = field(default_factory=list)


def run_enterprise_startup(platform: Platform, clock: SimulatedClock, founder: Person) -> DemoRun:
    """Submit one start-up and let each department act promptly until the case concludes."""
    catalog = platform.catalogs.current()
    county = (
        catalog.regions.get(founder.region_code)
        if founder.region_code in catalog.regions
        else catalog.regions.counties()[0]
    )
    trade = "泉源" if county.code.startswith("3701") else "海岱"
    city = county.city
    company_name = f"{city.name if city else ''}{county.name}{trade}信息科技有限公司"
    submitted_at = clock()
    result = platform.cases.submit(
        SubmitApplication(
            subject_code=STARTUP_BUNDLE,
            applicant_id=founder.id_number,
            applicant_name=founder.name,
            region_code=county.code,
            form=startup_form(founder, county.code, company_name),
            channel="online",
            idempotency_key=f"demo-{founder.id_number}-{submitted_at:%Y%m%d}",
        )
    )
    case = platform.cases.get(result.case_id)
    # Reviewers act in order of their promised pace; each stage's tasks run in parallel, so
    # the simulated clock moves to each task's own completion time within the stage.
    while not case.is_closed:
        stage = case.current_stage
        assert stage is not None
        stage_opened = stage.opened_at or clock()
        pending = sorted(
            (task for task in case.tasks_of_stage(stage.index) if task.is_open),
            key=lambda task: DEMO_REVIEW_MINUTES.get(task.item_code, 30),
        )
        for task in pending:
            clock.set(
                max(
                    clock(),
                    stage_opened
                    + timedelta(minutes=DEMO_REVIEW_MINUTES.get(task.item_code, 30) - 10),
                )
            )
            reviewer = f"reviewer:{task.department_code}"
            platform.cases.act(AcceptTask(task.id, reviewer))
            clock.advance(minutes=10)
            case = platform.cases.act(CompleteTask(task.id, reviewer, comment="材料齐全，予以办结"))
    events = platform.cases.events(case.id)
    concluded_at = case.closed_at or clock()
    calendar = platform.calendars.current()
    elapsed = calendar.working_seconds_between(submitted_at, concluded_at)
    zone = ZoneInfo(platform.settings.timezone)
    timeline = [
        {
            "at": event.at.astimezone(zone).isoformat(timespec="minutes"),
            "event": event.kind.value,
            "task": event.task_id,
            "actor": event.actor,
            "working_hours_since_submission": round(
                calendar.working_seconds_between(submitted_at, event.at) / 3600, 3
            ),
            "detail": _detail(event),
        }
        for event in events
    ]
    return DemoRun(case, events, submitted_at, concluded_at, elapsed, timeline)


def _detail(event: ev.CaseEvent) -> str:
    match event:
        case ev.TaskOpened():
            return f"{event.item} → {event.department} (limit {event.limit})"
        case ev.OutputIssued():
            return f"{event.name} {event.number}"
        case ev.AutomaticDecision():
            return f"rule {event.rule}"
        case ev.StageOpened() | ev.StageClosed():
            return event.stage
    return event.reason


def demo_summary(platform: Platform, run: DemoRun) -> dict[str, Any]:
    """The JSON contract of `yiwang demo --json`."""
    case = run.case
    catalog = platform.catalogs.version(case.catalog_version)
    calendar = platform.calendars.current()
    zone = ZoneInfo(platform.settings.timezone)  # every time in the JSON carries the local offset
    stages = []
    for stage in case.stages:
        tasks = []
        for task in case.tasks_of_stage(stage.index):
            department = catalog.department_kinds[catalog.item(task.item_code).department_kind]
            tasks.append(
                {
                    "id": task.id,
                    "item": task.item_code,
                    "item_name": catalog.item(task.item_code).name.zh,
                    "department": department.name.zh,
                    "department_code": task.department_code,
                    "status": task.status.value,
                    "decided_by_rule": task.decided_by_rule,
                    "working_hours_used": round(
                        task.deadline.clock.used_working_seconds(
                            task.closed_at or run.concluded_at, calendar
                        )
                        / 3600,
                        3,
                    ),
                    "due_at": task.deadline.due_at.astimezone(zone).isoformat() if task.deadline.due_at else None,
                }
            )
        stages.append(
            {
                "name": stage.name_zh,
                "name_en": stage.name_en,
                "status": stage.status.value,
                "due_at": stage.deadline.due_at.isoformat() if stage.deadline.due_at else None,
                "tasks": tasks,
            }
        )
    return {
        "case_id": case.id,
        "subject": case.subject_code,
        "status": case.status.value,
        "applicant": case.applicant_name,
        "company_name": case.form.get("company_name"),
        "catalog_version": case.catalog_version,
        "submitted_at": run.submitted_at.astimezone(zone).isoformat(),
        "concluded_at": run.concluded_at.astimezone(zone).isoformat(),
        # In the one meaning of "N working days" (docs/glossary.md): working time from
        # submission to conclusion over the office day's length, as the limits count it.
        "elapsed_working_days": round(
            float(calendar.working_days_used(run.submitted_at, run.concluded_at)), 3
        ),
        "elapsed_working_hours": round(run.elapsed_working_seconds / 3600, 3),
        "stages": stages,
        "outputs": [
            {"kind": o.kind, "name": o.name_zh, "number": o.number, "pieces": list(o.pieces)}
            for o in case.outputs
        ],
        "timeline": run.timeline,
    }


def pick_founder(population: Population, county_prefix: str = "3701") -> Person:
    """A demo founder in Jinan, of working age, chosen deterministically."""
    for person in population.people:
        if person.region_code.startswith(county_prefix) and date(
            1970, 1, 1
        ) <= person.birth_date <= date(2000, 1, 1):
            return person
    return population.people[0]


def seed_supplied_records(
    platform: Platform, people: Sequence[Any], enterprises: Sequence[Any]
) -> None:
    """Records departments supply, which the fast tracks read: the provincial HR department's
    recognised direct-issue talent (two demo people) and the tax bureau's exporter classes
    (the first three demo enterprises: 二类, 一类, 三类). Replaces, so idempotent."""
    supplied_at = platform.clock()
    with platform.unit_of_work() as uow:
        for person in people[4:6]:
            uow.registries.supply(
                "talent_registry", "direct_issue", person.id_number, "yes",
                by="山东省人力资源和社会保障厅", at=supplied_at,
            )
        for enterprise, exporter_class in zip(enterprises[:3], ("二类", "一类", "三类"), strict=False):
            uow.registries.supply(
                "exporter_class", "class", enterprise.credit_code, exporter_class,
                by="国家税务总局山东省税务局", at=supplied_at,
            )
        uow.commit()


def seed_service_cases(platform: Platform, population: Population) -> list[str]:
    """One open case of each further service in the demo province (the plans' services beside
    the enterprise start-up), filed by people and enterprises of the demo population, so the
    inboxes and boards of every department have work. Idempotent: keyed submissions."""
    people = [p for p in population.people if p.region_code.startswith("3701")]
    enterprises = [e for e in population.enterprises if e.region_code.startswith("3701")]
    if len(people) < 4 or not enterprises:
        return []
    seller, buyer, insured, talent = people[:4]
    company = enterprises[0]
    seed_supplied_records(platform, people, enterprises)
    submissions: list[tuple[str, str, str, str, dict[str, Any], str]] = [
        (
            "bundle.real_estate_secondhand_transfer",
            seller.id_number,
            seller.name,
            seller.region_code,
            {
                "region_code": seller.region_code,
                "property_unit_number": f"{seller.region_code}001001GB00001F00010203",
                "title_certificate_number": "鲁（2019）济南市不动产权第0123456号",
                "property_address": "泉城路188号3单元302",
                "seller_name": seller.name,
                "seller_id": seller.id_number,
                "seller_phone": seller.phone,
                "buyer_name": buyer.name,
                "buyer_id": buyer.id_number,
                "buyer_phone": buyer.phone,
                "price": "168",
                "buyer_first_home": "yes",
                "seller_only_home_five_years": "no",
                "delivery": "electronic",
            },
            "window",
        ),
        (
            "medins.employee_manual_reimbursement",
            insured.id_number,
            insured.name,
            insured.region_code,
            {
                "hospital_name": "北京协和医院",
                "visit_date": "2026-09-10",
                "amount": "12680.50",
                "bank_account": "6222020200112345678",
                "phone": insured.phone,
            },
            "mobile",
        ),
        (
            "talent.huicai_card",
            talent.id_number,
            talent.name,
            talent.region_code,
            {
                "talent_name": talent.name,
                "talent_id": talent.id_number,
                "employer_name": company.name,
                "employer_credit_code": company.credit_code,
                "issue_track": "review",
                "talent_level": "泰山产业领军人才",
            },
            "online",
        ),
        (
            "trade.export_tax_refund",
            company.credit_code,
            company.name,
            company.region_code,
            {"period": "2026-10", "refund_amount": "386500.00"},
            "online",
        ),
        (
            "bundle.innovation_voucher",
            company.credit_code,
            company.name,
            company.region_code,
            {"voucher_numbers": "CXQ-2026-000123", "amount": "50000", "service_provider": "山东省计量科学研究院"},
            "online",
        ),
        (
            "bundle.internal_consultation",
            # Government bodies hold credit codes too (registration authority 1, 机构编制).
            allocate_credit_code("1", "1", "370100", 2001),
            "济南市发展和改革委员会",
            "370100",
            {
                "document_title": "关于进一步优化营商环境支持民营经济发展的若干措施（征求意见稿）",
                "summary": "涉及企业开办、纳税、用工、用地等20条措施",
                "contact_name": "刘洋",
                "contact_phone": "13905310001",
                "openness": "public",
            },
            "window",
        ),
    ]
    filed = []
    for subject, applicant_id, name, region, form, channel in submissions:
        result = _services_in_window(platform, subject).submit(
            SubmitApplication(
                subject, applicant_id, name, region, form, channel=channel, idempotency_key=f"demo-service-{subject}"
            )
        )
        filed.append(result.case_id)
    return filed


def _services_in_window(platform: Platform, subject: str) -> CaseServices:
    """The case services, with the clock moved back to the start of the last monthly window
    when the subject takes applications only in one (创新券: working days 1-7) and today is
    outside it: the demo files the voucher as it would have been filed then."""
    window = platform.catalogs.current().as_bundle(subject).submission_window
    if window is None:
        return platform.cases
    calendar = platform.calendars.current()
    zone = calendar.office_hours.tzinfo
    now = platform.clock()
    inside, _ = window_at(calendar, now, window)
    if inside:
        return platform.cases
    today = now.astimezone(zone).date()
    year, month = today.year, today.month
    this_month = working_day_windows(calendar, year, month, (window,))[0]
    if this_month.first > today:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        this_month = working_day_windows(calendar, year, month, (window,))[0]
    at = datetime.combine(this_month.first, time(10, 0), tzinfo=zone)
    return dataclasses.replace(platform.cases, clock=lambda: at)
