"""`yiwang worker`: the periodic work of the platform, in its own process, in as many copies
as wanted. The escalation sweep (R-SUP-1): each round claims overdue tasks in batches with
``FOR UPDATE SKIP LOCKED`` (PostgreSQL) and a conditional UPDATE, so two workers never
escalate the same task and neither waits for the other. And, at start and hourly, the
partition upkeep of the event and access logs (`yiwang.db.partitions`; serialised between
workers by an advisory lock, idempotent)."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from yiwang.ops.observability import SWEEP_SECONDS, SWEPT

if TYPE_CHECKING:
    from yiwang.bootstrap import Platform

log = logging.getLogger("yiwang.worker")
# Partitions are prepared months ahead: once an hour is plenty, and a missed round only
# sends rows to DEFAULT, from where the next round moves them.
PARTITION_EVERY_SECONDS = 3600.0


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


def run(
    platform: Platform,
    interval: float,
    stop: threading.Event,
    partition_every: float = PARTITION_EVERY_SECONDS,
) -> None:
    """Sweep every ``interval`` seconds, and keep the partitions every ``partition_every``
    seconds, until ``stop`` is set; a failed round is logged and the next one retries (both
    are idempotent)."""
    next_upkeep = time.monotonic()
    while True:
        if time.monotonic() >= next_upkeep and keep_partitions(platform) is not None:
            next_upkeep = time.monotonic() + partition_every
        try:
            sweep_once(platform)
        except Exception:
            log.exception("escalation sweep failed")
        if stop.wait(interval):
            return
