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
from yiwang.cases.engine import COMMITMENT_RULE
from yiwang.cases.errors import InvalidForm
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.clock import SimulatedClock
from yiwang.credit.models import CreditClass
from yiwang.licences.verification import verify

pytestmark = pytest.mark.integration

COMMITMENT = "本企业承诺住所（经营场所）真实、合法、可用，如有不实愿承担法律责任。"


def _submit_with_commitment(platform: Platform, **overrides: object) -> str:
    register_founder(platform)
    form = startup_form(
        company_name="济南市历下区承诺数据科技股份有限公司", entity_type="joint_stock", **overrides
    )
    command = SubmitApplication(
        BUNDLE,
        FOUNDER_ID,
        FOUNDER_NAME,
        "370102",
        form,
        idempotency_key="commit-1",
        commitments=("premises_proof",),
        commitment_text=COMMITMENT,
    )
    return platform.cases.submit(command).case_id


def test_commitment_gives_an_instant_decision(platform: Platform) -> None:
    case = platform.cases.get(_submit_with_commitment(platform))
    licence_task = case.tasks[0]
    # A joint-stock company is not decided by the smart-approval rule; the commitment decides.
    assert licence_task.decided_by_rule == COMMITMENT_RULE
    decision = next(
        e for e in platform.cases.events(case.id) if e.kind is EventKind.AUTOMATIC_DECISION
    )
    assert decision.data["mode"] == "instant_commitment"
    assert decision.data["materials"] == ["premises_proof"]


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
