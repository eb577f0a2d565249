"""`yiwang worker`: the periodic work of the platform, in its own process, in as many copies
as wanted. Today that is the escalation sweep (R-SUP-1): each round claims overdue tasks in
batches with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) and a conditional UPDATE, so two workers
never escalate the same task and neither waits for the other."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from yiwang.ops.observability import SWEEP_SECONDS, SWEPT

if TYPE_CHECKING:
    from yiwang.bootstrap import Platform

log = logging.getLogger("yiwang.worker")


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


def run(platform: Platform, interval: float, stop: threading.Event) -> None:
    """Sweep every ``interval`` seconds until ``stop`` is set; a failed round is logged and
    the next one retries (the sweep is idempotent)."""
    while True:
        try:
            sweep_once(platform)
        except Exception:
            log.exception("escalation sweep failed")
        if stop.wait(interval):
            return
