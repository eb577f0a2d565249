"""The supervisor's figures read a summary kept up to date as tasks close; at any moment it
equals the summary recomputed from the tasks themselves, and the figures agree with a count
made by hand from the cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from support import complete_open_tasks, submit_startup
from yiwang.bootstrap import Platform
from yiwang.cases.commands import RejectTask
from yiwang.clock import SimulatedClock
from yiwang.db import figures
from yiwang.db import tables as t
from yiwang.db.read_models import supervision_figures

pytestmark = pytest.mark.integration


def summary(platform: Platform) -> list[tuple[object, ...]]:
    with platform.engine.connect() as connection:
        rows = connection.execute(
            select(t.task_figures).order_by(
                t.task_figures.c.region_code,
                t.task_figures.c.department_code,
                t.task_figures.c.item_code,
            )
        ).all()
    return [(*row[:-1], round(row[-1], 6)) for row in rows]


def test_summary_kept_in_step_with_the_tasks(platform: Platform, clock: SimulatedClock) -> None:
    concluded = submit_startup(platform, key="k-1", company_name="济南市历下区甲乙丙科技有限公司")
    complete_open_tasks(platform, clock, concluded)
    rejected = submit_startup(platform, key="k-2", company_name="济南市历下区泉水数据科技有限公司")
    first = next(task for task in platform.cases.get(rejected).tasks if task.is_open)
    platform.cases.act(RejectTask(first.id, "reviewer", "经营范围不符 / scope not allowed"))
    still_open = submit_startup(platform, key="k-3", company_name="济南市历下区千佛山软件有限公司")

    kept = summary(platform)
    assert kept, "closing tasks must reach the summary"
    with platform.engine.begin() as connection:
        figures.rebuild(connection)
    assert summary(platform) == kept

    # The figures, against a count made from the cases themselves.
    clock.advance(timedelta(days=3))  # the open case's tasks are now overdue
    rows = supervision_figures(
        platform.engine,
        "3701",
        platform.clock(),
        platform.calendars.current(),
        platform.settings.yellow_share,
    )
    tasks = [
        task
        for case_id in (concluded, rejected, still_open)
        for task in platform.cases.get(case_id).tasks
        if task.status.value != "cancelled"
    ]
    assert sum(row.total for row in rows) == len(tasks)
    assert sum(row.completed for row in rows) == sum(t.status.value == "approved" for t in tasks)
    assert sum(row.open for row in rows) == sum(t.is_open for t in tasks) > 0
    assert sum(row.overdue for row in rows) == sum(t.is_open for t in tasks)
    assert all(row.online == row.total for row in rows)  # every case here was filed online
    assert all(row.average_working_days(8) is not None for row in rows if row.completed)
    # The overdue list shows the same open tasks, most overdue first.
    from yiwang.db.read_models import overdue_tasks

    overdue = overdue_tasks(platform.engine, "3701", platform.clock(), platform.calendars.current(), 0.25)
    assert {row.id for row in overdue} == {t.id for t in tasks if t.is_open}
    assert [row.due_at for row in overdue] == sorted(row.due_at for row in overdue)
    assert overdue_tasks(platform.engine, "3702", platform.clock(), platform.calendars.current(), 0.25) == []
    # Another city's supervisor sees none of it.
    assert supervision_figures(
        platform.engine, "3702", platform.clock(), platform.calendars.current(), 0.25
    ) == []


def test_open_lights_counted_in_sql_agree_with_the_engine(platform: Platform, clock: SimulatedClock) -> None:
    """The figures count open tasks' lights in SQL (one threshold per limit); at every moment
    they must agree with the engine's `light` applied task by task, paused clocks included."""
    from yiwang.cases.commands import RequestSupplement
    from yiwang.cases.engine import light
    from yiwang.cases.models import Light

    trades = ("明湖", "泉水", "千佛", "趵突", "黑虎", "珍珠")
    case_ids = []
    for n, trade in enumerate(trades):
        case_ids.append(submit_startup(platform, key=f"k-{n}", company_name=f"济南市历下区{trade}数据科技有限公司"))
        clock.advance(timedelta(minutes=50))
    held = next(task for task in platform.cases.get(case_ids[0]).tasks if task.is_open)
    platform.cases.act(RequestSupplement(held.id, "reviewer", note="补正营业场所证明"))
    calendar = platform.calendars.current()
    share = platform.settings.yellow_share
    tasks = [task for case_id in case_ids for task in platform.cases.get(case_id).tasks if task.is_open]
    assert any(task.deadline.clock.paused_at is not None for task in tasks)
    seen = set()
    start = platform.clock()
    for step in range(0, 60):
        now = start + timedelta(minutes=17 * step)
        expected = {Light.RED: 0, Light.YELLOW: 0}
        for task in tasks:
            colour = light(task.deadline, now, calendar, share)
            if colour in expected:
                expected[colour] += 1
            seen.add(colour)
        rows = supervision_figures(platform.engine, "3701", now, calendar, share)
        got = {Light.RED: sum(r.overdue for r in rows), Light.YELLOW: sum(r.due_soon for r in rows)}
        assert got == expected, f"at {now}"
        assert sum(r.open for r in rows) == len(tasks)
    assert {Light.GREEN, Light.YELLOW, Light.RED} <= seen


def test_partial_indexes_name_exactly_the_open_statuses() -> None:
    import re

    from yiwang.cases.models import OPEN_TASK_STATUSES
    from yiwang.db.tables import OPEN_TASKS_SQL

    assert set(re.findall(r"'([a-z_]+)'", OPEN_TASKS_SQL)) == {s.value for s in OPEN_TASK_STATUSES}
