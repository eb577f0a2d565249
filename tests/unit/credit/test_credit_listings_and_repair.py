"""Blacklist listing and lifting, credit repair, and rules validation (R-CRED-3)."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from credit_factories import AS_OF, CODE, RULES_DOC, record, rules

from yiwang.credit.errors import CreditRulesError, ListingError, RepairNotAllowed
from yiwang.credit.models import (
    CreditClass,
    CreditRecord,
    DisregardReason,
    RecordKind,
    RepairCommitment,
)
from yiwang.credit.rules import parse_rules
from yiwang.credit.services import classify, lift_listing, list_on_blacklist, repair_record

K = RecordKind


def blacklisted(listed_on: date = date(2023, 1, 10)) -> CreditRecord:
    return list_on_blacklist(record_id="BL-1", credit_code=CODE, listed_on=listed_on,
                             source_department="省市场监管局",
                             legal_basis="《严重违法失信名单管理办法》第二条",
                             reason_zh="生产销售假药,情节严重")


def test_listing_makes_the_enterprise_seriously_dishonest_with_reason_and_date() -> None:
    listing = blacklisted()
    assert (listing.kind, listing.occurred_on, listing.summary_zh) == (
        K.BLACKLIST_LISTING, date(2023, 1, 10), "生产销售假药,情节严重")
    assert classify([listing], AS_OF, rules()).credit_class is CreditClass.SERIOUS_DISHONESTY


def test_listing_needs_a_reason() -> None:
    with pytest.raises(ListingError):
        list_on_blacklist(record_id="X", credit_code=CODE, listed_on=AS_OF, source_department="d",
                          legal_basis="b", reason_zh="  ")


def test_lifting_after_the_minimum_period_restores_the_class() -> None:
    listing = blacklisted()
    lifted_on = listing.occurred_on + timedelta(days=365)
    lifted = lift_listing(listing, lifted_on=lifted_on, reason_zh="已整改并完成信用修复",
                          rules=rules())
    assert (lifted.lifted_on, lifted.lift_reason_zh) == (lifted_on, "已整改并完成信用修复")
    assert classify([lifted], AS_OF, rules()).credit_class is CreditClass.TRUSTWORTHY
    # the day before lifting it still counted
    assert classify([lifted], lifted_on - timedelta(days=1), rules()).credit_class \
        is CreditClass.SERIOUS_DISHONESTY


def test_lifting_before_the_minimum_period_is_refused() -> None:
    listing = blacklisted()
    with pytest.raises(ListingError, match="365"):
        lift_listing(listing, lifted_on=listing.occurred_on + timedelta(days=364),
                     reason_zh="申请移出", rules=rules())


def test_lifting_twice_or_lifting_a_penalty_is_refused() -> None:
    listing = blacklisted()
    lifted = lift_listing(listing, lifted_on=AS_OF, reason_zh="移出", rules=rules())
    with pytest.raises(ListingError):
        lift_listing(lifted, lifted_on=AS_OF, reason_zh="再次", rules=rules())
    with pytest.raises(ListingError):
        lift_listing(record(K.ADMINISTRATIVE_PENALTY), lifted_on=AS_OF, reason_zh="x",
                     rules=rules())


def commitment(on: date) -> RepairCommitment:
    return RepairCommitment(published_on=on, text_zh="本企业承诺依法经营,如违反愿接受惩戒",
                            publication_ref="信用中国(山东) 2024-0001")


@pytest.mark.parametrize(("elapsed", "allowed"), [(89, False), (90, True)])
def test_minor_penalty_can_be_repaired_after_90_days(elapsed: int, allowed: bool) -> None:
    penalty = record(K.ADMINISTRATIVE_PENALTY, age_days=100, record_id="P")
    on = penalty.occurred_on + timedelta(days=elapsed)
    if not allowed:
        with pytest.raises(RepairNotAllowed, match="90"):
            repair_record(penalty, commitment(on), rules())
        return
    repaired = repair_record(penalty, commitment(on), rules())
    assert repaired.repaired_on == on
    result = classify([repaired], AS_OF, rules())
    assert result.credit_class is CreditClass.TRUSTWORTHY
    assert [(d.record_id, d.reason) for d in result.disregarded] == [
        ("P", DisregardReason.REPAIRED)]


def test_repair_counts_only_from_its_publication_day() -> None:
    penalty = record(K.ADMINISTRATIVE_PENALTY, age_days=100)
    repaired = repair_record(penalty, commitment(AS_OF), rules())
    assert classify([repaired], AS_OF - timedelta(days=1), rules()).credit_class \
        is CreditClass.MINOR_DISHONESTY


def test_general_penalty_needs_365_days() -> None:
    from yiwang.credit.models import Severity

    penalty = record(K.ADMINISTRATIVE_PENALTY, age_days=400, severity=Severity.GENERAL)
    with pytest.raises(RepairNotAllowed):
        repair_record(penalty, commitment(penalty.occurred_on + timedelta(days=364)), rules())
    assert repair_record(penalty, commitment(penalty.occurred_on + timedelta(days=365)),
                         rules()).repaired_on is not None


def test_grave_records_and_listings_cannot_be_repaired_by_commitment() -> None:
    from yiwang.credit.models import Severity

    grave = record(K.ADMINISTRATIVE_PENALTY, age_days=2000, severity=Severity.GRAVE)
    with pytest.raises(RepairNotAllowed):
        repair_record(grave, commitment(AS_OF), rules())
    with pytest.raises(RepairNotAllowed):
        repair_record(blacklisted(), commitment(AS_OF), rules())


def test_repair_needs_a_published_commitment_and_happens_once() -> None:
    penalty = record(K.ADMINISTRATIVE_PENALTY, age_days=200)
    with pytest.raises(RepairNotAllowed):
        repair_record(penalty, RepairCommitment(AS_OF, "承诺", publication_ref=""), rules())
    repaired = repair_record(penalty, commitment(AS_OF), rules())
    with pytest.raises(RepairNotAllowed):
        repair_record(repaired, commitment(AS_OF), rules())


# --- the rules document is validated ---------------------------------------------------------


def mutated(path: list[Any], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(RULES_DOC)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["rules", 0, "condition", "kinds"], ["no_such_kind"], "kinds"),
        (["rules", 1, "id"], "S1-BLACKLIST", "duplicate"),
        (["rules", 0, "condition", "window_days"], 30, "active_listing"),
        (["rules", 1, "condition", "severities"], ["catastrophic"], "severit"),
        (["rules", 1, "class"], "很好", "class"),
        (["rules", 2, "condition", "at_least"], 0, "at_least"),
        (["repeat_violations", "key_attention_at"], 2, "key_attention_at"),
        (["grace_period", "max_years"], 0, "max_years"),
        (["commitments", "post_check_share"], "1.5", "post_check_share"),
    ],
)
def test_invalid_rules_are_refused_naming_the_place(path: list[Any], value: Any,
                                                     message: str) -> None:
    with pytest.raises(CreditRulesError, match=message):
        parse_rules(mutated(path, value))


def test_rule_order_does_not_change_the_class() -> None:
    doc = copy.deepcopy(RULES_DOC)
    doc["rules"].reverse()
    reversed_rules = parse_rules(doc)
    records = [record(K.ADMINISTRATIVE_PENALTY, age_days=5),
               record(K.BROKEN_COMMITMENT, age_days=5), record(K.BROKEN_COMMITMENT, age_days=6)]
    assert classify(records, AS_OF, reversed_rules).credit_class \
        is classify(records, AS_OF, rules()).credit_class is CreditClass.GENERAL_DISHONESTY
