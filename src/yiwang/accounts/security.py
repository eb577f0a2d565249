"""Account security operations, apart from sign-up and sign-in: API tokens listed and
revoked, every credential revoked at once (password change, lock, "sign out everywhere"),
and an administrator's lock and unlock.

A token is shown to its owner once; afterwards it is named by the first 16 hex digits of
its SHA-256 (the stored digest), which identifies it without being usable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, select, update

from yiwang.accounts import throttle
from yiwang.accounts.errors import InvalidAccountData, InvalidCredentials
from yiwang.accounts.models import Account
from yiwang.db import tables_web as w
from yiwang.db.engine import read_connection
from yiwang.identity.errors import FieldProblem

log = logging.getLogger(__name__)

TOKEN_ID_LENGTH = 16


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: str
    label: str
    created_at: datetime
    expires_at: datetime
    revoked: bool

    def active(self, now: datetime) -> bool:
        return not self.revoked and self.expires_at > now


class TokenNotFound(InvalidAccountData):
    code = "token_not_found"

    def __init__(self) -> None:
        super().__init__([FieldProblem("token_id", "not_found", "没有这个令牌", "no such token")])


def _revoke_everything(connection: Connection, account_id: int) -> int:
    """Every API token revoked and every session ended, in the caller's transaction."""
    result = connection.execute(
        update(w.api_tokens)
        .where(w.api_tokens.c.account_id == account_id, w.api_tokens.c.revoked.is_(False))
        .values(revoked=True)
    )
    connection.execute(delete(w.sessions).where(w.sessions.c.account_id == account_id))
    return int(result.rowcount or 0)


class AccountSecurity:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    # --- tokens ----------------------------------------------------------------------------

    def tokens(self, account_id: int) -> Sequence[TokenInfo]:
        t = w.api_tokens
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(t.c.token_hash, t.c.label, t.c.created_at, t.c.expires_at, t.c.revoked)
                .where(t.c.account_id == account_id)
                .order_by(t.c.created_at, t.c.token_hash)
            ).all()
        return [
            TokenInfo(row.token_hash[:TOKEN_ID_LENGTH], row.label, row.created_at, row.expires_at, bool(row.revoked))
            for row in rows
        ]

    def revoke_token(self, account_id: int, token_id: str) -> None:
        """Revoke one of the account's own tokens by its id; `TokenNotFound` for any other."""
        token_id = token_id.strip().lower()
        if len(token_id) != TOKEN_ID_LENGTH or any(ch not in "0123456789abcdef" for ch in token_id):
            raise TokenNotFound()
        t = w.api_tokens
        with self.engine.begin() as connection:
            result = connection.execute(
                update(t)
                .where(t.c.account_id == account_id, t.c.token_hash.startswith(token_id, autoescape=True))
                .values(revoked=True)
            )
        if not result.rowcount:
            raise TokenNotFound()

    def sign_out_everywhere(self, account_id: int) -> int:
        """Revoke every token and end every session; returns the tokens revoked."""
        with self.engine.begin() as connection:
            revoked = _revoke_everything(connection, account_id)
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
        with read_connection(self.engine) as connection:
            stored = connection.execute(select(w.accounts.c.password_hash).where(w.accounts.c.id == account.id)).scalar()
        if stored is None or not services.password_matches(stored, current):
            raise InvalidCredentials()
        with self.engine.begin() as connection:
            connection.execute(
                update(w.accounts).where(w.accounts.c.id == account.id).values(password_hash=services.hash_password(new))
            )
            _revoke_everything(connection, account.id)

    # --- administrator -----------------------------------------------------------------------

    def _account_id(self, connection: Connection, username: str) -> int | None:
        from yiwang.accounts.services import normalise_username

        found = connection.execute(
            select(w.accounts.c.id).where(w.accounts.c.username == normalise_username(username))
        ).scalar()
        return None if found is None else int(found)

    def lock(self, username: str) -> bool:
        """Deactivate the account and revoke its credentials (a suspected compromise)."""
        with self.engine.begin() as connection:
            account_id = self._account_id(connection, username)
            if account_id is None:
                return False
            connection.execute(update(w.accounts).where(w.accounts.c.id == account_id).values(active=False))
            _revoke_everything(connection, account_id)
        log.warning("account %s locked by an administrator", username)
        return True

    def unlock(self, username: str) -> bool:
        """Reactivate the account and forget its failed sign-ins; False if there is none."""
        from yiwang.accounts.services import normalise_username

        name = normalise_username(username.replace("\x00", ""))[:60]
        with self.engine.begin() as connection:
            account_id = self._account_id(connection, name)
            if account_id is not None:
                connection.execute(update(w.accounts).where(w.accounts.c.id == account_id).values(active=True))
        throttle.clear_failures(self.engine, name)
        return account_id is not None
