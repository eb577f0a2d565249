"""Account security operations, apart from sign-up and sign-in: API tokens listed and
revoked, every credential revoked at once (password change, lock, "sign out everywhere"),
and an administrator's lock and unlock.

A token is shown to its owner once; afterwards it is named by the first 16 hex digits of
its SHA-256 (the stored digest), which identifies it without being usable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from yiwang.accounts.errors import InvalidAccountData, InvalidCredentials
from yiwang.accounts.models import Account, TokenInfo
from yiwang.accounts.security_ports import AccountSecurityStore
from yiwang.identity.errors import FieldProblem

log = logging.getLogger(__name__)

TOKEN_ID_LENGTH = 16


class TokenNotFound(InvalidAccountData):
    code = "token_not_found"

    def __init__(self) -> None:
        super().__init__([FieldProblem("token_id", "not_found", "没有这个令牌", "no such token")])


class AccountSecurity:
    def __init__(self, store: AccountSecurityStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    # --- tokens ----------------------------------------------------------------------------

    def tokens(self, account_id: int) -> Sequence[TokenInfo]:
        return self.store.tokens_of(account_id)

    def revoke_token(self, account_id: int, token_id: str) -> None:
        """Revoke one of the account's own tokens by its id; `TokenNotFound` for any other."""
        token_id = token_id.strip().lower()
        if len(token_id) != TOKEN_ID_LENGTH or any(ch not in "0123456789abcdef" for ch in token_id):
            raise TokenNotFound()
        if not self.store.revoke_token_by_id(account_id, token_id):
            raise TokenNotFound()

    def sign_out_everywhere(self, account_id: int) -> int:
        """Revoke every token and end every session; returns the tokens revoked."""
        revoked = self.store.revoke_everything(account_id)
        log.info("account %d signed out everywhere (%d tokens revoked)", account_id, revoked)
        return revoked

    # --- password ----------------------------------------------------------------------------

    def change_password(self, account: Account, current: str, new: str) -> None:
        """Check the current password, store the new one and revoke every token and session
        in the same transaction (whoever held a credential must sign in again)."""
        from yiwang.accounts import services

        if len(new) < services.MIN_PASSWORD:
            raise InvalidAccountData(
                [FieldProblem("new_password", "too_short", f"密码至少 {services.MIN_PASSWORD} 位", f"password needs at least {services.MIN_PASSWORD} characters")]
            )
        stored = self.store.password_hash_of(account.id)
        if stored is None or not services.password_matches(stored, current):
            raise InvalidCredentials()
        self.store.change_password_hash(account.id, services.hash_password(new))

    # --- administrator -----------------------------------------------------------------------

    def lock(self, username: str) -> bool:
        """Deactivate the account and revoke its credentials (a suspected compromise)."""
        from yiwang.accounts.services import normalise_username

        found = self.store.set_active(normalise_username(username.replace("\x00", ""))[:60], False)
        if found is not None:
            log.warning("account %s locked by an administrator", username)
        return found is not None

    def unlock(self, username: str) -> bool:
        """Reactivate the account and forget its failed sign-ins; False if there is none."""
        from yiwang.accounts.services import normalise_username

        name = normalise_username(username.replace("\x00", ""))[:60]
        found = self.store.set_active(name, True)
        self.store.clear_failures(name)
        return found is not None
