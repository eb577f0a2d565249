"""Who may commit (国办发〔2020〕42号): not 严重失信, not anyone with an unrepaired false
commitment; repaired on or before the day, it no longer counts."""

from __future__ import annotations

from datetime import timedelta

from credit_factories import AS_OF, record, rules

from yiwang.credit.commitments import commitment_refusal
from yiwang.credit.models import CreditClass, RecordKind


def test_a_clean_file_may_commit() -> None:
    assert commitment_refusal([], CreditClass.TRUSTWORTHY, rules(), AS_OF) is None


def test_the_excluded_class_may_not_commit() -> None:
    refusal = commitment_refusal([], CreditClass.SERIOUS_DISHONESTY, rules(), AS_OF)
    assert refusal is not None and refusal.code == "excluded_class"
    assert refusal.message_zh and refusal.message_en


def test_an_unrepaired_false_commitment_excludes_until_the_day_it_is_repaired() -> None:
    broken = record(RecordKind.BROKEN_COMMITMENT, age_days=400)
    refusal = commitment_refusal([broken], CreditClass.TRUSTWORTHY, rules(), AS_OF)
    assert refusal is not None and refusal.code == "unrepaired_false_commitment"
    assert broken.record_id in refusal.message_zh
    repaired_today = record(
        RecordKind.BROKEN_COMMITMENT, age_days=400, repaired_on=AS_OF, repair_commitment_ref="RC-1"
    )
    assert commitment_refusal([repaired_today], CreditClass.TRUSTWORTHY, rules(), AS_OF) is None
    repaired_tomorrow = record(
        RecordKind.BROKEN_COMMITMENT,
        age_days=400,
        repaired_on=AS_OF + timedelta(days=1),
        repair_commitment_ref="RC-2",
    )
    assert commitment_refusal([repaired_tomorrow], CreditClass.TRUSTWORTHY, rules(), AS_OF) is not None


def test_other_records_do_not_exclude_by_themselves() -> None:
    penalty = record(RecordKind.ADMINISTRATIVE_PENALTY)
    assert commitment_refusal([penalty], CreditClass.MINOR_DISHONESTY, rules(), AS_OF) is None
