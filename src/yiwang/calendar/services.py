"""The working calendar (工作日历): working-day and working-time arithmetic.

A :class:`WorkingCalendar` is immutable. It is built once from the official years (the
State Council's yearly arrangements) and the statutory rule for the years after them
(PROVISIONAL, see :mod:`yiwang.calendar.statutory`), into flat tables over every day from
1 January of the first official year to 31 December of ``horizon_year``:

* ``_work[i]``      1 if day ``i`` is a working day;
* ``_prefix[i]``    number of working days among days ``0 .. i-1`` (prefix sums);
* ``_work_ordinals[k]`` the ordinal of the k-th working day (0-based).

Every question is then a couple of index operations: the n-th working day after ``d`` is
``_work_ordinals[_prefix[d+1] + n - 1]``; the working days in ``(a, b]`` are
``_prefix[b+1] - _prefix[a+1]``. No loop runs over days.

Working time uses a "working-time position" ``W(t)``: the office seconds from the start of
the table up to instant ``t`` (``_prefix[day] * day_seconds`` plus the office seconds of the
day before ``t`` when the day is a working day). ``W`` is non-decreasing; the working seconds
between two instants are ``W(b) - W(a)``; adding ``s`` working seconds to ``a`` gives the
earliest instant ``t`` with ``W(t) = W(a) + s`` (so a budget that ends exactly at closing time
ends at 17:00, not at 09:00 the next working day). Subtracting gives the latest such instant.
Instants have one-second resolution (sub-second parts are dropped); answers are in the time
zone of the instant passed in.

Rebuilding with a new official year (:meth:`WorkingCalendar.with_official_year`) takes a few
milliseconds, so the calendar is simply replaced, never mutated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache
from itertools import accumulate, pairwise

from yiwang.calendar.errors import DateOutOfRange, InvalidArgument, InvalidYearData
from yiwang.calendar.models import (
    CountAnswer,
    DayAnswer,
    DayInfo,
    InstantAnswer,
    LimitKind,
    OfficeHours,
    OfficialYear,
    TimeLimit,
)
from yiwang.calendar.statutory import LAST_RULE_YEAR, provisional_days_off

DEFAULT_HORIZON_YEAR = 2060

_ONE_DAY = dt.timedelta(days=1)


class WorkingCalendar:
    """Working days of the official Chinese calendar plus provisional years after it.

    ``official_years`` must be consecutive years (no gaps). When ``allow_provisional`` is
    False the calendar ends with the last official year and refuses (``DateOutOfRange``) to
    compute past it (R-CAL-3 strict mode); otherwise it continues to ``horizon_year`` with the
    statutory rule and flags every answer that depends on those days as ``provisional``.
    """

    __slots__ = (
        "_adjusted",
        "_allow_provisional",
        "_close",
        "_day_seconds",
        "_holidays",
        "_horizon_year",
        "_lo",
        "_n",
        "_office_hours",
        "_official",
        "_official_end",
        "_prefix",
        "_spans",
        "_total_seconds",
        "_tz",
        "_work",
        "_work_ordinals",
    )

    def __init__(
        self,
        official_years: Iterable[OfficialYear],
        office_hours: OfficeHours | None = None,
        *,
        horizon_year: int = DEFAULT_HORIZON_YEAR,
        allow_provisional: bool = True,
    ) -> None:
        official = tuple(sorted(official_years, key=lambda y: y.year))
        if not official:
            raise InvalidYearData("至少需要一个官方年度", "at least one official year is needed")
        for before, after in pairwise(official):
            if after.year != before.year + 1:
                raise InvalidYearData(
                    f"官方年度须连续：{before.year} 之后是 {after.year}",
                    f"official years must be consecutive: {after.year} follows {before.year}",
                )
        last_official = official[-1].year
        end_year = max(horizon_year, last_official) if allow_provisional else last_official
        if allow_provisional and end_year > LAST_RULE_YEAR:
            raise InvalidArgument(
                f"暂定日历最多推算到 {LAST_RULE_YEAR} 年",
                f"provisional years end at {LAST_RULE_YEAR}",
            )
        office_hours = office_hours or OfficeHours.default()

        lo = dt.date(official[0].year, 1, 1).toordinal()
        hi = dt.date(end_year, 12, 31).toordinal()
        n = hi - lo + 1
        # date.weekday() == (ordinal + 6) % 7; Monday-Friday are working days by default.
        work = bytearray(1 if (lo + i + 6) % 7 < 5 else 0 for i in range(n))
        holidays: dict[int, str] = {}
        adjusted: dict[int, str] = {}
        for year in official:
            for day, name in year.holidays:
                work[day.toordinal() - lo] = 0
                holidays[day.toordinal()] = name
            for day, name in year.adjusted_working_days:
                work[day.toordinal() - lo] = 1
                adjusted[day.toordinal()] = name
        for provisional_year in range(last_official + 1, end_year + 1):
            for day, name in provisional_days_off(provisional_year):
                work[day.toordinal() - lo] = 0
                holidays[day.toordinal()] = name

        self._official = official
        self._office_hours = office_hours
        self._horizon_year = end_year
        self._allow_provisional = allow_provisional
        self._lo = lo
        self._n = n
        self._official_end = dt.date(last_official, 12, 31).toordinal()
        self._work = bytes(work)
        self._prefix = tuple(accumulate(work, initial=0))
        self._work_ordinals = tuple(lo + i for i, is_work in enumerate(work) if is_work)
        self._holidays = holidays
        self._adjusted = adjusted
        self._tz = office_hours.tzinfo
        self._spans = office_hours.spans
        self._close = office_hours.spans[-1][1]
        self._day_seconds = office_hours.day_seconds
        self._total_seconds = len(self._work_ordinals) * self._day_seconds

    # ------------------------------------------------------------------ rebuilding

    def with_official_year(self, year: OfficialYear) -> WorkingCalendar:
        """A new calendar with ``year`` added (the year after the last official one) or
        replacing an official year already present (a correction)."""
        years = {y.year: y for y in self._official}
        if year.year not in years and year.year != self.last_official_year + 1:
            raise InvalidYearData(
                f"只能加入 {self.last_official_year + 1} 年或替换已有年度"
                f"（{self._official[0].year}-{self.last_official_year}），不能加入 {year.year} 年",
                f"can only add {self.last_official_year + 1} or replace a year already official "
                f"({self._official[0].year}-{self.last_official_year}), not {year.year}",
            )
        years[year.year] = year
        return WorkingCalendar(
            years.values(),
            self._office_hours,
            horizon_year=self._horizon_year,
            allow_provisional=self._allow_provisional,
        )

    def with_office_hours(self, office_hours: OfficeHours) -> WorkingCalendar:
        return WorkingCalendar(
            self._official,
            office_hours,
            horizon_year=self._horizon_year,
            allow_provisional=self._allow_provisional,
        )

    # ------------------------------------------------------------------ description

    @property
    def office_hours(self) -> OfficeHours:
        return self._office_hours

    @property
    def official_years(self) -> tuple[OfficialYear, ...]:
        return self._official

    @property
    def first_official_year(self) -> int:
        return self._official[0].year

    @property
    def last_official_year(self) -> int:
        return self._official[-1].year

    @property
    def first_date(self) -> dt.date:
        return dt.date.fromordinal(self._lo)

    @property
    def last_date(self) -> dt.date:
        return dt.date.fromordinal(self._lo + self._n - 1)

    @property
    def allow_provisional(self) -> bool:
        return self._allow_provisional

    def official_year(self, year: int) -> OfficialYear | None:
        index = year - self._official[0].year
        return self._official[index] if 0 <= index < len(self._official) else None

    def is_provisional(self, day: dt.date) -> bool:
        """True for dates after the last official year (an instant: its office-zone date).
        Never raises, also not for dates outside the table."""
        if isinstance(day, dt.datetime):
            day = self._local(day).date()
        return day.toordinal() > self._official_end

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(official {self.first_official_year}-{self.last_official_year}, "
            f"until {self.last_date}, office hours {self._office_hours} "
            f"{self._office_hours.timezone})"
        )

    # ------------------------------------------------------------------ days

    def _index(self, day: dt.date) -> int:
        if isinstance(day, dt.datetime):
            raise InvalidArgument(
                f"需要日期而不是时刻：{day.isoformat()}",
                f"expected a date, not an instant: {day.isoformat()}",
            )
        index = day.toordinal() - self._lo
        if 0 <= index < self._n:
            return index
        raise self._out_of_range(day.isoformat(), late=index >= self._n)

    def _out_of_range(
        self, what: str, what_en: str | None = None, *, late: bool = True
    ) -> DateOutOfRange:
        first, last = self.first_date, self.last_date
        zh = f"{what} 超出工作日历范围（{first} 至 {last}）"
        en = f"{what_en or what} is outside the working calendar ({first} to {last})"
        if late and not self._allow_provisional:
            zh += f"；{last.year + 1} 年的官方放假安排尚未载入"
            en += f"; the official arrangement for {last.year + 1} is not loaded yet"
        return DateOutOfRange(zh, en)

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self._work[self._index(day)])

    def day_info(self, day: dt.date) -> DayInfo:
        index = self._index(day)
        ordinal = day.toordinal()
        provisional = ordinal > self._official_end
        adjusted_for = self._adjusted.get(ordinal)
        return DayInfo(
            date=day,
            is_working_day=bool(self._work[index]),
            holiday_name=self._holidays.get(ordinal),
            is_adjusted_working_day=adjusted_for is not None,
            provisional=provisional,
            source="provisional" if provisional else "official",
            adjusted_for=adjusted_for,
        )

    def add_working_days(self, start: dt.date, n: int) -> DayAnswer:
        """The n-th working day after ``start`` (``start`` itself is not counted).

        ``n == 0`` gives ``start`` when it is a working day, else the next working day.
        ``n < 0`` raises :class:`InvalidArgument` (a CalendarError).
        """
        if n.__class__ is not int:
            if isinstance(n, bool) or not isinstance(n, int):
                raise InvalidArgument(
                    f"工作日数须为整数：{n!r}",
                    f"the number of working days must be an integer: {n!r}",
                )
            n = int(n)
        if n < 0:
            raise InvalidArgument(
                f"工作日数不能为负：{n}", f"the number of working days must not be negative: {n}"
            )
        index = self._index(start)
        if n == 0:
            if self._work[index]:
                return DayAnswer(start, start.toordinal() > self._official_end)
            n = 1
        position = self._prefix[index + 1] + n - 1
        if position >= len(self._work_ordinals):
            raise self._out_of_range(
                f"{start.isoformat()} 之后第 {n} 个工作日",
                f"working day {n} after {start.isoformat()}",
            )
        ordinal = self._work_ordinals[position]
        return DayAnswer(dt.date.fromordinal(ordinal), ordinal > self._official_end)

    def working_days_between(self, a: dt.date, b: dt.date) -> CountAnswer:
        """Working days after ``a`` up to and including ``b``; negative when ``b < a``."""
        index_a, index_b = self._index(a), self._index(b)
        days = self._prefix[index_b + 1] - self._prefix[index_a + 1]
        provisional = index_a != index_b and self._lo + max(index_a, index_b) > self._official_end
        return CountAnswer(days, provisional)

    # ------------------------------------------------------------------ working time

    def _local(self, at: dt.datetime) -> dt.datetime:
        if at.tzinfo is None or at.utcoffset() is None:
            raise InvalidArgument(
                f"时刻须带时区：{at.isoformat()}",
                f"the instant must be timezone-aware: {at.isoformat()}",
            )
        return at.astimezone(self._tz)

    def _position(self, local: dt.datetime) -> int:
        """W(t) of an instant already in the office time zone."""
        index = local.toordinal() - self._lo
        if not 0 <= index < self._n:
            raise self._out_of_range(local.isoformat(), late=index >= self._n)
        position = self._prefix[index] * self._day_seconds
        if self._work[index]:
            second = local.hour * 3600 + local.minute * 60 + local.second
            for start, end in self._spans:
                if second <= start:
                    break
                position += (second if second < end else end) - start
        return position

    def _instant(self, position: int, earliest: bool) -> tuple[dt.datetime, int]:
        """The earliest (or latest) local instant with W(t) == position, and its day ordinal."""
        if not 0 <= position <= self._total_seconds:
            raise self._out_of_range("计算结果", "the result", late=position > 0)
        k, r = divmod(position, self._day_seconds)
        second = 0
        if earliest:
            if r == 0 and k > 0:
                k, r = k - 1, self._day_seconds
            for start, end in self._spans:
                if r <= end - start:
                    second = start + r
                    break
                r -= end - start
        else:
            if k == len(self._work_ordinals):
                k, r = k - 1, self._day_seconds
            for start, end in self._spans:
                if r < end - start or end == self._close:
                    second = start + r
                    break
                r -= end - start
        ordinal = self._work_ordinals[k]
        day = dt.date.fromordinal(ordinal)
        local = dt.datetime(day.year, day.month, day.day, tzinfo=self._tz)
        return local + dt.timedelta(seconds=second), ordinal

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Office seconds between two instants (negative when ``end < start``).

        Whether a provisional day is involved: ``is_provisional(max(start, end))``.
        """
        return self._position(self._local(end)) - self._position(self._local(start))

    def add_working_seconds(self, start: dt.datetime, seconds: int) -> InstantAnswer:
        """The earliest instant at which ``seconds`` office seconds have passed since ``start``
        (the latest instant ``-seconds`` before it when negative; ``start`` itself for 0)."""
        if isinstance(seconds, bool) or not isinstance(seconds, int):
            raise InvalidArgument(
                f"工作秒数须为整数：{seconds!r}", f"working seconds must be an integer: {seconds!r}"
            )
        local = self._local(start)
        origin = self._position(local)
        start_provisional = local.toordinal() > self._official_end
        if seconds == 0:
            return InstantAnswer(start, start_provisional)
        result, ordinal = self._instant(origin + seconds, earliest=seconds > 0)
        return InstantAnswer(
            result.astimezone(start.tzinfo), start_provisional or ordinal > self._official_end
        )

    def month_working_day(self, year: int, month: int, n: int) -> DayAnswer:
        """The n-th working day (1-based) of ``month``, or the month's last working day when
        the month has fewer than n (February with the Spring Festival).

        The one definition behind month-day limits (``12mwd``) and the monthly windows of
        :mod:`yiwang.calendar.month`: both cap at the month's last working day.
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InvalidArgument(
                f"月内第几个工作日须为正整数：{n!r}",
                f"the working day of the month must be a positive integer: {n!r}",
            )
        first_day = dt.date(year, month, 1)
        following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        # Counted from the 1st itself, so the calendar's first month needs no day before it.
        own = 1 if self.is_working_day(first_day) else 0
        after_first = self.working_days_between(first_day, following - _ONE_DAY)
        in_month = after_first.days + own
        if in_month == 0:
            raise InvalidArgument(
                f"{year}年{month}月没有工作日", f"{year}-{month:02d} has no working day"
            )
        due = self.add_working_days(first_day, min(n, in_month) - own)
        return DayAnswer(due.date, due.provisional or after_first.provisional)

    def _closing(self, day: dt.date) -> dt.datetime:
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=self._tz)
        return midnight + dt.timedelta(seconds=self._close)

    def deadline_for(self, start: dt.datetime, limit: TimeLimit) -> InstantAnswer:
        """When a limit started at ``start`` runs out (R-CAL-1, R-CAL-4).

        * working days and working hours (``0.5wd``, ``20wd``, ``2h``): the one meaning of
          "N working days" for bundles, stages and tasks alike: N x the office day's working
          time, counted from the instant the clock starts (Monday 09:30 + 1wd = Tuesday
          09:30; Monday 09:30 + 0.5wd = Monday 14:00 with 09:00-12:00, 13:00-17:00), so a
          bundle's limit is the sum of its stages' and a pause shifts it by the time paused;
        * ``instant`` (即办), ``same_day`` (当日) and ``on_receipt`` (收到即备案): closing time
          of the working day the work starts on, or of the next working day when it starts
          after hours; a clerk who takes an instant item at 16:30 is not overdue at 16:30:01;
        * N calendar days (``7d``, 日): the day of the start is not counted (民法典 Art. 201);
          the period ends on the N-th day after it, moved to the next working day when that
          day is a rest day (a weekend not worked or a statutory holiday: 民法典 Art. 203);
          due at closing time (Art. 203: "有业务时间的，停止业务活动的时间为截止时间");
        * N-th working day of the month (``12mwd``): closing time of that day, capped at the
          month's last working day (:meth:`month_working_day`), in the month the work starts
          in, or in the next month when that day has already closed.
        """
        local = self._local(start)
        if limit.kind is LimitKind.MONTH_WORKING_DAY:
            n = int(limit.amount)
            for year, month in ((local.year, local.month), _next_month(local.year, local.month)):
                due = self.month_working_day(year, month, n)
                closing = self._closing(due.date)
                if closing > local:
                    return InstantAnswer(closing.astimezone(start.tzinfo), due.provisional)
            raise InvalidArgument(  # pragma: no cover - the next month's day is always later
                f"该月没有第 {n} 个工作日", f"the month has no working day number {n}"
            )
        if limit.kind is LimitKind.CALENDAR_DAYS:
            last = local.date() + dt.timedelta(days=int(limit.amount))
            moved = self.add_working_days(last, 0)
            return InstantAnswer(
                self._closing(moved.date).astimezone(start.tzinfo), moved.provisional
            )
        if limit.is_day_of_receipt:
            # The first instant with working time left is on the day that counts.
            local = self._local(self.add_working_seconds(start, 0).at)
            if local.time() >= self._office_hours.closes_at:
                local = self._local(self.add_working_seconds(start, 1).at)
            due = self.add_working_days(local.date(), 0)
            return InstantAnswer(self._closing(due.date).astimezone(start.tzinfo), due.provisional)
        return self.add_working_seconds(start, limit.working_seconds_nominal(self._office_hours))

    def working_days_used(self, start: dt.datetime, end: dt.datetime) -> Fraction:
        """Working days between two instants in the one meaning of "N working days": the
        working seconds between them over the office day's length (what ``yiwang demo`` and
        the construction board report)."""
        return Fraction(self.working_seconds_between(start, end), self._day_seconds)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


@lru_cache(maxsize=8)
def _default_calendar(
    office_hours: OfficeHours, horizon_year: int, allow_provisional: bool
) -> WorkingCalendar:
    from yiwang.calendar.official import package_official_years

    return WorkingCalendar(
        package_official_years(),
        office_hours,
        horizon_year=horizon_year,
        allow_provisional=allow_provisional,
    )


def load_default_calendar(
    office_hours: OfficeHours | str | None = None,
    *,
    horizon_year: int = DEFAULT_HORIZON_YEAR,
    allow_provisional: bool = True,
) -> WorkingCalendar:
    """The calendar of the official years shipped in ``chinese_calendar`` (cached).

    ``office_hours`` may be an :class:`OfficeHours` or its text (``"09:00-12:00,13:00-17:00"``,
    Asia/Shanghai). Years loaded by an administrator are added by the caller with
    :meth:`WorkingCalendar.with_official_year`.
    """
    if office_hours is None:
        office_hours = OfficeHours.default()
    elif isinstance(office_hours, str):
        office_hours = OfficeHours.parse(office_hours)
    return _default_calendar(office_hours, horizon_year, allow_provisional)
