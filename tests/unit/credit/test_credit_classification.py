"""Hand-worked enterprises: each shipped rule at its boundary (R-CRED-1, R-CRED-3).

Evaluation date AS_OF = 2024-06-30. A window of N days counts a record N days old and not one
N + 1 days old.
"""

from __future__ import annotations

from datetime import date

import pytest
from credit_factories import AS_OF, CODE, days_ago, record, rules

from yiwang.credit.errors import CreditRecordError
from yiwang.credit.models import (
    Classification,
    CreditClass,
    CreditRecord,
    DisregardReason,
    EnterpriseFlags,
    NewBusinessModel,
    RecordKind,
    RepeatStatus,
    Severity,
)
from yiwang.credit.services import add_record, assess_repeat_violations, classify

K = RecordKind
S = Severity
TRUSTWORTHY = CreditClass.TRUSTWORTHY
MINOR = CreditClass.MINOR_DISHONESTY
GENERAL = CreditClass.GENERAL_DISHONESTY
SERIOUS = CreditClass.SERIOUS_DISHONESTY


def cls(
    *records_: CreditRecord, flags: EnterpriseFlags | None = None, as_of: date = AS_OF
) -> Classification:
    return classify(list(records_), as_of, rules(), flags, credit_code=CODE)


def test_no_records_is_trustworthy_by_the_default_rule() -> None:
    result = cls()
    assert (result.credit_class, result.rule_id) == (TRUSTWORTHY, "T0-DEFAULT")
    assert result.rule_text_zh == "无计入分类的失信记录"
    assert result.contributing_records == ()


# --- 严重失信 -------------------------------------------------------------------------------


def test_s1_active_blacklist_listing_is_serious() -> None:
    listing = record(K.BLACKLIST_LISTING, age_days=400, severity=S.GRAVE, record_id="BL")
    result = cls(listing)
    assert (result.credit_class, result.rule_id, result.contributing_records) == (
        SERIOUS, "S1-BLACKLIST", ("BL",))


def test_s1_listing_made_on_the_evaluation_day_is_active() -> None:
    assert cls(record(K.BLACKLIST_LISTING, age_days=0, severity=S.GRAVE)).credit_class is SERIOUS


def test_s1_lifted_listing_no_longer_counts_from_the_lifting_day() -> None:
    lifted_today = record(K.BLACKLIST_LISTING, age_days=400, severity=S.GRAVE, lifted_on=AS_OF)
    lifted_tomorrow = record(K.BLACKLIST_LISTING, age_days=400, severity=S.GRAVE,
                             lifted_on=date(2024, 7, 1))
    assert cls(lifted_today).credit_class is TRUSTWORTHY
    assert cls(lifted_tomorrow).credit_class is SERIOUS


@pytest.mark.parametrize(("age", "expected"), [(1095, SERIOUS), (1096, TRUSTWORTHY)])
def test_s2_grave_judgment_within_1095_days(age: int, expected: CreditClass) -> None:
    result = cls(record(K.COURT_JUDGMENT, age_days=age, severity=S.GRAVE))
    assert result.credit_class is expected
    if expected is SERIOUS:
        assert result.rule_id == "S2-GRAVE-JUDGMENT"


@pytest.mark.parametrize(("age", "expected"), [(1095, SERIOUS), (1096, TRUSTWORTHY)])
def test_s3_grave_penalty_within_1095_days(age: int, expected: CreditClass) -> None:
    assert cls(record(K.ADMINISTRATIVE_PENALTY, age_days=age, severity=S.GRAVE)).credit_class \
        is expected


def test_s3_counts_grave_inspection_violations_too() -> None:
    result = cls(record(K.INSPECTION_VIOLATION, age_days=5, severity=S.GRAVE))
    assert (result.credit_class, result.rule_id) == (SERIOUS, "S3-GRAVE-PENALTY")


def test_s4_three_broken_commitments_within_730_days_is_serious() -> None:
    three = [record(K.BROKEN_COMMITMENT, age_days=age, severity=S.GENERAL)
             for age in (0, 100, 730)]
    result = cls(*three)
    assert (result.credit_class, result.rule_id) == (SERIOUS, "S4-BROKEN-COMMITMENTS")
    assert len(result.contributing_records) == 3


