"""Monthly working-day windows (plan 6, innovation vouchers): 2026 months with holidays, the
clip at a short month's end, provisional years, refusals, and agreement with a plain walk over
the month's days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.calendar import DateOutOfRange, InvalidArgument, WorkingCalendar, load_default_calendar
from yiwang.calendar.month import (
    VOUCHER_WINDOWS,
    MonthWindow,
    working_day_windows,
    working_days_in_month,
)
from yiwang.calendar.official import package_official_years

CAL = load_default_calendar()
D = dt.date


def test_october_2026_starts_after_national_day_and_counts_the_adjusted_saturday() -> None:
    # 1-7 October off; Saturday 10 October is an adjusted working day.
    assert working_day_windows(CAL, 2026, 10) == (
        MonthWindow(D(2026, 10, 8), D(2026, 10, 15), False),  # 8, 9, 10(Sat), 12, 13, 14, 15
        MonthWindow(D(2026, 10, 16), D(2026, 10, 22), False),
        MonthWindow(D(2026, 10, 23), D(2026, 10, 29), False),
    )
    assert working_days_in_month(CAL, 2026, 10) == 18


def test_february_2026_review_spans_spring_festival_and_payment_is_clipped() -> None:
    # Spring Festival 15-23 February off; Saturdays 14 and 28 February are working days.
    windows = working_day_windows(CAL, 2026, 2)
    assert working_days_in_month(CAL, 2026, 2) == 16
    assert windows[0] == MonthWindow(D(2026, 2, 2), D(2026, 2, 10), False)
    # Days 8-12: 11, 12, 13, 14 (Sat) and, after the holiday, 24 February.
    assert windows[1] == MonthWindow(D(2026, 2, 11), D(2026, 2, 24), False)
    # Days 13-17: the month has only 16, so the province pays by Saturday 28 February.
    assert windows[2] == MonthWindow(D(2026, 2, 25), D(2026, 2, 28), False)


def test_january_2026_begins_on_the_adjusted_sunday() -> None:
    first = working_day_windows(CAL, 2026, 1, windows=((1, 1),))
    assert first == (MonthWindow(D(2026, 1, 4), D(2026, 1, 4), False),)
    assert D(2026, 1, 4).weekday() == 6


def test_the_first_month_of_the_calendar_needs_no_day_before_it() -> None:
    # 1 January 2004 is a holiday and the calendar starts that day.
    assert working_day_windows(CAL, 2004, 1)[0].first == D(2004, 1, 2)


def test_years_after_the_official_calendar_are_provisional() -> None:
    assert all(window.provisional for window in working_day_windows(CAL, 2027, 10))
    strict = WorkingCalendar(package_official_years(), allow_provisional=False)
    with pytest.raises(DateOutOfRange):
        working_day_windows(strict, 2027, 10)
    assert working_day_windows(strict, 2026, 10) == working_day_windows(CAL, 2026, 10)


def test_custom_windows_and_window_past_the_month_are_refused() -> None:
    assert working_day_windows(CAL, 2026, 2, windows=((16, 20),)) == (
        MonthWindow(D(2026, 2, 28), D(2026, 2, 28), False),
    )
    with pytest.raises(InvalidArgument, match="16"):
        working_day_windows(CAL, 2026, 2, windows=((17, 20),))


@pytest.mark.parametrize(
    "windows",
    [(), ((0, 3),), ((5, 4),), ((1, 7), (7, 9)), ((8, 12), (1, 7)), ((1.5, 3),), ((True, 3),)],
)
def test_bad_windows_are_refused(windows: tuple[tuple[int, int], ...]) -> None:
    with pytest.raises(InvalidArgument):
        working_day_windows(CAL, 2026, 5, windows=windows)


@pytest.mark.parametrize(("year", "month"), [(2026, 0), (2026, 13), (0, 5)])
def test_bad_month_is_refused(year: int, month: int) -> None:
    with pytest.raises(InvalidArgument):
        working_day_windows(CAL, year, month)


@given(year=st.integers(min_value=2004, max_value=2026), month=st.integers(1, 12))
def test_windows_agree_with_a_walk_over_the_month(year: int, month: int) -> None:
    first = D(year, month, 1)
    following = D(year + 1, 1, 1) if month == 12 else D(year, month + 1, 1)
    working = [
        first + dt.timedelta(days=n)
        for n in range((following - first).days)
        if CAL.is_working_day(first + dt.timedelta(days=n))
    ]
    windows = working_day_windows(CAL, year, month)
    assert len(windows) == len(VOUCHER_WINDOWS)  # every month has at least 13 working days
    for (start, end), window in zip(VOUCHER_WINDOWS, windows, strict=True):
        assert window.first == working[start - 1]
        assert window.last == working[min(end, len(working)) - 1]
        assert not window.provisional
    assert working_days_in_month(CAL, year, month) == len(working)
