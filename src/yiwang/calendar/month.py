"""Monthly working-day windows (plan 6, 创新券): "the k-th to m-th working day of the month".

The innovation-voucher cycle runs on fixed working days of every month: enterprises submit
used vouchers on working days 1–7, the city science bureau reviews on days 8–12, and the
province pays on days 13–17 (每月前7个工作日提交、第8至12个工作日审核、第13至17个工作日拨付).

Working day k of a month is found in the calendar's tables (``add_working_days`` from the
1st of the month), so each window is two look-ups, never a loop over days. A month with fewer working days than a window's end (February with the
Spring Festival) closes the window on the month's last working day; a window that would
start after it does not exist in that month and is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from yiwang.calendar.errors import InvalidArgument, OutsideMonthWindow
from yiwang.calendar.models import CountAnswer
from yiwang.calendar.services import WorkingCalendar

# 创新券兑现: submit (1–7), city review (8–12), province pays (13–17).
VOUCHER_WINDOWS: tuple[tuple[int, int], ...] = ((1, 7), (8, 12), (13, 17))


class MonthWindow(NamedTuple):
    """A window of working days inside one month; ``provisional`` when a day it depends on
    lies after the last official year (the statutory rule was used, not the State Council's
    arrangement)."""

    first: dt.date
    last: dt.date
    provisional: bool


def _check_windows(windows: Sequence[tuple[int, int]]) -> None:
    if not windows:
        raise InvalidArgument("至少需要一个时段", "at least one window is needed")
    previous_last = 0
    for window in windows:
        if len(window) != 2:
            raise InvalidArgument(
                f"时段须为（起, 止）两个工作日序号：{window!r}",
                f"a window is a pair (first, last) of working-day numbers: {window!r}",
            )
        first, last = window
        if any(isinstance(n, bool) or not isinstance(n, int) for n in window):
            raise InvalidArgument(
                f"工作日序号须为整数：{window!r}",
                f"working-day numbers must be integers: {window!r}",
            )
        if first < 1 or last < first:
            raise InvalidArgument(
                f"时段须满足 1 ≤ 起 ≤ 止：{window!r}",
                f"a window needs 1 <= first <= last: {window!r}",
            )
        if first <= previous_last:
            raise InvalidArgument(
                f"时段须按顺序且互不重叠：{window!r}",
                f"windows must be in order and must not overlap: {window!r}",
            )
        previous_last = last


def working_days_in_month(calendar: WorkingCalendar, year: int, month: int) -> int:
    """How many working days ``month`` of ``year`` has (adjusted working days included)."""
    first, last = _month_bounds(year, month)
    return _count(calendar, first, last).days


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """(the 1st, the last day) of the month."""
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidArgument(f"月份须为1至12：{month!r}", f"month must be 1 to 12: {month!r}")
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year < 9999:
        raise InvalidArgument(f"年份无效：{year!r}", f"invalid year: {year!r}")
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return dt.date(year, month, 1), following - dt.timedelta(days=1)


def _count(calendar: WorkingCalendar, first: dt.date, last: dt.date) -> CountAnswer:
    """Working days from ``first`` to ``last``, both included."""
    after_first = calendar.working_days_between(first, last)
    own = 1 if calendar.is_working_day(first) else 0
    return CountAnswer(after_first.days + own, after_first.provisional)


def working_day_windows(
    calendar: WorkingCalendar,
    year: int,
    month: int,
    windows: Sequence[tuple[int, int]] = VOUCHER_WINDOWS,
) -> tuple[MonthWindow, ...]:
    """The dates of each window of working-day numbers in ``month`` of ``year``.

    ``windows`` are 1-based, inclusive, in order and disjoint, e.g. ``((1, 7), (8, 12),
    (13, 17))``. A window ending after the month's last working day ends on that day; a window
    starting after it raises :class:`InvalidArgument`. Dates outside the calendar raise
    :class:`DateOutOfRange` (both are ``CalendarError``).
    """
    _check_windows(windows)
    first_day, last_day = _month_bounds(year, month)
    count = _count(calendar, first_day, last_day)
    result: list[MonthWindow] = []
    for first_number, last_number in windows:
        if first_number > count.days:
            raise InvalidArgument(
                f"{year}年{month}月只有 {count.days} 个工作日，没有第 {first_number} 个工作日",
                f"{year}-{month:02d} has only {count.days} working days, no working day "
                f"{first_number}",
            )
        # The same capped n-th working day as a month-day limit (``12mwd``): one definition.
        first = calendar.month_working_day(year, month, first_number)
        last = calendar.month_working_day(year, month, last_number)
        result.append(MonthWindow(first.date, last.date, first.provisional or last.provisional))
    return tuple(result)


def window_at(
    calendar: WorkingCalendar, at: dt.datetime, window: tuple[int, int]
) -> tuple[bool, MonthWindow]:
    """(whether ``at`` lies in ``window`` of its month, the window that contains it or the
    next one). Days are office-zone dates; the window's last day counts whole (an online
    submission at 20:00 on working day 7 is in time - an assumption, docs/legal.md)."""
    day = at.astimezone(calendar.office_hours.tzinfo).date()
    year, month = day.year, day.month
    for _ in range(3):  # this month, or the next (a month always has working days 1-7)
        found = working_day_windows(calendar, year, month, (window,))[0]
        if day <= found.last:
            return found.first <= day, found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise InvalidArgument(  # pragma: no cover - the next month's window is always later
        "找不到下一个受理期", "no next window found"
    )


def require_in_window(
    calendar: WorkingCalendar, at: dt.datetime, window: tuple[int, int]
) -> MonthWindow:
    """The window ``at`` lies in, or :class:`OutsideMonthWindow` naming the next one."""
    inside, found = window_at(calendar, at, window)
    if not inside:
        raise OutsideMonthWindow(window[0], window[1], found.first, found.last)
    return found


__all__ = [
    "VOUCHER_WINDOWS",
    "MonthWindow",
    "require_in_window",
    "window_at",
    "working_day_windows",
    "working_days_in_month",
]