def test_s4_third_commitment_731_days_old_leaves_two_which_is_general() -> None:
    records_ = [record(K.BROKEN_COMMITMENT, age_days=age, severity=S.GENERAL)
                for age in (0, 100, 731)]
    result = cls(*records_)
    assert (result.credit_class, result.rule_id) == (GENERAL, "G3-BROKEN-COMMITMENTS")


# --- 一般失信 -------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "expected"), [(730, GENERAL), (731, TRUSTWORTHY)])
def test_g1_general_penalty_within_730_days(age: int, expected: CreditClass) -> None:
    result = cls(record(K.ADMINISTRATIVE_PENALTY, age_days=age, severity=S.GENERAL))
    assert result.credit_class is expected


def test_g2_active_abnormal_operation_listing_is_general_until_lifted() -> None:
    listed = record(K.ABNORMAL_OPERATION, age_days=30, severity=S.GENERAL, record_id="AO")
    assert (cls(listed).credit_class, cls(listed).rule_id) == (GENERAL, "G2-ABNORMAL-OPERATION")
    lifted = record(K.ABNORMAL_OPERATION, age_days=30, severity=S.GENERAL,
                    lifted_on=days_ago(1), lift_reason_zh="已补报年报")
    assert cls(lifted).credit_class is TRUSTWORTHY


def test_g4_three_verified_complaints_within_365_days() -> None:
    inside = [record(K.VERIFIED_COMPLAINT, age_days=age) for age in (1, 200, 365)]
    result = cls(*inside)
    assert (result.credit_class, result.rule_id) == (GENERAL, "G4-COMPLAINTS")
    outside = [record(K.VERIFIED_COMPLAINT, age_days=age) for age in (1, 200, 366)]
    result = cls(*outside)
    assert (result.credit_class, result.rule_id) == (MINOR, "M3-COMPLAINT")


@pytest.mark.parametrize(("age", "expected"), [(730, GENERAL), (731, TRUSTWORTHY)])
def test_g5_general_judgment_within_730_days(age: int, expected: CreditClass) -> None:
    assert cls(record(K.COURT_JUDGMENT, age_days=age, severity=S.GENERAL)).credit_class \
        is expected


def test_g6_third_minor_violation_in_a_year_gives_key_attention_and_general_class() -> None:
    result = cls(*[record(K.ADMINISTRATIVE_PENALTY, age_days=age) for age in (10, 100, 365)])
    assert result.repeat.status is RepeatStatus.KEY_ATTENTION
    assert (result.credit_class, result.rule_id) == (GENERAL, "G6-KEY-ATTENTION")


def test_g6_boundary_third_violation_366_days_old_is_only_a_warning() -> None:
    result = cls(*[record(K.ADMINISTRATIVE_PENALTY, age_days=age) for age in (10, 100, 366)])
    assert result.repeat.status is RepeatStatus.WARNING
    assert result.repeat.count == 2
    assert (result.credit_class, result.rule_id) == (MINOR, "M1-MINOR-PENALTY")


# --- 轻微失信 -------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "expected"), [(365, MINOR), (366, TRUSTWORTHY)])
def test_m1_minor_penalty_within_365_days(age: int, expected: CreditClass) -> None:
    assert cls(record(K.ADMINISTRATIVE_PENALTY, age_days=age)).credit_class is expected


@pytest.mark.parametrize(("age", "expected"), [(730, MINOR), (731, TRUSTWORTHY)])
def test_m2_one_broken_commitment_within_730_days(age: int, expected: CreditClass) -> None:
    result = cls(record(K.BROKEN_COMMITMENT, age_days=age, severity=S.GENERAL))
    assert result.credit_class is expected


@pytest.mark.parametrize(("age", "expected"), [(365, MINOR), (366, TRUSTWORTHY)])
def test_m3_verified_complaint_within_365_days(age: int, expected: CreditClass) -> None:
    assert cls(record(K.VERIFIED_COMPLAINT, age_days=age)).credit_class is expected


@pytest.mark.parametrize(("age", "expected"), [(365, MINOR), (366, TRUSTWORTHY)])
def test_m4_minor_judgment_within_365_days(age: int, expected: CreditClass) -> None:
    assert cls(record(K.COURT_JUDGMENT, age_days=age)).credit_class is expected


