"""`yiwang worker`: the periodic work of the platform, in its own process, in as many copies
as wanted. The escalation sweep (R-SUP-1): each round claims overdue tasks in batches with
``FOR UPDATE SKIP LOCKED`` (PostgreSQL) and a conditional UPDATE, so two workers never
escalate the same task and neither waits for the other. And, at start and hourly, the
partition upkeep of the event and access logs (`yiwang.db.partitions`; serialised between
workers by an advisory lock, idempotent). And every second, the outbox: messages a request
wrote down (sign-up codes) sent through the SMS port, each claimed by one worker."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from yiwang.ops import outbox
from yiwang.ops.observability import SWEEP_SECONDS, SWEPT

if TYPE_CHECKING:
    from yiwang.bootstrap import Platform
    from yiwang.identity.sms import SmsGateway

log = logging.getLogger("yiwang.worker")
# Partitions are prepared months ahead: once an hour is plenty, and a missed round only
# sends rows to DEFAULT, from where the next round moves them.
PARTITION_EVERY_SECONDS = 3600.0
# The outbox is polled this often (a sign-up code should arrive within seconds); `yiwang
# serve` also wakes its worker thread right after each sign-up.
DELIVER_EVERY_SECONDS = 1.0


def sweep_once(platform: Platform) -> int:
    started = time.perf_counter()
    recorded = platform.cases.sweep()
    elapsed = time.perf_counter() - started
    SWEEP_SECONDS.observe(elapsed)
    if recorded:
        SWEPT.inc(recorded)
        log.info(
            "escalation sweep: %d overdue task(s) escalated",
            recorded,
            extra={"escalated": recorded, "duration_ms": round(elapsed * 1000, 1)},
        )
    return recorded


def keep_partitions(platform: Platform) -> list[str] | None:
    """One partition upkeep; the partitions created, or None when it failed (logged; the
    caller tries again later)."""
    try:
        created = platform.keep_partitions()
    except Exception:
        log.exception("partition upkeep failed")
        return None
    if created:
        log.info(
            "partition upkeep: %d partition(s) created",
            len(created),
            extra={"partitions_created": created},
        )
    return created


def deliver_once(platform: Platform, gateway: SmsGateway) -> int:
    """One round of the outbox (`yiwang.ops.outbox`); 0 when it failed (logged; the next
    round retries: claims expire, deliveries are recorded one by one)."""
    try:
        return outbox.deliver(platform, gateway)
    except Exception:
        log.exception("outbox delivery failed")
        return 0


def run(
    platform: Platform,
    interval: float,
    stop: threading.Event,
    partition_every: float = PARTITION_EVERY_SECONDS,
    sms: SmsGateway | None = None,
    wake: threading.Event | None = None,
    deliver_every: float = DELIVER_EVERY_SECONDS,
) -> None:
    """Sweep every ``interval`` seconds, keep the partitions every ``partition_every``
    seconds and, given an SMS gateway, deliver the outbox every ``deliver_every`` seconds or
    as soon as ``wake`` is set, until ``stop`` is set; a failed round is logged and the next
    one retries (all are idempotent)."""
    next_upkeep = time.monotonic()
    next_sweep = time.monotonic()
    # Without a wake-up of its own the loop sleeps on `stop`, so stopping is immediate.
    sleep = wake if wake is not None else stop
    while True:
        if time.monotonic() >= next_upkeep and keep_partitions(platform) is not None:
            next_upkeep = time.monotonic() + partition_every
        if time.monotonic() >= next_sweep:
            try:
                sweep_once(platform)
            except Exception:
                log.exception("escalation sweep failed")
            next_sweep = time.monotonic() + interval
        if sms is not None:
            deliver_once(platform, sms)
        if stop.is_set():
            return
        pause = max(0.0, next_sweep - time.monotonic())
        if sms is not None:
            pause = min(pause, deliver_every)
        sleep.wait(pause)
        if stop.is_set():
            return
        if wake is not None:
            wake.clear()  # before the next round's claim: a sign-up after it wakes us again
