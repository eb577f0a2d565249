"""Working-day calendar (工作日历): official holidays, 调休, working time, stoppable clocks.

Nothing heavy happens at import time; :func:`load_default_calendar` builds (and caches) the
calendar from the ``chinese_calendar`` tables on first use.
"""

from __future__ import annotations

from yiwang.calendar.clock import TaskClock
from yiwang.calendar.errors import (
    CalendarError,
    ClockStateError,
    DateOutOfRange,
    InvalidArgument,
    InvalidOfficeHours,
    InvalidTimeLimit,
    InvalidYearData,
    InvalidYearFile,
    OutsideMonthWindow,
    YearFileProblem,
)
from yiwang.calendar.models import (
    CountAnswer,
    DayAnswer,
    DayInfo,
    DayKind,
    InstantAnswer,
    LimitKind,
    NamedDay,
    OfficeHours,
    OfficialYear,
    TimeLimit,
    YearEntry,
)
from yiwang.calendar.services import WorkingCalendar, load_default_calendar
from yiwang.calendar.wording import LimitWords, describe_limit, describe_limit_text
from yiwang.calendar.yearfile import parse_year_file

__all__ = [
    "CalendarError",
    "ClockStateError",
    "CountAnswer",
    "DateOutOfRange",
    "DayAnswer",
    "DayInfo",
    "DayKind",
    "InstantAnswer",
    "InvalidArgument",
    "InvalidOfficeHours",
    "InvalidTimeLimit",
    "InvalidYearData",
    "InvalidYearFile",
    "LimitKind",
    "LimitWords",
    "NamedDay",
    "OfficeHours",
    "OfficialYear",
    "OutsideMonthWindow",
    "TaskClock",
    "TimeLimit",
    "WorkingCalendar",
    "YearEntry",
    "YearFileProblem",
    "describe_limit",
    "describe_limit_text",
    "load_default_calendar",
    "parse_year_file",
]
