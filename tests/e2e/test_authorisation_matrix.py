"""The authorisation matrix: every route of the built application (the API under /api/v1 and
every page) for every demo role, each with the outcome it must get.

The routes are read from the application's own route table, so a route added without a row
here fails `test_every_route_has_a_row`. Outcomes: ``ok`` (2xx, or a redirect that is not the
sign-in page), ``login`` (401 from the API, a redirect to /login from a page), 403 (may see
but not do), 404 (may not know it exists: another applicant's case, another department's
task, another city's case), 422 (a public form reached with invalid input).

One platform per database (SQLite and PostgreSQL) is built for the whole module: the demo
province, its accounts and in-flight cases, plus a reviewer and a supervisor of a second city
(Qingdao) and a case filed there, and one API token and one signed-in browser per role.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from e2e_support import Demo, TestClient
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import Engine, select, text

from yiwang.accounts import services as account_services
from yiwang.accounts.models import Role
from yiwang.bootstrap import Platform, bootstrap
from yiwang.cases.commands import SubmitApplication
from yiwang.clock import SimulatedClock
from yiwang.db import tables as t
from yiwang.db.engine import make_engine
from yiwang.demo.accounts import DEMO_PASSWORD, seed_demo_accounts, seed_demo_cases
from yiwang.demo.inspections import publish_demo_draws
from yiwang.demo.province import ensure_signing_keys, seed_demo_province
from yiwang.server import create_app
from yiwang.settings import Settings
from yiwang.web.session import CSRF_COOKIE, SESSION_COOKIE

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
POSTGRES_URL = os.environ.get("YIWANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# --- the principals ------------------------------------------------------------------------
ANON = "anonymous"
PERSON = "person"  # the demo founder (a person applicant)
ENTERPRISE = "enterprise"  # the demo enterprise, through its agent
CLERK = "clerk.jinan"
BANK = "bank.icbc.lixia"
MARKET = "reviewer.market.jinan"
HRSS = "reviewer.hrss.jinan"  # another department, same city
MARKET_QD = "reviewer.market.qingdao"  # the same department kind, another city
LEAD = "lead.market.jinan"
NDRC = "reviewer.ndrc.jinan"  # owns the public-credit dataset (answers sharing requests)
SUPERVISOR = "supervisor.jinan"
SUPERVISOR_QD = "supervisor.qingdao"
ADMIN = "admin"
ROLES = (ANON, PERSON, ENTERPRISE, CLERK, BANK, MARKET, HRSS, MARKET_QD, LEAD, NDRC, SUPERVISOR, SUPERVISOR_QD, ADMIN)
QINGDAO = "370200"

APPLICANTS = {PERSON, ENTERPRISE}
REVIEWERS = {MARKET, HRSS, MARKET_QD, LEAD, NDRC}
SUPERVISORS = {SUPERVISOR, SUPERVISOR_QD, ADMIN}
SIGNED_IN = set(ROLES) - {ANON}

OK, LOGIN, FORBIDDEN, NOT_FOUND, INVALID = "ok", "login", "403", "404", "422"


def public() -> dict[str, str]:
    return dict.fromkeys(ROLES, OK)


def signed_in(ok: set[str], hidden: frozenset[str] = frozenset()) -> dict[str, str]:
    """Roles in ``ok`` succeed, roles in ``hidden`` get 404, other signed-in roles 403,
    the anonymous visitor is sent to sign in."""
    assert not ok & hidden
    return {role: LOGIN if role == ANON else OK if role in ok else NOT_FOUND if role in hidden else FORBIDDEN for role in ROLES}


def hidden_from_all_but(ok: set[str], forbidden: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
    """An object: roles in ``ok`` succeed, ``forbidden`` may see it but not do this (403),
    every other signed-in role is told it does not exist (404)."""
    return {
        role: LOGIN if role == ANON else OK if role in ok else FORBIDDEN if role in forbidden else NOT_FOUND
        for role in ROLES
    }


# --- the platform, built once per database -------------------------------------------------


@dataclass
class World:
    platform: Platform
    app: FastAPI
    api: TestClient
    browsers: dict[str, TestClient]
    tokens: dict[str, str]
    usernames: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)
    startup_form: dict[str, Any] = field(default_factory=dict)
    made: int = 0

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role != ANON else {}

    def issue_token(self, role: str, label: str = "api") -> str:
        response = self.api.post(
            "/api/v1/tokens", json={"username": self.usernames[role], "password": DEMO_PASSWORD, "label": label}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def restore(self) -> None:
        """A token and a signed-in browser for every role again (after a row that ends them)."""
        for role in ROLES:
            if role != ANON:
                self.tokens[role] = self.issue_token(role)
            self.sign_in(role)

    def spare_token_id(self, role: str) -> str:
        """The id of a second token of ``role`` (to revoke without losing the first)."""
        self.issue_token(role, "spare")
        listed = self.api.get("/api/v1/tokens", headers=self.auth(role)).json()
        return str(next(t["id"] for t in reversed(listed) if t["label"] == "spare" and t["active"]))

    def sign_in(self, role: str) -> None:
        client = TestClient(self.app, raise_server_exceptions=False)
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        if role != ANON:
            response = client.post(
                "/login",
                data={"username": self.usernames[role], "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text[:300]
        self.browsers[role] = client

    def company(self, city: str = "济南市历下区") -> str:
        trades = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星辰山川海"
        self.made += 1
        return f"{city}{trades[self.made % len(trades)]}{trades[self.made // len(trades)]}禾科技股份有限公司"

    def startup(self, role: str = PERSON, **changes: Any) -> dict[str, Any]:
        """A fresh start-up application by ``role`` (via the API); the created case."""
        form = dict(self.startup_form)
        form["company_name"] = self.company()
        form.update(changes)
        body: dict[str, Any] = {"subject_code": "bundle.enterprise_startup", "form": form}
        if role == CLERK:
            body.update(applicant_id=form["legal_rep_id"], applicant_name=form["legal_rep_name"])
        created = self.api.post("/api/v1/cases", json=body, headers=self.auth(role))
        assert created.status_code == 201, created.text
        result: dict[str, Any] = created.json()
        return result

    def market_task(self, case: dict[str, Any]) -> str:
        return str(next(t["id"] for t in case["tasks"] if t["item_code"].startswith("market.")))


def _engine(kind: str, root: Path) -> Iterator[Engine]:
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{root / 'yiwang.db'}")
        yield engine
        engine.dispose()
        return
    try:
        admin = make_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # any failure to connect means "not available"
        if os.environ.get("YIWANG_REQUIRE_POSTGRES", "") == "1":
            pytest.fail(f"PostgreSQL required but unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable: {str(error).splitlines()[0]}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    hasher = account_services._hasher
    account_services._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    root = tmp_path_factory.mktemp(f"matrix-{request.param}")
    engines = _engine(request.param, root)
    engine = next(engines)
    try:
        clock = SimulatedClock(datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
        platform = bootstrap(Settings(database_url=str(engine.url), data_dir=root / "var"), clock=clock, engine=engine)
        yield _build(platform)
        platform.dispose()
    finally:
        account_services._hasher = hasher
        next(engines, None)


def _build(platform: Platform) -> World:
    population = seed_demo_province(platform, people=600, enterprises=200)
    ensure_signing_keys(platform)
    accounts = seed_demo_accounts(platform, population)
    cases = seed_demo_cases(platform, population)
    assert cases is not None
    publish_demo_draws(platform)
    app = create_app(platform)
    for username, role, name, department in (
        (MARKET_QD, Role.REVIEWER, "青岛市市场监督管理局 审核员", f"market_regulation@{QINGDAO}"),
        (SUPERVISOR_QD, Role.SUPERVISOR, "青岛市政务服务督查", None),
    ):
        app.state.services.accounts.create_staff(
            username, DEMO_PASSWORD, role, name, department_code=department, region_code=QINGDAO
        )
    founder = next(a.username for a in accounts if a.role is Role.APPLICANT and a.scope.startswith("个人"))
    enterprise = next(a.username for a in accounts if a.role is Role.APPLICANT and a.scope.startswith("企业"))
    usernames = {role: role for role in ROLES} | {PERSON: founder, ENTERPRISE: enterprise}
    api = TestClient(app, raise_server_exceptions=False)
    world = World(platform, app, api, {}, {}, usernames)
    world.restore()
    world.startup_form = dict(platform.cases.get(cases.fresh_case_id).form)
    ids = world.ids
    # The founder's case waiting for a supplement: market and social-insurance tasks.
    case = platform.cases.get(cases.supplement_case_id)
    ids["person_case"] = case.id
    ids["api_supplement"] = case.open_supplements()[0].id
    ids["market_task"] = next(task.id for task in case.tasks if task.item_code.startswith("market."))
    material = api.post(
        f"/api/v1/cases/{case.id}/materials",
        data={"material_code": "premises_proof"},
        files={"file": ("a.png", PNG, "image/png")},
        headers=world.auth(PERSON),
    )
    assert material.status_code == 201, material.text
    ids["person_material"] = material.json()["id"]
    # An answer must carry every material the notice asked for: upload them beforehand.
    asked = next(s for s in case.supplements if s.id == ids["api_supplement"]).material_codes
    carried = []
    for code in asked:
        uploaded = api.post(
            f"/api/v1/cases/{case.id}/materials",
            data={"material_code": code, "supplement_id": ids["api_supplement"]},
            files={"file": (f"{code}.png", PNG, "image/png")},
            headers=world.auth(PERSON),
        )
        assert uploaded.status_code == 201, uploaded.text
        carried.append(uploaded.json()["id"])
    ids["api_supplement_attachments"] = ",".join(carried)
    # A second supplement notice, for the page's answer.
    paged = world.startup()
    task = world.market_task(paged)
    # One notice before acceptance (行政许可法 第三十二条).
    notice = {"action": "supplement", "note": "请补充场所证明", "material_codes": ["premises_proof"]}
    response = api.post(f"/api/v1/tasks/{task}/actions", json=notice, headers=world.auth(MARKET))
    assert response.status_code == 200, response.text
    ids["page_case"] = paged["id"]
    ids["page_supplement"] = platform.cases.get(paged["id"]).open_supplements()[0].id
    # Two sharing requests waiting for the development-and-reform department (API, page).
    for name in ("api_request", "page_request"):
        asked = world.startup()
        response = api.post(
            f"/api/v1/tasks/{world.market_task(asked)}/data-requests",
            json={"registry_field": "credit.class", "subject_id": platform.cases.get(asked["id"]).applicant_id, "purpose": "核实申请人信用状况"},
            headers=world.auth(MARKET),
        )
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    # An enterprise applicant's case (its credit class is shown to the reviewers).
    with platform.engine.connect() as connection:
        legal_rep = connection.execute(
            select(t.enterprises.c.legal_rep_id).where(t.enterprises.c.credit_code == enterprise)
        ).scalar_one()
    created = api.post(
        "/api/v1/cases",
        json={
            "subject_code": "market.enterprise_address_change",
            "form": {"new_address": "济南市历下区泉城路200号", "region_code": "370102", "legal_rep_id": legal_rep},
        },
        headers=world.auth(ENTERPRISE),
    )
    assert created.status_code == 201, created.text
    ids["enterprise_case"] = created.json()["id"]
    ids["enterprise_task"] = world.market_task(created.json())
    # A case filed at the bank branch for a person who is present.
    overdue = platform.cases.get(cases.overdue_case_id)
    ids["bank_applicant"], ids["bank_applicant_name"] = overdue.applicant_id, overdue.applicant_name
    created = api.post("/api/v1/cases", json=mortgage_discharge(world), headers=world.auth(BANK))
    assert created.status_code == 201, created.text
    ids["bank_case"] = created.json()["id"]
    # A case filed by the window clerk for a present applicant.
    ids["clerk_case"] = world.startup(CLERK)["id"]
    # A case in Qingdao (the founder may apply anywhere in the province: 全域通办).
    qingdao = world.startup(region_code="370202", company_name=world.company("青岛市市南区"))
    ids["qingdao_case"] = qingdao["id"]
    ids["qingdao_task"] = world.market_task(qingdao)
    ids["licence"] = cases.licence_id
    # Social insurance opens once the licence is issued: a start-up whose licence the rule
    # decides (a sole-shareholder company) has its social-insurance task at once.
    fresh = platform.cases.get(cases.fresh_case_id)
    licensed = platform.cases.submit(
        SubmitApplication(
            "bundle.enterprise_startup",
            fresh.applicant_id,
            fresh.applicant_name,
            "370102",
            {**fresh.form, "entity_type": "llc_natural_person_sole", "company_name": "济南市历下区明湖数据科技有限公司"},
        )
    )
    ids["hrss_task"] = next(t.id for t in platform.cases.get(licensed.case_id).tasks if t.item_code.startswith("hrss."))
    # A person of the registry the enterprise may authorise as its agent, and a standing grant.
    agent = next(p for p in population.people if p.region_code.startswith("3701") and p.id_number not in (founder, legal_rep))
    ids["agent_id"], ids["agent_name"] = agent.id_number, agent.name
    granted = api.post("/api/v1/enterprise/authorisations", json=grant_body(world), headers=world.auth(ENTERPRISE))
    assert granted.status_code == 201, granted.text
    ids["grant"] = granted.json()["id"]
    return world


def _mortgage_discharge(applicant_id: str, applicant_name: str) -> dict[str, Any]:
    """解押 filed at the bank branch for a person of the demo population who is present."""
    return {
        "subject_code": "realestate.mortgage_discharge",
        "form": {
            "region_code": "370102",
            "property_unit_number": "370102001001GB00001F00010001",
            "mortgage_certificate_number": "鲁(2024)济南市不动产证明第0012345号",
            "mortgagee_name": "中国工商银行股份有限公司济南历下支行",
        },
        "applicant_id": applicant_id,
        "applicant_name": applicant_name,
    }


def mortgage_discharge(demo: Demo | World) -> dict[str, Any]:
    """The bank branch's 解押 for the applicant of the demo's overdue case (also used by the
    service-point tests)."""
    if isinstance(demo, World):
        return _mortgage_discharge(demo.ids["bank_applicant"], demo.ids["bank_applicant_name"])
    person = demo.platform.cases.get(demo.cases.overdue_case_id)
    return _mortgage_discharge(person.applicant_id, person.applicant_name)


def enterprise_case(demo: Demo, headers: dict[str, str]) -> dict[str, Any]:
    """The demo enterprise applies for a change of address (its licence and registration
    are obtained by data sharing): a case whose applicant is an enterprise (also used by the
    trust and sharing tests)."""
    with demo.platform.engine.connect() as connection:
        legal_rep = connection.execute(
            select(t.enterprises.c.legal_rep_id).where(t.enterprises.c.credit_code == demo.enterprise)
        ).scalar_one()
    created = demo.client.post(
        "/api/v1/cases",
        json={
            "subject_code": "market.enterprise_address_change",
            "form": {"new_address": "济南市历下区泉城路200号", "region_code": "370102", "legal_rep_id": legal_rep},
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    return result


# --- the matrix ----------------------------------------------------------------------------

Target = Callable[[World, str], str]


@dataclass
class Row:
    """One route: what to request (per role) and what each role must get."""

    method: str
    route: str  # the route's path template, as the route table names it
    expect: dict[str, str]
    path: str | Target = ""  # default: the template itself
    body: Callable[[World, str], dict[str, Any]] = lambda world, role: {}
    after: Callable[[World], None] | None = None  # run once every role has had its turn

    @property
    def is_api(self) -> bool:
        return self.route.startswith("/api/")

    def target(self, world: World, role: str) -> str:
        if callable(self.path):
            return self.path(world, role)
        return (self.path or self.route).format(**world.ids)


def fresh_market_task(allowed: set[str]) -> Target:
    """A new market-regulation task for each role that will succeed (a task is handled once);
    the shared one for the others, who are refused before anything changes."""

    def target(world: World, role: str) -> str:
        if role in allowed:
            return world.market_task(world.startup())
        return world.ids["market_task"]

    return target


def grant_body(world: World) -> dict[str, Any]:
    return {"agent_id": world.ids["agent_id"], "agent_name": world.ids["agent_name"], "scopes": ["read"], "days": 30}


def fresh_grant(template: str) -> Target:
    """A new authorisation for the enterprise's legal representative to revoke; the standing
    one for everyone else (refused before anything changes)."""

    def target(world: World, role: str) -> str:
        if role != ENTERPRISE:
            return template.format(grant=world.ids["grant"])
        granted = world.api.post("/api/v1/enterprise/authorisations", json=grant_body(world), headers=world.auth(ENTERPRISE))
        assert granted.status_code == 201, granted.text
        return template.format(grant=granted.json()["id"])

    return target


def fresh_task(
    allowed: set[str], template: str, prepare: Callable[[World, str, str], None] | None = None
) -> Target:
    """``template`` on a new market task (prepared by ``prepare(world, role, task)``) for each
    role that will succeed; on the shared one for the others."""

    def target(world: World, role: str) -> str:
        if role not in allowed:
            return template.format(task=world.ids["market_task"])
        task = world.market_task(world.startup())
        if prepare is not None:
            prepare(world, role, task)
        return template.format(task=task)

    return target


def fresh_case(allowed: set[str], template: str, prepare: Callable[[World, str], None] | None = None) -> Target:
    """``template`` on a new case of the founder (prepared by ``prepare(world, case)``) for each
    role that will succeed; on the founder's shared case for the others."""

    def target(world: World, role: str) -> str:
        if role not in allowed:
            return template.format(case=world.ids["person_case"])
        case = str(world.startup()["id"])
        if prepare is not None:
            prepare(world, case)
        return template.format(case=case)

    return target


