"""Demo accounts (one per role, deterministic) and a few in-flight demo cases, so each role's
first page has something on it: an overdue (red) task for the supervisor, a case waiting for
the applicant's supplement, a fresh case in the reviewers' inboxes, and three construction
projects on the supervisor's construction board (one of them past its budget).

Only for `yiwang serve --demo` and tests; never in a real deployment.
"""

from __future__ import annotations

import contextlib
import dataclasses
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from yiwang.accounts.errors import AccountExists
from yiwang.accounts.models import Role
from yiwang.bootstrap import Platform, build_services
from yiwang.cases.commands import CompleteTask, RequestSupplement, SubmitApplication
from yiwang.cases.services import CaseServices
from yiwang.catalog.models import CatalogSpec
from yiwang.db import tables as t
from yiwang.demo.province import DEMO_SEED, STARTUP_BUNDLE, pick_founder, startup_form
from yiwang.identity.models import Enterprise, Person
from yiwang.identity.population import Population, generate_population

DEMO_CITY = "370100"  # 济南市: the demo founder lives there
DEMO_PASSWORD = "yiwang-demo"  # printed by `yiwang serve --demo`; demo databases only

# (username, role, display name, department kind or None)
_STAFF: tuple[tuple[str, Role, str, str | None], ...] = (
    ("clerk.jinan", Role.CLERK, "济南市政务服务中心窗口 王帮办", "administrative_approval"),
    ("reviewer.market.jinan", Role.REVIEWER, "济南市市场监督管理局 审核员", "market_regulation"),
    ("reviewer.hrss.jinan", Role.REVIEWER, "济南市人力资源和社会保障局 审核员", "human_resources"),
    ("reviewer.medins.jinan", Role.REVIEWER, "济南市医疗保障局 审核员", "medical_security"),
    ("reviewer.hfund.jinan", Role.REVIEWER, "济南市住房公积金管理中心 审核员", "housing_fund"),
    ("reviewer.police.jinan", Role.REVIEWER, "济南市公安局 审核员", "public_security"),
    ("reviewer.tax.jinan", Role.REVIEWER, "济南市税务局 审核员", "taxation"),
    ("lead.market.jinan", Role.LEAD_REVIEWER, "济南市市场监督管理局 审核负责人", "market_regulation"),
    # Owners of conditionally shared datasets answer sharing requests (有条件共享).
    ("reviewer.ndrc.jinan", Role.REVIEWER, "济南市发展和改革委员会（公共信用信息） 审核员", "development_reform"),
    ("reviewer.civil.jinan", Role.REVIEWER, "济南市民政局（婚姻登记信息） 审核员", "civil_affairs"),
    ("supervisor.jinan", Role.SUPERVISOR, "济南市政务服务督查 李督查", None),
    ("admin", Role.ADMIN, "系统管理员", None),
)
# Bank branches serving as real-estate registration points (银行网点): (username, display
# name, branch code). The branch is the clerk's department; the region is the city it serves.
_BANK_CLERKS: tuple[tuple[str, str, str], ...] = (
    ("bank.icbc.lixia", "中国工商银行济南历下支行（不动产登记服务点） 张帮办", "bank.icbc.lixia@370102"),
)
CONSTRUCTION_BUNDLE = "bundle.construction_project"
# The demo's government body (机关): files internal bundles (部门间征求意见, 联合发文会签).
# Government bodies hold unified social credit codes too (registration authority 1, 机构编制).
DEMO_GOVERNMENT_NAME = "济南市发展和改革委员会"
DEMO_GOVERNMENT_SERIAL = 2001


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A seeded account with its password, printed by `yiwang serve` for the demo."""

    username: str
    password: str
    role: Role
    display_name: str
    scope: str = ""


def _population(platform: Platform) -> Population:
    from yiwang.demo.province import DEMO_ENTERPRISES, DEMO_PEOPLE

    return generate_population(
        platform.catalogs.current().regions, people=DEMO_PEOPLE, enterprises=DEMO_ENTERPRISES, seed=DEMO_SEED
    )


def demo_government_code() -> str:
    from yiwang.identity.numbers import allocate_credit_code

    return allocate_credit_code("1", "1", DEMO_CITY, DEMO_GOVERNMENT_SERIAL)


def demo_departments(platform: Platform) -> list[str]:
    """Every department a task of any item can be routed to when a Jinan applicant files
    (the city's departments, and those an implementation list moves up or down)."""
    from yiwang.cases.engine import item_route

    catalog = platform.catalogs.current()
    counties = [region.code for region in catalog.regions if region.code.startswith(DEMO_CITY[:4])]
    found: set[str] = set()
    for item in catalog.items.values():
        for county in counties:
            decider, reviewer = item_route(catalog, item, county)
            found.add(decider)
            if reviewer:
                found.add(reviewer)
    return sorted(found)


def reviewer_username(department_code: str) -> str:
    """``reviewer.<kind>.jinan`` for the city's departments, ``reviewer.<kind>.<region>``
    for a province, county or zone department; the first demo accounts keep their short names."""
    kind, _, region = department_code.partition("@")
    short = {
        "market_regulation": "market",
        "human_resources": "hrss",
        "medical_security": "medins",
        "housing_fund": "hfund",
        "public_security": "police",
        "taxation": "tax",
        "development_reform": "ndrc",
        "civil_affairs": "civil",
    }.get(kind, kind)
    return f"reviewer.{short}.{'jinan' if region == DEMO_CITY else region}"


def fitting_applicant(catalog: CatalogSpec, code: str) -> str:
    """Who files an item or bundle in the demo: "government" (internal work), "bank" (the
    mortgage items a bank branch files), "enterprise" (what an employer or a registered
    entity applies for) or "person"."""
    from yiwang.accounts import policy

    if policy.is_internal(catalog, code):
        return "government"
    if code in policy.BANK_ITEMS:
        return "bank"
    bundle = catalog.as_bundle(code)
    if bundle.single_item is None:
        return "person" if code in (STARTUP_BUNDLE, "bundle.real_estate_secondhand_transfer") else "enterprise"
    for material in bundle.single_item.materials:
        field = material.registry_field or ""
        if material.subject == "applicant" and (field.startswith("legal_entities.") or field == "licences.business_licence"):
            return "enterprise"
    return "person"


def demo_guide(platform: Platform, accounts: list[DemoAccount]) -> list[str]:
    """Per service (each bundle, and the items of each domain and department), the demo
    account that applies and the accounts of the departments that handle it: what
    `make run` prints."""
    from yiwang.cases.engine import item_route

    catalog = platform.catalogs.current()
    applicants = {
        "person": next((a.username for a in accounts if a.scope.startswith("个人")), ""),
        "enterprise": next((a.username for a in accounts if a.scope.startswith("企业")), ""),
        "government": next((a.username for a in accounts if a.scope.startswith("机关")), ""),
        "bank": next((a.username for a in accounts if a.role is Role.BANK_CLERK), ""),
    }
    reviewers = {a.scope: a.username for a in accounts if a.role is Role.REVIEWER}
    groups: dict[str, list[str]] = {f"{b.name.zh} {b.name.en}": [b.code] for b in catalog.bundles.values()}
    for code in catalog.items:
        prefix = code.split(".", 1)[0]
        kind = catalog.department_kinds[catalog.item(code).department_kind].name
        groups.setdefault(f"{prefix}.* {kind.zh}", []).append(code)
    lines = []
    for label, codes in groups.items():
        filers = sorted({applicants[fitting_applicant(catalog, code)] for code in codes} - {""})
        handlers = set()
        for code in codes:
            for item_code in catalog.as_bundle(code).item_codes():
                decider, reviewer = item_route(catalog, catalog.item(item_code), "370102")
                handlers |= {reviewers.get(decider, decider), *([reviewers.get(reviewer, reviewer)] if reviewer else [])}
        count = f" ({len(codes)})" if ".* " in label else ""
        lines.append(f"{label}{count}: 申请 apply {', '.join(filers)} → 办理 handle {', '.join(sorted(handlers))}")
    return lines


def _department_name(platform: Platform, department_code: str) -> str:
    catalog = platform.catalogs.current()
    kind, _, region_code = department_code.partition("@")
    region = catalog.regions.find(region_code)
    place = ""
    if region is not None:
        city = catalog.regions.find(region_code[:4] + "00")
        place = region.name if city is None or city.code == region.code else f"{city.name}{region.name}"
    kind_spec = catalog.department_kinds.get(kind)
    return f"{place}{kind_spec.name.zh if kind_spec else kind}"


def seed_demo_accounts(platform: Platform, population: Population | None = None) -> list[DemoAccount]:
    """Create the demo accounts (idempotent) and return them with their passwords."""
    population = population or _population(platform)
    accounts = build_services(platform).accounts
    founder = pick_founder(population)
    seeded: list[DemoAccount] = []
    with contextlib.suppress(AccountExists):
        accounts.register_person(founder.id_number, founder.name, founder.phone, DEMO_PASSWORD)
    seeded.append(DemoAccount(founder.id_number, DEMO_PASSWORD, Role.APPLICANT, founder.name, "个人 person"))
    enterprise = demo_enterprise(population)
    agent = population.person(enterprise.legal_representative_id)
    if agent is not None:
        with contextlib.suppress(AccountExists):
            accounts.register_enterprise(enterprise.credit_code, agent.id_number, agent.name, agent.phone, DEMO_PASSWORD)
        seeded.append(
            DemoAccount(enterprise.credit_code, DEMO_PASSWORD, Role.APPLICANT, enterprise.name, f"企业 经办人 {agent.name}")
        )
    for username, role, display_name, kind in _STAFF:
        department = f"{kind}@{DEMO_CITY}" if kind else None
        region = None if role is Role.ADMIN else DEMO_CITY
        with contextlib.suppress(AccountExists):
            accounts.create_staff(
                username, DEMO_PASSWORD, role, display_name, department_code=department, region_code=region
            )
        seeded.append(DemoAccount(username, DEMO_PASSWORD, role, display_name, department or region or ""))
    named = {f"{kind}@{DEMO_CITY}" for _u, role, _n, kind in _STAFF if role is Role.REVIEWER and kind}
    for department in demo_departments(platform):
        if department in named:
            continue
        username = reviewer_username(department)
        display_name = f"{_department_name(platform, department)} 审核员"
        with contextlib.suppress(AccountExists):
            accounts.create_staff(
                username,
                DEMO_PASSWORD,
                Role.REVIEWER,
                display_name,
                department_code=department,
                region_code=department.partition("@")[2],
            )
        seeded.append(DemoAccount(username, DEMO_PASSWORD, Role.REVIEWER, display_name, department))
    government = demo_government_code()
    official = next(p for p in population.people if p.region_code.startswith(DEMO_CITY[:4]))
    _register_government_body(platform, government, official.id_number)
    with contextlib.suppress(AccountExists):
        accounts.register_enterprise(government, official.id_number, official.name, official.phone, DEMO_PASSWORD)
    seeded.append(
        DemoAccount(government, DEMO_PASSWORD, Role.APPLICANT, DEMO_GOVERNMENT_NAME, f"机关 经办人 {official.name}")
    )
    for username, display_name, branch in _BANK_CLERKS:
        with contextlib.suppress(AccountExists):
            accounts.create_staff(
                username, DEMO_PASSWORD, Role.BANK_CLERK, display_name, department_code=branch, region_code=DEMO_CITY
            )
        seeded.append(DemoAccount(username, DEMO_PASSWORD, Role.BANK_CLERK, display_name, branch))
    return seeded


def demo_signup_person(population: Population) -> Person:
    """A Jinan adult of the demo population with no account, whose details (with the phone on
    record) `yiwang serve --demo` prints so a person can try the sign-up by hand."""
    taken = {pick_founder(population).id_number, demo_enterprise(population).legal_representative_id}
    return next(
        p
        for p in reversed(population.people)
        if p.region_code.startswith(DEMO_CITY[:4]) and p.id_number not in taken and p.birth_date.year < 2000
    )
def _register_government_body(platform: Platform, credit_code: str, head_id: str) -> None:
    """The legal-entity registry (法人单位基础信息库) holds 机关法人 beside enterprises; the
    demo's government body is entered once, so its account can be opened like any other."""
    from datetime import date

    from yiwang.db.uow import name_key

    with platform.engine.begin() as connection:
        if connection.execute(select(t.enterprises.c.credit_code).where(t.enterprises.c.credit_code == credit_code)).first():
            return
        connection.execute(
            t.enterprises.insert(),
            {
                "credit_code": credit_code,
                "name": DEMO_GOVERNMENT_NAME,
                "name_key": name_key(DEMO_GOVERNMENT_NAME),
                "entity_type": "government_body",
                "region_code": DEMO_CITY,
                "legal_rep_id": head_id,
                "registered_on": date(1983, 1, 1),
                "sector": "机关",
                "address": "济南市市中区龙奥北路1号",
                "case_id": None,
            },
        )


@dataclass(frozen=True)
class DemoCases:
    overdue_case_id: str
    supplement_case_id: str
    fresh_case_id: str
    # The demo enterprise's business licence in the electronic licence library.
    licence_id: str = ""
    # Construction projects on the supervisor's board; the last one is past its budget.
    project_ids: tuple[str, ...] = ()

    @property
    def overdue_project_id(self) -> str:
        return self.project_ids[-1] if self.project_ids else ""


def demo_enterprise(population: Population) -> Enterprise:
    """The enterprise of the demo enterprise account (a Jinan enterprise)."""
    return next(
        (e for e in population.enterprises if e.region_code.startswith(DEMO_CITY[:4])), population.enterprises[0]
    )


def seed_demo_licence(platform: Platform, population: Population) -> str:
    """The demo enterprise's electronic business licence (电子营业执照), as the licence
    library of a province holds one for every registered enterprise; returns its identifier.
    Registered before the platform existed, it belongs to no case."""
    from yiwang.cases.licensing import issuer_code
    from yiwang.licences.models import BUSINESS_LICENCE
    from yiwang.licences.services import LicenceIssuer, LicenceRequest

    enterprise = demo_enterprise(population)
    catalog = platform.catalogs.current()
    item = next(i for i in catalog.items.values() if i.output is not None and i.output.kind == BUSINESS_LICENCE.code)
    code, name = issuer_code(catalog, item, enterprise.region_code)
    representative = population.person(enterprise.legal_representative_id)
    with platform.unit_of_work() as uow:
        held = uow.licences.of_holder(enterprise.credit_code)
        if held:
            return held[0].licence.identifier.text
        request = LicenceRequest(
            kind=BUSINESS_LICENCE,
            holder_id=enterprise.credit_code,
            holder_name=enterprise.name,
            issuer_department_code=code,
            issuer_name=name,
            fields=(
                ("类型", enterprise.entity_type.label_zh),
                ("法定代表人", representative.name if representative else ""),
                ("成立日期", enterprise.registered_on.isoformat()),
                ("营业期限", "长期"),
                ("住所", enterprise.address),
                ("经营范围", enterprise.sector),
            ),
        )
        signed = LicenceIssuer(platform.licence_keys, uow.licence_serials).issue(
            request, issued_at=platform.clock().replace(microsecond=0)
        )
        uow.licences.store(signed, number=enterprise.credit_code, case_id=None)
        uow.commit()
    return signed.licence.identifier.text


def _services_at(platform: Platform, at: datetime) -> CaseServices:
    # The same wiring as the platform's, with a clock standing at ``at``: the demo's history
    # (a case filed three working days ago) is written as it would have happened.
    return dataclasses.replace(platform.cases, clock=lambda: at)


def _form(person: Person, county: str, name: str, entity_type: str) -> dict[str, Any]:
    form = startup_form(person, county, name)
    form["entity_type"] = entity_type
    return form


def _working_days_before(platform: Platform, start: datetime, days: int, hour: int = 10) -> datetime:
    """A working day ``days`` working days before ``start`` (in the platform's zone), at ``hour``."""
    calendar = platform.calendars.current()
    zone = ZoneInfo(platform.settings.timezone)
    day = start.astimezone(zone).date()
    for _ in range(days):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=zone)


