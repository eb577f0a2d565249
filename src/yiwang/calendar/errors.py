"""Errors of the working-day calendar.

Every message is Chinese first, then English, separated by `` / ``, and names the thing
that is wrong (the date, the file and line, the limit text) so a clerk can act on it::

    CalendarError
    ├── DateOutOfRange          a date or instant outside the calendar's table
    ├── InvalidArgument         (also a ValueError) a bad value handed to the calendar
    │   ├── OutsideMonthWindow  done outside its monthly window (the next window's dates)
    │   ├── InvalidTimeLimit    "3x", "-1wd", "nan h" ...
    │   └── InvalidOfficeHours  "09:00-08:00", overlapping spans, unknown time zone
    ├── InvalidYearData         an official year that breaks a rule, or does not fit
    │   └── InvalidYearFile     the same found while reading a year file (file, line, problem)
    └── ClockStateError         pausing a paused clock, resuming a running one, going back in time
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


class CalendarError(Exception):
    """Root of the calendar errors; ``str()`` is ``"<中文> / <English>"``."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


class DateOutOfRange(CalendarError):
    """The date lies outside the range the calendar has tables for."""


class InvalidArgument(CalendarError, ValueError):
    """A value handed to the calendar is not acceptable (negative count, naive datetime...)."""


class OutsideMonthWindow(InvalidArgument):
    """Something that may only be done in a monthly window of working days was tried outside
    it; carries the next window's first and last dates."""

    def __init__(
        self, first_number: int, last_number: int, next_first: dt.date, next_last: dt.date
    ) -> None:
        self.first_number = first_number
        self.last_number = last_number
        self.next_first = next_first
        self.next_last = next_last
        super().__init__(
            f"本事项只在每月第{first_number}至{last_number}个工作日受理；"
            f"下一个受理期为 {next_first} 至 {next_last}",
            f"this is accepted only on working days {first_number}-{last_number} of a month; "
            f"the next window runs from {next_first} to {next_last}",
        )


class InvalidTimeLimit(InvalidArgument):
    """A time limit (时限) cannot be built or parsed."""


class InvalidOfficeHours(InvalidArgument):
    """Office hours (办公时间) cannot be built or parsed."""


class InvalidYearData(CalendarError):
    """An official year breaks a rule, or does not fit the calendar it is added to."""


@dataclass(frozen=True)
class YearFileProblem:
    """One problem in a year file; ``line`` is 1-based, 0 when it concerns the whole file."""

    line: int
    message_zh: str
    message_en: str

    def where_zh(self) -> str:
        return f"第 {self.line} 行" if self.line else "整个文件"

    def where_en(self) -> str:
        return f"line {self.line}" if self.line else "whole file"


class InvalidYearFile(InvalidYearData):
    """A year file (YAML or CSV) is invalid; ``problems`` lists every problem found."""

    # At most this many problems are spelled out in the message; all stay in ``problems``.
    SHOWN = 5

    def __init__(self, filename: str, problems: Sequence[YearFileProblem]) -> None:
        self.filename = filename
        self.problems = tuple(problems)
        shown = self.problems[: self.SHOWN]
        more = len(self.problems) - len(shown)
        zh = "；".join(f"{p.where_zh()}：{p.message_zh}" for p in shown)
        en = "; ".join(f"{p.where_en()}: {p.message_en}" for p in shown)
        if more:
            zh += f"；另有 {more} 个问题"
            en += f"; and {more} more"
        super().__init__(
            f"年度日历文件 {filename} 无效：{zh}",
            f"invalid year file {filename}: {en}",
        )


class ClockStateError(CalendarError):
    """A clock operation does not fit the clock's state."""