def accepted(world: World, role: str, task: str) -> None:
    response = world.api.post(f"/api/v1/tasks/{task}/actions", json={"action": "accept"}, headers=world.auth(role))
    assert response.status_code == 200, response.text


def in_excluded_period(world: World, role: str, task: str) -> None:
    accepted(world, role, task)
    response = world.api.post(f"/api/v1/tasks/{task}/excluded-periods", json=EXCLUDED, headers=world.auth(role))
    assert response.status_code == 200, response.text


def suspended(world: World, case: str) -> None:
    response = world.api.post(f"/api/v1/cases/{case}/suspension", json=REASON, headers=world.auth(LEAD))
    assert response.status_code == 200, response.text


REASON = {"reason": "申请人需补办前置审批手续"}
EXCLUDED = {"kind": "expert_review", "reason": "需组织专家评审", "notice": "书面告知：专家评审时间不计入办理时限"}
EXTENSION = {"approved_by": "王局长", "reason": "情况复杂，需延长办理期限", "working_days": 10}


def startup_form(world: World, role: str) -> dict[str, Any]:
    form = dict(world.startup_form)
    form["company_name"] = world.company()
    data: dict[str, Any] = {key: value for key, value in form.items()}
    if role == CLERK:
        data.update(applicant_id=form["legal_rep_id"], applicant_name=form["legal_rep_name"])
    data["idempotency_key"] = uuid.uuid4().hex
    return {"data": data}


