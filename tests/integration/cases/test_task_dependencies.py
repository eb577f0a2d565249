"""Order inside a stage: a task that needs another item's decision opens, and its clock
starts, only when that decision exists (社保、医保、公积金 after the business licence)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import submit_startup as submit
from yiwang.bootstrap import Platform
from yiwang.cases.commands import AcceptTask, CompleteTask, RejectTask
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.catalog.errors import CatalogInvalid
from yiwang.catalog.loader import parse_catalog, read_catalog_files
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration

EMPLOYER_ITEMS = {
    "hrss.employer_social_insurance_registration",
    "medins.employer_registration",
    "hfund.employer_account_opening",
}
CATALOG = Path(__file__).resolve().parents[3] / "catalog"


def test_employer_registrations_wait_for_the_licence_a_reviewer_issues(
    platform: Platform, clock: SimulatedClock
) -> None:
    # A joint-stock company is not decided by rule: a reviewer issues its licence.
    case_id = submit(platform, entity_type="joint_stock", company_name="济南市历下区明湖数据科技股份有限公司")
    case = platform.cases.get(case_id)
    assert [t.item_code for t in case.tasks] == ["market.enterprise_registration"]
    registration = case.tasks[0]
    clock.advance(minutes=40)
    platform.cases.act(AcceptTask(registration.id, "reviewer.market"))
    approved_at = clock()
    case = platform.cases.act(CompleteTask(registration.id, "reviewer.market"))
    case = platform.cases.get(case_id)
    opened = [t for t in case.tasks if t.item_code in EMPLOYER_ITEMS]
    # All three open at once, the moment the licence exists, their clocks starting then.
    assert {t.item_code for t in opened} == EMPLOYER_ITEMS
    assert all(t.opened_at == approved_at for t in opened)
    assert any(o.kind == "business_licence" for o in case.outputs)
    assert case.stages[0].status.value == "open"


def test_a_licence_decided_by_rule_opens_them_at_submission(platform: Platform) -> None:
    case = platform.cases.get(submit(platform))
    assert {t.item_code for t in case.tasks_of_stage(0)} >= EMPLOYER_ITEMS
    assert all(t.opened_at == case.submitted_at for t in case.tasks_of_stage(0))


def test_a_rejected_licence_never_opens_what_needs_it(platform: Platform, clock: SimulatedClock) -> None:
    case_id = submit(platform, entity_type="joint_stock", company_name="济南市历下区明湖数据科技股份有限公司")
    registration = platform.cases.get(case_id).tasks[0]
    platform.cases.act(RejectTask(registration.id, "reviewer.market", reason="名称与在先登记的企业近似"))
    case = platform.cases.get(case_id)
    assert case.status is CaseStatus.REJECTED
    assert [t.item_code for t in case.tasks] == ["market.enterprise_registration"]
    opened = [e for e in platform.cases.events(case_id) if e.kind is EventKind.TASK_OPENED]
    assert len(opened) == 1


def _with_bundle_text(old: str, new: str) -> dict[str, str]:
    files = read_catalog_files(CATALOG)
    name = next(n for n in files if n.endswith("bundles/enterprise_startup.yaml"))
    assert old in files[name]
    return {**files, name: files[name].replace(old, new)}


def test_catalog_check_refuses_a_need_outside_the_stage_or_a_cycle() -> None:
    outside = _with_bundle_text(
        "needs: [market.enterprise_registration]\n        - item: medins",
        "needs: [police.seal_carving]\n        - item: medins",
    )
    with pytest.raises(CatalogInvalid, match=r"police\.seal_carving"):
        parse_catalog(outside)
    cycle = _with_bundle_text(
        "          field_map: {name: company_name, type: entity_type",
        "          needs: [hfund.employer_account_opening]\n          field_map: {name: company_name, type: entity_type",
    )
    with pytest.raises(CatalogInvalid, match="cycle"):
        parse_catalog(cycle)


def test_catalog_check_refuses_a_holder_whose_fields_no_form_carries() -> None:
    files = read_catalog_files(CATALOG)
    name = next(n for n in files if n.endswith("items/talent.yaml"))
    broken = files[name].replace("id_field: talent_id", "id_field: card_holder_id")
    assert broken != files[name]
    with pytest.raises(CatalogInvalid, match="holder"):
        parse_catalog({**files, name: broken})
