"""Credit classes for the people they concern (R-CRED-1): an enterprise sees its own class
with the rule and the records behind it; staff see the class of an enterprise applicant on
the task page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang import schemas as s
from yiwang.accounts import policy
from yiwang.accounts.models import Account
from yiwang.credit.errors import NotAnEnterprise
from yiwang.credit.models import CreditRecord
from yiwang.identity.numbers import is_valid_credit_code

if TYPE_CHECKING:  # typing only: the composition root
    from yiwang.bootstrap import Services


def is_enterprise(subject_id: str | None) -> bool:
    return bool(subject_id) and is_valid_credit_code(subject_id or "")


def credit_public(services: Services, credit_code: str) -> s.CreditPublic:
    platform = services.platform
    classification = platform.credit.classification(credit_code)
    with platform.unit_of_work(read_only=True) as uow:
        records: list[CreditRecord] = list(uow.credit.records(credit_code))
    contributing = set(classification.contributing_records)
    return s.CreditPublic(
        credit_code=credit_code,
        as_of=classification.as_of,
        credit_class=classification.credit_class.value,
        credit_class_en=classification.credit_class.english,
        rule_id=classification.rule_id,
        rule_text_zh=classification.rule_text_zh,
        rules_version=classification.rules_version,
        records=[
            s.CreditRecordPublic(
                record_id=r.record_id,
                kind=r.kind.value,
                kind_zh=r.kind.label_zh,
                severity=r.severity.value if r.severity else None,
                occurred_on=r.occurred_on,
                source_department=r.source_department,
                legal_basis=r.legal_basis,
                summary_zh=r.summary_zh,
                contributing=r.record_id in contributing,
            )
            for r in sorted(records, key=lambda r: (r.record_id not in contributing, r.occurred_on), reverse=False)
        ],
    )


def own_credit(services: Services, account: Account) -> s.CreditPublic:
    if not policy.allows(account, policy.Action.READ_OWN_CREDIT) or not is_enterprise(account.subject_id):
        raise NotAnEnterprise()
    assert account.subject_id is not None
    return credit_public(services, account.subject_id)