def api_submit_body(world: World, role: str) -> dict[str, Any]:
    if role == BANK:
        return {"json": mortgage_discharge(world)}
    form = dict(world.startup_form)
    form["company_name"] = world.company()
    body: dict[str, Any] = {"subject_code": "bundle.enterprise_startup", "form": form}
    if role == CLERK:
        body.update(applicant_id=form["legal_rep_id"], applicant_name=form["legal_rep_name"])
    return {"json": body}


# The department's reviewers act on its tasks; supervisors and administrators see them, act on none.
TASK_ACTORS = {MARKET, LEAD}
TASK_ACTION = hidden_from_all_but(TASK_ACTORS, {SUPERVISOR, ADMIN})

# Who may see the founder's case: the founder, the Jinan market regulators working on it (the
# social-insurance task opens only once the licence is issued, so human resources has none
# yet and is told it does not exist), the Jinan supervisor and the administrator.
PERSON_CASE = {PERSON, MARKET, LEAD, SUPERVISOR, ADMIN}
MAY_UPLOAD_NOT = PERSON_CASE - {PERSON}  # see the case but add nothing to it
BANK_CASE = {BANK, SUPERVISOR, ADMIN}
QINGDAO_CASE = {PERSON, MARKET_QD, SUPERVISOR_QD, ADMIN}
ENTERPRISE_CASE = {ENTERPRISE, MARKET, LEAD, SUPERVISOR, ADMIN}
FILERS = {PERSON, ENTERPRISE, CLERK, BANK}
STARTUP_FILERS = {PERSON, ENTERPRISE, CLERK}  # a bank branch files mortgage business only
UPLOAD = {"files": {"file": ("b.png", PNG, "image/png")}}

