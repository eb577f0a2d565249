"""Consent requests a signed-in person answers (本人确认): the applications that name them as
legal representative or shareholder. Only the named person sees or answers a request."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, select, update

from yiwang.accounts.errors import Forbidden
from yiwang.accounts.models import Account, Role
from yiwang.accounts.proof_errors import ConsentNotFound
from yiwang.accounts.signup import is_token
from yiwang.db import tables as t
from yiwang.db import tables_identity as ti
from yiwang.db.engine import read_connection
from yiwang.identity.consent import ROLE_LABELS, ConsentStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    id: str
    case_id: str
    tracking_number: str
    subject_code: str
    applicant_name: str
    role: str
    role_zh: str
    role_en: str
    stated_name: str
    status: ConsentStatus
    requested_at: datetime
    answered_at: datetime | None


def _row(row: Row[Any]) -> ConsentRequest:
    kind = "legal_rep" if str(row.role).startswith("legal_rep") else "shareholder"
    zh, en = ROLE_LABELS[kind]
    return ConsentRequest(
        id=row.id,
        case_id=row.case_id,
        tracking_number=row.tracking_number,
        subject_code=row.subject_code,
        applicant_name=row.applicant_name,
        role=row.role,
        role_zh=zh,
        role_en=en,
        stated_name=row.stated_name,
        status=ConsentStatus(row.status),
        requested_at=row.requested_at,
        answered_at=row.answered_at,
    )


def _person(account: Account) -> str:
    # A person answers for themself: not an enterprise account, not staff.
    if account.role is not Role.APPLICANT or account.is_enterprise or not account.subject_id:
        raise Forbidden("只有被列明的本人可以确认", "only the person named may answer")
    return account.subject_id


class ConsentServices:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def _query(self) -> Any:
        table = ti.identity_consents
        return select(
            table,
            t.cases.c.tracking_number,
            t.cases.c.subject_code,
            t.cases.c.applicant_name,
        ).join(t.cases, t.cases.c.id == table.c.case_id)

    def of_person(self, account: Account) -> Sequence[ConsentRequest]:
        person = _person(account)
        table = ti.identity_consents
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                self._query()
                .where(table.c.person_id == person, table.c.status != ConsentStatus.UNPROVED.value)
                .order_by(table.c.requested_at.desc())
            ).all()
        return [_row(row) for row in rows]

    def answer(self, account: Account, consent_id: str, confirm: bool) -> ConsentRequest:
        person = _person(account)
        if not is_token(consent_id):
            raise ConsentNotFound()
        table = ti.identity_consents
        status = ConsentStatus.CONFIRMED if confirm else ConsentStatus.DECLINED
        with self.engine.begin() as connection:
            # Only a pending request changes; an answer is final (a declined request stays
            # declined, so the case needs a new application).
            connection.execute(
                update(table)
                .where(
                    table.c.id == consent_id[:40],
                    table.c.person_id == person,
                    table.c.status == ConsentStatus.PENDING.value,
                )
                .values(status=status.value, answered_at=self.clock())
            )
            row = connection.execute(
                self._query().where(
                    table.c.id == consent_id[:40],
                    table.c.person_id == person,
                    table.c.status != ConsentStatus.UNPROVED.value,
                )
            ).first()
        if row is None:
            raise ConsentNotFound()
        log.info("consent %s answered: %s", consent_id[:12], row.status)
        return _row(row)

    def of_case(self, case_id: str) -> Sequence[ConsentRequest]:
        """The consent state of a case (for the people who may see the case)."""
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                self._query().where(ti.identity_consents.c.case_id == case_id).order_by(ti.identity_consents.c.role)
            ).all()
        return [_row(row) for row in rows]
