"""What sign-in throttling and credential revocation need from storage; implemented by
`yiwang.db.account_security_repo` (mixed into the account store)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from yiwang.accounts.models import TokenInfo


class AccountSecurityStore(Protocol):
    def failures(
        self, since: datetime, *, username: str | None = None, client: str | None = None
    ) -> tuple[int, datetime | None]:
        """Failed sign-ins after ``since`` (by user name, by client address, or both) and the latest."""

    def last_success(self, username: str) -> datetime | None: ...

    def record_attempt_from(self, username: str, client: str, at: datetime, succeeded: bool) -> None: ...

    def clear_failures(self, username: str) -> None: ...

    def tokens_of(self, account_id: int) -> Sequence[TokenInfo]: ...

    def revoke_token_by_id(self, account_id: int, token_id: str) -> bool:
        """Revoke the account's token whose digest starts with ``token_id``; False if none."""

    def revoke_everything(self, account_id: int) -> int:
        """Revoke every token and delete every session; returns the tokens revoked."""

    def password_hash_of(self, account_id: int) -> str | None: ...

    def change_password_hash(self, account_id: int, password_hash: str) -> None:
        """Store the new hash and revoke every token and session, in one transaction."""

    def set_active(self, username: str, active: bool) -> int | None:
        """(De)activate the account (revoking everything when deactivating); its id or None."""