# (project name, flow type, standard land, parcel, county, investment (10,000 yuan), working
# days ago, working days after filing when the first stage's departments approved or 0). The
# last is filed 25 working days ago on a 20-day budget: red on the board.
_PROJECTS: tuple[tuple[str, str, str, str, str, str, int, int], ...] = (
    ("泉城智能制造产业园一期", "social_industrial", "no", "JN-2026-017", "370112", "52000", 6, 0),
    ("历下数字经济产业园（标准地）", "social_industrial_standard_land", "yes", "JN-2026-021", "370102", "18000", 28, 4),
    ("市中区社区卫生服务站改造", "simple_low_risk", "no", "JN-2026-033", "370103", "800", 25, 0),
)


def seed_demo_projects(platform: Platform, population: Population | None = None) -> tuple[str, ...]:
    """Three construction projects (R-SVC-CON) filed by Jinan enterprises of the demo
    population, backdated so the board shows green, yellow and red; once per database
    (returns the existing projects' ids when there are some)."""
    with platform.engine.connect() as connection:
        existing = tuple(
            connection.execute(
                select(t.cases.c.id)
                .where(t.cases.c.idempotency_key.startswith("demo-project-"))
                .order_by(t.cases.c.idempotency_key)
            ).scalars()
        )
    if existing:
        return existing
    population = population or _population(platform)
    builders = [e for e in population.enterprises if e.region_code.startswith(DEMO_CITY[:4])]
    builders = builders[1:] + builders[:1]  # the demo enterprise account's own enterprise last
    now = platform.clock()
    ids: list[str] = []
    for index, (name, flow, standard, parcel, county, investment, days_ago, approved_after) in enumerate(_PROJECTS):
        builder = builders[index % len(builders)]
        filed_at = _working_days_before(platform, now, days_ago)
        services = _services_at(platform, filed_at)
        submitted = services.submit(
            SubmitApplication(
                subject_code=CONSTRUCTION_BUNDLE,
                applicant_id=builder.credit_code,
                applicant_name=builder.name,
                region_code=county,
                form={
                    "project_name": name,
                    "flow_type": flow,
                    "standard_land": standard,
                    "parcel_code": parcel,
                    "region_code": county,
                    "total_investment": investment,
                },
                channel="online",
                idempotency_key=f"demo-project-{index}",
            )
        )
        ids.append(submitted.case_id)
        if approved_after:
            # The first stage's departments approved: the project is at the works permit.
            decided = _services_at(platform, _working_days_before(platform, now, days_ago - approved_after, hour=15))
            case = platform.cases.get(submitted.case_id)
            for task in case.tasks_of_stage(0):
                if task.is_open:
                    decided.act(CompleteTask(task.id, f"reviewer:{task.department_code}", comment="同意"))
    return tuple(ids)


