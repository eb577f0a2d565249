"""Sign-in throttling with progressive delays, never a lockout a stranger can trigger.

Failed sign-ins are counted over the last 15 minutes in three ways, each with its own free
allowance after which every further attempt must wait twice as long as the one before
(1 s, 2 s, 4 s … up to a cap), counted from the last failure:

============================  ==========  ========  =========================================
counted by                    free tries  cap       why
============================  ==========  ========  =========================================
user name and client address  5           15 min    one guesser against one account
client address, any name      20          15 min    one guesser spraying many accounts
user name, any address        10          60 s      many addresses against one account
============================  ==========  ========  =========================================

The per-account delay is capped at one minute, so an attacker elsewhere can slow the owner
down but never shut them out (the old rule locked any account, the administrator's included,
for 15 minutes after five anonymous failures). A refused attempt is not checked and not
counted, so hammering does not lengthen the wait. A success clears the account's own count.
Server threads never sleep: the answer is 429 with the seconds to wait (``Retry-After``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select

from yiwang.db import tables_web as w
from yiwang.db.engine import read_connection

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Allowance:
    free: int
    cap: timedelta

    def delay(self, failures: int) -> timedelta:
        """The wait after ``failures`` failures: none within the allowance, then doubling."""
        if failures < self.free:
            return timedelta(0)
        seconds = 2 ** min(failures - self.free, 20)
        return min(timedelta(seconds=seconds), self.cap)


PER_ACCOUNT_AND_CLIENT = Allowance(free=5, cap=timedelta(minutes=15))
PER_CLIENT = Allowance(free=20, cap=timedelta(minutes=15))
PER_ACCOUNT = Allowance(free=10, cap=timedelta(seconds=60))


def _failures(connection: Connection, since: datetime, *conditions: object) -> tuple[int, datetime | None]:
    a = w.login_attempts
    row = connection.execute(
        select(func.count(), func.max(a.c.at)).where(a.c.succeeded.is_(False), a.c.at > since, *conditions)  # type: ignore[arg-type]
    ).one()
    return int(row[0]), row[1]


def wait_before_attempt(engine: Engine, username: str, client: str, now: datetime) -> timedelta:
    """How long this user name from this client must still wait (zero: go ahead)."""
    a = w.login_attempts
    with read_connection(engine) as connection:
        since = now - WINDOW
        last_success = connection.execute(
            select(func.max(a.c.at)).where(a.c.username == username, a.c.succeeded.is_(True))
        ).scalar()
        account_since = max(since, last_success) if last_success is not None else since
        counts = [
            (PER_ACCOUNT_AND_CLIENT, _failures(connection, account_since, a.c.username == username, a.c.client == client)),
            (PER_ACCOUNT, _failures(connection, account_since, a.c.username == username)),
        ]
        if client:
            counts.append((PER_CLIENT, _failures(connection, since, a.c.client == client)))
    wait = timedelta(0)
    for allowance, (failures, last) in counts:
        if last is None:
            continue
        wait = max(wait, last + allowance.delay(failures) - now)
    return wait


def record_attempt(engine: Engine, username: str, client: str, now: datetime, succeeded: bool) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(w.login_attempts), {"username": username, "client": client[:45], "at": now, "succeeded": succeeded}
        )


def clear_failures(engine: Engine, username: str) -> int:
    """Forget the user name's failures (`yiwang accounts unlock`); returns how many."""
    a = w.login_attempts
    with engine.begin() as connection:
        result = connection.execute(delete(a).where(and_(a.c.username == username, a.c.succeeded.is_(False))))
    return int(result.rowcount or 0)
