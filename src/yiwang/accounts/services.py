"""Account services: registration with real-name verification, sign-in with throttling
(progressive delays, `yiwang.accounts.throttle`), sessions and API tokens. Passwords are hashed with argon2; session secrets and API
tokens are stored only as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, Row, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from yiwang.accounts import throttle
from yiwang.accounts.errors import (
    AccountExists,
    InvalidAccountData,
    InvalidCredentials,
    RealNameRejected,
    SignInThrottled,
)
from yiwang.accounts.models import Account, Role
from yiwang.accounts.security import AccountSecurity
from yiwang.db import tables as t
from yiwang.db import tables_web as w
from yiwang.db.engine import read_connection
from yiwang.identity.errors import FieldProblem, InvalidIdentifier
from yiwang.identity.numbers import validate_credit_code, validate_id_number, validate_mobile_phone
from yiwang.identity.population import RealNameVerifier

log = logging.getLogger(__name__)

SESSION_LIFETIME = timedelta(hours=8)
TOKEN_LIFETIME = timedelta(days=30)
MIN_PASSWORD = 8

_hasher = PasswordHasher()
# Compared against when the user name is unknown, so both paths cost one argon2 verification
# and the response time does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("yiwang-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(stored_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().upper() if _looks_like_code(username) else (
        unicodedata.normalize("NFKC", username).strip().lower()
    )


def _looks_like_code(username: str) -> bool:
    text = unicodedata.normalize("NFKC", username).strip()
    return len(text) == 18 and text[:17].isalnum() and any(ch.isdigit() for ch in text[:6])


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


class AccountServices:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime], verifier: RealNameVerifier | None = None
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.verifier: RealNameVerifier = verifier or PeopleRegistryVerifier(engine)
        self.security = AccountSecurity(engine, clock)

    # --- creation ----------------------------------------------------------------------

    def _insert(self, values: dict[str, Any], password: str) -> Account:
        if len(password) < MIN_PASSWORD:
            raise InvalidAccountData(
                [FieldProblem("password", "too_short", f"密码至少 {MIN_PASSWORD} 位", f"password needs at least {MIN_PASSWORD} characters")]
            )
        values = {**values, "password_hash": _hasher.hash(password), "active": True, "created_at": self.clock()}
        try:
            with self.engine.begin() as connection:
                new_id = connection.execute(insert(w.accounts).returning(w.accounts.c.id), values).scalar_one()
        except IntegrityError as error:
            raise AccountExists() from error
        account = self.get(int(new_id))
        assert account is not None
        return account

    def create_staff(
        self,
        username: str,
        password: str,
        role: Role,
        display_name: str,
        *,
        department_code: str | None = None,
        region_code: str | None = None,
    ) -> Account:
        if role is Role.APPLICANT:
            raise ValueError("applicants register through register_person / register_enterprise")
        return self._insert(
            {
                "username": normalise_username(username),
                "role": role.value,
                "display_name": display_name,
                "department_code": department_code,
                "region_code": region_code,
            },
            password,
        )

    def register_person(self, id_number: str, name: str, phone: str, password: str) -> Account:
        problems: list[FieldProblem] = []
        try:
            id_number = validate_id_number(id_number, today=self.clock().date())
        except InvalidIdentifier as error:
            problems.append(error.to_problem("id_number"))
        try:
            phone = validate_mobile_phone(phone)
        except InvalidIdentifier as error:
            problems.append(error.to_problem("phone"))
        if problems:
            raise InvalidAccountData(problems)
        if not self.verifier.verify(id_number, name):
            raise RealNameRejected()
        return self._insert(
            {
                "username": id_number,
                "role": Role.APPLICANT.value,
                "display_name": name.strip(),
                "subject_id": id_number,
                "phone": phone,
            },
            password,
        )

    def register_enterprise(
        self, credit_code: str, agent_id: str, agent_name: str, phone: str, password: str
    ) -> Account:
        """An enterprise account, used by its authorised agent (经办人), who is real-name checked."""
        problems: list[FieldProblem] = []
        try:
            credit_code = validate_credit_code(credit_code)
        except InvalidIdentifier as error:
            problems.append(error.to_problem("credit_code"))
        try:
            agent_id = validate_id_number(agent_id, today=self.clock().date())
        except InvalidIdentifier as error:
            problems.append(error.to_problem("agent_id"))
        try:
            phone = validate_mobile_phone(phone)
        except InvalidIdentifier as error:
            problems.append(error.to_problem("phone"))
        if problems:
            raise InvalidAccountData(problems)
        with read_connection(self.engine) as connection:
            name = connection.execute(
                select(t.enterprises.c.name).where(t.enterprises.c.credit_code == credit_code)
            ).scalar()
        if name is None:
            raise InvalidAccountData(
                [FieldProblem("credit_code", "unknown_enterprise", "法人库中没有该统一社会信用代码", "no enterprise with this credit code in the legal-entity registry")]
            )
        if not self.verifier.verify(agent_id, agent_name):
            raise RealNameRejected()
        return self._insert(
            {
                "username": credit_code,
                "role": Role.APPLICANT.value,
                "display_name": str(name),
                "subject_id": credit_code,
                "agent_id": agent_id,
                "agent_name": agent_name.strip(),
                "phone": phone,
            },
            password,
        )

    # --- reading -----------------------------------------------------------------------

    def get(self, account_id: int) -> Account | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(select(w.accounts).where(w.accounts.c.id == account_id)).first()
        return _account(row) if row is not None else None

    def by_username(self, username: str) -> Account | None:
        if "\x00" in username:
            return None
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(w.accounts).where(w.accounts.c.username == normalise_username(username))
            ).first()
        return _account(row) if row is not None else None

    def list(self) -> Sequence[Account]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(select(w.accounts).order_by(w.accounts.c.id)).all()
        return [_account(row) for row in rows]

    def reviewers_of(self, department_code: str) -> Sequence[Account]:
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

    # --- sign-in -----------------------------------------------------------------------

    def authenticate(self, username: str, password: str, client: str = "") -> Account:
        """Check the password, throttled with progressive delays per user name, per client
        address and per pair (`yiwang.accounts.throttle`); a throttled attempt is refused
        with `SignInThrottled` before the password is looked at."""
        if "\x00" in username or "\x00" in password:
            # Never a real credential, and PostgreSQL cannot even compare such text.
            raise InvalidCredentials()
        username = normalise_username(username)[:60]
        client = client.replace("\x00", "")[:45]
        now = self.clock()
        wait = throttle.wait_before_attempt(self.engine, username, client, now)
        if wait > timedelta(0):
            log.warning("sign-in for %s from %s throttled for %s", username, client or "?", wait)
            raise SignInThrottled(max(1, math.ceil(wait.total_seconds())))
        with read_connection(self.engine) as connection:
            row = connection.execute(select(w.accounts).where(w.accounts.c.username == username)).first()
        stored = row.password_hash if row is not None and row.active else _DUMMY_HASH
        ok = password_matches(stored, password) and row is not None and row.active
        throttle.record_attempt(self.engine, username, client, now, bool(ok))
        if not ok or row is None:
            log.info("failed sign-in for %s from %s", username, client or "?")
            raise InvalidCredentials()
        if _hasher.check_needs_rehash(row.password_hash):
            with self.engine.begin() as connection:
                connection.execute(
                    update(w.accounts).where(w.accounts.c.id == row.id).values(password_hash=_hasher.hash(password))
                )
        return _account(row)

    def unlock(self, username: str) -> None:
        self.security.unlock(username)

    # --- sessions and tokens -----------------------------------------------------------

    def start_session(self, account: Account) -> str:
        secret = secrets.token_urlsafe(32)
        now = self.clock()
        with self.engine.begin() as connection:
            connection.execute(
                insert(w.sessions),
                {"id_hash": _digest(secret), "account_id": account.id, "created_at": now, "expires_at": now + SESSION_LIFETIME},
            )
        return secret

    def resolve_session(self, secret: str) -> Account | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(w.accounts)
                .join(w.sessions, w.sessions.c.account_id == w.accounts.c.id)
                .where(and_(w.sessions.c.id_hash == _digest(secret), w.sessions.c.expires_at > self.clock()))
            ).first()
        if row is None or not row.active:
            return None
        return _account(row)

    def end_session(self, secret: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(w.sessions).where(w.sessions.c.id_hash == _digest(secret)))

    def issue_token(self, account: Account, label: str = "api") -> tuple[str, datetime]:
        token = "ywt_" + secrets.token_urlsafe(32)
        now = self.clock()
        expires_at = now + TOKEN_LIFETIME
        with self.engine.begin() as connection:
            connection.execute(
                insert(w.api_tokens),
                {
                    "token_hash": _digest(token),
                    "account_id": account.id,
                    "label": label.replace("\x00", "")[:100],
                    "created_at": now,
                    "expires_at": expires_at,
                    "revoked": False,
                },
            )
        return token, expires_at

    def resolve_token(self, token: str) -> Account | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(
                select(w.accounts)
                .join(w.api_tokens, w.api_tokens.c.account_id == w.accounts.c.id)
                .where(
                    w.api_tokens.c.token_hash == _digest(token),
                    w.api_tokens.c.revoked.is_(False),
                    w.api_tokens.c.expires_at > self.clock(),
                )
            ).first()
        if row is None or not row.active:
            return None
        return _account(row)

    def revoke_token(self, token: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(w.api_tokens).where(w.api_tokens.c.token_hash == _digest(token)).values(revoked=True))
