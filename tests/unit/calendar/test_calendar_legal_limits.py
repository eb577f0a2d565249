"""Calendar-day limits (民法典 Art. 201, 203), the day-of-receipt kinds, the one meaning of
"N working days", month-day limits against the monthly windows, and limit wording."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.calendar import (
    InvalidTimeLimit,
    LimitKind,
    OfficeHours,
    TimeLimit,
    describe_limit,
    describe_limit_text,
    load_default_calendar,
)
from yiwang.calendar.models import guaranteed_working_days, promise_within
from yiwang.calendar.month import working_day_windows, working_days_in_month

SH = ZoneInfo("Asia/Shanghai")
CAL = load_default_calendar()
OFFICE = OfficeHours.default()


def at(y: int, m: int, d: int, h: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=SH)


# --------------------------------------------------------------------------- calendar days


def test_seven_days_ending_in_national_day_move_to_the_next_working_day() -> None:
    # 2026-09-28 + 7 days = 5 October, inside 国庆 (1-7 October): moved to Thursday 8 October.
    answer = CAL.deadline_for(at(2026, 9, 28), TimeLimit.parse("7d"))
    assert answer.at == at(2026, 10, 8, 17, 0)
    assert answer.provisional is False


def test_seven_days_ending_on_a_working_day_end_that_day_at_closing_time() -> None:
    # Monday 2 March 2026 + 7 = Monday 9 March, a working day: no move.
    assert CAL.deadline_for(at(2026, 3, 2), TimeLimit.parse("7d")).at == at(2026, 3, 9, 17, 0)


def test_a_last_day_on_a_weekend_moves_to_monday() -> None:
    # Tuesday 3 March + 4 = Saturday 7 March -> Monday 9 March.
    assert CAL.deadline_for(at(2026, 3, 3), TimeLimit.parse("4d")).at == at(2026, 3, 9, 17, 0)


def test_a_last_day_on_an_adjusted_working_saturday_stays() -> None:
    # Saturday 10 October 2026 is worked (调休): a period ending then ends then.
    assert CAL.deadline_for(at(2026, 10, 3), TimeLimit.parse("7d")).at == at(2026, 10, 10, 17, 0)


def test_the_start_day_is_not_counted_even_after_hours() -> None:
    # 民法典 Art. 201: received at 20:00 on 2 March, day 1 is 3 March.
    assert CAL.deadline_for(at(2026, 3, 2, 20, 0), TimeLimit.parse("1d")).at == at(
        2026, 3, 3, 17, 0
    )


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 11, 30)),
    n=st.integers(min_value=1, max_value=60),
)
def test_a_calendar_day_period_ends_on_the_first_working_day_from_start_plus_n(
    day: dt.date, n: int
) -> None:
    due = CAL.deadline_for(at(day.year, day.month, day.day), TimeLimit.calendar_days(n)).at
    last = day + dt.timedelta(days=n)
    assert due.date() >= last
    assert CAL.is_working_day(due.date())
    assert due.time() == dt.time(17, 0)
    # No working day lies between the nominal last day and the moved one.
    between = [last + dt.timedelta(days=k) for k in range((due.date() - last).days)]
    assert not any(CAL.is_working_day(d) for d in between)


def test_calendar_days_must_be_whole() -> None:
    with pytest.raises(InvalidTimeLimit):
        TimeLimit.parse("7.5d")
    with pytest.raises(InvalidTimeLimit):
        TimeLimit.parse("0d")


def test_parse_reads_every_spelling_and_round_trips() -> None:
    assert TimeLimit.parse("7日") == TimeLimit.parse("7天") == TimeLimit.parse("7d")
    assert TimeLimit.parse("7自然日") == TimeLimit.calendar_days(7)
    assert TimeLimit.parse("2wh") == TimeLimit.parse("2h") == TimeLimit.parse("2个工作小时")
    assert TimeLimit.parse("当日").kind is LimitKind.SAME_DAY
    assert TimeLimit.parse("收到即备案").kind is LimitKind.ON_RECEIPT
    for text in ("instant", "same_day", "on_receipt", "7d", "0.5wd", "2h", "12mwd"):
        assert str(TimeLimit.parse(text)) == text


def test_day_of_receipt_kinds_are_due_at_the_close_of_the_day_of_receipt() -> None:
    for text in ("instant", "same_day", "on_receipt"):
        limit = TimeLimit.parse(text)
        assert CAL.deadline_for(at(2026, 3, 2), limit).at == at(2026, 3, 2, 17, 0)
        # Received on Saturday: the next working day.
        assert CAL.deadline_for(at(2026, 3, 7), limit).at == at(2026, 3, 9, 17, 0)


# --------------------------------------------------------------------------- one meaning


def test_monday_0930_plus_one_working_day_is_tuesday_0930() -> None:
    monday = at(2026, 3, 2)
    assert CAL.deadline_for(monday, TimeLimit.parse("1wd")).at == at(2026, 3, 3)
    half = CAL.deadline_for(monday, TimeLimit.parse("0.5wd")).at
    assert half == at(2026, 3, 2, 14, 0)
    # Two half days, one after the other (the start-up's two stages), end with the bundle's day.
    assert CAL.deadline_for(half, TimeLimit.parse("0.5wd")).at == at(2026, 3, 3)
    assert CAL.working_days_used(monday, at(2026, 3, 3)) == 1


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 10, 1)),
    a=st.integers(min_value=1, max_value=40),
    b=st.integers(min_value=1, max_value=40),
)
def test_working_days_add_up_whatever_the_split(start: dt.datetime, a: int, b: int) -> None:
    t = start.replace(tzinfo=SH)
    half_days = [TimeLimit.working_days(n / 2) for n in (a, b)]
    first = CAL.deadline_for(t, half_days[0]).at
    both = CAL.deadline_for(first, half_days[1]).at
    whole = CAL.deadline_for(t, TimeLimit.working_days((a + b) / 2))
    assert both == whole.at


# --------------------------------------------------------------------------- month windows


def test_february_2026_payment_limit_agrees_with_the_windows() -> None:
    assert working_days_in_month(CAL, 2026, 2) == 16
    windows = working_day_windows(CAL, 2026, 2)
    due = CAL.deadline_for(at(2026, 2, 2), TimeLimit.parse("17mwd")).at
    # The 17th working day does not exist: capped at the last one, Saturday 28 February
    # (a worked day), as the province-pays window is; not 24 March.
    assert due.date() == windows[2].last == dt.date(2026, 2, 28)
    assert CAL.deadline_for(at(2026, 2, 2), TimeLimit.parse("12mwd")).at.date() == windows[1].last


def test_after_the_capped_day_closes_the_next_month_counts() -> None:
    due = CAL.deadline_for(at(2026, 2, 28, 17, 30), TimeLimit.parse("17mwd")).at
    assert due.month == 3


# --------------------------------------------------------------------------- comparisons


def test_nominal_working_days_is_one_definition() -> None:
    assert TimeLimit.parse("0.5wd").nominal_working_days(OFFICE) == Fraction(1, 2)
    assert TimeLimit.parse("7d").nominal_working_days(OFFICE) == 5
    assert TimeLimit.parse("same_day").nominal_working_days(OFFICE) == 0
    assert TimeLimit.parse("2h").nominal_working_days(OFFICE) == Fraction(2, 7)


def test_a_promise_must_fit_in_every_calendar_day_period() -> None:
    assert guaranteed_working_days(7) == 1
    assert promise_within(TimeLimit.parse("0.5wd"), TimeLimit.parse("15d"), OFFICE)
    assert promise_within(TimeLimit.parse("10wd"), TimeLimit.parse("30d"), OFFICE)
    # 7 working days can run past 7 calendar days (across 国庆 it does): refused.
    assert not promise_within(TimeLimit.parse("7wd"), TimeLimit.parse("7d"), OFFICE)
    assert not promise_within(TimeLimit.parse("3wd"), TimeLimit.parse("on_receipt"), OFFICE)
    assert promise_within(TimeLimit.parse("7d"), TimeLimit.parse("7d"), OFFICE)


@settings(max_examples=100, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 10, 31)),
    n=st.integers(min_value=1, max_value=60),
)
def test_guaranteed_working_days_hold_on_the_real_calendar(day: dt.date, n: int) -> None:
    start = at(day.year, day.month, day.day, 17, 0)  # the latest start of the day
    legal = CAL.deadline_for(start, TimeLimit.calendar_days(n)).at
    promise = CAL.deadline_for(start, TimeLimit.working_days(guaranteed_working_days(n))).at
    assert promise <= legal


# --------------------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("0.5wd", "0.5个工作日", "0.5 working days"),
        ("1wd", "1个工作日", "1 working day"),
        ("2h", "2个工作小时", "2 working hours"),
        ("12mwd", "当月第12个工作日前", "by the 12th working day of the month"),
        ("1mwd", "当月第1个工作日前", "by the 1st working day of the month"),
        ("22mwd", "当月第22个工作日前", "by the 22nd working day of the month"),
        ("7d", "7日（自然日）", "7 calendar days"),
        ("instant", "即办", "on the spot"),
        ("same_day", "当日办结", "the same working day"),
        ("on_receipt", "收到即备案", "on receipt"),
    ],
)
def test_every_kind_reads_the_same_everywhere(text: str, zh: str, en: str) -> None:
    assert describe_limit(TimeLimit.parse(text)) == (zh, en)
    assert describe_limit_text(text) == (zh, en)


def test_wording_of_unreadable_text_shows_it_as_it_is() -> None:
    assert describe_limit_text("soon") == ("soon", "soon")
