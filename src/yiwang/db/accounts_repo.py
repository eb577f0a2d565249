"""Accounts, sign-in attempts, sessions and API tokens in the database (the port is
`yiwang.accounts.ports.AccountStore`), and the real-name check against the people registry."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from yiwang.accounts.errors import AccountExists
from yiwang.accounts.models import Account, Role
from yiwang.db import tables as t
from yiwang.db import tables_web as w
from yiwang.db.account_security_repo import SqlAccountSecurity
from yiwang.db.engine import read_connection


def _account(row: Row[Any]) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        role=Role(row.role),
        display_name=row.display_name,
        department_code=row.department_code,
        region_code=row.region_code,
        subject_id=row.subject_id,
        agent_id=row.agent_id,
        agent_name=row.agent_name,
        phone=row.phone,
        active=row.active,
    )


class SqlAccountStore(SqlAccountSecurity):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def insert(self, values: Mapping[str, Any]) -> int:
        try:
            with self.engine.begin() as connection:
                new_id = connection.execute(insert(w.accounts).returning(w.accounts.c.id), dict(values)).scalar_one()
        except IntegrityError as error:
            raise AccountExists() from error
        return int(new_id)

    def get(self, account_id: int) -> Account | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(select(w.accounts).where(w.accounts.c.id == account_id)).first()
        return _account(row) if row is not None else None

    def by_username(self, username: str) -> tuple[Account, str] | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(select(w.accounts).where(w.accounts.c.username == username)).first()
        return (_account(row), str(row.password_hash)) if row is not None else None

    def all(self) -> Sequence[Account]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(select(w.accounts).order_by(w.accounts.c.id)).all()
        return [_account(row) for row in rows]

    def active_reviewers(self, department_code: str) -> Sequence[Account]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(w.accounts)
                .where(
                    w.accounts.c.department_code == department_code,
                    w.accounts.c.role.in_([Role.REVIEWER.value, Role.LEAD_REVIEWER.value]),
                    w.accounts.c.active.is_(True),
                )
                .order_by(w.accounts.c.username)
            ).all()
        return [_account(row) for row in rows]

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(w.accounts).where(w.accounts.c.id == account_id).values(password_hash=password_hash))

    def last_success(self, username: str) -> datetime | None:
        with read_connection(self.engine) as connection:
            value = connection.execute(
                select(func.max(w.login_attempts.c.at)).where(
                    w.login_attempts.c.username == username, w.login_attempts.c.succeeded.is_(True)
                )
            ).scalar()
        return value

    def failures_since(self, username: str, since: datetime) -> tuple[int, datetime | None]:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(func.count(), func.max(w.login_attempts.c.at)).where(
                    w.login_attempts.c.username == username,
                    w.login_attempts.c.succeeded.is_(False),
                    w.login_attempts.c.at > since,
                )
            ).one()
        return int(row[0]), row[1]

    def record_attempt(self, username: str, at: datetime, succeeded: bool) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(w.login_attempts), {"username": username, "at": at, "succeeded": succeeded})

    def clear_failures(self, username: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                delete(w.login_attempts).where(
                    w.login_attempts.c.username == username, w.login_attempts.c.succeeded.is_(False)
                )
            )

    def add_session(self, id_hash: str, account_id: int, created_at: datetime, expires_at: datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(w.sessions),
                {"id_hash": id_hash, "account_id": account_id, "created_at": created_at, "expires_at": expires_at},
            )

    def account_of_session(self, id_hash: str, now: datetime) -> Account | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(w.accounts)
                .join(w.sessions, w.sessions.c.account_id == w.accounts.c.id)
                .where(and_(w.sessions.c.id_hash == id_hash, w.sessions.c.expires_at > now))
            ).first()
        return _account(row) if row is not None else None

    def delete_session(self, id_hash: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(w.sessions).where(w.sessions.c.id_hash == id_hash))

    def add_token(self, values: Mapping[str, Any]) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(w.api_tokens), dict(values))

    def account_of_token(self, token_hash: str, now: datetime) -> Account | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(w.accounts)
                .join(w.api_tokens, w.api_tokens.c.account_id == w.accounts.c.id)
                .where(
                    w.api_tokens.c.token_hash == token_hash,
                    w.api_tokens.c.revoked.is_(False),
                    w.api_tokens.c.expires_at > now,
                )
            ).first()
        return _account(row) if row is not None else None

    def revoke_token(self, token_hash: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(w.api_tokens).where(w.api_tokens.c.token_hash == token_hash).values(revoked=True))

    def enterprise_name(self, credit_code: str) -> str | None:
        with read_connection(self.engine) as connection:
            name = connection.execute(
                select(t.enterprises.c.name).where(t.enterprises.c.credit_code == credit_code)
            ).scalar()
        return None if name is None else str(name)

    def enterprise_legal_rep(self, credit_code: str) -> str | None:
        with read_connection(self.engine) as connection:
            value = connection.execute(
                select(t.enterprises.c.legal_rep_id).where(t.enterprises.c.credit_code == credit_code)
            ).scalar()
        return None if value is None else str(value)


class PeopleRegistryVerifier:
    """Real-name check against the population registry table (the demo province's 人口库).

    A real deployment plugs in its provider (公安 identity service) instead.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def verify(self, id_number: str, name: str) -> bool:
        with read_connection(self.engine) as connection:
            found = connection.execute(
                select(t.people.c.name).where(t.people.c.id_number == id_number.strip().upper())
            ).scalar()
        return found is not None and found == unicodedata.normalize("NFKC", name).strip()
