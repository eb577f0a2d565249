"""Conformance of the whole shipped catalog, through the API (issue 10, item 1).

For every item an applicant can file and every bundle (each flow type and each entity type
of the start-up): a fitting applicant (person, enterprise, government body, bank clerk)
submits a valid application; an account of the department each task is routed to acts on
it; the case must reach ``concluded`` with the outputs its items declare. Then one
rejection per flow type ends its case ``rejected``. The test fails the day an item cannot
be submitted or concluded with the demo's accounts.

The demo province, accounts and HTTP client are built once per database (module scope).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from yiwang.accounts import policy
from yiwang.accounts import services as account_services
from yiwang.bootstrap import Platform, bootstrap
from yiwang.catalog.loader import load_catalog_dir
from yiwang.catalog.models import CatalogSpec, FieldType, FormFieldSpec, MaterialSource
from yiwang.clock import SimulatedClock
from yiwang.db.engine import make_engine
from yiwang.demo.accounts import DEMO_PASSWORD, demo_guide, fitting_applicant, seed_demo_accounts
from yiwang.demo.province import ensure_signing_keys, seed_demo_province, startup_form
from yiwang.identity.population import Population
from yiwang.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CATALOG_DIR = Path(__file__).resolve().parents[2] / "catalog"
SHIPPED: CatalogSpec = load_catalog_dir(CATALOG_DIR)
OPEN = ("pending", "in_review", "waiting_data")
POSTGRES_URL = os.environ.get("YIWANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _require_postgres() -> None:
    # The root conftest's probe is per test; this module builds its database once.
    try:
        probe = make_engine(POSTGRES_URL)
        with probe.connect() as connection:
            connection.execute(text("select 1"))
        probe.dispose()
    except Exception as error:  # any failure to connect means "not available"
        if os.environ.get("YIWANG_REQUIRE_POSTGRES", "") == "1":
            pytest.fail(f"PostgreSQL required but unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable: {str(error).splitlines()[0]}")


def _journeys() -> list[tuple[str, str]]:
    """(subject code, variant) for every bundle flow type, start-up entity type and item."""
    journeys: list[tuple[str, str]] = []
    for code, bundle in SHIPPED.bundles.items():
        if bundle.variants is not None:
            journeys += [(code, option.value) for option in bundle.variants.options]
        elif any(spec.name == "entity_type" for spec in bundle.form):
            journeys += [(code, value) for value, _label in bundle.field("entity_type").choices]
        else:
            journeys.append((code, ""))
    journeys += [(code, "") for code in SHIPPED.items]
    return journeys


JOURNEYS = _journeys()


@dataclass
class World:
    platform: Platform
    client: TestClient
    population: Population
    users: dict[str, str]  # role name -> username
    reviewers: dict[str, str]  # department code -> username
    guide: list[str]  # what `make run` prints: which account for which service
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    concluded: set[str] = field(default_factory=set)
    journeys_concluded: int = 0
    serial: int = 0

    def headers(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            response = self.client.post("/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 201, response.text
            self.tokens[username] = {"Authorization": f"Bearer {response.json()['token']}"}
        return self.tokens[username]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp(f"conformance-{request.param}")
    schema = ""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp / 'yiwang.db'}")
    else:
        _require_postgres()
        schema = f"t_conf_{datetime.now().strftime('%H%M%S%f')}"
        admin = make_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    # Wednesday 2 December 2026, 09:30: a working day inside the innovation vouchers' monthly
    # window (working days 1-7), so every item can be filed.
    clock = SimulatedClock(datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    with pytest.MonkeyPatch.context() as patch:
        # Full-strength argon2 takes ~0.2 s per hash; the demo has dozens of accounts.
        patch.setattr(account_services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        platform = bootstrap(Settings(database_url=str(engine.url), data_dir=tmp / "var"), clock=clock, engine=engine)
        ensure_signing_keys(platform)
        population = seed_demo_province(platform, people=600, enterprises=200)
        accounts = seed_demo_accounts(platform, population)
        users = {
            "person": next(a.username for a in accounts if a.role.value == "applicant" and a.scope.startswith("个人")),
            "enterprise": next(a.username for a in accounts if a.role.value == "applicant" and a.scope.startswith("企业")),
            "government": next(a.username for a in accounts if a.role.value == "applicant" and a.scope.startswith("机关")),
            "bank": next(a.username for a in accounts if a.role.value == "bank_clerk"),
        }
        reviewers = {a.scope: a.username for a in accounts if a.role.value == "reviewer"}
        guide = demo_guide(platform, accounts)
        with TestClient(_app(platform), raise_server_exceptions=False) as client:
            built = World(platform, client, population, users, reviewers, guide)
            yield built
            total = len(SHIPPED.items) + len(SHIPPED.bundles)
            print(
                f"\n[{request.param}] concluded through the API: {len(built.concluded)} of {total} items and bundles "
                f"({built.journeys_concluded} journeys)"
            )
    engine.dispose()
    if schema:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _app(platform: Platform) -> Any:
    from yiwang.server import create_app

    return create_app(platform)


# --- who files, and with what form --------------------------------------------------------


def _applicant_role(code: str) -> str:
    return fitting_applicant(SHIPPED, code)


def _value(world: World, spec: FormFieldSpec, catalog: CatalogSpec) -> Any:
    person = world.population.people[10]
    if spec.choices:
        first = spec.choices[0][0]
        return [first] if spec.type is FieldType.MULTI_CHOICE else first
    if spec.choices_from:
        chosen = sorted(catalog.choice_codes(spec.choices_from))[0]
        return [chosen] if spec.type is FieldType.MULTI_CHOICE else chosen
    return {
        FieldType.ID_NUMBER: person.id_number,
        FieldType.CREDIT_CODE: world.population.enterprises[3].credit_code,
        FieldType.PHONE: "13905310001",
        FieldType.MONEY: "1000",
        FieldType.DATE: "2026-11-20",
        FieldType.REGION: "370102",
    }.get(spec.type, "测试内容")


# Values a generic filler cannot guess: a restricted negative-list entry, a 标准地 answer
# consistent with its flow type.
_SPECIAL: dict[str, dict[str, Any]] = {
    "trade.fdi_project_approval": {"negative_list_entry": "FNL-D01"},
}


def _form(world: World, code: str, variant: str) -> dict[str, Any]:
    bundle = SHIPPED.as_bundle(code)
    if code == "bundle.enterprise_startup":
        world.serial += 1
        founder = next(p for p in world.population.people if p.id_number == world.users["person"])
        trade = "鸿远泉华历山鲁泰齐鲁舜耕趵突"[world.serial % 7] + "一二三四五六七八九十"[world.serial % 10]
        form = startup_form(founder, "370102", f"济南市历下区{trade}信息科技有限公司")
        form["entity_type"] = variant
        return _fit_startup(form, variant)
    form = {spec.name: _value(world, spec, SHIPPED) for spec in bundle.form}
    form.update(_SPECIAL.get(code, {}))
    if bundle.variants is not None and variant:
        form[bundle.variants.form_field] = variant
        if "standard_land" in form:
            form["standard_land"] = "yes" if variant.endswith("standard_land") else "no"
    return form


def _fit_startup(form: dict[str, Any], entity_type: str) -> dict[str, Any]:
    """Each entity type's name ends in its own organisation form."""
    suffix = {
        "llc_natural_person_sole": "有限公司",
        "llc_natural_person": "有限公司",
        "joint_stock": "股份有限公司",
        "partnership": "（有限合伙）",
        "sole_proprietorship": "厂",
        "individual_business": "店",
        "branch": "有限公司第一分公司",
    }[entity_type]
    base = str(form["company_name"]).removesuffix("有限公司")
    form["company_name"] = base + suffix
    return form


