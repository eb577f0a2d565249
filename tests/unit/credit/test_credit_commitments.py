"""Credit commitments (告知承诺, R-CRED-2): instant decisions, post-checks, false ones."""

from __future__ import annotations

import math
from datetime import date, datetime
from fractions import Fraction

import pytest
from credit_factories import AS_OF, CODE, credit_code, rules
from hypothesis import given
from hypothesis import strategies as st

from yiwang.credit.commitments import (
    apply_post_check,
    decide_with_commitment,
    post_check_key,
    post_check_sample,
)
from yiwang.credit.errors import CommitmentNotAllowed
from yiwang.credit.models import (
    CommitmentDecision,
    CommitmentOption,
    CommitmentSubmission,
    CreditClass,
    CreditRecordAdded,
    DecisionRevoked,
    LicenceRevocationRequested,
    PostCheckPassed,
    RecordKind,
)
from yiwang.credit.services import add_record, classify

OPTION = CommitmentOption(
    item_id="SD-FOOD-LICENCE",
    replaceable_materials=frozenset({"场所使用证明", "健康证明"}),
    commitment_text_zh="本企业承诺所填信息真实",
)


def submission(missing: frozenset[str] = frozenset({"场所使用证明"}), case_id: str = "C1",
               code: str = CODE) -> CommitmentSubmission:
    return CommitmentSubmission(
        case_id=case_id,
        item_id="SD-FOOD-LICENCE",
        credit_code=code,
        missing_materials=missing,
        commitment_text_zh="本企业承诺所填信息真实,如有不实愿承担责任",
        submitted_at=datetime(2024, 6, 1, 9, 30),
    )


def decision(decision_id: str = "D1", licence_id: str | None = "LIC-1") -> CommitmentDecision:
    return decide_with_commitment(submission(), OPTION, CreditClass.TRUSTWORTHY, rules(),
                                  decision_id=decision_id, licence_id=licence_id)


def test_a_replaceable_material_gives_an_instant_decision_recorded_as_such() -> None:
    made = decision()
    assert made.mode == "instant_commitment"
    assert made.replaced_materials == frozenset({"场所使用证明"})
    assert made.decided_at == datetime(2024, 6, 1, 9, 30)
    assert made.licence_id == "LIC-1"


def test_a_material_the_item_does_not_list_cannot_be_replaced() -> None:
    with pytest.raises(CommitmentNotAllowed, match="营业执照"):
        decide_with_commitment(submission(frozenset({"场所使用证明", "营业执照"})), OPTION,
                               CreditClass.TRUSTWORTHY, rules(), decision_id="D1")


def test_serious_dishonesty_enterprises_may_not_use_commitments() -> None:
    with pytest.raises(CommitmentNotAllowed, match="严重失信"):
        decide_with_commitment(submission(), OPTION, CreditClass.SERIOUS_DISHONESTY, rules(),
                               decision_id="D1")
    # the other dishonest classes may (the rules exclude only 严重失信)
    assert decide_with_commitment(submission(), OPTION, CreditClass.GENERAL_DISHONESTY, rules(),
                                  decision_id="D1").decision_id == "D1"


def test_false_commitment_revokes_decision_and_licence_and_lowers_the_class() -> None:
    made = decision()
    before = classify([], AS_OF, rules(), credit_code=CODE)
    outcome = apply_post_check(made, found_false=True, checked_on=AS_OF, department="samr",
                               rules=rules(), finding_zh="场所使用证明不实")
    kinds = [type(event) for event in outcome.events]
    assert kinds == [DecisionRevoked, LicenceRevocationRequested, CreditRecordAdded]
    revoked = outcome.events[0]
    licence = outcome.events[1]
    assert isinstance(revoked, DecisionRevoked) and revoked.case_id == "C1"
    assert isinstance(licence, LicenceRevocationRequested) and licence.licence_id == "LIC-1"
    record = outcome.broken_commitment
    assert record is not None
    assert (record.kind, record.credit_code, record.reference) == (
        RecordKind.BROKEN_COMMITMENT, CODE, "D1")
    arrival = add_record([], record, AS_OF, rules())
    assert before.credit_class is CreditClass.TRUSTWORTHY
    assert arrival.classification.credit_class is CreditClass.MINOR_DISHONESTY
    assert arrival.classification.rule_id == "M2-BROKEN-COMMITMENT"
    assert arrival.changed is not None
    assert arrival.changed.current is CreditClass.MINOR_DISHONESTY


