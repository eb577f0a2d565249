"""Sign-in attempts by client address, API tokens by id, and revoking every credential of an
account at once (`yiwang.accounts.security_ports.AccountSecurityStore`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from yiwang.accounts.models import TokenInfo
from yiwang.db import tables_web as w
from yiwang.db.engine import read_connection

TOKEN_ID_LENGTH = 16


def _revoke_everything(connection: Connection, account_id: int) -> int:
    result = connection.execute(
        update(w.api_tokens)
        .where(w.api_tokens.c.account_id == account_id, w.api_tokens.c.revoked.is_(False))
        .values(revoked=True)
    )
    connection.execute(delete(w.sessions).where(w.sessions.c.account_id == account_id))
    return int(result.rowcount or 0)


class SqlAccountSecurity:
    """Mixed into `SqlAccountStore`; needs only ``self.engine``."""

    engine: Engine

    def failures(
        self, since: datetime, *, username: str | None = None, client: str | None = None
    ) -> tuple[int, datetime | None]:
        a = w.login_attempts
        conditions: list[Any] = [a.c.succeeded.is_(False), a.c.at > since]
        if username is not None:
            conditions.append(a.c.username == username)
        if client is not None:
            conditions.append(a.c.client == client)
        with read_connection(self.engine) as connection:
            count, latest = connection.execute(select(func.count(), func.max(a.c.at)).where(*conditions)).one()
        return int(count), latest

    def record_attempt_from(self, username: str, client: str, at: datetime, succeeded: bool) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(w.login_attempts), {"username": username, "client": client[:45], "at": at, "succeeded": succeeded}
            )

    def tokens_of(self, account_id: int) -> Sequence[TokenInfo]:
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

    def revoke_token_by_id(self, account_id: int, token_id: str) -> bool:
        t = w.api_tokens
        with self.engine.begin() as connection:
            result = connection.execute(
                update(t)
                .where(t.c.account_id == account_id, t.c.token_hash.startswith(token_id, autoescape=True))
                .values(revoked=True)
            )
        return bool(result.rowcount)

    def revoke_everything(self, account_id: int) -> int:
        with self.engine.begin() as connection:
            return _revoke_everything(connection, account_id)

    def password_hash_of(self, account_id: int) -> str | None:
        with read_connection(self.engine) as connection:
            found = connection.execute(select(w.accounts.c.password_hash).where(w.accounts.c.id == account_id)).scalar()
        return None if found is None else str(found)

    def change_password_hash(self, account_id: int, password_hash: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(w.accounts).where(w.accounts.c.id == account_id).values(password_hash=password_hash))
            _revoke_everything(connection, account_id)

    def set_active(self, username: str, active: bool) -> int | None:
        with self.engine.begin() as connection:
            found = connection.execute(select(w.accounts.c.id).where(w.accounts.c.username == username)).scalar()
            if found is None:
                return None
            connection.execute(update(w.accounts).where(w.accounts.c.id == found).values(active=active))
            if not active:
                _revoke_everything(connection, int(found))
        return int(found)
