"""Working-day arithmetic: properties, and agreement with the naive loop over the package.

The naive day-by-day loop over ``chinese_calendar.is_workday`` is the oracle here (and only
here): it is what a user would write, and it is slow.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from hypothesis import given
from hypothesis import strategies as st

from yiwang.calendar import load_default_calendar

CAL = load_default_calendar()
ONE_DAY = dt.timedelta(days=1)

# Official years, with room for the oracle to run forward without leaving the package's data.
official_dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 6, 30))
all_dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2060, 6, 30))
counts = st.integers(min_value=0, max_value=120)


def oracle_add(start: dt.date, n: int) -> dt.date:
    if n == 0:
        day = start
        while not chinese_calendar.is_workday(day):
            day += ONE_DAY
        return day
    day = start
    while n:
        day += ONE_DAY
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def oracle_between(a: dt.date, b: dt.date) -> int:
    low, high, sign = (a, b, 1) if a <= b else (b, a, -1)
    count, day = 0, low
    while day < high:
        day += ONE_DAY
        count += chinese_calendar.is_workday(day)
    return sign * count


@given(official_dates, counts)
def test_add_agrees_with_the_naive_loop(start: dt.date, n: int) -> None:
    assert CAL.add_working_days(start, n).date == oracle_add(start, n)


@given(official_dates, official_dates)
def test_between_agrees_with_the_naive_loop(a: dt.date, b: dt.date) -> None:
    if abs((b - a).days) > 400:
        b = a + dt.timedelta(days=(b - a).days % 400)
    b = min(b, dt.date(2026, 12, 31))
    assert CAL.working_days_between(a, b).days == oracle_between(a, b)


@given(official_dates)
def test_is_working_day_agrees_with_the_package(day: dt.date) -> None:
    assert CAL.is_working_day(day) == chinese_calendar.is_workday(day)


def test_every_official_day_agrees_with_the_package() -> None:
    day = dt.date(2004, 1, 1)
    while day <= dt.date(2026, 12, 31):
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += ONE_DAY


@given(
    st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2050, 12, 31)),
    st.integers(min_value=1, max_value=2000),
)
def test_between_start_and_add_is_n(start: dt.date, n: int) -> None:
    end = CAL.add_working_days(start, n).date
    assert CAL.working_days_between(start, end).days == n
    assert CAL.is_working_day(end)
    # and no earlier date already has n working days after start
    assert CAL.working_days_between(start, end - ONE_DAY).days == n - 1


@given(all_dates, counts, counts)
def test_add_is_monotonic_in_n(start: dt.date, n: int, m: int) -> None:
    low, high = sorted((n, m))
    first, second = CAL.add_working_days(start, low).date, CAL.add_working_days(start, high).date
    assert first <= second
    if low < high:
        assert first < second


@given(all_dates, all_dates, counts)
def test_add_is_monotonic_in_start(a: dt.date, b: dt.date, n: int) -> None:
    a, b = sorted((a, b))
    assert CAL.add_working_days(a, n).date <= CAL.add_working_days(b, n).date


@given(all_dates, all_dates, all_dates)
def test_between_is_antisymmetric_and_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    ab, bc, ac = (CAL.working_days_between(x, y).days for x, y in ((a, b), (b, c), (a, c)))
    assert ab == -CAL.working_days_between(b, a).days
    assert ab + bc == ac


@given(all_dates, counts)
def test_provisional_exactly_when_the_result_is_past_the_official_years(
    start: dt.date, n: int
) -> None:
    answer = CAL.add_working_days(start, n)
    assert answer.provisional == (answer.date.year > CAL.last_official_year)
