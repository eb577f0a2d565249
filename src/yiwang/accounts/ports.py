"""What the account services need from storage; `yiwang.db.accounts_repo` implements it.

Secrets reach storage only as digests: the services hash passwords (argon2) and digest session
secrets and API tokens (SHA-256) before calling these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from yiwang.accounts.models import Account
from yiwang.accounts.security_ports import AccountSecurityStore


class AccountStore(AccountSecurityStore, Protocol):
    def insert(self, values: Mapping[str, Any]) -> int:
        """A new account's id; `AccountExists` when the user name is taken."""

    def get(self, account_id: int) -> Account | None: ...

    def by_username(self, username: str) -> tuple[Account, str] | None:
        """The account and its password hash."""

    def all(self) -> Sequence[Account]: ...

    def active_reviewers(self, department_code: str) -> Sequence[Account]: ...

    def set_password_hash(self, account_id: int, password_hash: str) -> None: ...

    # --- sign-in attempts ----------------------------------------------------------------

    def last_success(self, username: str) -> datetime | None: ...

    def failures_since(self, username: str, since: datetime) -> tuple[int, datetime | None]:
        """How many failed attempts after `since`, and the latest one."""

    def record_attempt(self, username: str, at: datetime, succeeded: bool) -> None: ...

    def clear_failures(self, username: str) -> None: ...

    # --- sessions and tokens -------------------------------------------------------------

    def add_session(self, id_hash: str, account_id: int, created_at: datetime, expires_at: datetime) -> None: ...

    def account_of_session(self, id_hash: str, now: datetime) -> Account | None:
        """The account of a session that has not expired (active or not)."""

    def delete_session(self, id_hash: str) -> None: ...

    def add_token(self, values: Mapping[str, Any]) -> None: ...

    def account_of_token(self, token_hash: str, now: datetime) -> Account | None:
        """The account of a token neither revoked nor expired (active or not)."""

    def revoke_token(self, token_hash: str) -> None: ...

    # --- registry look-ups at registration -------------------------------------------------

    def enterprise_name(self, credit_code: str) -> str | None:
        """The registered name of an enterprise in the legal-entity registry."""

    def enterprise_legal_rep(self, credit_code: str) -> str | None:
        """The ID number of the legal representative the legal-entity registry records."""