# --- general behaviour ----------------------------------------------------------------------


def test_the_worst_matching_class_wins_and_names_its_first_rule() -> None:
    result = cls(
        record(K.ADMINISTRATIVE_PENALTY, age_days=5),
        record(K.COURT_JUDGMENT, age_days=5, severity=S.GRAVE, record_id="J1"),
        record(K.ADMINISTRATIVE_PENALTY, age_days=6, severity=S.GRAVE, record_id="P1"),
    )
    assert (result.credit_class, result.rule_id, result.contributing_records) == (
        SERIOUS, "S2-GRAVE-JUDGMENT", ("J1",))


def test_records_dated_after_the_evaluation_day_do_not_count() -> None:
    future = record(K.ADMINISTRATIVE_PENALTY, age_days=-1, severity=S.GRAVE, record_id="F")
    result = cls(future)
    assert result.credit_class is TRUSTWORTHY
    assert [(d.record_id, d.reason) for d in result.disregarded] == [
        ("F", DisregardReason.FUTURE)]


def test_commendations_are_shown_but_never_change_the_class() -> None:
    result = cls(record(K.COMMENDATION, record_id="C1"),
                 record(K.ADMINISTRATIVE_PENALTY, age_days=3, record_id="P"))
    assert result.credit_class is MINOR
    assert ("C1", DisregardReason.INFORMATIONAL) in [
        (d.record_id, d.reason) for d in result.disregarded]


def test_records_of_another_enterprise_are_refused() -> None:
    from credit_factories import credit_code

    with pytest.raises(CreditRecordError):
        classify([record(K.VERIFIED_COMPLAINT),
                  record(K.VERIFIED_COMPLAINT, code=credit_code(2))], AS_OF, rules())


# --- grace period for new business models (包容期) -----------------------------------------

GRACE = EnterpriseFlags(NewBusinessModel(since=date(2023, 9, 1), years=1))


def test_grace_period_minor_violation_does_not_count() -> None:
    result = cls(record(K.ADMINISTRATIVE_PENALTY, age_days=10, record_id="P"), flags=GRACE)
    assert result.credit_class is TRUSTWORTHY
    assert [(d.record_id, d.reason) for d in result.disregarded] == [
        ("P", DisregardReason.GRACE_PERIOD)]


def test_grace_period_general_violation_counts_one_level_lighter() -> None:
    result = cls(record(K.ADMINISTRATIVE_PENALTY, age_days=10, severity=S.GENERAL,
                        record_id="P"), flags=GRACE)
    assert (result.credit_class, result.rule_id) == (MINOR, "M1-MINOR-PENALTY")
    assert [(x.record_id, x.severity, x.counted_as) for x in result.lightened] == [
        ("P", S.GENERAL, S.MINOR)]


def test_grace_period_never_lightens_grave_violations() -> None:
    result = cls(record(K.ADMINISTRATIVE_PENALTY, age_days=10, severity=S.GRAVE), flags=GRACE)
    assert result.credit_class is SERIOUS


def test_grace_period_does_not_cover_kinds_the_rules_do_not_name() -> None:
    result = cls(record(K.BROKEN_COMMITMENT, age_days=10, severity=S.GENERAL), flags=GRACE)
    assert result.credit_class is MINOR


def test_grace_window_boundaries() -> None:
    # covers [2023-09-01, 2024-09-01): first day in, day before out
    first_day = record(K.ADMINISTRATIVE_PENALTY, age_days=(AS_OF - date(2023, 9, 1)).days)
    day_before = record(K.ADMINISTRATIVE_PENALTY, age_days=(AS_OF - date(2023, 8, 31)).days)
    assert cls(first_day, flags=GRACE).credit_class is TRUSTWORTHY
    assert cls(day_before, flags=GRACE).credit_class is MINOR
    last_covered = date(2024, 8, 31)
    flags = EnterpriseFlags(NewBusinessModel(since=date(2023, 9, 1), years=1))
    assert flags.new_business_model is not None
    assert flags.new_business_model.covers(last_covered)
    assert not flags.new_business_model.covers(date(2024, 9, 1))


