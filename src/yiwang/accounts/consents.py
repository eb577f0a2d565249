"""Consent requests a signed-in person answers (本人确认): the applications that name them as
legal representative or shareholder. Only the named person sees or answers a request."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from yiwang.accounts import policy
from yiwang.accounts.authority import is_token
from yiwang.accounts.errors import Forbidden
from yiwang.accounts.identity_models import ConsentRequest
from yiwang.accounts.identity_ports import IdentityStore
from yiwang.accounts.models import Account
from yiwang.accounts.proof_errors import ConsentNotFound
from yiwang.identity.consent import ConsentStatus

log = logging.getLogger(__name__)


def _person(account: Account) -> str:
    # A person answers for themself: not an enterprise account, not staff.
    if not policy.allows(account, policy.Action.ANSWER_CONSENTS) or not account.subject_id:
        raise Forbidden("只有被列明的本人可以确认", "only the person named may answer")
    return account.subject_id


class ConsentServices:
    def __init__(self, store: IdentityStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def of_person(self, account: Account) -> Sequence[ConsentRequest]:
        return self.store.consents_of_person(_person(account))

    def answer(self, account: Account, consent_id: str, confirm: bool) -> ConsentRequest:
        """Confirm or decline; an answer is final (a declined request stays declined, so the
        case needs a new application)."""
        person = _person(account)
        if not is_token(consent_id):
            raise ConsentNotFound()
        status = ConsentStatus.CONFIRMED if confirm else ConsentStatus.DECLINED
        answered = self.store.answer_consent(consent_id, person, status, self.clock())
        if answered is None:
            raise ConsentNotFound()
        log.info("consent %s answered: %s", consent_id[:12], answered.status.value)
        return answered

    def of_case(self, case_id: str) -> Sequence[ConsentRequest]:
        """The consent state of a case (for the people who may see the case)."""
        return self.store.consents_of_case(case_id[:40])
