"""告知承诺 on the platform: an instant decision on a credit commitment, drawn for a post-check;
a false commitment revokes the decision and its licence and lowers the enterprise's class."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import text

from support import (
    BUNDLE,
    FOUNDER_ID,
    FOUNDER_NAME,
    complete_open_tasks,
    register_founder,
    startup_form,
)
from yiwang.bootstrap import Platform
from yiwang.cases.commands import SubmitApplication
from yiwang.cases.errors import InvalidForm
from yiwang.cases.models import CaseStatus, EventKind, TaskStatus
from yiwang.clock import SimulatedClock
from yiwang.credit.models import CreditClass
from yiwang.licences.verification import verify

pytestmark = pytest.mark.integration

def _standard_text(platform: Platform, item_code: str) -> str:
    commitment = platform.catalogs.current().item(item_code).commitment
    assert commitment is not None
    return commitment.text.zh


def _submit_with_commitment(
    platform: Platform, entity_type: str = "joint_stock", key: str = "commit-1", **overrides: object
) -> str:
    register_founder(platform)
    form = startup_form(
        company_name="济南市历下区承诺数据科技股份有限公司"
        if entity_type == "joint_stock"
        else "济南市历下区承诺数据科技有限公司",
        entity_type=entity_type,
        **overrides,
    )
    command = SubmitApplication(
        BUNDLE,
        FOUNDER_ID,
        FOUNDER_NAME,
        "370102",
        form,
        idempotency_key=key,
        commitments=("premises_proof",),
        commitment_text=_standard_text(platform, "market.enterprise_registration"),
    )
    return platform.cases.submit(command).case_id


def test_commitment_of_a_joint_stock_company_goes_to_review_not_instant(
    platform: Platform,
) -> None:
    """Reproduced: a 股份有限公司 was licensed by 秒批 on a premises commitment alone. Smart
    approval covers natural-person LLCs, 个体, 个人独资 and branches only, so it is reviewed."""
    case = platform.cases.get(_submit_with_commitment(platform))
    licence_task = case.tasks[0]
    assert licence_task.item_code == "market.enterprise_registration"
    assert licence_task.status is TaskStatus.PENDING and licence_task.decided_by_rule is None
    assert not case.outputs
    events = platform.cases.events(case.id)
    assert EventKind.AUTOMATIC_DECISION not in {
        e.kind for e in events if e.task_id == licence_task.id
    }
    # The applicant is shown the text signed and which proofs it replaced.
    signed = next(e for e in events if e.kind is EventKind.COMMITMENT_SIGNED)
    assert signed.data["text"] == _standard_text(platform, "market.enterprise_registration")
    assert [m["code"] for m in signed.data["materials"]] == ["premises_proof"]
    assert case.legal.commitments[0].materials == ("premises_proof",)


def test_commitment_of_a_natural_person_llc_is_decided_by_the_declared_rule(
    platform: Platform,
) -> None:
    case = platform.cases.get(_submit_with_commitment(platform, entity_type="llc_natural_person"))
    licence_task = case.tasks[0]
    assert licence_task.decided_by_rule == "ENT-SMART-1"
    decision = next(
        e for e in platform.cases.events(case.id) if e.kind is EventKind.AUTOMATIC_DECISION
    )
    assert decision.data["committed_materials"] == ["premises_proof"]


def test_a_text_other_than_the_standard_commitment_is_refused(platform: Platform) -> None:
    with pytest.raises(InvalidForm) as refused:
        platform.cases.submit(
            SubmitApplication(
                BUNDLE, FOUNDER_ID, FOUNDER_NAME, "370102", startup_form(),
                commitments=("premises_proof",), commitment_text="我承诺住所没问题",
            )
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("commitment_text", "not_standard_text")
    ]


def test_only_listed_materials_may_be_promised(platform: Platform) -> None:
    with pytest.raises(InvalidForm) as refused:
        platform.cases.submit(
            SubmitApplication(
                BUNDLE, FOUNDER_ID, FOUNDER_NAME, "370102", startup_form(),
                commitments=("articles_of_association",), commitment_text="",
            )
        )
    codes = {(p.field, p.code) for p in refused.value.problems}
    assert ("commitments", "not_replaceable") in codes and ("commitment_text", "required") in codes


def test_false_commitment_revokes_decision_and_licence_and_lowers_class(
    platform: Platform, clock: SimulatedClock
) -> None:
    # The reviewer approves the joint-stock registration; the decision rests on the
    # commitment, so it is drawn for the post-check like an instant one.
    case_id = _submit_with_commitment(platform)
    complete_open_tasks(platform, clock, case_id)
    case = platform.cases.get(case_id)
    assert case.status is CaseStatus.CONCLUDED
    credit_code = next(o.number for o in case.outputs if o.kind == "business_licence")
    assert platform.credit.classification(credit_code).credit_class is CreditClass.TRUSTWORTHY

    _, drawn = platform.credit.draw_post_checks(b"public seed 2026-11", Fraction(1))
    assert drawn == [f"{case.tasks[0].id}-C"]
    result = platform.credit.record_post_check(
        drawn[0], found_false=True, department="market_regulation@370100", finding="住所为虚假地址"
    )
    assert result.found_false and result.licence_revoked is not None
    # The class falls as rule M2 says: one broken commitment within two years.
    assert result.classification.credit_class is CreditClass.MINOR_DISHONESTY
    assert result.classification.rule_id == "M2-BROKEN-COMMITMENT"

    case = platform.cases.get(case_id)
    assert case.status is CaseStatus.REVOKED
    kinds = [e.kind for e in platform.cases.events(case_id)]
    assert EventKind.DECISION_REVOKED in kinds and EventKind.LICENCE_REVOKED in kinds
    with platform.unit_of_work(read_only=True) as uow:
        signed = uow.licences.of_case(case_id)[0]
        status = verify(signed.qr_text, platform.licence_keys.keyring(), uow.licences.revocations(), at=clock())
    assert status.status == "revoked"
    # Checking the same decision twice is refused.
    with pytest.raises(Exception, match=r"already checked|已核查"):
        platform.credit.record_post_check(drawn[0], found_false=True, department="x")
    with platform.engine.connect() as connection:
        kinds_on_file = connection.execute(
            text("SELECT kind FROM credit_records WHERE credit_code = :c"), {"c": credit_code}
        ).scalars().all()
    assert kinds_on_file == ["broken_commitment"]

    # An unrepaired false commitment: this enterprise may not commit again.
    with pytest.raises(InvalidForm) as refused:
        platform.cases.submit(
            SubmitApplication(
                "market.enterprise_address_change",
                credit_code,
                "济南市历下区承诺数据科技股份有限公司",
                "370102",
                {"new_address": "经十路9999号", "region_code": "370102", "legal_rep_id": FOUNDER_ID},
                commitments=("new_premises_proof",),
                commitment_text=_standard_text(platform, "market.enterprise_address_change"),
            )
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("commitments", "unrepaired_false_commitment")
    ]


def test_address_change_on_commitment_is_instant_only_by_its_declared_rule(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id = _submit_with_commitment(platform, entity_type="llc_natural_person", key="c-llc")
    complete_open_tasks(platform, clock, case_id)
    credit_code = next(
        o.number for o in platform.cases.get(case_id).outputs if o.kind == "business_licence"
    )
    form = {"new_address": "经十路9999号", "region_code": "370102", "legal_rep_id": FOUNDER_ID}

    def change(**commitment: object) -> str:
        return platform.cases.submit(
            SubmitApplication(
                "market.enterprise_address_change", credit_code, "济南市历下区承诺数据科技有限公司",
                "370102", form, **commitment,  # type: ignore[arg-type]
            )
        ).case_id

    plain = platform.cases.get(change())
    assert plain.tasks[0].decided_by_rule is None
    committed = platform.cases.get(
        change(
            commitments=("new_premises_proof",),
            commitment_text=_standard_text(platform, "market.enterprise_address_change"),
        )
    )
    assert committed.tasks[0].decided_by_rule == "ENT-CHANGE-COMMIT-1"
    decision = next(
        e for e in platform.cases.events(committed.id) if e.kind is EventKind.AUTOMATIC_DECISION
    )
    assert decision.data["committed_materials"] == ["new_premises_proof"]
