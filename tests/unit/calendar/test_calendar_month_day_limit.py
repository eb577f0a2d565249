"""Limits of the form "by the N-th working day of the month" (`12mwd`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from yiwang.calendar import InvalidTimeLimit, LimitKind, TimeLimit, load_default_calendar

SH = ZoneInfo("Asia/Shanghai")
CAL = load_default_calendar()


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SH)


def test_parse_and_round_trip() -> None:
    limit = TimeLimit.parse("12mwd")
    assert limit.kind is LimitKind.MONTH_WORKING_DAY and str(limit) == "12mwd"
    for bad in ("0mwd", "24mwd", "1.5mwd"):
        with pytest.raises(InvalidTimeLimit):
            TimeLimit.parse(bad)


def test_due_on_the_nth_working_day_of_this_month_or_the_next() -> None:
    twelfth = TimeLimit.month_working_day(12)
    # October 2026: 8, 9, 10 (adjusted Saturday), 12 ... the 12th working day is the 22nd.
    assert CAL.deadline_for(at(2026, 10, 9), twelfth).at == at(2026, 10, 22, 17)
    # Started after the 12th working day: the 12th working day of November.
    assert CAL.deadline_for(at(2026, 10, 23), twelfth).at == at(2026, 11, 17, 17)
    # On the day itself, after closing time: next month too.
    assert CAL.deadline_for(at(2026, 10, 22, 18), twelfth).at == at(2026, 11, 17, 17)
    # December 2026 rolls into January 2027, which is provisional.
    answer = CAL.deadline_for(at(2026, 12, 30), TimeLimit.month_working_day(3))
    assert answer.at == at(2027, 1, 6, 17) and answer.provisional