# --- the journey ------------------------------------------------------------------------


def _submit(world: World, code: str, variant: str) -> dict[str, Any]:
    role = _applicant_role(code)
    body: dict[str, Any] = {"subject_code": code, "form": _form(world, code, variant)}
    if role == "bank":
        person = next(p for p in world.population.people if p.id_number == world.users["person"])
        body.update(applicant_id=person.id_number, applicant_name=person.name)
    response = world.client.post("/api/v1/cases", json=body, headers=world.headers(world.users[role]))
    assert response.status_code == 201, f"{code} {variant} ({role}) not submitted: {response.text[:600]}"
    case = dict(response.json())
    _supply_materials(world, case, world.headers(world.users[role]))
    return case


def _supply_materials(world: World, case: dict[str, Any], headers: dict[str, str]) -> None:
    """The applicant uploads every required material it must supply (a reviewer may not
    approve without them, see cases/completeness.py)."""
    if case["status"] != "in_progress":
        return
    codes = dict.fromkeys(
        m.code
        for item_code in SHIPPED.as_bundle(case["subject_code"]).item_codes()
        for m in SHIPPED.item(item_code).materials
        if m.required and m.source is MaterialSource.APPLICANT
    )
    for code in codes:
        uploaded = world.client.post(
            f"/api/v1/cases/{case['id']}/materials",
            data={"material_code": code},
            files={"file": (f"{code}.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")},
            headers=headers,
        )
        assert uploaded.status_code == 201, f"{case['subject_code']} upload {code}: {uploaded.text[:300]}"


