"""Loading next year's official calendar recomputes provisional deadlines of open work."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from support import FOUNDER_ID, startup_form
from yiwang.bootstrap import Platform
from yiwang.cases.commands import SubmitApplication
from yiwang.cases.models import EventKind
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")

# A made-up 2027 schedule for the test: 4 January, a Monday, becomes a day off.
YEAR_2027 = """
year: 2027
source: test schedule (not official)
holidays:
  - name: 元旦
    dates: 2027-01-01 .. 2027-01-04
"""


def test_official_year_recomputes_open_deadlines(platform: Platform, clock: SimulatedClock) -> None:
    clock.set(datetime(2026, 12, 31, 16, 0, tzinfo=SHANGHAI))
    case_id = platform.cases.submit(
        SubmitApplication("bundle.enterprise_startup", FOUNDER_ID, "李明", "370102", startup_form())
    ).case_id
    case = platform.cases.get(case_id)
    # The registration (0.5 working day) waits for its reviewer: the founder named as legal
    # representative has not been proved by the registry in this test, so nothing is instant.
    task = next(t for t in case.tasks if t.item_code == "market.enterprise_registration")
    # 1 working hour on 31 December, then (provisionally) 2.5 hours on Monday 4 January.
    assert task.deadline.due_at == datetime(2027, 1, 4, 11, 30, tzinfo=SHANGHAI)
    assert task.deadline.provisional

    year, changed = platform.load_calendar_year(YEAR_2027, "2027.yaml")
    assert year == 2027 and changed >= 2

    task = platform.cases.get(case_id).task(task.id)
    assert task.deadline.due_at == datetime(2027, 1, 5, 11, 30, tzinfo=SHANGHAI)
    assert not task.deadline.provisional
    recomputed = [
        e for e in platform.cases.events(case_id) if e.kind is EventKind.DEADLINE_RECOMPUTED
    ]
    task_event = next(e for e in recomputed if e.task_id == task.id)
    assert task_event.data["was_provisional"] and not task_event.data["provisional"]
    assert task_event.data["before"].startswith("2027-01-04") and task_event.data[
        "after"
    ].startswith("2027-01-05")
    # Loading the same year again changes nothing and records nothing new.
    assert platform.load_calendar_year(YEAR_2027, "2027.yaml") == (2027, 0)


def test_case_keeps_its_catalog_version(
    platform: Platform, clock: SimulatedClock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from yiwang.bootstrap import SHIPPED_CATALOG

    case_id = platform.cases.submit(
        SubmitApplication("bundle.enterprise_startup", FOUNDER_ID, "李明", "370102", startup_form())
    ).case_id
    first_version = platform.cases.get(case_id).catalog_version
    changed = tmp_path / "catalog"
    shutil.copytree(SHIPPED_CATALOG, changed)
    items = changed / "items" / "enterprise_startup.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace("promised_limit: 2h", "promised_limit: 3h"),
        encoding="utf-8",
    )
    new_spec = platform.catalogs.publish(changed, clock())
    assert new_spec.version != first_version
    assert platform.catalogs.current().version == new_spec.version
    # The running case still follows the version it started under.
    assert platform.cases.get(case_id).catalog_version == first_version
    assert (
        str(platform.catalogs.version(first_version).item("police.seal_carving").promised_limit)
        == "2h"
    )
