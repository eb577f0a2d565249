"""Every API route x every role (and anonymous): allowed ones succeed, the others get
401 / 403 / 404. Cases and files of other applicants are 404 (existence is not revealed);
a reviewer never sees another department's tasks; a bank branch clerk files only mortgage
business and sees only the cases filed at the branch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from e2e_support import Demo

from yiwang.cases.commands import SubmitApplication
from yiwang.demo.accounts import DEMO_PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

FOUNDER = "founder"  # placeholder replaced by the demo founder's ID number
ENTERPRISE = "enterprise"
ROLES = (
    None,
    FOUNDER,
    ENTERPRISE,
    "clerk.jinan",
    "reviewer.market.jinan",
    "reviewer.hrss.jinan",
    "reviewer.police.jinan",
    "lead.market.jinan",
    "reviewer.ndrc.jinan",
    "supervisor.jinan",
    "admin",
    "bank.icbc.lixia",
)
BANK = "bank.icbc.lixia"
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {None}
# The founder's case waits for a supplement to its registration: only market regulation has a task yet.
CASE_VIEWERS = {FOUNDER, "reviewer.market.jinan", "lead.market.jinan", "supervisor.jinan", "admin"}
REVIEWERS = {"reviewer.market.jinan", "reviewer.hrss.jinan", "reviewer.police.jinan", "lead.market.jinan", "reviewer.ndrc.jinan"}
APPLICANTS = {FOUNDER, ENTERPRISE}


@dataclass
class Check:
    method: str
    route: str  # the route's path template, to prove every route is covered
    path: str
    allowed: set[str | None]
    ok: int = 200
    kwargs: Callable[[str | None], dict[str, Any]] = lambda role: {}


def test_every_route_for_every_role(demo: Demo) -> None:
    founder = demo.founder
    enterprise = demo.enterprise
    names = {FOUNDER: founder, ENTERPRISE: enterprise}
    tokens = {role: demo.token(names.get(role, role)) for role in ROLES if role}

    def auth(role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"} if role else {}

    case_id = demo.cases.supplement_case_id  # the founder's case, waiting for a supplement
    case = demo.platform.cases.get(case_id)
    supplement_id = case.open_supplements()[0].id
    # Social insurance opens once the licence is issued: a start-up whose licence the rule
    # decides has one at once (the demo's joint-stock cases still wait for their licences).
    fresh = demo.platform.cases.get(demo.cases.fresh_case_id)
    licensed = demo.platform.cases.submit(
        SubmitApplication(
            "bundle.enterprise_startup",
            fresh.applicant_id,
            fresh.applicant_name,
            "370102",
            {**fresh.form, "entity_type": "llc_natural_person_sole", "company_name": "济南市历下区明湖数据科技有限公司"},
        )
    )
    hrss_task = next(t.id for t in demo.platform.cases.get(licensed.case_id).tasks if t.item_code.startswith("hrss."))
    material = demo.client.post(
        f"/api/v1/cases/{case_id}/materials",
        data={"material_code": "premises_proof"},
        files={"file": ("a.png", PNG, "image/png")},
        headers=auth(FOUNDER),
    ).json()
    # A fresh case per role for the task action (accept), so each allowed role succeeds.
    fresh_tasks: dict[str | None, str] = {}
    person = demo.platform.catalogs.current()
    assert person is not None
    population_form = demo.platform.cases.get(demo.cases.fresh_case_id).form

    fresh_data_tasks: dict[str | None, str] = {}

    def fresh_task(role: str | None, purpose: str = "accept") -> str:
        cache = fresh_tasks if purpose == "accept" else fresh_data_tasks
        if role not in cache:
            form = dict(population_form)
            trades = "甲乙丙丁戊己庚辛壬癸子丑" if purpose == "accept" else "金木水火土日月星辰山川海"
            form["company_name"] = f"济南市历下区{trades[len(cache)]}禾科技股份有限公司"
            created = demo.client.post(
                "/api/v1/cases", json={"subject_code": "bundle.enterprise_startup", "form": form}, headers=auth(FOUNDER)
            )
            assert created.status_code == 201, created.text
            cache[role] = created.json()["tasks"][0]["id"]
        return cache[role]

    def submit_body(role: str | None) -> dict[str, Any]:
        if role == BANK:
            return {"json": mortgage_discharge(demo)}
        form = dict(population_form)
        trade = {FOUNDER: "天玄", ENTERPRISE: "地黄", "clerk.jinan": "宇宙"}.get(role, "洪荒")
        form["company_name"] = f"济南市历下区{trade}科技股份有限公司"
        body: dict[str, Any] = {"subject_code": "bundle.enterprise_startup", "form": form}
        if role == "clerk.jinan":
            person_id = form["legal_rep_id"]
            body.update(applicant_id=person_id, applicant_name=form["legal_rep_name"])
        return {"json": body}

    licence_code = demo.client.get("/api/v1/me/licences", headers=auth(ENTERPRISE)).json()[0]["qr_text"]
    address_change = enterprise_case(demo, auth(ENTERPRISE))
    market_task = next(t["id"] for t in address_change["tasks"] if t["item_code"] == "market.enterprise_address_change")
    bank_case = demo.client.post("/api/v1/cases", json=mortgage_discharge(demo), headers=auth(BANK))
    assert bank_case.status_code == 201, bank_case.text
    bank_case_id = bank_case.json()["id"]

    checks = [
        Check("GET", "/api/v1/health", "/api/v1/health", EVERYONE),
        Check(
            "POST", "/api/v1/licences/verify", "/api/v1/licences/verify", EVERYONE, 200,
            lambda role: {"json": {"qr_text": licence_code}},
        ),
        Check("GET", "/api/v1/me/licences", "/api/v1/me/licences", APPLICANTS),
        Check("GET", "/api/v1/me/data-reads", "/api/v1/me/data-reads", APPLICANTS),
        Check("GET", "/api/v1/me/credit", "/api/v1/me/credit", {ENTERPRISE}),
        Check("GET", "/api/v1/cases/{case_id}/attachments", f"/api/v1/cases/{case_id}/attachments", CASE_VIEWERS),
        Check(
            "GET", "/api/v1/tasks/{task_id}/applicant-credit", f"/api/v1/tasks/{market_task}/applicant-credit",
            {"reviewer.market.jinan", "lead.market.jinan", "supervisor.jinan", "admin"},
        ),
        Check("GET", "/api/v1/data-requests", "/api/v1/data-requests", REVIEWERS),
        Check("GET", "/api/v1/inspections/plans", "/api/v1/inspections/plans", EVERYONE),
        Check(
            "GET", "/api/v1/inspections/plans/{plan_id}/verification",
            "/api/v1/inspections/plans/SD-JN-2024-JOINT-01/verification", EVERYONE,
        ),
        Check("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", EVERYONE),
        Check("GET", "/api/v1/catalog/search", "/api/v1/catalog/search?q=kgs", EVERYONE),
        Check("GET", "/api/v1/catalog/entries/{code}", "/api/v1/catalog/entries/bundle.enterprise_startup", EVERYONE),
        Check(
            "POST", "/api/v1/tokens", "/api/v1/tokens", EVERYONE, 201,
            lambda role: {"json": {"username": "admin", "password": DEMO_PASSWORD}},
        ),
        Check("GET", "/api/v1/me", "/api/v1/me", SIGNED_IN),
        Check("GET", "/api/v1/tokens", "/api/v1/tokens", SIGNED_IN),
        Check("GET", "/api/v1/cases", "/api/v1/cases", {FOUNDER, ENTERPRISE, "clerk.jinan", BANK, "supervisor.jinan", "admin"}),
        Check("POST", "/api/v1/cases", "/api/v1/cases", {FOUNDER, ENTERPRISE, "clerk.jinan", BANK}, 201, submit_body),
        Check("GET", "/api/v1/cases/{case_id}", f"/api/v1/cases/{case_id}", CASE_VIEWERS),
        # Filed at the bank branch: its clerk sees it; the window clerk does not.
        Check("GET", "/api/v1/cases/{case_id}", f"/api/v1/cases/{bank_case_id}", {BANK, "supervisor.jinan", "admin"}),
        Check("GET", "/api/v1/cases/{case_id}/timeline", f"/api/v1/cases/{bank_case_id}/timeline", {BANK, "supervisor.jinan", "admin"}),
        Check(
            "POST", "/api/v1/cases/{case_id}/materials", f"/api/v1/cases/{bank_case_id}/materials", {BANK}, 201,
            lambda role: {"data": {"material_code": "discharge_proof"}, "files": {"file": ("c.png", PNG, "image/png")}},
        ),
        Check("GET", "/api/v1/cases/{case_id}/timeline", f"/api/v1/cases/{case_id}/timeline", CASE_VIEWERS),
        Check("GET", "/api/v1/cases/{case_id}/materials", f"/api/v1/cases/{case_id}/materials", CASE_VIEWERS),
        Check(
            "POST", "/api/v1/cases/{case_id}/materials", f"/api/v1/cases/{case_id}/materials", {FOUNDER}, 201,
            lambda role: {"data": {"material_code": "premises_proof"}, "files": {"file": ("b.png", PNG, "image/png")}},
        ),
        Check("GET", "/api/v1/materials/{material_id}", f"/api/v1/materials/{material['id']}", CASE_VIEWERS),
        Check("GET", "/api/v1/tasks", "/api/v1/tasks", REVIEWERS),
        Check("GET", "/api/v1/tasks/{task_id}", f"/api/v1/tasks/{hrss_task}", {"reviewer.hrss.jinan", "supervisor.jinan", "admin"}),
        Check("GET", "/api/v1/supervision/figures", "/api/v1/supervision/figures", {"supervisor.jinan", "admin"}),
        Check("GET", "/api/v1/supervision/overdue", "/api/v1/supervision/overdue", {"supervisor.jinan", "admin"}),
        Check("GET", "/api/v1/supervision/projects", "/api/v1/supervision/projects", {"supervisor.jinan", "admin"}),
    ]
    failures: list[str] = []
    for check in checks:
        for role in ROLES:
            response = demo.client.request(check.method, check.path, headers=auth(role), **check.kwargs(role))
            if role in check.allowed:
                good = response.status_code == check.ok
            else:
                good = response.status_code in (401, 403, 404) and (role is not None or response.status_code == 401)
            if not good:
                failures.append(f"{check.method} {check.path} as {role}: {response.status_code} {response.text[:120]}")
    # Task actions: accept on a fresh market-regulation task per role.
    market = {"reviewer.market.jinan", "lead.market.jinan"}
    for role in ROLES:
        task_id = fresh_task(role)
        response = demo.client.post(f"/api/v1/tasks/{task_id}/actions", json={"action": "accept"}, headers=auth(role))
        expected_ok = role in market
        if expected_ok != (response.status_code == 200) or (not expected_ok and response.status_code not in (401, 403, 404)):
            failures.append(f"POST actions as {role}: {response.status_code} {response.text[:120]}")
    # Conditional sharing: a request on a fresh market task per role; only the task's
    # department may ask, only the dataset's owner (development and reform) may answer.
    request_ids: list[str] = []
    for role in ROLES:
        task_id = fresh_task(role, "data")
        applicant = demo.platform.cases.get(task_id.rpartition("-T")[0]).applicant_id
        response = demo.client.post(
            f"/api/v1/tasks/{task_id}/data-requests",
            json={"registry_field": "credit.class", "subject_id": applicant, "purpose": "核实申请人信用状况"},
            headers=auth(role),
        )
        expected_ok = role in market
        if expected_ok != (response.status_code == 201) or (not expected_ok and response.status_code not in (401, 403, 404)):
            failures.append(f"POST data-requests as {role}: {response.status_code} {response.text[:120]}")
        elif expected_ok:
            request_ids.append(response.json()["id"])
    assert request_ids
    owner = "reviewer.ndrc.jinan"
    for role in [r for r in ROLES if r != owner] + [owner]:
        response = demo.client.post(
            f"/api/v1/data-requests/{request_ids[0]}/answer", json={"granted": True, "note": "同意"}, headers=auth(role)
        )
        if role == owner:
            if response.status_code != 200:
                failures.append(f"answer data request as owner: {response.status_code} {response.text[:120]}")
        elif response.status_code not in (401, 403, 404):
            failures.append(f"answer data request as {role}: {response.status_code}")
    # Answering the supplement: everyone else first (refused), then the founder (succeeds).
    for role in [r for r in ROLES if r != FOUNDER] + [FOUNDER]:
        response = demo.client.post(
            f"/api/v1/cases/{case_id}/supplements/{supplement_id}/answer", json={"answer": "已补正"}, headers=auth(role)
        )
        if role == FOUNDER:
            if response.status_code != 200:
                failures.append(f"answer as founder: {response.status_code} {response.text[:120]}")
        elif response.status_code not in (401, 403, 404):
            failures.append(f"answer as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)

    covered = {(c.method, c.route) for c in checks} | {
        ("POST", "/api/v1/tasks/{task_id}/actions"),
        ("POST", "/api/v1/tasks/{task_id}/data-requests"),
        ("POST", "/api/v1/data-requests/{request_id}/answer"),
        ("POST", "/api/v1/cases/{case_id}/supplements/{supplement_id}/answer"),
        # The caller's own credentials only (they would revoke this test's tokens):
        # tests/e2e/test_account_security.py checks them, another account's token included.
        ("DELETE", "/api/v1/tokens/{token_id}"),
        ("POST", "/api/v1/logout-everywhere"),
        ("POST", "/api/v1/me/password"),
    }
    routes = {
        (method, route.path)  # type: ignore[attr-defined]
        for route in demo.client.app.routes  # type: ignore[attr-defined]
        if getattr(route, "path", "").startswith("/api/v1")
        for method in getattr(route, "methods", ()) - {"HEAD"}
    }
    assert routes <= covered, f"routes without an authorisation check: {routes - covered}"


def mortgage_discharge(demo: Demo) -> dict[str, Any]:
    """解押 filed at the bank branch for a person of the demo population who is present."""
    person = demo.platform.cases.get(demo.cases.overdue_case_id)
    return {
        "subject_code": "realestate.mortgage_discharge",
        "form": {
            "region_code": "370102",
            "property_unit_number": "370102001001GB00001F00010001",
            "mortgage_certificate_number": "鲁(2024)济南市不动产证明第0012345号",
            "mortgagee_name": "中国工商银行股份有限公司济南历下支行",
        },
        "applicant_id": person.applicant_id,
        "applicant_name": person.applicant_name,
    }


def enterprise_case(demo: Demo, headers: dict[str, str]) -> dict[str, Any]:
    """The demo enterprise applies for a change of address (its licence and registration
    are obtained by data sharing): a case whose applicant is an enterprise."""
    from sqlalchemy import select

    from yiwang.db import tables as t

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


def test_other_applicants_cases_and_files_are_not_found(demo: Demo) -> None:
    founder = demo.founder
    enterprise = demo.enterprise
    case_id = demo.cases.supplement_case_id
    material = demo.client.post(
        f"/api/v1/cases/{case_id}/materials",
        data={"material_code": "premises_proof"},
        files={"file": ("a.png", PNG, "image/png")},
        headers=demo.headers(founder),
    ).json()
    other = demo.headers(enterprise)
    for path in (f"/api/v1/cases/{case_id}", f"/api/v1/cases/{case_id}/timeline", material["url"], "/api/v1/cases/YW20000101DEADBEEF00"):
        response = demo.client.get(path, headers=other)
        assert response.status_code == 404, path
    # The same answer for a case that exists and one that does not.
    assert demo.client.get(f"/api/v1/cases/{case_id}", headers=other).json()["error"]["code"] == "case_not_found"
    listed = demo.client.get("/api/v1/cases", headers=other).json()
    assert case_id not in [c["id"] for c in listed]
    # Pages too.
    demo.client.cookies.clear()


def test_reviewers_see_only_their_departments_tasks(demo: Demo) -> None:
    police = demo.headers("reviewer.police.jinan")
    market = demo.headers("reviewer.market.jinan")
    market_inbox = demo.client.get("/api/v1/tasks", headers=market).json()
    assert market_inbox and all(t["item_code"].startswith("market.") for t in market_inbox)
    # Soonest deadline first; the overdue (red) task on top.
    assert market_inbox[0]["light"] == "red"
    police_inbox = demo.client.get("/api/v1/tasks", headers=police).json()
    assert all(t["item_code"].startswith("police.") for t in police_inbox)
    for task in market_inbox:
        assert demo.client.get(f"/api/v1/tasks/{task['id']}", headers=police).status_code == 404
        assert demo.client.post(f"/api/v1/tasks/{task['id']}/actions", json={"action": "accept"}, headers=police).status_code == 404
