"""Credit classification and the operations on a credit file (pure functions).

* :func:`classify` derives the class of an enterprise from its records under the declared
  rules, with the rule and records that produced it and every record it set aside and why.
* :func:`add_record` is the re-evaluation on arrival: it returns the new classification and
  a :class:`CreditClassChanged` event when the class moved.
* :func:`list_on_blacklist` / :func:`lift_listing` and :func:`repair_record` change a record
  the way the rules allow, returning a new record (records are never mutated).

How records are counted, in this order:

1. dated after ``as_of`` → not counted (``future``);
2. repaired on or before ``as_of`` → not counted (``repaired``);
3. in a new-business-model grace window and of a kind the grace policy names → counted one
   severity level lighter; a minor one is not counted at all (``grace_period``), not even for
   repeat violations (包容期内允许试错); a grave one keeps its severity when the policy keeps
   grave (the safety floor);
4. first minor violation on the no-penalty list (no earlier record with the same
   ``violation_code`` within ``lookback_days`` before it) → not counted for the class
   (``first_minor_waived``), but kept for the repeat-violation counter: a second one is what
   triggers the warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from yiwang.credit.errors import CreditRecordError, ListingError, RepairNotAllowed
from yiwang.credit.models import (
    LISTING_KINDS,
    Classification,
    CreditClassChanged,
    CreditRecord,
    DisregardedRecord,
    DisregardReason,
    EnterpriseFlags,
    LightenedRecord,
    RecordKind,
    RepairCommitment,
    RepeatAssessment,
    RepeatStatus,
    Severity,
)
from yiwang.credit.rules import ClassRule, Condition, CreditRules


@dataclass(frozen=True, slots=True)
class _Counted:
    record: CreditRecord
    severity: Severity | None  # effective severity (after grace lightening)


def _sorted(records: Iterable[CreditRecord]) -> list[CreditRecord]:
    return sorted(records, key=lambda r: (r.occurred_on, r.record_id))


def _single_code(records: Sequence[CreditRecord], credit_code: str | None) -> str:
    codes = {record.credit_code for record in records}
    if credit_code is not None:
        codes.add(credit_code)
    if len(codes) > 1:
        raise CreditRecordError(
            f"信用记录属于多个主体 {sorted(codes)} / records belong to several enterprises"
        )
    if not codes:
        raise CreditRecordError("未提供统一社会信用代码 / no credit code given")
    return codes.pop()


def _check_flags(flags: EnterpriseFlags, rules: CreditRules) -> None:
    model = flags.new_business_model
    if model is not None and not rules.grace.min_years <= model.years <= rules.grace.max_years:
        raise CreditRecordError(
            f"包容期 {model.years} 年超出规则允许的 {rules.grace.min_years}-"
            f"{rules.grace.max_years} 年 / grace period of {model.years} years outside "
            f"{rules.grace.min_years}-{rules.grace.max_years}"
        )


def waived_first_violations(records: Iterable[CreditRecord], rules: CreditRules) -> set[str]:
    """Ids of records waived as first minor violations on the no-penalty list (首违不罚)."""
    policy = rules.no_penalty
    codes = policy.codes()
    waived: set[str] = set()
    history: dict[str, list[date]] = {}
    for record in _sorted(records):
        code = record.violation_code
        if code is None:
            continue
        earlier = history.setdefault(code, [])
        is_first = all((record.occurred_on - day).days > policy.lookback_days for day in earlier)
        if (
            is_first
            and code in codes
            and record.kind in policy.kinds
            and record.severity is Severity.MINOR
        ):
            waived.add(record.record_id)
        earlier.append(record.occurred_on)
    return waived


def _in_window(record: CreditRecord, as_of: date, window_days: int | None) -> bool:
    age = (as_of - record.occurred_on).days
    return age >= 0 and (window_days is None or age <= window_days)


def _partition(
    records: Sequence[CreditRecord], as_of: date, rules: CreditRules, flags: EnterpriseFlags
) -> tuple[list[_Counted], list[_Counted], list[DisregardedRecord], list[LightenedRecord]]:
    """Split records into (counted for the class, counted for repeats, disregarded, lightened)."""
    waived = waived_first_violations(records, rules)
    grace_model = flags.new_business_model
    counted: list[_Counted] = []
    repeat_pool: list[_Counted] = []
    disregarded: list[DisregardedRecord] = []
    lightened: list[LightenedRecord] = []
    for record in _sorted(records):
        if record.occurred_on > as_of:
            disregarded.append(DisregardedRecord(record.record_id, DisregardReason.FUTURE))
            continue
        if record.repaired_on is not None and record.repaired_on <= as_of:
            disregarded.append(DisregardedRecord(record.record_id, DisregardReason.REPAIRED))
            continue
        severity = record.severity
        if (
            grace_model is not None
            and record.kind in rules.grace.kinds
            and grace_model.covers(record.occurred_on)
            and severity is not None
            and not (severity is Severity.GRAVE and rules.grace.keep_grave)
        ):
            lighter = severity.lighter()
            if lighter is None:
                disregarded.append(
                    DisregardedRecord(record.record_id, DisregardReason.GRACE_PERIOD)
                )
                continue
            lightened.append(LightenedRecord(record.record_id, severity, lighter))
            severity = lighter
        entry = _Counted(record, severity)
        repeat_pool.append(entry)
        if record.record_id in waived:
            disregarded.append(
                DisregardedRecord(record.record_id, DisregardReason.FIRST_MINOR_WAIVED)
            )
            continue
        counted.append(entry)
    return counted, repeat_pool, disregarded, lightened


def _assess_repeat(pool: Sequence[_Counted], as_of: date, rules: CreditRules) -> RepeatAssessment:
    policy = rules.repeat
    hits = [
        entry.record.record_id
        for entry in pool
        if entry.record.kind in policy.kinds
        and entry.severity in policy.severities
        and _in_window(entry.record, as_of, policy.window_days)
    ]
    if len(hits) >= policy.key_attention_at:
        status = RepeatStatus.KEY_ATTENTION
    elif len(hits) >= policy.warning_at:
        status = RepeatStatus.WARNING
    else:
        status = RepeatStatus.NONE
    return RepeatAssessment(status, len(hits), tuple(hits))


def assess_repeat_violations(
    records: Sequence[CreditRecord],
    as_of: date,
    rules: CreditRules,
    flags: EnterpriseFlags | None = None,
) -> RepeatAssessment:
    """Warning (提醒约谈) then key-attention listing (重点关注) for repeated violations."""
    flags = flags or EnterpriseFlags()
    _check_flags(flags, rules)
    _, pool, _, _ = _partition(records, as_of, rules, flags)
    return _assess_repeat(pool, as_of, rules)


def _matches(
    condition: Condition, counted: Sequence[_Counted], as_of: date, repeat: RepeatAssessment
) -> tuple[bool, tuple[str, ...]]:
    if condition.repeat_status is not None:
        order = [RepeatStatus.NONE, RepeatStatus.WARNING, RepeatStatus.KEY_ATTENTION]
        hit = order.index(repeat.status) >= order.index(condition.repeat_status)
        return hit, repeat.record_ids if hit else ()
    ids: list[str] = []
    for entry in counted:
        record = entry.record
        if record.kind not in condition.kinds:
            continue
        if condition.severities is not None and entry.severity not in condition.severities:
            continue
        if condition.active_listing:
            if not record.is_listing_active(as_of):
                continue
        elif not _in_window(record, as_of, condition.window_days):
            continue
        ids.append(record.record_id)
    hit = len(ids) >= condition.at_least
    return hit, tuple(ids) if hit else ()


def classify(
    records: Sequence[CreditRecord],
    as_of: date,
    rules: CreditRules,
    flags: EnterpriseFlags | None = None,
    *,
    credit_code: str | None = None,
) -> Classification:
    """Classify one enterprise on ``as_of`` from its records under ``rules``.

    ``credit_code`` is needed only when ``records`` is empty.
    """
    flags = flags or EnterpriseFlags()
    _check_flags(flags, rules)
    code = _single_code(records, credit_code)
    counted, pool, disregarded, lightened = _partition(records, as_of, rules, flags)
    repeat = _assess_repeat(pool, as_of, rules)
    best: tuple[ClassRule, tuple[str, ...]] | None = None
    for rule in rules.rules:
        hit, ids = _matches(rule.condition, counted, as_of, repeat)
        if hit and (best is None or rule.credit_class.is_worse_than(best[0].credit_class)):
            best = (rule, ids)
    counted_ids = {entry.record.record_id for entry in counted}
    disregarded.extend(
        DisregardedRecord(record.record_id, DisregardReason.INFORMATIONAL)
        for record in _sorted(records)
        if record.kind is RecordKind.COMMENDATION and record.record_id in counted_ids
    )
    if best is None:
        return Classification(
            credit_code=code,
            as_of=as_of,
            credit_class=rules.default_class,
            rule_id=rules.default_rule_id,
            rule_text_zh=rules.default_text_zh,
            rules_version=rules.version,
            contributing_records=(),
            disregarded=tuple(disregarded),
            lightened=tuple(lightened),
            repeat=repeat,
        )
    rule, ids = best
    return Classification(
        credit_code=code,
        as_of=as_of,
        credit_class=rule.credit_class,
        rule_id=rule.rule_id,
        rule_text_zh=rule.text_zh,
        rules_version=rules.version,
        contributing_records=ids,
        disregarded=tuple(disregarded),
        lightened=tuple(lightened),
        repeat=repeat,
    )


@dataclass(frozen=True, slots=True)
class RecordArrival:
    """Result of :func:`add_record`: the file after the record, its class, and the events."""

    records: tuple[CreditRecord, ...]
    classification: Classification
    changed: CreditClassChanged | None


def add_record(
    records: Sequence[CreditRecord],
    new_record: CreditRecord,
    as_of: date,
    rules: CreditRules,
    flags: EnterpriseFlags | None = None,
) -> RecordArrival:
    """Add a record (or replace the record with the same id) and re-evaluate the class."""
    previous = (
        classify(records, as_of, rules, flags, credit_code=new_record.credit_code)
        if records
        else None
    )
    kept = tuple(r for r in records if r.record_id != new_record.record_id)
    updated = (*kept, new_record)
    current = classify(updated, as_of, rules, flags)
    before = previous.credit_class if previous is not None else None
    changed = None
    if before is not current.credit_class:
        changed = CreditClassChanged(
            credit_code=new_record.credit_code,
            as_of=as_of,
            previous=before,
            current=current.credit_class,
            rule_id=current.rule_id,
            trigger_record_id=new_record.record_id,
        )
    return RecordArrival(updated, current, changed)


def list_on_blacklist(
    *,
    record_id: str,
    credit_code: str,
    listed_on: date,
    source_department: str,
    legal_basis: str,
    reason_zh: str,
) -> CreditRecord:
    """List an enterprise on the dishonesty blacklist (失信黑名单) for a grave case."""
    if not reason_zh.strip():
        raise ListingError(
            f"列入黑名单须说明理由 ({credit_code}) / a blacklist listing needs a reason"
        )
    return CreditRecord(
        record_id=record_id,
        credit_code=credit_code,
        kind=RecordKind.BLACKLIST_LISTING,
        occurred_on=listed_on,
        source_department=source_department,
        legal_basis=legal_basis,
        severity=Severity.GRAVE,
        summary_zh=reason_zh,
    )


def lift_listing(
    record: CreditRecord, *, lifted_on: date, reason_zh: str, rules: CreditRules
) -> CreditRecord:
    """Lift a blacklist or abnormal-operation listing, with the reason and date."""
    if record.kind not in LISTING_KINDS:
        raise ListingError(
            f"记录 {record.record_id} 不是名单类记录 / record {record.record_id} is not a listing"
        )
    if record.lifted_on is not None:
        raise ListingError(
            f"记录 {record.record_id} 已于 {record.lifted_on} 移出 / record "
            f"{record.record_id} was already lifted on {record.lifted_on}"
        )
    if not reason_zh.strip():
        raise ListingError(
            f"移出名单须说明理由 ({record.record_id}) / lifting needs a reason"
        )
    listed_days = (lifted_on - record.occurred_on).days
    minimum = (
        rules.blacklist_min_listing_days if record.kind is RecordKind.BLACKLIST_LISTING else 0
    )
    if listed_days < minimum:
        raise ListingError(
            f"记录 {record.record_id} 列入仅 {listed_days} 天,未满 {minimum} 天 / record "
            f"{record.record_id} listed {listed_days} days, the rules require {minimum}"
        )
    return replace(record, lifted_on=lifted_on, lift_reason_zh=reason_zh)


def repair_record(
    record: CreditRecord, commitment: RepairCommitment, rules: CreditRules
) -> CreditRecord:
    """Credit repair (信用修复) by a published commitment, after the period the rules set.

    The record stays on file; from ``commitment.published_on`` on it no longer counts.
    """
    if record.repaired_on is not None:
        raise RepairNotAllowed(
            f"记录 {record.record_id} 已于 {record.repaired_on} 修复 / record "
            f"{record.record_id} was already repaired"
        )
    if not commitment.text_zh.strip() or not commitment.publication_ref.strip():
        raise RepairNotAllowed(
            f"记录 {record.record_id}: 修复承诺须按规定格式公开 / the repair commitment must "
            "be published (text and publication reference)"
        )
    rule = rules.repair_rule_for(record.kind, record.severity)
    if rule is None:
        severity = record.severity.value if record.severity else "-"
        raise RepairNotAllowed(
            f"记录 {record.record_id} ({record.kind.label_zh}, {severity}) 不可修复 / record "
            f"{record.record_id} of kind {record.kind.value} and severity {severity} cannot be "
            "repaired under the rules"
        )
    elapsed = (commitment.published_on - record.occurred_on).days
    if elapsed < rule.min_days:
        raise RepairNotAllowed(
            f"记录 {record.record_id} 发生后仅 {elapsed} 天,须满 {rule.min_days} 天方可修复 / "
            f"record {record.record_id}: {elapsed} days elapsed, repair allowed after "
            f"{rule.min_days}"
        )
    return replace(
        record,
        repaired_on=commitment.published_on,
        repair_commitment_ref=commitment.publication_ref,
    )
