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

from yiwang.accounts.security_ports import AccountSecurityStore

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


def wait_before_attempt(store: AccountSecurityStore, username: str, client: str, now: datetime) -> timedelta:
    """How long this user name from this client must still wait (zero: go ahead)."""
    since = now - WINDOW
    last_success = store.last_success(username)
    account_since = max(since, last_success) if last_success is not None else since
    counts = [
        (PER_ACCOUNT_AND_CLIENT, store.failures(account_since, username=username, client=client)),
        (PER_ACCOUNT, store.failures(account_since, username=username)),
    ]
    if client:
        counts.append((PER_CLIENT, store.failures(since, client=client)))
    wait = timedelta(0)
    for allowance, (failures, last) in counts:
        if last is None:
            continue
        wait = max(wait, last + allowance.delay(failures) - now)
    return wait
