"""The server escalates overdue work by itself, once per task."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from support import submit_startup
from yiwang.bootstrap import Platform
from yiwang.cases.models import EventKind
from yiwang.cli.serve import start_sweeper
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration


def test_background_sweeper_records_missed_deadlines(platform: Platform, clock: SimulatedClock) -> None:
    case_id = submit_startup(platform)
    open_tasks = [t.id for t in platform.cases.get(case_id).tasks if t.is_open]
    clock.advance(timedelta(days=3))
    stop = start_sweeper(platform)
    assert stop is not None
    try:
        deadline = time.monotonic() + 10
        missed: list[str] = []
        while time.monotonic() < deadline:
            missed = [e.task_id or "" for e in platform.cases.events(case_id) if e.kind is EventKind.DEADLINE_MISSED]
            if len(missed) == len(open_tasks):
                break
            time.sleep(0.1)
    finally:
        stop.set()
    assert sorted(missed) == sorted(open_tasks)
