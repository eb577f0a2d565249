"""Credit commitments (告知承诺制): instant decisions, the post-check draw and its outcome.

* :func:`decide_with_commitment` turns a submission whose missing materials a commitment may
  replace into an instant decision (秒批) recorded as such.
* :func:`post_check_sample` draws the configured share of decisions for a post-check
  (事后核查), deterministically from a seed: rank decisions by SHA-256(seed || "|" ||
  decision_id) and take the first ``ceil(share * n)``, ties broken by decision id.
* :func:`apply_post_check` returns the events of a post-check: a false commitment revokes the
  decision, asks the licences context to revoke the licence it produced, and records a broken
  commitment in the credit file (which :func:`yiwang.credit.services.add_record` re-evaluates).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from yiwang.credit.errors import CommitmentNotAllowed
from yiwang.credit.models import (
    CommitmentDecision,
    CommitmentOption,
    CommitmentSubmission,
    CreditClass,
    CreditRecord,
    CreditRecordAdded,
    DecisionRevoked,
    LicenceRevocationRequested,
    PostCheckEvent,
    PostCheckOutcome,
    PostCheckPassed,
    RecordKind,
)
from yiwang.credit.rules import CreditRules


@dataclass(frozen=True, slots=True)
class CommitmentRefusal:
    """Why someone may not replace proofs by a commitment (国办发〔2020〕42号)."""

    code: str  # "excluded_class" | "unrepaired_false_commitment"
    message_zh: str
    message_en: str


def commitment_refusal(
    records: Sequence[CreditRecord], credit_class: CreditClass, rules: CreditRules, today: date
) -> CommitmentRefusal | None:
    """None when the applicant may commit; otherwise the first reason they may not.

    Excluded are the credit classes the rules list (严重失信), and anyone with a false
    commitment on file that has not been repaired by `today` (国办发〔2020〕42号: 曾作出虚假
    承诺、尚未完成信用修复的，不适用告知承诺制).
    """
    if credit_class in rules.commitments.excluded_classes:
        return CommitmentRefusal(
            "excluded_class",
            f"信用等级为“{credit_class.value}”，不适用告知承诺，请提交材料",
            f"credit class {credit_class.english}: commitments are not accepted; please "
            "provide the materials",
        )
    unrepaired = sorted(
        record.record_id
        for record in records
        if record.kind is RecordKind.BROKEN_COMMITMENT
        and record.occurred_on <= today
        and (record.repaired_on is None or record.repaired_on > today)
    )
    if unrepaired:
        return CommitmentRefusal(
            "unrepaired_false_commitment",
            f"有虚假承诺记录（{'、'.join(unrepaired)}）尚未信用修复，不适用告知承诺，请提交材料",
            f"a false commitment on file ({', '.join(unrepaired)}) has not been repaired: "
            "commitments are not accepted; please provide the materials",
        )
    return None


def decide_with_commitment(
    submission: CommitmentSubmission,
    option: CommitmentOption,
    credit_class: CreditClass,
    rules: CreditRules,
    *,
    decision_id: str,
    licence_id: str | None = None,
    decided_at: datetime | None = None,
) -> CommitmentDecision:
    """Instant approval on a credit commitment, or :class:`CommitmentNotAllowed` with why."""
    if submission.item_id != option.item_id:
        raise CommitmentNotAllowed(
            f"承诺选项属于事项 {option.item_id},申请为 {submission.item_id} / the commitment "
            f"option is for item {option.item_id}, the submission for {submission.item_id}"
        )
    if credit_class in rules.commitments.excluded_classes:
        raise CommitmentNotAllowed(
            f"{submission.credit_code} 信用等级为{credit_class.value},不适用告知承诺 / "
            f"enterprises of class {credit_class.english} may not use credit commitments"
        )
    not_replaceable = sorted(submission.missing_materials - option.replaceable_materials)
    if not_replaceable:
        raise CommitmentNotAllowed(
            f"事项 {option.item_id} 的材料 {not_replaceable} 不能以承诺代替 / materials "
            f"{not_replaceable} of item {option.item_id} cannot be replaced by a commitment"
        )
    if not submission.commitment_text_zh.strip():
        raise CommitmentNotAllowed(
            f"案件 {submission.case_id} 缺少承诺书 / case {submission.case_id}: the "
            "commitment text is missing"
        )
    return CommitmentDecision(
        decision_id=decision_id,
        case_id=submission.case_id,
        item_id=submission.item_id,
        credit_code=submission.credit_code,
        decided_at=decided_at or submission.submitted_at,
        replaced_materials=frozenset(submission.missing_materials),
        commitment_text_zh=submission.commitment_text_zh,
        licence_id=licence_id,
    )


def post_check_key(seed: bytes, decision_id: str) -> bytes:
    """The ranking key of a decision in the post-check draw (documented, reproducible)."""
    return hashlib.sha256(seed + b"|" + decision_id.encode("utf-8")).digest()


def post_check_sample(
    decisions: Sequence[CommitmentDecision], share: Fraction | str, seed: bytes
) -> tuple[CommitmentDecision, ...]:
    """Decisions drawn for a post-check: ``ceil(share * n)`` of them, in ranking order."""
    fraction = Fraction(share)
    if not 0 <= fraction <= 1:
        raise ValueError(f"抽查比例应在0到1之间 / share must be within [0, 1]: {share}")
    ids = [decision.decision_id for decision in decisions]
    if len(set(ids)) != len(ids):
        raise ValueError("决定编号重复 / duplicate decision ids")
    count = math.ceil(fraction * len(decisions))
    ranked = sorted(decisions, key=lambda d: (post_check_key(seed, d.decision_id), d.decision_id))
    return tuple(ranked[:count])


def apply_post_check(
    decision: CommitmentDecision,
    *,
    found_false: bool,
    checked_on: date,
    department: str,
    rules: CreditRules,
    finding_zh: str = "",
    legal_basis: str = "",
) -> PostCheckOutcome:
    """The events of a post-check of one instant decision."""
    if not found_false:
        return PostCheckOutcome(
            decision.decision_id, False, (PostCheckPassed(decision.decision_id, checked_on),), None
        )
    reason = finding_zh.strip() or "事后核查发现承诺内容不实"
    record = CreditRecord(
        record_id=f"BC-{decision.decision_id}",
        credit_code=decision.credit_code,
        kind=RecordKind.BROKEN_COMMITMENT,
        occurred_on=checked_on,
        source_department=department,
        legal_basis=legal_basis or "告知承诺制:承诺不实的,撤销原行政决定并记入信用记录",
        severity=rules.commitments.broken_commitment_severity,
        summary_zh=f"事项 {decision.item_id} 案件 {decision.case_id}: {reason}",
        reference=decision.decision_id,
    )
    events: list[PostCheckEvent] = [
        DecisionRevoked(decision.decision_id, decision.case_id, checked_on, reason)
    ]
    if decision.licence_id is not None:
        events.append(
            LicenceRevocationRequested(decision.licence_id, decision.decision_id, checked_on,
                                       reason)
        )
    events.append(CreditRecordAdded(record))
    return PostCheckOutcome(decision.decision_id, True, tuple(events), record)