ROWS: list[Row] = [
    # --- API: public -----------------------------------------------------------------------
    Row("GET", "/api/v1/openapi.json", public()),
    Row("GET", "/api/v1/health", public()),
    Row("GET", "/api/v1/catalog/search", public(), "/api/v1/catalog/search?q=kgs"),
    Row("GET", "/api/v1/catalog/entries/{code}", public(), "/api/v1/catalog/entries/bundle.enterprise_startup"),
    Row("POST", "/api/v1/licences/verify", public(), body=lambda w, r: {"json": {"qr_text": "YW1:nothing"}}),
    Row("GET", "/api/v1/inspections/plans", public()),
    Row(
        "GET", "/api/v1/inspections/plans/{plan_id}/verification", public(),
        "/api/v1/inspections/plans/SD-JN-2024-JOINT-01/verification",
    ),
    Row(
        "POST", "/api/v1/tokens", public(),
        body=lambda w, r: {"json": {"username": w.usernames.get(r, ADMIN) if r != ANON else ADMIN, "password": DEMO_PASSWORD}},
    ),
    # --- API: the signed-in account ----------------------------------------------------------
    Row("GET", "/api/v1/me", signed_in(SIGNED_IN)),
    Row("GET", "/api/v1/me/licences", signed_in(APPLICANTS)),
    Row("GET", "/api/v1/me/data-reads", signed_in(APPLICANTS)),
    Row("GET", "/api/v1/me/credit", signed_in({ENTERPRISE})),
    Row("GET", "/api/v1/tokens", signed_in(SIGNED_IN)),
    Row(
        "DELETE", "/api/v1/tokens/{token_id}", signed_in(SIGNED_IN),
        lambda w, r: f"/api/v1/tokens/{w.spare_token_id(r) if r != ANON else '0' * 16}",
    ),
    # Both end every token and session of the account: everyone signs in again afterwards.
    Row("POST", "/api/v1/logout-everywhere", signed_in(SIGNED_IN), after=World.restore),
    Row(
        "POST", "/api/v1/me/password", signed_in(SIGNED_IN),
        body=lambda w, r: {"json": {"current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD}}, after=World.restore,
    ),
    # --- API: sign-up, enterprise authorisations, consents (proven identity) ------------------
    # Sign-up is open to all: malformed details reach the checks (422) whoever sends them.
    Row("POST", "/api/v1/registrations", dict.fromkeys(ROLES, INVALID),
        body=lambda w, r: {"json": {"id_number": "x", "name": "x", "phone": "x"}}),
    # An unknown challenge reads like a wrong code (no oracle).
    Row("POST", "/api/v1/registrations/{challenge_id}/confirm", dict.fromkeys(ROLES, INVALID),
        "/api/v1/registrations/su_nope/confirm", lambda w, r: {"json": {"code": "000000", "password": "x" * 12}}),
    # Only the enterprise's legal representative manages its authorisations.
    Row("GET", "/api/v1/enterprise/authorisations", signed_in({ENTERPRISE})),
    Row("POST", "/api/v1/enterprise/authorisations", signed_in({ENTERPRISE}), body=lambda w, r: {"json": grant_body(w)}),
    Row(
        "POST", "/api/v1/enterprise/authorisations/{authorisation_id}/revoke", signed_in({ENTERPRISE}),
        fresh_grant("/api/v1/enterprise/authorisations/{grant}/revoke"),
    ),
    # A person answers for themself: a request unknown to them is not found.
    Row("GET", "/api/v1/me/consents", signed_in({PERSON})),
    Row(
        "POST", "/api/v1/me/consents/{consent_id}", {**signed_in(set()), PERSON: NOT_FOUND},
        "/api/v1/me/consents/cs_nope", lambda w, r: {"json": {"decision": "confirm"}},
    ),
    Row("GET", "/api/v1/cases/{case_id}/consents", hidden_from_all_but(PERSON_CASE), "/api/v1/cases/{person_case}/consents"),
    # --- API: cases --------------------------------------------------------------------------
    Row("GET", "/api/v1/cases", signed_in(FILERS | {SUPERVISOR, SUPERVISOR_QD, ADMIN})),
    Row("POST", "/api/v1/cases", signed_in(FILERS), body=api_submit_body),
    Row("GET", "/api/v1/cases/{case_id}", hidden_from_all_but(PERSON_CASE), "/api/v1/cases/{person_case}"),
    Row("GET", "/api/v1/cases/{case_id}/timeline", hidden_from_all_but(PERSON_CASE), "/api/v1/cases/{person_case}/timeline"),
    Row("GET", "/api/v1/cases/{case_id}/materials", hidden_from_all_but(PERSON_CASE), "/api/v1/cases/{person_case}/materials"),
    Row(
        "GET", "/api/v1/cases/{case_id}/attachments", hidden_from_all_but(PERSON_CASE),
        "/api/v1/cases/{person_case}/attachments",
    ),
    Row(
        "POST", "/api/v1/cases/{case_id}/materials", hidden_from_all_but({PERSON}, MAY_UPLOAD_NOT),
        "/api/v1/cases/{person_case}/materials", lambda w, r: {"data": {"material_code": "premises_proof"}, **UPLOAD},
    ),
    Row("GET", "/api/v1/materials/{material_id}", hidden_from_all_but(PERSON_CASE), "/api/v1/materials/{person_material}"),
    Row(
        "POST", "/api/v1/cases/{case_id}/supplements/{supplement_id}/answer",
        hidden_from_all_but({PERSON}, MAY_UPLOAD_NOT),
        "/api/v1/cases/{person_case}/supplements/{api_supplement}/answer",
        lambda w, r: {"json": {"answer": "已补正", "attachments": w.ids["api_supplement_attachments"].split(",")}},
    ),
    # --- API: tasks and sharing --------------------------------------------------------------
    Row("GET", "/api/v1/tasks", signed_in(REVIEWERS)),
    Row(
        "GET", "/api/v1/tasks/{task_id}", hidden_from_all_but({HRSS, SUPERVISOR, ADMIN}), "/api/v1/tasks/{hrss_task}",
    ),
    Row(
        "POST", "/api/v1/tasks/{task_id}/actions", hidden_from_all_but({MARKET, LEAD}, {SUPERVISOR, ADMIN}),
        lambda w, r: f"/api/v1/tasks/{fresh_market_task({MARKET, LEAD})(w, r)}/actions",
        lambda w, r: {"json": {"action": "accept"}},
    ),
    Row(
        "POST", "/api/v1/tasks/{task_id}/data-requests", hidden_from_all_but({MARKET, LEAD}, {SUPERVISOR, ADMIN}),
        lambda w, r: f"/api/v1/tasks/{fresh_market_task({MARKET, LEAD})(w, r)}/data-requests",
        lambda w, r: {"json": {"registry_field": "credit.class", "subject_id": w.platform.cases.get(
            w.ids["person_case"]).applicant_id, "purpose": "核实申请人信用状况"}},
    ),
    Row("GET", "/api/v1/data-requests", signed_in(REVIEWERS)),
    # --- API: the legal actions (行政许可法) ---------------------------------------------------
    Row("GET", "/api/v1/cases/{case_id}/legal", hidden_from_all_but(PERSON_CASE), "/api/v1/cases/{person_case}/legal"),
    Row(
        "POST", "/api/v1/tasks/{task_id}/refuse-acceptance", TASK_ACTION,
        fresh_task(TASK_ACTORS, "/api/v1/tasks/{task}/refuse-acceptance"), lambda w, r: {"json": REASON},
    ),
    Row(
        "POST", "/api/v1/tasks/{task_id}/extension", TASK_ACTION,
        fresh_task(TASK_ACTORS, "/api/v1/tasks/{task}/extension"), lambda w, r: {"json": EXTENSION},
    ),
    Row(
        "POST", "/api/v1/tasks/{task_id}/excluded-periods", TASK_ACTION,
        fresh_task(TASK_ACTORS, "/api/v1/tasks/{task}/excluded-periods", accepted), lambda w, r: {"json": EXCLUDED},
    ),
    Row(
        "POST", "/api/v1/tasks/{task_id}/excluded-periods/end", TASK_ACTION,
        fresh_task(TASK_ACTORS, "/api/v1/tasks/{task}/excluded-periods/end", in_excluded_period),
    ),
    # 撤回 by the applicant; 中止, 恢复, 终止 by a lead reviewer of a department in the case.
    Row(
        "POST", "/api/v1/cases/{case_id}/withdrawal", hidden_from_all_but({PERSON}, PERSON_CASE - {PERSON}),
        fresh_case({PERSON}, "/api/v1/cases/{case}/withdrawal"), lambda w, r: {"json": REASON},
    ),
    Row(
        "POST", "/api/v1/cases/{case_id}/suspension", hidden_from_all_but({LEAD}, PERSON_CASE - {LEAD}),
        fresh_case({LEAD}, "/api/v1/cases/{case}/suspension"), lambda w, r: {"json": REASON},
    ),
    Row(
        "POST", "/api/v1/cases/{case_id}/resumption", hidden_from_all_but({LEAD}, PERSON_CASE - {LEAD}),
        fresh_case({LEAD}, "/api/v1/cases/{case}/resumption", suspended), lambda w, r: {"json": REASON},
    ),
    Row(
        "POST", "/api/v1/cases/{case_id}/termination", hidden_from_all_but({LEAD}, PERSON_CASE - {LEAD}),
        fresh_case({LEAD}, "/api/v1/cases/{case}/termination"), lambda w, r: {"json": REASON},
    ),
    Row(
        "POST", "/api/v1/data-requests/{request_id}/answer", hidden_from_all_but({NDRC}),
        "/api/v1/data-requests/{api_request}/answer", lambda w, r: {"json": {"granted": True, "note": "同意"}},
    ),
    Row(
        "GET", "/api/v1/tasks/{task_id}/applicant-credit",
        {**hidden_from_all_but({MARKET, LEAD, SUPERVISOR, ADMIN}), **dict.fromkeys(FILERS, FORBIDDEN)},
        "/api/v1/tasks/{enterprise_task}/applicant-credit",
    ),
    # --- API: supervision ----------------------------------------------------------------------
    Row("GET", "/api/v1/supervision/figures", signed_in(SUPERVISORS)),
    Row("GET", "/api/v1/supervision/overdue", signed_in(SUPERVISORS)),
    Row("GET", "/api/v1/supervision/projects", signed_in(SUPERVISORS)),
    # --- operations: probes and metrics for the load balancer and the monitoring, open to any
    # caller that reaches the process (a deployment keeps /metrics on the internal network).
    Row("GET", "/healthz", public()),
    Row("GET", "/readyz", public()),
    Row("GET", "/metrics", public()),
    # --- pages: public ---------------------------------------------------------------------------
    Row("GET", "/", public()),
    Row("GET", "/lang/{language}", public(), "/lang/en?next=/"),
    Row("GET", "/search", public(), "/search?q=营业执照"),
    Row("GET", "/guide/{code}", public(), "/guide/bundle.enterprise_startup"),
    Row("GET", "/login", public()),
    Row("GET", "/register", public()),
    # Sign-up is open to all: an empty form reaches the checks (422) whoever sends it.
    Row("POST", "/register", dict.fromkeys(ROLES, INVALID), body=lambda w, r: {"data": {"kind": "person"}}),
    Row("POST", "/register/confirm", dict.fromkeys(ROLES, INVALID),
        body=lambda w, r: {"data": {"challenge_id": "su_nope", "code": "000000", "password": "x" * 12}}),
    Row("GET", "/.well-known/yiwang-licence-keys.json", public()),
    Row("GET", "/.well-known/yiwang-licence-revocations.json", public()),
    Row("GET", "/verify", public()),
    # The address a licence's QR code opens: the verdict page, for anyone.
    Row("GET", "/V/{code:path}", public(), "/V/YW1:nothing"),
    Row("GET", "/v/{code:path}", public(), "/v/YW1:nothing"),
    Row("POST", "/verify", public(), body=lambda w, r: {"data": {"qr_text": "YW1:nothing"}}),
    Row("GET", "/inspections", public()),
    Row("POST", "/inspections/{plan_id}/verify", public(), "/inspections/SD-JN-2024-JOINT-01/verify"),
    Row("GET", "/open-data/inspections/{plan_id}/{name}", public(), "/open-data/inspections/SD-JN-2024-JOINT-01/plan.json"),
    Row("GET", "/static", public(), "/static/style.css"),
    # --- pages: applicants and clerks ------------------------------------------------------------
    Row("GET", "/me/cases", signed_in(APPLICANTS)),
    Row("GET", "/me/wallet", signed_in(APPLICANTS)),
    Row("GET", "/me/data-reads", signed_in(APPLICANTS)),
    Row("GET", "/me/credit", signed_in({ENTERPRISE})),
    Row("GET", "/me/authorisations", signed_in({ENTERPRISE})),
    Row("POST", "/me/authorisations", signed_in({ENTERPRISE}), body=lambda w, r: {"data": grant_body(w)}),
    Row(
        "POST", "/me/authorisations/{authorisation_id}/revoke", signed_in({ENTERPRISE}),
        fresh_grant("/me/authorisations/{grant}/revoke"),
    ),
    Row("GET", "/me/consents", signed_in({PERSON})),
    Row(
        "POST", "/me/consents/{consent_id}", {**signed_in(set()), PERSON: NOT_FOUND},
        "/me/consents/cs_nope", lambda w, r: {"data": {"decision": "confirm"}},
    ),
    # 账号与安全: every signed-in account manages its own tokens and password.
    Row("GET", "/me/account", signed_in(SIGNED_IN)),
    Row("POST", "/me/account/tokens", signed_in(SIGNED_IN), body=lambda w, r: {"data": {"label": "matrix"}}),
    Row(
        "POST", "/me/account/tokens/{token_id}/revoke", signed_in(SIGNED_IN),
        lambda w, r: f"/me/account/tokens/{w.spare_token_id(r) if r != ANON else '0' * 16}/revoke",
    ),
    # Both end every token (and the other sessions) of the account: everyone signs in again.
    Row(
        "POST", "/me/account/password", signed_in(SIGNED_IN),
        body=lambda w, r: {"data": {"current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD, "new_password_again": DEMO_PASSWORD}},
        after=World.restore,
    ),
    Row("POST", "/me/account/logout-everywhere", signed_in(SIGNED_IN), after=World.restore),
    Row("GET", "/clerk", signed_in({CLERK})),
    Row("GET", "/bank", signed_in({BANK})),
    Row("GET", "/apply/{code}", signed_in(STARTUP_FILERS), "/apply/bundle.enterprise_startup"),
    Row("POST", "/apply/{code}", signed_in(STARTUP_FILERS), "/apply/bundle.enterprise_startup", startup_form),
    Row("GET", "/cases/{case_id}", hidden_from_all_but(PERSON_CASE), "/cases/{person_case}"),
    Row(
        "POST", "/cases/{case_id}/materials", hidden_from_all_but({PERSON}, MAY_UPLOAD_NOT), "/cases/{person_case}/materials",
        lambda w, r: {"data": {"material_code": "premises_proof"}, **UPLOAD},
    ),
    Row(
        "POST", "/cases/{case_id}/supplements/{supplement_id}", hidden_from_all_but({PERSON}, MAY_UPLOAD_NOT),
        "/cases/{page_case}/supplements/{page_supplement}",
        lambda w, r: {"data": {"answer": "已补正"}, "files": {"file_premises_proof": ("p.png", PNG, "image/png")}},
    ),
    Row("GET", "/materials/{material_id}", hidden_from_all_but(PERSON_CASE), "/materials/{person_material}"),
    Row("GET", "/licences/{identifier}", hidden_from_all_but({ENTERPRISE, ADMIN}), "/licences/{licence}"),
    # --- pages: reviewers ---------------------------------------------------------------------
    Row("GET", "/workbench", signed_in(REVIEWERS)),
    Row("GET", "/workbench/tasks/{task_id}", hidden_from_all_but({HRSS, SUPERVISOR, ADMIN}), "/workbench/tasks/{hrss_task}"),
    Row(
        "POST", "/workbench/tasks/{task_id}", hidden_from_all_but({MARKET, LEAD}, {SUPERVISOR, ADMIN}),
        lambda w, r: f"/workbench/tasks/{fresh_market_task({MARKET, LEAD})(w, r)}", lambda w, r: {"data": {"action": "accept"}},
    ),
    Row(
        "POST", "/workbench/tasks/{task_id}/data-request", hidden_from_all_but({MARKET, LEAD}, {SUPERVISOR, ADMIN}),
        lambda w, r: f"/workbench/tasks/{fresh_market_task({MARKET, LEAD})(w, r)}/data-request",
        lambda w, r: {"data": {"registry_field": "credit.class", "subject_id": w.platform.cases.get(
            w.ids["person_case"]).applicant_id, "purpose": "核实申请人信用状况"}},
    ),
    Row(
        "POST", "/workbench/data-requests/{request_id}",
        {**hidden_from_all_but({NDRC}), **dict.fromkeys(SIGNED_IN - REVIEWERS, FORBIDDEN)},
        "/workbench/data-requests/{page_request}", lambda w, r: {"data": {"decision": "grant", "note": "同意"}},
    ),
    Row(
        "POST", "/workbench/tasks/{task_id}/legal", TASK_ACTION, fresh_task(TASK_ACTORS, "/workbench/tasks/{task}/legal"),
        lambda w, r: {"data": {"action": "refuse_acceptance", **REASON}},
    ),
    Row(
        "POST", "/cases/{case_id}/legal", hidden_from_all_but({PERSON}, PERSON_CASE - {PERSON}),
        fresh_case({PERSON}, "/cases/{case}/legal"), lambda w, r: {"data": {"action": "withdraw", **REASON}},
    ),
    # --- pages: supervisors and the administrator ----------------------------------------------
    Row("GET", "/supervision", signed_in(SUPERVISORS)),
    Row("GET", "/supervision/projects", signed_in(SUPERVISORS)),
    # 督办: a supervisor of the task's region (and the administrator) notes an open task; the
    # other city's supervisor is told it does not exist; nobody else may supervise.
    Row(
        "POST", "/supervision/tasks/{task_id}/note",
        signed_in({SUPERVISOR, ADMIN}, frozenset({SUPERVISOR_QD})),
        "/supervision/tasks/{hrss_task}/note", lambda w, r: {"data": {"note": "请尽快办理"}},
    ),
    Row("GET", "/admin", signed_in({ADMIN})),
    Row("POST", "/admin/unlock", signed_in({ADMIN}), body=lambda w, r: {"data": {"username": CLERK}}),
    # Signing in and out: open to all; every browser signs in again afterwards.
    Row(
        "POST", "/login", public(),
        body=lambda w, r: {"data": {"username": w.usernames.get(r, ADMIN) if r != ANON else ADMIN, "password": DEMO_PASSWORD}},
    ),
    Row("POST", "/logout", public(), after=World.restore),
]


def outcome(response: Any) -> str:
    status = int(response.status_code)
    if status in (301, 302, 303, 307):
        return LOGIN if response.headers.get("location", "").startswith("/login") else OK
    if 200 <= status < 300:
        return OK
    if status == 401:
        return LOGIN
    return str(status)


def request(world: World, row: Row, role: str) -> Any:
    path = row.target(world, role)
    kwargs = row.body(world, role)
    if row.is_api:
        return world.api.request(row.method, path, headers=world.auth(role), **kwargs)
    client = world.browsers[role]
    if row.method == "POST":
        # The browser's current token (signing in rotates it), as its forms carry it.
        kwargs.setdefault("data", {})["csrf_token"] = client.cookies.get(CSRF_COOKIE)
    try:
        return client.request(row.method, path, follow_redirects=False, **kwargs)
    finally:
        if role == ANON:  # the visitor stays anonymous (POST /login signs in)
            client.cookies.delete(SESSION_COOKIE)


def test_every_route_for_every_role(world: World) -> None:
    failures: list[str] = []
    for row in ROWS:
        # Refused roles first: a role that succeeds may use up the object (a task is accepted
        # once, a supplement answered once).
        order = sorted(ROLES, key=lambda role: row.expect[role] == OK)
        for role in order:
            response = request(world, row, role)
            got = outcome(response)
            if got != row.expect[role]:
                failures.append(
                    f"{row.method} {row.route} as {role}: expected {row.expect[role]}, got {response.status_code} "
                    f"{response.text[:100]!r}"
                )
        if row.after is not None:
            row.after(world)
    assert not failures, f"{len(failures)} wrong outcomes:\n" + "\n".join(failures)


def test_every_route_has_a_row(world: World) -> None:
    """Read from the application's own route table: a new route needs a row above."""
    routes: set[tuple[str, str]] = set()
    for context in iter_route_contexts(world.app.routes):
        path = context.path
        assert path, context
        methods = context.methods
        if methods is None:  # a mount (static files) answers GET
            routes.add(("GET", path))
        else:
            routes.update((method, path) for method in methods - {"HEAD"})
    rows = {(row.method, row.route) for row in ROWS}
    assert len(rows) == len(ROWS), "a route has two rows"
    assert routes - rows == set(), f"routes without a row in the authorisation matrix: {sorted(routes - rows)}"
    assert rows - routes == set(), f"rows for routes that do not exist: {sorted(rows - routes)}"
    api = {route for route in routes if route[1].startswith("/api/")}
    assert len(api) >= 31 and len(routes - api) >= 42


@pytest.mark.parametrize(
    ("role", "case", "visible"),
    [
        (PERSON, "person_case", True),
        (ENTERPRISE, "person_case", False),  # another applicant's case
        (CLERK, "clerk_case", True),
        (CLERK, "person_case", False),  # filed online by the applicant, not at the window
        (BANK, "bank_case", True),
        (BANK, "clerk_case", False),
        (MARKET, "person_case", True),
        (MARKET, "qingdao_case", False),  # the same department kind in another city
        (MARKET_QD, "qingdao_case", True),
        (MARKET_QD, "person_case", False),
        (NDRC, "person_case", False),  # a department with no task in the case
        (SUPERVISOR, "bank_case", True),
        (SUPERVISOR, "qingdao_case", False),  # another city
        (SUPERVISOR_QD, "qingdao_case", True),
        (SUPERVISOR_QD, "person_case", False),
        (ADMIN, "qingdao_case", True),
    ],
)
def test_objects_of_others_are_not_found(world: World, role: str, case: str, visible: bool) -> None:
    """Cross-applicant, cross-department and cross-city: the case, its timeline and the page
    answer 404 exactly as for a case that does not exist."""
    case_id = world.ids[case]
    paths = (f"/api/v1/cases/{case_id}", f"/api/v1/cases/{case_id}/timeline")
    for path in paths:
        response = world.api.get(path, headers=world.auth(role))
        assert response.status_code == (200 if visible else 404), (path, response.text[:200])
        if not visible:
            assert response.json()["error"]["code"] == "case_not_found"
    page = world.browsers[role].get(f"/cases/{case_id}", follow_redirects=False)
    assert page.status_code == (200 if visible else 404)
    missing = world.api.get("/api/v1/cases/YW20000101DEADBEEF00", headers=world.auth(role))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "case_not_found"


@pytest.mark.parametrize("role", [PERSON, ENTERPRISE, CLERK, BANK, SUPERVISOR, SUPERVISOR_QD, ADMIN])
def test_case_lists_show_exactly_the_cases_the_role_may_open(world: World, role: str) -> None:
    """The list scope and the object check are one rule: every listed case opens, and every
    seeded case the role may open is listed."""
    listed = {row["id"] for row in world.api.get("/api/v1/cases", headers=world.auth(role)).json()}
    assert listed
    for case_id in listed:
        assert world.api.get(f"/api/v1/cases/{case_id}", headers=world.auth(role)).status_code == 200, case_id
    for name in ("person_case", "bank_case", "clerk_case", "qingdao_case", "enterprise_case"):
        opens = world.api.get(f"/api/v1/cases/{world.ids[name]}", headers=world.auth(role)).status_code == 200
        assert opens == (world.ids[name] in listed), name
    with world.platform.engine.connect() as connection:
        total = connection.execute(select(t.cases.c.id)).scalars().all()
    if role == ADMIN:
        assert listed == set(total) or len(listed) == 200  # the list is capped at 200 rows


def test_reviewers_inboxes_hold_their_own_department_and_city_only(world: World) -> None:
    for role, department in ((MARKET, "market_regulation@370100"), (HRSS, "human_resources@370100"),
                             (MARKET_QD, f"market_regulation@{QINGDAO}")):
        inbox = world.api.get("/api/v1/tasks", headers=world.auth(role)).json()
        assert inbox, role
        for task in inbox:
            held = next(t for t in world.platform.cases.get(task["case_id"]).tasks if t.id == task["id"])
            assert held.department_code == department, role
            assert world.api.get(f"/api/v1/tasks/{task['id']}", headers=world.auth(role)).status_code == 200
        page = world.browsers[role].get("/workbench").text
        assert all(task["id"] in page for task in inbox), role
    # Soonest deadline first: the demo's overdue (red) task on top of the Jinan market inbox.
    assert world.api.get("/api/v1/tasks", headers=world.auth(MARKET)).json()[0]["light"] == "red"
    qingdao_task = world.ids["qingdao_task"]
    assert qingdao_task in {t["id"] for t in world.api.get("/api/v1/tasks", headers=world.auth(MARKET_QD)).json()}
    for role in (MARKET, LEAD, HRSS):
        assert world.api.get(f"/api/v1/tasks/{qingdao_task}", headers=world.auth(role)).status_code == 404
        response = world.api.post(f"/api/v1/tasks/{qingdao_task}/actions", json={"action": "accept"}, headers=world.auth(role))
        assert response.status_code == 404


def test_a_bank_branch_files_mortgage_business_of_its_area_only(world: World) -> None:
    elsewhere = mortgage_discharge(world)
    elsewhere["form"] = {**elsewhere["form"], "region_code": "370202"}
    response = world.api.post("/api/v1/cases", json=elsewhere, headers=world.auth(BANK))
    assert response.status_code == 422
    assert [p["code"] for p in response.json()["error"]["problems"]] == ["outside_branch_region"]
    startup = api_submit_body(world, CLERK)["json"]
    response = world.api.post("/api/v1/cases", json=startup, headers=world.auth(BANK))
    assert response.status_code == 403
    assert world.browsers[BANK].get("/apply/bundle.enterprise_startup").status_code == 403
    assert world.browsers[BANK].get("/apply/realestate.mortgage_discharge").status_code == 200


def test_a_token_is_revoked_by_its_own_account_only(world: World) -> None:
    """Another account's token gets the same answer as a token that does not exist."""
    spare = world.spare_token_id(PERSON)
    for role in (ENTERPRISE, MARKET, ADMIN):
        response = world.api.delete(f"/api/v1/tokens/{spare}", headers=world.auth(role))
        missing = world.api.delete(f"/api/v1/tokens/{'0' * 16}", headers=world.auth(role))
        assert response.status_code == missing.status_code == 422, role
        assert response.json() == missing.json()
    assert spare in {t["id"] for t in world.api.get("/api/v1/tokens", headers=world.auth(PERSON)).json() if t["active"]}
    assert world.api.delete(f"/api/v1/tokens/{spare}", headers=world.auth(PERSON)).status_code == 204


def test_a_clerk_withdraws_only_what_the_clerk_filed(world: World) -> None:
    filed = world.startup(CLERK)["id"]
    for role, status in ((BANK, 404), (ENTERPRISE, 404), (MARKET, 403), (SUPERVISOR, 403)):
        response = world.api.post(f"/api/v1/cases/{filed}/withdrawal", json=REASON, headers=world.auth(role))
        assert response.status_code == status, role
    response = world.api.post(f"/api/v1/cases/{filed}/withdrawal", json=REASON, headers=world.auth(CLERK))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "withdrawn"


def test_the_adapters_ask_the_policy() -> None:
    """No role comparison in the API or the pages: each route asks `accounts/policy.py`
    (an `Action` through `api/deps.py` or `_user(request, Action.X)`, or a use case's object
    check), so what the matrix tests is decided in one place."""
    import yiwang

    package = Path(yiwang.__file__).parent
    compares = re.compile(r"\.role\s+(is|in|not|==|!=)|\bREVIEWING_ROLES\b|\bFILING_CLERKS\b|role\.value\s*(==|in)")
    found = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for folder in ("api", "web")
        for path in sorted((package / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if compares.search(line)
    ]
    assert not found, "role checks outside the policy:\n" + "\n".join(found)
