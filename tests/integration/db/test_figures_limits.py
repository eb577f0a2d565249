"""The supervisor's figures remember the time limits open tasks carry, to count lights in one
scan; a limit they have not seen yet must not go uncounted (the figures read the limits
again), so the counts are the same whatever the memory holds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from support import submit_startup
from yiwang.bootstrap import Platform
from yiwang.clock import SimulatedClock
from yiwang.db import read_models
from yiwang.db.read_models import supervision_figures

pytestmark = pytest.mark.integration


def _counts(platform: Platform) -> list[tuple[str, str, int, int, int]]:
    rows = supervision_figures(
        platform.engine, "3701", platform.clock(), platform.calendars.current(), platform.settings.yellow_share
    )
    return [(r.department_code, r.item_code, r.open, r.due_soon, r.overdue) for r in rows]


def test_figures_are_exact_whatever_limits_were_seen_before(platform: Platform, clock: SimulatedClock) -> None:
    submit_startup(platform, key="k-1", company_name="济南市历下区甲乙丙科技有限公司")
    seen_lights = set()
    for _step in range(3 * 24 * 3):
        read_models._SEEN_LIMITS.clear()
        fresh = _counts(platform)
        assert read_models._SEEN_LIMITS, "the limits of the open tasks are remembered"
        assert _counts(platform) == fresh  # from memory: one scan
        read_models._SEEN_LIMITS.clear()
        read_models._SEEN_LIMITS.add("999wd")  # only a limit no task has
        assert _counts(platform) == fresh
        seen_lights |= {("yellow" if row[3] else "") + ("red" if row[4] else "") for row in fresh}
        clock.advance(timedelta(minutes=20))
    # The moments covered tasks due soon and overdue, not only green ones.
    assert any("yellow" in lights for lights in seen_lights) and any("red" in lights for lights in seen_lights)