def seed_demo_cases(platform: Platform, population: Population | None = None) -> DemoCases | None:
    """Three joint-stock start-ups (no smart approval, so people review them); once per database."""
    with platform.engine.connect() as connection:
        if connection.execute(select(func.count()).select_from(t.cases)).scalar():
            return None
    population = population or _population(platform)
    catalog = platform.catalogs.current()
    calendar = platform.calendars.current()
    zone = ZoneInfo(platform.settings.timezone)
    now = platform.clock().astimezone(zone)
    others = [p for p in population.people if p.region_code.startswith(DEMO_CITY[:4])][5:7]
    # The founder (the demo applicant account) owns the case waiting for a supplement.
    people = [others[0], pick_founder(population), others[1]]
    county = catalog.regions.get("370102")
    three_days_ago = now.date()
    for _ in range(3):
        three_days_ago -= timedelta(days=1)
        while not calendar.is_working_day(three_days_ago):
            three_days_ago -= timedelta(days=1)
    filed_at = datetime.combine(three_days_ago, datetime.min.time().replace(hour=10), tzinfo=zone)
    ids: list[str] = []
    for index, (person, trade, at) in enumerate(
        zip(
            people,
            ("鲁泰", "泉华", "历山"),
            (filed_at, filed_at + timedelta(hours=1), now - timedelta(minutes=20)),
            strict=True,
        )
    ):
        services = _services_at(platform, at)
        submitted = services.submit(
            SubmitApplication(
                subject_code=STARTUP_BUNDLE,
                applicant_id=person.id_number,
                applicant_name=person.name,
                region_code=county.code,
                form=_form(person, county.code, f"济南市历下区{trade}科技股份有限公司", "joint_stock"),
                channel="window" if index == 0 else "online",
                idempotency_key=f"demo-inflight-{index}",
            )
        )
        ids.append(submitted.case_id)
    supplement_task = platform.cases.get(ids[1]).tasks[0].id
    later = _services_at(platform, filed_at + timedelta(hours=2))
    # The complete notice is given before acceptance (行政许可法 Art. 32), within 5 working days.
    later.act(
        RequestSupplement(
            supplement_task,
            "reviewer.market.jinan",
            material_codes=("premises_proof",),
            note="住所使用证明不清晰，请重新上传加盖公章的租赁合同",
        )
    )
    project_ids = seed_demo_projects(platform, population)
    platform.cases.sweep()
    licence_id = seed_demo_licence(platform, population)
    return DemoCases(ids[0], ids[1], ids[2], licence_id, project_ids)


class DemoRealNameVerifier:
    """Verifies against the demo population; anyone outside it is not verified."""

    def __init__(self, population: Population) -> None:
        self._names = {person.id_number: person.name for person in population.people}

    def verify(self, id_number: str, name: str) -> bool:
        key = unicodedata.normalize("NFKC", id_number).strip().upper()
        expected = self._names.get(key)
        return expected is not None and expected == unicodedata.normalize("NFKC", name).strip()
