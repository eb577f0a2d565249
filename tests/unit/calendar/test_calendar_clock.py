"""The stoppable task clock (R-CAL-2): paused time never counts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.calendar import (
    ClockStateError,
    InvalidArgument,
    NamedDay,
    OfficialYear,
    TaskClock,
    TimeLimit,
    load_default_calendar,
)

CAL = load_default_calendar()
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600


def sh(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_a_started_clock_is_due_by_the_limit_rule() -> None:
    clock = TaskClock.start(sh("2026-03-02T10:00"), TimeLimit.parse("5wd"))
    assert clock.is_running
    assert clock.due(CAL) == CAL.deadline_for(sh("2026-03-02T10:00"), TimeLimit.parse("5wd"))
    # 5 working days = 5 x 7 working hours from Monday 10:00: the next Monday 10:00.
    assert clock.due(CAL).at == sh("2026-03-09T10:00")  # type: ignore[union-attr]
    assert clock.used_working_seconds(sh("2026-03-02T12:00"), CAL) == 2 * HOUR


def test_pause_for_corrections_pushes_the_deadline_by_the_paused_working_time() -> None:
    clock = TaskClock.start(sh("2026-03-02T10:00"), TimeLimit.parse("5wd"))
    paused = clock.pause(sh("2026-03-03T10:00"), CAL)  # one working day + 0 h used: 6 h + 1 h
    assert paused.due(CAL) is None
    assert paused.used_seconds == 7 * HOUR
    # While paused, time does not count, however long the pause.
    assert paused.used_working_seconds(sh("2026-03-20T10:00"), CAL) == 7 * HOUR
    resumed = paused.resume(sh("2026-03-05T10:00"), CAL)  # two working days later
    assert resumed.due(CAL).at == sh("2026-03-11T10:00")  # type: ignore[union-attr]


def test_clock_state_errors() -> None:
    clock = TaskClock.start(sh("2026-03-02T10:00"), TimeLimit.parse("1wd"))
    with pytest.raises(ClockStateError, match="running"):
        clock.resume(sh("2026-03-02T11:00"), CAL)
    with pytest.raises(ClockStateError, match="before"):
        clock.pause(sh("2026-03-02T09:00"), CAL)
    paused = clock.pause(sh("2026-03-02T11:00"), CAL)
    with pytest.raises(ClockStateError, match="already paused"):
        paused.pause(sh("2026-03-02T12:00"), CAL)
    with pytest.raises(ClockStateError, match="before the pause"):
        paused.resume(sh("2026-03-02T10:30"), CAL)
    with pytest.raises(InvalidArgument, match="timezone-aware"):
        TaskClock.start(dt.datetime(2026, 3, 2, 10), TimeLimit.instant())
    with pytest.raises(ClockStateError, match="exactly one"):
        TaskClock(TimeLimit.instant(), sh("2026-03-02T10:00"), anchor_at=None, paused_at=None)


def test_paused_after_the_deadline_stays_overdue_by_the_same_working_time() -> None:
    clock = TaskClock.start(sh("2026-03-02T10:00"), TimeLimit.parse("2h"))  # due 12:00
    paused = clock.pause(sh("2026-03-02T14:00"), CAL)  # 1 h overdue
    resumed = paused.resume(sh("2026-03-04T10:00"), CAL)
    due = resumed.due(CAL)
    assert due is not None
    assert CAL.working_seconds_between(due.at, sh("2026-03-04T10:00")) == HOUR
    assert resumed.remaining_working_seconds(sh("2026-03-04T10:00"), CAL) == -HOUR


def test_instant_limit_is_due_at_close_of_the_day_it_starts() -> None:
    clock = TaskClock.start(sh("2026-03-02T10:00"), TimeLimit.instant())
    assert clock.due(CAL).at == sh("2026-03-02T17:00")  # type: ignore[union-attr]
    # Paused at 10:00 with 6 working hours left; resumed next morning, those 6 hours remain.
    again = clock.pause(sh("2026-03-02T10:00"), CAL).resume(sh("2026-03-03T09:30"), CAL)
    assert again.due(CAL).at == sh("2026-03-03T16:30")  # type: ignore[union-attr]


def test_deadline_is_recomputed_when_the_next_official_year_is_loaded() -> None:
    start = sh("2026-12-28T10:00")
    clock = TaskClock.start(start, TimeLimit.parse("5wd"))
    clock = clock.pause(sh("2026-12-29T10:00"), CAL).resume(sh("2026-12-30T10:00"), CAL)
    provisional = clock.due(CAL)
    assert provisional is not None and provisional.provisional
    year_2027 = OfficialYear(
        2027,
        holidays=(NamedDay(dt.date(2027, 1, 1), "元旦"), NamedDay(dt.date(2027, 1, 4), "元旦")),
        source="test",
    )
    official = clock.due(CAL.with_official_year(year_2027))
    assert official is not None and not official.provisional
    # One more day off (4 January) pushes the deadline one working day later.
    assert (
        CAL.with_official_year(year_2027)
        .working_days_between(provisional.at.date(), official.at.date())
        .days
        == 1
    )


def test_replay_rebuilds_the_same_clock() -> None:
    start = sh("2026-03-02T10:00")
    history = [(sh("2026-03-03T10:00"), sh("2026-03-05T10:00")), (sh("2026-03-06T11:00"), None)]
    clock = TaskClock.start(start, TimeLimit.parse("5wd"))
    clock = clock.pause(sh("2026-03-03T10:00"), CAL).resume(sh("2026-03-05T10:00"), CAL)
    clock = clock.pause(sh("2026-03-06T11:00"), CAL)
    assert clock.used_seconds == 7 * HOUR + 8 * HOUR  # Mon 10:00-Tue 10:00, Thu 10:00-Fri 11:00
    assert TaskClock.replay(start, TimeLimit.parse("5wd"), history, CAL) == clock


# --------------------------------------------------------------------------- properties

steps = st.lists(st.integers(min_value=0, max_value=5 * 24 * HOUR), min_size=1, max_size=8)
limits = st.sampled_from(["instant", "0.5wd", "1wd", "5wd", "2h", "20wd"]).map(TimeLimit.parse)
starts = st.datetimes(
    min_value=dt.datetime(2005, 1, 1),
    max_value=dt.datetime(2058, 1, 1),
    timezones=st.just(SHANGHAI),
).map(lambda t: t.replace(microsecond=0))


@given(starts, limits, steps)
def test_paused_time_never_counts(start: dt.datetime, limit: TimeLimit, gaps: list[int]) -> None:
    """Alternate run / pause segments: used time is the working time of the runs only, and
    the deadline moves by exactly the working time of the pauses."""
    clock = TaskClock.start(start, limit)
    original_due = clock.due(CAL)
    assert original_due is not None
    at, running_total, paused_total = start, 0, 0
    for gap in gaps:
        following = at + dt.timedelta(seconds=gap)
        worked = CAL.working_seconds_between(at, following)
        if clock.is_running:
            running_total += worked
            clock = clock.pause(following, CAL)
        else:
            paused_total += worked
            assert clock.used_working_seconds(following, CAL) == running_total
            clock = clock.resume(following, CAL)
        at = following
    assert clock.used_working_seconds(at, CAL) == running_total
    due = clock.due(CAL)
    if clock.is_running:
        assert due is not None
        assert CAL.working_seconds_between(original_due.at, due.at) == paused_total
        assert clock.remaining_working_seconds(at, CAL) == CAL.working_seconds_between(at, due.at)
    else:
        assert due is None
