"""Credit context: records, classes, commitments, blacklist and repair (plan 9, R-CRED-1..3).

Public API (pure functions over immutable values):

* rules: :func:`yiwang.credit.rules.parse_rules`, :func:`yiwang.credit.rules.load_rules_text`
* classification: :func:`yiwang.credit.services.classify`, :func:`~.services.add_record`,
  :func:`~.services.assess_repeat_violations`
* listings and repair: :func:`~.services.list_on_blacklist`, :func:`~.services.lift_listing`,
  :func:`~.services.repair_record`
* commitments: :func:`yiwang.credit.commitments.decide_with_commitment`,
  :func:`~.commitments.post_check_sample`, :func:`~.commitments.apply_post_check`
"""

from yiwang.credit.commitments import apply_post_check, decide_with_commitment, post_check_sample
from yiwang.credit.models import (
    Classification,
    CreditClass,
    CreditRecord,
    EnterpriseFlags,
    NewBusinessModel,
    RecordKind,
    Severity,
)
from yiwang.credit.rules import CreditRules, load_rules_text, parse_rules
from yiwang.credit.services import (
    add_record,
    assess_repeat_violations,
    classify,
    lift_listing,
    list_on_blacklist,
    repair_record,
)

__all__ = [
    "Classification",
    "CreditClass",
    "CreditRecord",
    "CreditRules",
    "EnterpriseFlags",
    "NewBusinessModel",
    "RecordKind",
    "Severity",
    "add_record",
    "apply_post_check",
    "assess_repeat_violations",
    "classify",
    "decide_with_commitment",
    "lift_listing",
    "list_on_blacklist",
    "load_rules_text",
    "parse_rules",
    "post_check_sample",
    "repair_record",
]
