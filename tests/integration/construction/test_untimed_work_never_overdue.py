"""提前介入（不计时）: early-intervention work is never escalated, never red, never counted
overdue on the supervisor's figures, however long it stays open (issue 10, item 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_construction_flow import submit

from yiwang.bootstrap import Platform
from yiwang.cases.models import EventKind, Light, TaskKind
from yiwang.cases.views import task_light
from yiwang.clock import SimulatedClock
from yiwang.db.read_models import supervision_figures

pytestmark = pytest.mark.integration


def test_open_early_intervention_past_its_date_is_not_overdue(platform: Platform, clock: SimulatedClock) -> None:
    case = platform.cases.get(submit(platform, "social_industrial"))
    early = next(t for t in case.tasks if t.kind is TaskKind.EARLY_INTERVENTION)
    timed = next(t for t in case.tasks if t.kind is not TaskKind.EARLY_INTERVENTION and t.is_open)
    clock.advance(timedelta(days=200))  # far past every date
    platform.cases.sweep()
    events = platform.cases.events(case.id)
    missed = {e.task_id for e in events if e.kind is EventKind.DEADLINE_MISSED}
    assert timed.id in missed  # the sweep ran and did escalate timed work
    assert early.id not in missed
    case = platform.cases.get(case.id)
    assert task_light(platform, case.task(early.id), clock()) is Light.NONE
    assert task_light(platform, case.task(timed.id), clock()) is Light.RED
    figures = supervision_figures(platform.engine, "37", clock(), platform.calendars.current(), platform.settings.yellow_share)
    early_row = next(f for f in figures if f.item_code == early.item_code and f.department_code == early.department_code)
    assert early_row.overdue == 0 and early_row.open >= 1
