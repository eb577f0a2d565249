"""Value objects of the working-day calendar (工作日历): all immutable.

* :class:`OfficialYear` - one year of the State Council's holiday arrangement (放假安排):
  statutory holidays with their names and adjusted working days (调休上班日).
* :class:`OfficeHours` - office spans of a day in one time zone (default 09:00-12:00 and
  13:00-17:00, Asia/Shanghai).
* :class:`TimeLimit` - a time limit (时限) as the catalog writes it: ``instant`` (即办),
  ``0.5wd`` / ``20wd`` (working days, 工作日), ``2h`` (working hours).
* Answers (:class:`DayAnswer`, :class:`CountAnswer`, :class:`InstantAnswer`, :class:`DayInfo`)
  carry ``provisional``: True when the answer depends on a day past the last official year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yiwang.calendar.errors import InvalidOfficeHours, InvalidTimeLimit, InvalidYearData

DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_OFFICE_HOURS = "09:00-12:00,13:00-17:00"

# One Chinese name per statutory holiday, as the 2024 revision of 全国年节及纪念日放假办法
# writes it, and the English name used in the glossary.
HOLIDAY_NAMES_EN: dict[str, str] = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
    "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日": (
        "70th Anniversary of the Victory of the War of Resistance against Japanese Aggression"
    ),
}

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def holiday_name_en(name_zh: str) -> str:
    """English name of a holiday; names joined with ``、`` are translated part by part."""
    return " & ".join(HOLIDAY_NAMES_EN.get(part, part) for part in name_zh.split("、"))


# --------------------------------------------------------------------------- official years


class DayKind(StrEnum):
    """What an official year says about a date."""

    HOLIDAY = "holiday"  # 放假 (statutory holiday, including weekend days inside its span)
    ADJUSTED_WORKING_DAY = "adjusted_working_day"  # 调休上班 (a Saturday or Sunday worked)


class NamedDay(NamedTuple):
    date: dt.date
    name: str


class YearEntry(NamedTuple):
    """One row of an official year: the date, what it is, and the holiday it belongs to."""

    date: dt.date
    kind: DayKind
    name: str


@dataclass(frozen=True)
class OfficialYear:
    """One official year: holidays and adjusted working days, each date at most once.

    Invariants (checked on construction, :class:`InvalidYearData` otherwise): every date lies
    in ``year``; no date is listed twice; adjusted working days are Saturdays or Sundays;
    names are non-empty. Both tuples are kept sorted by date. ``source`` says where the data
    came from (``"chinesecalendar 1.11.0"``, a file name, a notice number).
    """

    year: int
    holidays: tuple[NamedDay, ...]
    adjusted_working_days: tuple[NamedDay, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        holidays = tuple(sorted(NamedDay(d, n) for d, n in self.holidays))
        adjusted = tuple(sorted(NamedDay(d, n) for d, n in self.adjusted_working_days))
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "adjusted_working_days", adjusted)
        problems: list[str] = []
        seen: set[dt.date] = set()
        for day, name in (*holidays, *adjusted):
            if day.year != self.year:
                problems.append(f"{day} 不属于 {self.year} 年 / {day} is not in {self.year}")
            if day in seen:
                problems.append(f"{day} 出现两次 / {day} is listed twice")
            seen.add(day)
            if not name.strip():
                problems.append(f"{day} 没有名称 / {day} has no name")
        for day, _name in adjusted:
            if day.weekday() < 5:
                problems.append(
                    f"调休上班日 {day} 是{WEEKDAYS_ZH[day.weekday()]} / "
                    f"adjusted working day {day} is a {WEEKDAYS_EN[day.weekday()]}"
                )
        if problems:
            raise InvalidYearData(
                f"{self.year} 年官方日历无效：" + "；".join(p.split(" / ")[0] for p in problems),
                f"official year {self.year} is invalid: "
                + "; ".join(p.split(" / ")[1] for p in problems),
            )

    @classmethod
    def from_entries(
        cls, year: int, entries: Iterable[YearEntry], source: str = ""
    ) -> OfficialYear:
        entries = tuple(entries)
        return cls(
            year=year,
            holidays=tuple(NamedDay(e.date, e.name) for e in entries if e.kind is DayKind.HOLIDAY),
            adjusted_working_days=tuple(
                NamedDay(e.date, e.name) for e in entries if e.kind is DayKind.ADJUSTED_WORKING_DAY
            ),
            source=source,
        )

    def entries(self) -> tuple[YearEntry, ...]:
        """All rows sorted by date: what a database table of official days would hold."""
        rows = [YearEntry(d, DayKind.HOLIDAY, n) for d, n in self.holidays]
        rows += [
            YearEntry(d, DayKind.ADJUSTED_WORKING_DAY, n) for d, n in self.adjusted_working_days
        ]
        return tuple(sorted(rows))

    def to_csv(self) -> str:
        """The year in the CSV year-file format (``date,kind,name``); parses back unchanged."""
        lines = ["date,kind,name"]
        lines += [
            f"{e.date.isoformat()},{e.kind.value},{_csv_field(e.name)}" for e in self.entries()
        ]
        return "\n".join(lines) + "\n"


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


# --------------------------------------------------------------------------- answers


class DayAnswer(NamedTuple):
    date: dt.date
    provisional: bool


class CountAnswer(NamedTuple):
    days: int
    provisional: bool


class InstantAnswer(NamedTuple):
    at: dt.datetime
    provisional: bool


Source = Literal["official", "provisional"]


@dataclass(frozen=True)
class DayInfo:
    """Everything the calendar knows about one date.

    ``holiday_name`` is set for holidays (also weekend days inside a holiday span), and for
    provisional substitute days off (补假); ``adjusted_for`` names the holiday an adjusted
    working day (调休上班日) makes up for.
    """

    date: dt.date
    is_working_day: bool
    holiday_name: str | None
    is_adjusted_working_day: bool
    provisional: bool
    source: Source
    adjusted_for: str | None = None

    @property
    def holiday_name_en(self) -> str | None:
        return None if self.holiday_name is None else holiday_name_en(self.holiday_name)


# --------------------------------------------------------------------------- office hours

_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _clock(hours: str, minutes: str, text: str) -> int:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and m):
        raise InvalidOfficeHours(
            f"办公时间 {text!r} 中的时刻无效", f"invalid time of day in office hours {text!r}"
        )
    return h * 3600 + m * 60


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


@dataclass(frozen=True)
class OfficeHours:
    """Office spans of every working day, ``[start, end)`` in seconds after local midnight.

    Spans are sorted, non-empty and do not overlap; ``24:00`` may end the last span. The time
    zone is an IANA name; wall-clock times in it define the spans.
    """

    spans: tuple[tuple[int, int], ...]
    timezone: str = DEFAULT_TIMEZONE
    _tz: ZoneInfo = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        spans = tuple((int(a), int(b)) for a, b in self.spans)
        if not spans:
            raise InvalidOfficeHours("办公时间不能为空", "office hours must have at least one span")
        previous_end = 0
        for start, end in spans:
            if not 0 <= start < end <= 86400:
                raise InvalidOfficeHours(
                    f"办公时段 {_hhmm(start)}-{_hhmm(end)} 无效（开始须早于结束）",
                    f"office span {_hhmm(start)}-{_hhmm(end)} is invalid "
                    "(start must be before end)",
                )
            if start < previous_end:
                raise InvalidOfficeHours(
                    f"办公时段 {_hhmm(start)}-{_hhmm(end)} 与前一时段重叠或顺序颠倒",
                    f"office span {_hhmm(start)}-{_hhmm(end)} overlaps or precedes the one before",
                )
            previous_end = end
        try:
            tz = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidOfficeHours(
                f"未知时区 {self.timezone!r}", f"unknown time zone {self.timezone!r}"
            ) from exc
        object.__setattr__(self, "spans", spans)
        object.__setattr__(self, "_tz", tz)

    @classmethod
    def parse(cls, text: str, timezone: str = DEFAULT_TIMEZONE) -> OfficeHours:
        """``"09:00-12:00,13:00-17:00"`` -> two spans in ``timezone``."""
        spans: list[tuple[int, int]] = []
        for part in text.split(","):
            match = _SPAN.match(part)
            if match is None:
                raise InvalidOfficeHours(
                    f"办公时间 {text!r} 格式应为 HH:MM-HH:MM[,HH:MM-HH:MM...]",
                    f"office hours {text!r} must look like HH:MM-HH:MM[,HH:MM-HH:MM...]",
                )
            spans.append((_clock(match[1], match[2], text), _clock(match[3], match[4], text)))
        return cls(tuple(spans), timezone)

    @classmethod
    def default(cls) -> OfficeHours:
        return cls.parse(DEFAULT_OFFICE_HOURS, DEFAULT_TIMEZONE)

    @property
    def tzinfo(self) -> ZoneInfo:
        return self._tz

    @property
    def day_seconds(self) -> int:
        """Working seconds of one working day (7 h = 25200 s by default)."""
        return sum(end - start for start, end in self.spans)

    @property
    def opens_at(self) -> dt.time:
        return _time_of(self.spans[0][0])

    @property
    def closes_at(self) -> dt.time:
        """End of the last span; ``24:00`` is shown as ``00:00`` (of the next day)."""
        return _time_of(self.spans[-1][1] % 86400)

    def seconds_before(self, second_of_day: int) -> int:
        """Office seconds of a working day that lie before ``second_of_day``."""
        total = 0
        for start, end in self.spans:
            if second_of_day <= start:
                break
            total += (second_of_day if second_of_day < end else end) - start
        return total

    def __str__(self) -> str:
        return ",".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in self.spans)


def _time_of(seconds: int) -> dt.time:
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


# --------------------------------------------------------------------------- time limits


class LimitKind(StrEnum):
    INSTANT = "instant"  # 即办
    WORKING_DAYS = "wd"  # 工作日
    WORKING_HOURS = "h"  # 工作小时 (working hours within office hours)
    # By the close of the N-th working day of the month (e.g. innovation vouchers: the city
    # reviews by the 12th working day, the province pays by the 17th).
    MONTH_WORKING_DAY = "mwd"


_LIMIT = re.compile(r"^(\d+(?:\.\d+)?)\s*(mwd|wd|h|个?工作日|个?小时)$")
_UNITS = {
    "wd": LimitKind.WORKING_DAYS,
    "h": LimitKind.WORKING_HOURS,
    "mwd": LimitKind.MONTH_WORKING_DAY,
}


def _amount(value: Decimal | int | float | str, what: str) -> Decimal:
    if isinstance(value, bool):
        raise InvalidTimeLimit(f"{what} 须为数字：{value!r}", f"{what} must be a number: {value!r}")
    try:
        # str() first so 0.1 (a float) becomes Decimal("0.1"), not its binary expansion.
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidTimeLimit(
            f"{what} 须为数字：{value!r}", f"{what} must be a number: {value!r}"
        ) from exc
    if not amount.is_finite() or amount <= 0:
        raise InvalidTimeLimit(
            f"{what} 须为正数：{value!r}", f"{what} must be a positive number: {value!r}"
        )
    return amount


def _plain(amount: Decimal) -> str:
    text = format(amount.normalize(), "f")
    return text


@dataclass(frozen=True)
class TimeLimit:
    """A time limit (时限) of a task or case.

    Build with :meth:`instant`, :meth:`working_days`, :meth:`working_hours` or :meth:`parse`;
    ``str()`` gives the canonical text (``"instant"``, ``"0.5wd"``, ``"20wd"``, ``"2h"``) and
    ``TimeLimit.parse(str(limit)) == limit``. ``parse`` also reads ``即办``, ``1个工作日``,
    ``2小时``.
    """

    kind: LimitKind
    amount: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if self.kind is LimitKind.INSTANT:
            if self.amount != 0:
                raise InvalidTimeLimit("即办时限没有数量", "an instant limit has no amount")
            object.__setattr__(self, "amount", Decimal(0))
            return
        amount = _amount(self.amount, "时限 time limit")
        if self.kind is LimitKind.MONTH_WORKING_DAY and (
            amount != amount.to_integral_value() or amount > 23
        ):
            raise InvalidTimeLimit(
                f"月内工作日须为1至23的整数：{amount}",
                f"the working day of the month must be a whole number 1-23: {amount}",
            )
        object.__setattr__(self, "amount", Decimal(_plain(amount)))

    @classmethod
    def instant(cls) -> TimeLimit:
        return cls(LimitKind.INSTANT)

    @classmethod
    def working_days(cls, days: Decimal | int | float | str) -> TimeLimit:
        return cls(LimitKind.WORKING_DAYS, _amount(days, "工作日数 working days"))

    @classmethod
    def month_working_day(cls, n: int) -> TimeLimit:
        """By the close of the ``n``-th working day of the month the work starts in."""
        return cls(
            LimitKind.MONTH_WORKING_DAY, _amount(n, "月内第几个工作日 working day of the month")
        )

    @classmethod
    def working_hours(cls, hours: Decimal | int | float | str) -> TimeLimit:
        return cls(LimitKind.WORKING_HOURS, _amount(hours, "工作小时数 working hours"))

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        cleaned = text.strip().lower()
        if cleaned in ("instant", "即办"):
            return cls.instant()
        match = _LIMIT.match(cleaned)
        if match is None:
            raise InvalidTimeLimit(
                f"无法识别的时限 {text!r}（示例：instant、0.5wd、20wd、2h）",
                f"cannot read time limit {text!r} (examples: instant, 0.5wd, 20wd, 2h)",
            )
        unit = match[2]
        kind = _UNITS.get(unit) or (
            LimitKind.WORKING_DAYS if unit.endswith("工作日") else LimitKind.WORKING_HOURS
        )
        return cls(kind, _amount(match[1], f"时限 {text!r} time limit"))

    @property
    def is_whole_working_days(self) -> bool:
        """True for ``Nwd`` with integral N: due at the close of the N-th working day."""
        return (
            self.kind is LimitKind.WORKING_DAYS and self.amount == self.amount.to_integral_value()
        )

    def working_seconds_nominal(self, office_hours: OfficeHours) -> int:
        """The limit in working seconds: days x office-day length, hours x 3600, instant 0.

        A whole-day limit started mid-morning actually lasts until the close of its last day,
        so its real budget is a little larger; this nominal value is the share base.
        """
        if self.kind is LimitKind.INSTANT:
            return 0
        # A month-day limit counts, nominally, its N working days (used for the yellow light).
        unit = 3600 if self.kind is LimitKind.WORKING_HOURS else office_hours.day_seconds
        return int((self.amount * unit).to_integral_value(rounding=ROUND_HALF_UP))

    def __str__(self) -> str:
        if self.kind is LimitKind.INSTANT:
            return "instant"
        return f"{_plain(self.amount)}{self.kind.value}"
