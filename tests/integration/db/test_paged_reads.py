"""Keyset pages of the inbox and the overdue list: page after page gives the whole list's
rows once each, in its order, across the green channel, equal deadlines and tasks without a
deadline (a paused clock) — the places where a position between two pages is easy to get
wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from support import submit_startup
from yiwang.bootstrap import Platform
from yiwang.clock import SimulatedClock
from yiwang.db import tables as t
from yiwang.db.read_models import (
    InvalidCursor,
    Page,
    TaskRow,
    encode_cursor,
    inbox,
    inbox_summary,
    overdue_tasks,
)

pytestmark = pytest.mark.integration


def _all_pages(read: object, limit: int) -> list[str]:
    ids: list[str] = []
    after: str | None = None
    for _ in range(100):
        page: Page[TaskRow] = read(after, limit)  # type: ignore[operator]
        assert len(page) <= limit
        ids += [row.id for row in page]
        if page.after is None:
            return ids
        after = page.after
    raise AssertionError("the pages never end")


def test_inbox_and_overdue_pages_cover_the_list_once_in_order(platform: Platform, clock: SimulatedClock) -> None:
    cases = [submit_startup(platform, key=f"k-{n}", company_name=name) for n, name in enumerate(
        ["济南市历下区甲乙丙科技有限公司", "济南市历下区泉水数据科技有限公司", "济南市历下区千佛山软件有限公司"]
    )]
    open_tasks = [task for case_id in cases for task in platform.cases.get(case_id).tasks if task.is_open]
    department = open_tasks[0].department_code
    mine = [task for task in open_tasks if task.department_code == department]
    assert len(mine) >= 3
    with platform.engine.begin() as connection:
        # The green channel for the last case, one task without a deadline, two tasks due at
        # the same instant.
        connection.execute(update(t.cases).where(t.cases.c.id == cases[-1]).values(priority=True))
        connection.execute(update(t.tasks).where(t.tasks.c.id == mine[0].id).values(due_at=None))
        same = mine[1].deadline.due_at
        connection.execute(update(t.tasks).where(t.tasks.c.id.in_([mine[1].id, mine[2].id])).values(due_at=same))
    now, calendar, share = platform.clock(), platform.calendars.current(), platform.settings.yellow_share

    whole = inbox(platform.engine, department, now, calendar, share, limit=200)
    assert whole.after is None and len(whole) == len(mine)
    assert whole[0].priority and whole[-1].due_at is None
    for size in (1, 2):
        assert _all_pages(
            lambda after, limit: inbox(platform.engine, department, now, calendar, share, after=after, limit=limit), size
        ) == [row.id for row in whole]

    # Narrowed in SQL (the workbench's filters), so a page holds 50 matching rows, not the
    # matching rows among 50.
    item = mine[1].item_code
    assert [row.id for row in inbox(platform.engine, department, now, calendar, share, item_code=item)] == [
        row.id for row in whole if row.item_code == item
    ]
    assert inbox(platform.engine, department, now, calendar, share, item_code="no.such.item") == []
    assert [row.id for row in inbox(platform.engine, department, now, calendar, share, status="pending")] == [
        row.id for row in whole if row.status == "pending"
    ]
    name = whole[0].applicant_name
    assert {row.applicant_name for row in inbox(platform.engine, department, now, calendar, share, applicant=name[:3])} == {name}
    assert inbox(platform.engine, department, now, calendar, share, applicant="%_") == []  # no wildcards
    # The filter's choices and the count come from all the open tasks, not from one page.
    summary = inbox_summary(platform.engine, department)
    assert summary.total == len(whole)
    assert set(summary.items) == {row.item_code for row in whole}
    assert set(summary.statuses) == {row.status for row in whole}
    assert inbox_summary(platform.engine, "no.such.department").total == 0

    clock.advance(timedelta(days=30))  # every task with a deadline is overdue now
    later = platform.clock()
    overdue = overdue_tasks(platform.engine, "3701", later, calendar, share, limit=200)
    assert len(overdue) == len(open_tasks) - 1  # the one without a deadline is not overdue
    assert _all_pages(
        lambda after, limit: overdue_tasks(platform.engine, "3701", later, calendar, share, after=after, limit=limit), 1
    ) == [row.id for row in overdue]
    # Another city's supervisor gets an empty page, and no next one.
    elsewhere = overdue_tasks(platform.engine, "3702", later, calendar, share)
    assert elsewhere == [] and elsewhere.after is None


@pytest.mark.parametrize(
    "cursor",
    ["", "!!", "bnVsbA", encode_cursor("x"), encode_cursor(None, "T-1"), encode_cursor("2026-01-01T00:00:00", "T-1"), encode_cursor(1, 2)],
)
def test_a_forged_position_is_refused(platform: Platform, cursor: str) -> None:
    now, calendar = platform.clock(), platform.calendars.current()
    with pytest.raises(InvalidCursor) as refused:
        overdue_tasks(platform.engine, "3701", now, calendar, 0.25, after=cursor)
    assert refused.value.status == 422 and "翻页位置无效" in refused.value.message_zh
