"""Office hours, time limits, working seconds and deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.calendar import (
    InvalidArgument,
    InvalidOfficeHours,
    InvalidTimeLimit,
    LimitKind,
    OfficeHours,
    TimeLimit,
    load_default_calendar,
)

CAL = load_default_calendar()
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
HOUR = 3600


def sh(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


# --------------------------------------------------------------------------- office hours


def test_default_office_hours() -> None:
    hours = OfficeHours.default()
    assert str(hours) == "09:00-12:00,13:00-17:00"
    assert hours.timezone == "Asia/Shanghai"
    assert hours.day_seconds == 7 * HOUR
    assert hours.opens_at == dt.time(9) and hours.closes_at == dt.time(17)
    assert OfficeHours.parse(str(hours)) == hours
    assert CAL.office_hours == hours


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("09:00-08:00", "start must be before end"),
        ("09:00-12:00,11:00-17:00", "overlaps"),
        ("13:00-17:00,09:00-12:00", "overlaps or precedes"),
        ("9-12", "HH:MM-HH:MM"),
        ("09:00-24:30", "invalid time of day"),
        ("", "HH:MM-HH:MM"),
    ],
)
def test_bad_office_hours_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(InvalidOfficeHours, match=problem):
        OfficeHours.parse(text)


def test_unknown_time_zone_is_rejected() -> None:
    with pytest.raises(InvalidOfficeHours, match="Mars/Olympus"):
        OfficeHours.parse("09:00-17:00", "Mars/Olympus")


def test_load_default_calendar_accepts_office_hours_text_and_caches() -> None:
    custom = load_default_calendar("08:30-12:00,14:00-17:30")
    assert custom.office_hours.day_seconds == 7 * HOUR
    assert custom is load_default_calendar("08:30-12:00,14:00-17:30")
    assert custom.deadline_for(sh("2026-03-02T10:00"), TimeLimit.working_days(1)).at == sh(
        "2026-03-03T10:00"
    )
    assert custom.deadline_for(sh("2026-03-02T10:00"), TimeLimit.instant()).at == sh(
        "2026-03-02T17:30"
    )


# --------------------------------------------------------------------------- time limits


@pytest.mark.parametrize(
    ("text", "kind", "amount", "canonical"),
    [
        ("instant", LimitKind.INSTANT, "0", "instant"),
        ("即办", LimitKind.INSTANT, "0", "instant"),
        ("0.5wd", LimitKind.WORKING_DAYS, "0.5", "0.5wd"),
        ("1wd", LimitKind.WORKING_DAYS, "1", "1wd"),
        ("20wd", LimitKind.WORKING_DAYS, "20", "20wd"),
        ("20.0 WD", LimitKind.WORKING_DAYS, "20", "20wd"),
        ("100wd", LimitKind.WORKING_DAYS, "100", "100wd"),
        ("2h", LimitKind.WORKING_HOURS, "2", "2h"),
        ("1个工作日", LimitKind.WORKING_DAYS, "1", "1wd"),
        ("2小时", LimitKind.WORKING_HOURS, "2", "2h"),
    ],
)
def test_time_limit_parse_and_str(text: str, kind: LimitKind, amount: str, canonical: str) -> None:
    limit = TimeLimit.parse(text)
    assert limit.kind is kind
    assert limit.amount == Decimal(amount)
    assert str(limit) == canonical
    assert TimeLimit.parse(str(limit)) == limit


@pytest.mark.parametrize("text", ["0wd", "-1wd", "3x", "nan h", "1e3wd", "wd", "", "0h"])
def test_bad_time_limits_are_rejected(text: str) -> None:
    with pytest.raises(InvalidTimeLimit, match=r"time limit|must"):
        TimeLimit.parse(text)


def test_time_limit_constructors() -> None:
    assert TimeLimit.working_days(0.5) == TimeLimit.parse("0.5wd")
    assert TimeLimit.working_days(Decimal("0.50")) == TimeLimit.parse("0.5wd")
    assert TimeLimit.working_hours(2) == TimeLimit.parse("2h")
    assert TimeLimit.instant() == TimeLimit.parse("instant")
    with pytest.raises(InvalidTimeLimit):
        TimeLimit.working_days(-1)
    with pytest.raises(InvalidTimeLimit):
        TimeLimit.working_hours(float("inf"))
    with pytest.raises(InvalidTimeLimit):
        TimeLimit.working_days(True)
    assert len({TimeLimit.parse("1wd"), TimeLimit.working_days(1), TimeLimit.parse("1.0wd")}) == 1


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2))
def test_time_limit_text_round_trips(amount: Decimal) -> None:
    for limit in (TimeLimit.working_days(amount), TimeLimit.working_hours(amount)):
        assert TimeLimit.parse(str(limit)) == limit
        assert str(TimeLimit.parse(str(limit))) == str(limit)


def test_nominal_working_seconds() -> None:
    hours = OfficeHours.default()
    assert TimeLimit.instant().working_seconds_nominal(hours) == 0
    assert TimeLimit.parse("0.5wd").working_seconds_nominal(hours) == 3.5 * HOUR
    assert TimeLimit.parse("20wd").working_seconds_nominal(hours) == 20 * 7 * HOUR
    assert TimeLimit.parse("2h").working_seconds_nominal(hours) == 2 * HOUR


# --------------------------------------------------------------------------- working seconds


def test_working_seconds_of_a_day_and_over_a_weekend() -> None:
    assert CAL.working_seconds_between(sh("2026-03-02T09:00"), sh("2026-03-02T17:00")) == 7 * HOUR
    assert CAL.working_seconds_between(sh("2026-03-02T00:00"), sh("2026-03-03T00:00")) == 7 * HOUR
    assert CAL.working_seconds_between(sh("2026-03-02T11:00"), sh("2026-03-02T14:00")) == 2 * HOUR
    assert CAL.working_seconds_between(sh("2026-03-06T16:00"), sh("2026-03-09T10:00")) == 2 * HOUR
    assert CAL.working_seconds_between(sh("2026-03-09T10:00"), sh("2026-03-06T16:00")) == -2 * HOUR


def test_working_seconds_skip_spring_festival_2026() -> None:
    # 2026-02-14 (Saturday) is worked, then 15-23 are off.
    start, end = sh("2026-02-14T16:00"), sh("2026-02-24T10:00")
    assert CAL.working_seconds_between(start, end) == 2 * HOUR


def test_instants_in_any_time_zone() -> None:
    start = dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    end = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 17:00 in Shanghai
    assert CAL.working_seconds_between(start, end) == 7 * HOUR
    answer = CAL.add_working_seconds(start, 7 * HOUR)
    assert answer.at == end
    assert answer.at.tzinfo is UTC  # answers keep the caller's zone


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(InvalidArgument, match="timezone-aware"):
        CAL.working_seconds_between(dt.datetime(2026, 3, 2, 9), sh("2026-03-02T10:00"))


def test_adding_ends_at_the_earliest_instant() -> None:
    assert CAL.add_working_seconds(sh("2026-03-02T09:00"), 3 * HOUR).at == sh("2026-03-02T12:00")
    assert CAL.add_working_seconds(sh("2026-03-02T09:00"), 3 * HOUR + 1).at == sh(
        "2026-03-02T13:00:01"
    )
    assert CAL.add_working_seconds(sh("2026-03-02T09:00"), 7 * HOUR).at == sh("2026-03-02T17:00")
    assert CAL.add_working_seconds(sh("2026-03-07T12:00"), 1).at == sh("2026-03-09T09:00:01")
    assert CAL.add_working_seconds(sh("2026-03-02T20:00"), 0).at == sh("2026-03-02T20:00")


def test_subtracting_ends_at_the_latest_instant() -> None:
    assert CAL.add_working_seconds(sh("2026-03-02T14:00"), -HOUR).at == sh("2026-03-02T13:00")
    assert CAL.add_working_seconds(sh("2026-03-09T10:00"), -HOUR).at == sh("2026-03-09T09:00")
    assert CAL.add_working_seconds(sh("2026-03-09T10:00"), -2 * HOUR).at == sh("2026-03-06T16:00")


# --------------------------------------------------------------------------- deadlines


def test_deadline_rules() -> None:
    start = sh("2026-03-02T10:00")  # a Monday
    assert CAL.deadline_for(start, TimeLimit.instant()).at == sh("2026-03-02T17:00")
    # Started after hours (or on a rest day), instant work is due by the next working day's close.
    assert CAL.deadline_for(sh("2026-03-02T17:30"), TimeLimit.instant()).at == sh("2026-03-03T17:00")
    assert CAL.deadline_for(sh("2026-03-07T10:00"), TimeLimit.instant()).at == sh("2026-03-09T17:00")
    assert CAL.deadline_for(start, TimeLimit.parse("2h")).at == sh("2026-03-02T12:00")
    assert CAL.deadline_for(start, TimeLimit.parse("0.5wd")).at == sh("2026-03-02T14:30")
    # One meaning of "N working days": N x 7 working hours from the start instant.
    assert CAL.deadline_for(start, TimeLimit.parse("1wd")).at == sh("2026-03-03T10:00")
    assert CAL.deadline_for(start, TimeLimit.parse("20wd")).at == sh("2026-03-30T10:00")


def test_half_day_from_late_afternoon_carries_to_the_next_working_day() -> None:
    answer = CAL.deadline_for(sh("2026-03-06T16:00"), TimeLimit.parse("0.5wd"))  # Friday
    assert answer.at == sh("2026-03-09T11:30")


def test_whole_day_deadline_from_a_holiday_counts_from_that_date() -> None:
    # Accepted online on 元旦 2026: 1-3 January are off and Sunday 4 January is worked.
    answer = CAL.deadline_for(sh("2026-01-01T10:00"), TimeLimit.parse("1wd"))
    assert answer.at == sh("2026-01-04T17:00")


def test_deadline_uses_the_office_date_of_the_start_instant() -> None:
    # 23:30 UTC on Friday 6 March is 07:30 on Saturday 7 March in Shanghai.
    start = dt.datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
    answer = CAL.deadline_for(start, TimeLimit.parse("1wd"))
    assert answer.at == sh("2026-03-09T17:00")
    assert answer.at.tzinfo is UTC


def test_two_hours_from_a_weekend_start_on_monday() -> None:
    assert CAL.deadline_for(sh("2026-03-07T10:00"), TimeLimit.parse("2h")).at == sh(
        "2026-03-09T11:00"
    )


# --------------------------------------------------------------------------- properties

zones = st.sampled_from([SHANGHAI, UTC, ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")])
instants = st.datetimes(
    min_value=dt.datetime(2004, 1, 2),
    max_value=dt.datetime(2060, 6, 30),
    timezones=zones,
    allow_imaginary=False,
).map(lambda t: t.replace(microsecond=0))
official_instants = st.datetimes(
    min_value=dt.datetime(2004, 1, 2),
    max_value=dt.datetime(2026, 12, 30),
    timezones=zones,
    allow_imaginary=False,
).map(lambda t: t.replace(microsecond=0))
# At most ~400 working days either way, so starts keep two years off both ends of the table.
seconds = st.integers(min_value=-(10**7), max_value=10**7)
middle_instants = st.datetimes(
    min_value=dt.datetime(2006, 1, 1),
    max_value=dt.datetime(2058, 12, 31),
    timezones=zones,
    allow_imaginary=False,
).map(lambda t: t.replace(microsecond=0))


@given(middle_instants, seconds)
def test_working_seconds_between_start_and_add_is_s(start: dt.datetime, s: int) -> None:
    answer = CAL.add_working_seconds(start, s)
    assert CAL.working_seconds_between(start, answer.at) == s
    assert answer.at.utcoffset() == answer.at.astimezone(start.tzinfo).utcoffset()
    one = dt.timedelta(seconds=1)
    if s > 0:  # the earliest such instant
        assert answer.at > start
        assert CAL.working_seconds_between(start, answer.at - one) == s - 1
    elif s < 0:  # the latest such instant
        assert answer.at < start
        assert CAL.working_seconds_between(start, answer.at + one) == s + 1


def oracle_working_seconds(a: dt.datetime, b: dt.datetime) -> int:
    """Day by day over chinese_calendar, office hours 09-12, 13-17 Shanghai; a <= b."""
    a, b = a.astimezone(SHANGHAI), b.astimezone(SHANGHAI)
    total, day = 0, a.date()
    while day <= b.date():
        if chinese_calendar.is_workday(day):
            for open_h, close_h in ((9, 12), (13, 17)):
                opens = dt.datetime(day.year, day.month, day.day, open_h, tzinfo=SHANGHAI)
                closes = dt.datetime(day.year, day.month, day.day, close_h, tzinfo=SHANGHAI)
                low, high = max(opens, a), min(closes, b)
                total += max(0, int((high - low).total_seconds()))
        day += dt.timedelta(days=1)
    return total


@given(official_instants, st.integers(min_value=0, max_value=90 * 24 * HOUR))
def test_working_seconds_agree_with_a_day_by_day_oracle(start: dt.datetime, span: int) -> None:
    end = min(start + dt.timedelta(seconds=span), dt.datetime(2026, 12, 31, tzinfo=UTC))
    if end < start:
        end = start
    assert CAL.working_seconds_between(start, end) == oracle_working_seconds(start, end)


@given(instants, instants)
def test_working_seconds_are_monotonic(a: dt.datetime, b: dt.datetime) -> None:
    a, b = sorted((a, b))
    assert CAL.working_seconds_between(a, b) >= 0


@given(instants, st.sampled_from(["instant", "0.5wd", "1wd", "3wd", "2h", "1.5wd", "20wd"]))
def test_deadlines_are_never_before_the_start(start: dt.datetime, text: str) -> None:
    limit = TimeLimit.parse(text)
    due = CAL.deadline_for(start, limit)
    assert due.at >= start
    granted = CAL.working_seconds_between(start, due.at)
    assert granted >= limit.working_seconds_nominal(CAL.office_hours)
    # Working days and hours grant exactly their working time (the one meaning of "N
    # working days"); only the day-of-receipt kinds run to the close of the day.
    if limit.kind is not LimitKind.INSTANT:
        assert granted == limit.working_seconds_nominal(CAL.office_hours)
