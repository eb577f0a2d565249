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

from yiwang.accounts import throttle
from yiwang.accounts.errors import (
    InvalidAccountData,
    InvalidCredentials,
    RealNameRejected,
    SignInThrottled,
)
from yiwang.accounts.models import Account, Role
from yiwang.accounts.ports import AccountStore
from yiwang.accounts.security import AccountSecurity
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


class AccountServices:
    def __init__(self, store: AccountStore, clock: Callable[[], datetime], verifier: RealNameVerifier) -> None:
        self.store = store
        self.clock = clock
        self.verifier = verifier
        self.security = AccountSecurity(store, clock)

    # --- creation ----------------------------------------------------------------------

    def _insert(self, values: dict[str, Any], password: str) -> Account:
        if len(password) < MIN_PASSWORD:
            raise InvalidAccountData(
                [FieldProblem("password", "too_short", f"密码至少 {MIN_PASSWORD} 位", f"password needs at least {MIN_PASSWORD} characters")]
            )
        values = {**values, "password_hash": _hasher.hash(password), "active": True, "created_at": self.clock()}
        account = self.get(self.store.insert(values))
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
        name = self.store.enterprise_name(credit_code)
        if name is not None and self.store.enterprise_legal_rep(credit_code) != agent_id:
            # Only the legal representative the registry records opens the enterprise's own
            # account; agents sign up under an authorisation (accounts.signup).
            raise RealNameRejected()
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
        return self.store.get(account_id)

    def by_username(self, username: str) -> Account | None:
        if "\x00" in username:
            return None
        found = self.store.by_username(normalise_username(username))
        return found[0] if found is not None else None

    def list(self) -> Sequence[Account]:
        return self.store.all()

    def reviewers_of(self, department_code: str) -> Sequence[Account]:
        return self.store.active_reviewers(department_code)

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
        wait = throttle.wait_before_attempt(self.store, username, client, now)
        if wait > timedelta(0):
            log.warning("sign-in for %s from %s throttled for %s", username, client or "?", wait)
            raise SignInThrottled(max(1, math.ceil(wait.total_seconds())))
        found = self.store.by_username(username)
        account, password_hash = found if found is not None else (None, _DUMMY_HASH)
        stored = password_hash if account is not None and account.active else _DUMMY_HASH
        ok = password_matches(stored, password) and account is not None and account.active
        self.store.record_attempt_from(username, client, now, bool(ok))
        if not ok or account is None:
            log.info("failed sign-in for %s from %s", username, client or "?")
            raise InvalidCredentials()
        if _hasher.check_needs_rehash(password_hash):
            self.store.set_password_hash(account.id, _hasher.hash(password))
        return account

    def unlock(self, username: str) -> None:
        self.security.unlock(username)

    # --- sessions and tokens -----------------------------------------------------------

    def start_session(self, account: Account) -> str:
        secret = secrets.token_urlsafe(32)
        now = self.clock()
        self.store.add_session(_digest(secret), account.id, now, now + SESSION_LIFETIME)
        return secret

    def resolve_session(self, secret: str) -> Account | None:
        account = self.store.account_of_session(_digest(secret), self.clock())
        return account if account is not None and account.active else None

    def end_session(self, secret: str) -> None:
        self.store.delete_session(_digest(secret))

    def issue_token(self, account: Account, label: str = "api") -> tuple[str, datetime]:
        token = "ywt_" + secrets.token_urlsafe(32)
        now = self.clock()
        expires_at = now + TOKEN_LIFETIME
        self.store.add_token(
            {
                "token_hash": _digest(token),
                "account_id": account.id,
                "label": label.replace("\x00", "")[:100],
                "created_at": now,
                "expires_at": expires_at,
                "revoked": False,
            }
        )
        return token, expires_at

    def resolve_token(self, token: str) -> Account | None:
        account = self.store.account_of_token(_digest(token), self.clock())
        return account if account is not None and account.active else None

    def revoke_token(self, token: str) -> None:
        self.store.revoke_token(_digest(token))