def test_repeated_false_commitments_lower_the_class_step_by_step() -> None:
    records = []
    seen = []
    for index in range(3):
        made = decision(decision_id=f"D{index}")
        outcome = apply_post_check(made, found_false=True, checked_on=AS_OF, department="samr",
                                   rules=rules())
        assert outcome.broken_commitment is not None
        arrival = add_record(records, outcome.broken_commitment, AS_OF, rules())
        records = list(arrival.records)
        seen.append(arrival.classification.credit_class)
    assert seen == [CreditClass.MINOR_DISHONESTY, CreditClass.GENERAL_DISHONESTY,
                    CreditClass.SERIOUS_DISHONESTY]


def test_a_decision_without_licence_is_only_revoked() -> None:
    outcome = apply_post_check(decision(licence_id=None), found_false=True, checked_on=AS_OF,
                               department="samr", rules=rules())
    assert [type(e) for e in outcome.events] == [DecisionRevoked, CreditRecordAdded]


def test_a_true_commitment_passes_without_a_record() -> None:
    outcome = apply_post_check(decision(), found_false=False, checked_on=AS_OF,
                               department="samr", rules=rules())
    assert outcome.events == (PostCheckPassed("D1", AS_OF),)
    assert outcome.broken_commitment is None


def decisions(count: int) -> list[CommitmentDecision]:
    return [
        decide_with_commitment(submission(case_id=f"C{i}", code=credit_code(i)), OPTION,
                               CreditClass.TRUSTWORTHY, rules(), decision_id=f"D{i:04d}")
        for i in range(count)
    ]


def test_post_check_sample_takes_the_configured_share_rounded_up() -> None:
    pool = decisions(11)
    share = rules().commitments.post_check_share
    assert share == Fraction(1, 5)
    drawn = post_check_sample(pool, share, b"seed-2024-06")
    assert len(drawn) == 3  # ceil(11 / 5)
    assert drawn == post_check_sample(list(reversed(pool)), share, b"seed-2024-06")
    ranked = sorted(pool, key=lambda d: post_check_key(b"seed-2024-06", d.decision_id))
    assert drawn == tuple(ranked[:3])


@given(
    count=st.integers(min_value=0, max_value=60),
    share=st.fractions(min_value=0, max_value=1, max_denominator=100),
    seed=st.binary(min_size=1, max_size=16),
)
def test_post_check_sample_is_a_deterministic_subset_of_the_right_size(
    count: int, share: Fraction, seed: bytes
) -> None:
    pool = [
        CommitmentDecision(f"D{i}", f"C{i}", "ITEM", CODE, datetime(2024, 1, 1),
                           frozenset(), "承诺")
        for i in range(count)
    ]
    drawn = post_check_sample(pool, share, seed)
    assert len(drawn) == math.ceil(share * count)
    assert len({d.decision_id for d in drawn}) == len(drawn)
    assert set(drawn) <= set(pool)
    assert drawn == post_check_sample(pool[::-1], share, seed)


def test_post_check_sample_refuses_a_share_outside_zero_to_one() -> None:
    with pytest.raises(ValueError):
        post_check_sample(decisions(3), Fraction(3, 2), b"s")


def test_decision_date_defaults_to_submission_time() -> None:
    assert decision().decided_at.date() == date(2024, 6, 1)