def _case(world: World, case_id: str) -> dict[str, Any]:
    response = world.client.get(f"/api/v1/cases/{case_id}", headers=world.headers(world.users["person"]))
    if response.status_code == 404:  # filed by another applicant: read it as the supervisor would
        response = world.client.get(f"/api/v1/cases/{case_id}", headers=world.headers("supervisor.jinan"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _act(world: World, task: dict[str, Any], action: str) -> None:
    department = task["department_code"]
    reviewer = world.reviewers.get(department)
    assert reviewer is not None, f"no demo account of {department} for {task['item_code']}"
    headers = world.headers(reviewer)
    inbox = world.client.get("/api/v1/tasks", headers=headers)
    assert inbox.status_code == 200 and task["id"] in [t["id"] for t in inbox.json()], (
        f"{task['item_code']}: not in the inbox of {reviewer}"
    )
    body: dict[str, Any] = {"action": action, "comment": "同意"}
    if action == "reject":
        body["reason"] = "不符合法定条件（一致性测试）"
    if task["status"] == "pending" and action == "approve":
        accepted = world.client.post(f"/api/v1/tasks/{task['id']}/actions", json={"action": "accept"}, headers=headers)
        assert accepted.status_code == 200, f"{task['item_code']} accept: {accepted.text[:400]}"
    done = world.client.post(f"/api/v1/tasks/{task['id']}/actions", json=body, headers=headers)
    assert done.status_code == 200, f"{task['item_code']} {action}: {done.text[:400]}"


def _run_to_end(world: World, case: dict[str, Any]) -> dict[str, Any]:
    for _round in range(20):
        if case["status"] not in ("in_progress",):
            return case
        open_tasks = [t for t in case["tasks"] if t["status"] in ("pending", "in_review")]
        assert open_tasks, f"{case['subject_code']}: in progress with no task anyone can act on: {case['tasks']}"
        for task in open_tasks:
            _act(world, task, "approve")
        case = _case(world, case["id"])
    raise AssertionError(f"{case['subject_code']}: not concluded after 20 rounds")


def _declared_outputs(case: dict[str, Any]) -> set[str]:
    kinds = set()
    for task in case["tasks"]:
        item = SHIPPED.items.get(task["item_code"])
        if item is not None and item.output is not None and task["status"] == "approved":
            kinds.add(item.output.kind)
    return kinds


@pytest.mark.parametrize(("code", "variant"), JOURNEYS, ids=[f"{c}:{v}" if v else c for c, v in JOURNEYS])
def test_each_item_and_bundle_is_submitted_handled_and_concluded(world: World, code: str, variant: str) -> None:
    case = _run_to_end(world, _submit(world, code, variant))
    assert case["status"] == "concluded", f"{code} {variant}: ended {case['status']}"
    assert all(t["status"] in ("approved", "cancelled") for t in case["tasks"])
    outputs = {o["kind"] for o in case["outputs"]}
    assert _declared_outputs(case) <= outputs, f"{code}: outputs {outputs}, declared {_declared_outputs(case)}"
    _assert_holders(case)
    world.concluded.add(code)
    world.journeys_concluded += 1


def _assert_holders(case: dict[str, Any]) -> None:
    """Outputs held by a party of the form (buyer, mortgagee, talent) or by the new
    enterprise carry that party's name, not the applicant's."""
    by_kind = {o["kind"]: o for o in case["outputs"]}
    for task in case["tasks"]:
        item = SHIPPED.items[task["item_code"]]
        if item.output is None or item.output.kind not in by_kind:
            continue
        held = by_kind[item.output.kind]["holder_name"]
        if item.output.holder_name_field and item.output.holder_name_field in case["form"]:
            assert held == case["form"][item.output.holder_name_field], (item.code, held)
        elif item.output.holder_role == "enterprise" and "company_name" in case["form"]:
            assert held == case["form"]["company_name"], (item.code, held)
        else:
            assert held == case["applicant_name"], (item.code, held)


def _rejection_journeys() -> list[tuple[str, str]]:
    """One per flow type: a single item, each bundle, each construction flow type."""
    single = next(code for code in SHIPPED.items if not policy.is_internal(SHIPPED, code) and _needs_review(code))
    chosen = [(single, "")]
    for code, bundle in SHIPPED.bundles.items():
        if bundle.variants is not None:
            chosen += [(code, option.value) for option in bundle.variants.options]
        elif code == "bundle.enterprise_startup":
            chosen.append((code, "joint_stock"))  # no smart approval: a person decides
        else:
            chosen.append((code, ""))
    return chosen


def _needs_review(code: str) -> bool:
    item = SHIPPED.items[code]
    return not item.auto_rules and any(m.source is MaterialSource.APPLICANT for m in item.materials)


REJECTIONS = _rejection_journeys()


@pytest.mark.parametrize(("code", "variant"), REJECTIONS, ids=[f"{c}:{v}" if v else c for c, v in REJECTIONS])
def test_one_rejection_per_flow_type_ends_the_case_rejected(world: World, code: str, variant: str) -> None:
    case = _submit(world, code, variant)
    open_tasks = [t for t in case["tasks"] if t["status"] in ("pending", "in_review")]
    assert open_tasks, f"{code}: nothing left to reject"
    _act(world, open_tasks[0], "reject")
    final = _case(world, case["id"])
    assert final["status"] == "rejected"
    assert not [t for t in final["tasks"] if t["status"] in OPEN]


def test_internal_work_is_filed_by_government_accounts_only(world: World) -> None:
    code = next(c for c in SHIPPED.bundles if policy.is_internal(SHIPPED, c))
    for role in ("person", "enterprise"):
        response = world.client.post(
            "/api/v1/cases", json={"subject_code": code, "form": _form(world, code, "")}, headers=world.headers(world.users[role])
        )
        assert response.status_code == 403, response.text
        assert response.json()["error"]["message_zh"]


def test_a_service_point_outside_the_province_is_refused(world: World) -> None:
    code = "medins.insurance_certificate"
    for bad in ("110101", "37010", "x"):
        response = world.client.post(
            "/api/v1/cases",
            json={"subject_code": code, "form": {}, "region_code": bad},
            headers=world.headers(world.users["person"]),
        )
        assert response.status_code == 422, response.text
        assert response.json()["error"]["problems"][0]["field"] == "region_code"


def test_the_handling_region_comes_from_the_registry_record_or_the_chosen_point(world: World) -> None:
    code = "medins.insurance_certificate"
    person = next(p for p in world.population.people if p.id_number == world.users["person"])
    own = world.client.post("/api/v1/cases", json={"subject_code": code, "form": {}}, headers=world.headers(world.users["person"]))
    assert own.status_code == 201 and own.json()["region_code"] == person.region_code
    chosen = world.client.post(
        "/api/v1/cases",
        json={"subject_code": code, "form": {}, "region_code": "370112"},
        headers=world.headers(world.users["person"]),
    )
    assert chosen.status_code == 201 and chosen.json()["region_code"] == "370112"


def test_every_shipped_output_kind_has_a_registered_number_prefix() -> None:
    from yiwang.db.uow import OUTPUT_PREFIXES

    kinds = {item.output.kind for item in SHIPPED.items.values() if item.output is not None} - {"business_licence"}
    prefixes = [OUTPUT_PREFIXES.get(kind, kind[:2].upper()) for kind in sorted(kinds)]
    # The talent card and the tax receipt once both began TA: approval then failed forever.
    assert len(set(prefixes)) == len(prefixes)


def test_the_demo_answers_the_datasets_held_by_other_systems(world: World) -> None:
    """Marriage, death and court records are on record in the demo (not "not connected"),
    for the people they concern, and absent for others."""
    from sqlalchemy import select

    from yiwang.db import tables as t

    used = {m.registry_field.split(".")[0] for i in SHIPPED.items.values() for m in i.materials if m.registry_field}
    with world.platform.engine.connect() as connection:
        held = {
            dataset: connection.execute(
                select(t.external_records.c.subject_id).where(t.external_records.c.dataset == dataset).limit(1)
            ).scalar()
            for dataset in ("marriage", "death", "court")
        }
        held = {dataset: subject for dataset, subject in held.items() if subject}
    assert {"marriage", "death", "court"} <= set(held) and {"marriage", "death", "court"} <= used
    with world.platform.unit_of_work() as uow:
        for dataset, field_code in (("marriage", "status"), ("death", "certificate"), ("court", "judgment")):
            found = uow.registries.lookup(
                dataset, field_code, held[dataset], reader="test", purpose="一致性测试", case_id=None, at=world.platform.clock()
            )
            assert found.found and held[dataset] not in found.summary  # masked
            absent = uow.registries.lookup(
                dataset, field_code, "370102199001011234", reader="test", purpose="一致性测试", case_id=None, at=world.platform.clock()
            )
            assert not absent.found and "not connected" not in absent.summary


def test_the_printed_guide_names_an_account_for_every_service_and_department(world: World) -> None:
    # One line per bundle, and per domain and department of the items filed alone.
    assert len(world.guide) >= len(SHIPPED.bundles) + len({code.split(".")[0] for code in SHIPPED.items})
    for bundle in SHIPPED.bundles.values():
        assert any(line.startswith(bundle.name.zh) for line in world.guide)
    for line in world.guide:
        applicants, _, handlers = line.partition(" → 办理 handle ")
        assert applicants.split("申请 apply ")[1].strip(), line
        # Every handler is a demo account, never a bare department code.
        assert "@" not in handlers, line


def test_times_are_local_with_their_offset_and_the_case_number_carries_the_local_date(world: World) -> None:
    clock = world.platform.clock
    assert isinstance(clock, SimulatedClock)
    before = clock()
    # 07:00 on Thursday 3 December in Shanghai is still the 2nd in UTC.
    clock.set(datetime(2026, 12, 3, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    try:
        response = world.client.post(
            "/api/v1/cases",
            json={"subject_code": "medins.insurance_certificate", "form": {}},
            headers=world.headers(world.users["person"]),
        )
    finally:
        clock.set(before)
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["id"].startswith("YW20261203")
    assert case["submitted_at"] == "2026-12-03T07:00:00+08:00"
    stamps = [case["submitted_at"], case["closed_at"], *(o["issued_at"] for o in case["outputs"])]
    stamps += [t[key] for t in case["tasks"] for key in ("opened_at", "closed_at", "due_at") if t[key]]
    assert stamps and all(stamp.endswith("+08:00") for stamp in stamps if stamp)
    timeline = world.client.get(f"/api/v1/cases/{case['id']}/timeline", headers=world.headers(world.users["person"])).json()
    assert all(entry["at"].endswith("+08:00") for entry in timeline)
