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
    # Another city's supervisor sees none of it.
    assert supervision_figures(
        platform.engine, "3702", platform.clock(), platform.calendars.current(), 0.25
    ) == []