@pytest.mark.parametrize("years", [0, 4])
def test_grace_period_length_outside_the_rules_is_refused(years: int) -> None:
    with pytest.raises(CreditRecordError):
        cls(flags=EnterpriseFlags(NewBusinessModel(since=date(2023, 1, 1), years=years)))


# --- first-minor-violation no-penalty list (首违不罚) ---------------------------------------


def test_first_listed_minor_violation_is_waived() -> None:
    first = record(K.ADMINISTRATIVE_PENALTY, age_days=20, violation_code="NP-SAMR-001",
                   record_id="V1")
    result = cls(first)
    assert result.credit_class is TRUSTWORTHY
    assert ("V1", DisregardReason.FIRST_MINOR_WAIVED) in [
        (d.record_id, d.reason) for d in result.disregarded]


def test_second_listed_violation_counts_and_raises_a_warning() -> None:
    first = record(K.ADMINISTRATIVE_PENALTY, age_days=200, violation_code="NP-SAMR-001",
                   record_id="V1")
    second = record(K.INSPECTION_VIOLATION, age_days=20, violation_code="NP-SAMR-001",
                    record_id="V2")
    result = cls(first, second)
    assert (result.credit_class, result.contributing_records) == (MINOR, ("V2",))
    assert result.repeat.status is RepeatStatus.WARNING
    assert result.repeat.record_ids == ("V1", "V2")


@pytest.mark.parametrize(("gap", "second_waived"), [(730, False), (731, True)])
def test_no_penalty_lookback_boundary(gap: int, second_waived: bool) -> None:
    first = record(K.ADMINISTRATIVE_PENALTY, age_days=10 + gap, violation_code="NP-TAX-001")
    second = record(K.ADMINISTRATIVE_PENALTY, age_days=10, violation_code="NP-TAX-001",
                    record_id="V2")
    result = cls(first, second)
    waived = ("V2", DisregardReason.FIRST_MINOR_WAIVED) in [
        (d.record_id, d.reason) for d in result.disregarded]
    assert waived is second_waived
    assert result.credit_class is (TRUSTWORTHY if second_waived else MINOR)


def test_unlisted_or_general_violations_are_not_waived() -> None:
    unlisted = record(K.ADMINISTRATIVE_PENALTY, violation_code="NOT-ON-LIST")
    general = record(K.ADMINISTRATIVE_PENALTY, severity=S.GENERAL, violation_code="NP-SAMR-002")
    assert cls(unlisted).credit_class is MINOR
    assert cls(general).credit_class is GENERAL


# --- repeat violations (积累关注) ------------------------------------------------------------


def test_repeat_assessment_counts_minor_and_general_of_the_listed_kinds() -> None:
    records_ = [
        record(K.VERIFIED_COMPLAINT, age_days=3),
        record(K.BROKEN_COMMITMENT, age_days=4, severity=S.GENERAL),
        record(K.COURT_JUDGMENT, age_days=5),  # not a listed kind
        record(K.ADMINISTRATIVE_PENALTY, age_days=6, severity=S.GRAVE),  # not a listed severity
    ]
    assessment = assess_repeat_violations(records_, AS_OF, rules())
    assert (assessment.status, assessment.count) == (RepeatStatus.WARNING, 2)


# --- re-evaluation on arrival ------------------------------------------------------------


def test_a_record_arriving_reclassifies_and_emits_the_change() -> None:
    start = [record(K.COMMENDATION)]
    arrival = add_record(start, record(K.ADMINISTRATIVE_PENALTY, severity=S.GENERAL,
                                       record_id="NEW"), AS_OF, rules())
    assert arrival.classification.credit_class is GENERAL
    assert arrival.changed is not None
    assert (arrival.changed.previous, arrival.changed.current, arrival.changed.rule_id,
            arrival.changed.trigger_record_id) == (
        TRUSTWORTHY, GENERAL, "G1-GENERAL-PENALTY", "NEW")


def test_a_record_that_changes_nothing_emits_no_event() -> None:
    start = [record(K.ADMINISTRATIVE_PENALTY, severity=S.GENERAL)]
    arrival = add_record(start, record(K.VERIFIED_COMPLAINT), AS_OF, rules())
    assert arrival.classification.credit_class is GENERAL
    assert arrival.changed is None
    assert len(arrival.records) == 2
