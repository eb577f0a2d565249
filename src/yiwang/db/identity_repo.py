"""Storage of proven identity (`yiwang.accounts.identity_ports.IdentityStore`): sign-up
challenges, enterprise authorisations, consent requests, and the registry reads they need."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from yiwang.accounts.errors import AccountExists
from yiwang.accounts.identity_models import Authorisation, Challenge, ConsentRequest
from yiwang.db import tables as t
from yiwang.db import tables_identity as ti
from yiwang.db import tables_web as w
from yiwang.db.counters import next_counter
from yiwang.db.engine import read_connection
from yiwang.db.registries_repo import AccessLog
from yiwang.identity.consent import ROLE_LABELS, ConsentStatus, role_of
from yiwang.registries.models import AccessRecord


def _grant(row: Row[Any]) -> Authorisation:
    return Authorisation(
        id=row.id,
        credit_code=row.credit_code,
        agent_id=row.agent_id,
        agent_name=row.agent_name,
        scopes=frozenset(row.scopes),
        granted_by=row.granted_by,
        granted_at=row.granted_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def _consent(row: Row[Any]) -> ConsentRequest:
    zh, en = ROLE_LABELS[role_of(str(row.role))]
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


def _signup_counts(connection: Connection, id_number: str, phone: str, client_ip: str, since: datetime) -> tuple[int, int, int]:
    table = ti.signup_challenges
    row = connection.execute(
        select(
            func.count().filter(table.c.id_number == id_number),
            func.count().filter(table.c.phone == phone),
            func.count().filter(table.c.client_ip == client_ip),
        ).where(
            table.c.created_at > since,
            (table.c.id_number == id_number) | (table.c.phone == phone) | (table.c.client_ip == client_ip),
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def _log(connection: Connection, reads: Sequence[AccessRecord]) -> None:
    log = AccessLog(connection, deferred=True)
    for record in reads:
        log.append(record)
    log.flush()


_CONSENTS = select(
    ti.identity_consents, t.cases.c.tracking_number, t.cases.c.subject_code, t.cases.c.applicant_name
).join(t.cases, t.cases.c.id == ti.identity_consents.c.case_id)


class SqlIdentityStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- registries ------------------------------------------------------------------------

    def person(self, id_number: str) -> tuple[str, str] | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(t.people.c.name, t.people.c.phone).where(t.people.c.id_number == id_number)
            ).first()
        return None if row is None else (str(row.name), str(row.phone))

    def legal_rep_of(self, credit_code: str) -> str | None:
        with read_connection(self.engine) as connection:
            value = connection.execute(
                select(t.enterprises.c.legal_rep_id).where(t.enterprises.c.credit_code == credit_code)
            ).scalar()
        return None if value is None else str(value)

    def enterprise_name(self, credit_code: str) -> str | None:
        with read_connection(self.engine) as connection:
            value = connection.execute(
                select(t.enterprises.c.name).where(t.enterprises.c.credit_code == credit_code)
            ).scalar()
        return None if value is None else str(value)

    # --- sign-up -----------------------------------------------------------------------------

    def signup_counts(self, id_number: str, phone: str, client_ip: str, since: datetime) -> tuple[int, int, int]:
        with read_connection(self.engine) as connection:
            return _signup_counts(connection, id_number, phone, client_ip, since)

    def username_taken(self, username: str) -> bool:
        with read_connection(self.engine) as connection:
            return connection.execute(select(w.accounts.c.id).where(w.accounts.c.username == username)).first() is not None

    def add_challenge(
        self,
        values: Mapping[str, Any],
        since: datetime,
        check: Callable[[tuple[int, int, int]], None],
        message: Mapping[str, Any],
        reads: Sequence[AccessRecord],
    ) -> None:
        id_number, phone, client_ip = str(values["id_number"]), str(values["phone"]), str(values["client_ip"])
        with self.engine.begin() as connection:
            # Queue behind any other sign-up for this ID number, phone or address: on
            # PostgreSQL the counter rows' locks are held to the commit (taken in name order,
            # so no two sign-ups wait on each other crosswise); on SQLite the transaction
            # already holds the write lock (BEGIN IMMEDIATE). The count read next includes
            # every challenge committed before, so a burst cannot pass a limit together.
            for name in sorted({f"signup:id:{id_number[:60]}", f"signup:phone:{phone[:60]}", f"signup:ip:{client_ip[:64]}"}):
                next_counter(connection, name)
            check(_signup_counts(connection, id_number, phone, client_ip, since))
            connection.execute(insert(ti.signup_challenges), dict(values))
            connection.execute(insert(ti.outbox), dict(message))
            # Last before the commit, as a unit of work's deferred log: the head row stays
            # locked for the commit only, not for the whole sign-up.
            _log(connection, reads)

    def count_guess(self, challenge_id: str, max_attempts: int, now: datetime) -> Challenge | None:
        table = ti.signup_challenges
        with self.engine.begin() as connection:
            # Conditional, so concurrent guesses cannot exceed the limit.
            counted = connection.execute(
                update(table)
                .where(
                    table.c.id == challenge_id,
                    table.c.attempts < max_attempts,
                    table.c.consumed_at.is_(None),
                    table.c.expires_at > now,
                )
                .values(attempts=table.c.attempts + 1)
            ).rowcount
            row = connection.execute(select(table).where(table.c.id == challenge_id)).first() if counted else None
        if row is None:
            return None
        return Challenge(
            row.id, row.kind, row.id_number, row.name, row.phone, row.credit_code or "", row.code_hash, bool(row.backed)
        )

    def create_account(
        self, challenge_id: str, now: datetime, values: Mapping[str, Any], reads: Sequence[AccessRecord] = ()
    ) -> int | None:
        table = ti.signup_challenges
        try:
            with self.engine.begin() as connection:
                consumed = connection.execute(
                    update(table).where(table.c.id == challenge_id, table.c.consumed_at.is_(None)).values(consumed_at=now)
                ).rowcount
                if not consumed:
                    return None
                new_id = connection.execute(insert(w.accounts).returning(w.accounts.c.id), dict(values)).scalar_one()
                _log(connection, reads)
        except IntegrityError as error:
            raise AccountExists() from error
        return int(new_id)

    # --- authorisations ----------------------------------------------------------------------

    def grants(self, credit_code: str, agent_id: str | None = None) -> Sequence[Authorisation]:
        table = ti.enterprise_authorisations
        query = select(table).where(table.c.credit_code == credit_code)
        if agent_id is not None:
            query = query.where(table.c.agent_id == agent_id)
        with read_connection(self.engine) as connection:
            rows = connection.execute(query.order_by(table.c.granted_at.desc(), table.c.id)).all()
        return [_grant(row) for row in rows]

    def add_grant(self, values: Mapping[str, Any]) -> Authorisation:
        table = ti.enterprise_authorisations
        with self.engine.begin() as connection:
            connection.execute(insert(table), dict(values))
            row = connection.execute(select(table).where(table.c.id == values["id"])).one()
        return _grant(row)

    def revoke_grant(self, grant_id: str, credit_code: str, now: datetime, by: str) -> Authorisation | None:
        table = ti.enterprise_authorisations
        mine = (table.c.id == grant_id, table.c.credit_code == credit_code)
        with self.engine.begin() as connection:
            connection.execute(update(table).where(*mine, table.c.revoked_at.is_(None)).values(revoked_at=now, revoked_by=by))
            row = connection.execute(select(table).where(*mine)).first()
        return None if row is None else _grant(row)

    # --- consent -------------------------------------------------------------------------------

    def consents_of_person(self, person_id: str) -> Sequence[ConsentRequest]:
        table = ti.identity_consents
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                _CONSENTS.where(table.c.person_id == person_id, table.c.status != ConsentStatus.UNPROVED.value).order_by(
                    table.c.requested_at.desc()
                )
            ).all()
        return [_consent(row) for row in rows]

    def answer_consent(self, consent_id: str, person_id: str, status: ConsentStatus, now: datetime) -> ConsentRequest | None:
        table = ti.identity_consents
        with self.engine.begin() as connection:
            # Only a pending request changes: an answer is final.
            connection.execute(
                update(table)
                .where(table.c.id == consent_id, table.c.person_id == person_id, table.c.status == ConsentStatus.PENDING.value)
                .values(status=status.value, answered_at=now)
            )
            row = connection.execute(
                _CONSENTS.where(
                    table.c.id == consent_id, table.c.person_id == person_id, table.c.status != ConsentStatus.UNPROVED.value
                )
            ).first()
        return None if row is None else _consent(row)

    def consents_of_case(self, case_id: str) -> Sequence[ConsentRequest]:
        table = ti.identity_consents
        with read_connection(self.engine) as connection:
            rows = connection.execute(_CONSENTS.where(table.c.case_id == case_id).order_by(table.c.role)).all()
        return [_consent(row) for row in rows]
