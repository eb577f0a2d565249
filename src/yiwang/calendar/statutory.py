"""The statutory holiday rule, used for PROVISIONAL years (past the last official year).

Source: 《全国年节及纪念日放假办法》 as revised by 国务院令第 795 号 (2024-11-10, in force
2025-01-01). Holidays for all citizens, 13 days a year:

===========  ===============================================  ====
元旦          1 January                                          1
春节          lunar New Year's Eve (除夕) and lunar 1/1 - 1/3     4
清明节        the day of the Qingming solar term                 1
劳动节        1 and 2 May                                        2
端午节        lunar 5/5                                          1
中秋节        lunar 8/15                                         1
国庆节        1 - 3 October                                      3
===========  ===============================================  ====

The same regulation says: "全体公民放假的假日，如果适逢周六、周日，应当在工作日补假" - a
holiday falling on a Saturday or Sunday is made up on a working day. We apply that literally:
each statutory day on a weekend, and each statutory day that coincides with another one
(中秋节 on 1-3 October), gives a substitute day off (补假) on the next Monday-Friday that is
not already off, named after its holiday.

What we do NOT guess: the adjusted working days (调休上班) and the longer bridged spans that
the State Council's yearly notice adds; a provisional year has none. When the notice is
published the administrator loads the year and deadlines are recomputed.

Lunar dates come from ``lunardate`` (1900-2099). The Qingming solar term uses the usual
"寿星通式" approximation for the 21st century::

    day of April = floor(Y * 0.2422 + 4.81) - floor(Y / 4),   Y = year % 100

The tests check it against ``chinese_calendar.get_solar_terms`` for 2004-2099 and against
every official 清明 holiday since 2008. Like any such approximation it could be a day off in
a rare year; a provisional answer is an estimate anyway and says so.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from lunardate import LunarDate

from yiwang.calendar.errors import DateOutOfRange
from yiwang.calendar.models import NamedDay

FIRST_RULE_YEAR = 2001  # the Qingming formula below holds for 2001-2099
LAST_RULE_YEAR = 2099  # lunardate's last year

_QINGMING_D = 0.2422
_QINGMING_C_21ST = 4.81


def qingming_day(year: int) -> dt.date:
    """Date of the Qingming solar term (清明) in ``year`` (2001-2099)."""
    _check_year(year)
    y = year % 100
    return dt.date(year, 4, int(y * _QINGMING_D + _QINGMING_C_21ST) - y // 4)


def _lunar(year: int, month: int, day: int) -> dt.date:
    solar: dt.date = LunarDate(year, month, day).to_solar_date()
    return solar


def statutory_holidays(year: int) -> tuple[NamedDay, ...]:
    """The 13 statutory days of ``year`` under the 2025 rule, sorted; a date may repeat
    when two holidays coincide (e.g. 中秋节 on 1 October)."""
    _check_year(year)
    new_year = _lunar(year, 1, 1)
    one_day = dt.timedelta(days=1)
    days = [
        NamedDay(dt.date(year, 1, 1), "元旦"),
        *(NamedDay(new_year + k * one_day, "春节") for k in (-1, 0, 1, 2)),
        NamedDay(qingming_day(year), "清明节"),
        NamedDay(dt.date(year, 5, 1), "劳动节"),
        NamedDay(dt.date(year, 5, 2), "劳动节"),
        NamedDay(_lunar(year, 5, 5), "端午节"),
        NamedDay(_lunar(year, 8, 15), "中秋节"),
        *(NamedDay(dt.date(year, 10, d), "国庆节") for d in (1, 2, 3)),
    ]
    return tuple(sorted(days, key=lambda day: day.date))


@lru_cache(maxsize=256)
def provisional_days_off(year: int) -> tuple[NamedDay, ...]:
    """Days off of a provisional year: statutory days plus substitute days (补假), sorted.

    Coinciding holidays share one date whose name joins theirs with ``、``.
    """
    names: dict[dt.date, list[str]] = {}
    for day, name in statutory_holidays(year):
        names.setdefault(day, []).append(name)
    off = {day: "、".join(parts) for day, parts in names.items()}
    owed: list[NamedDay] = []
    for day, parts in sorted(names.items()):
        # Every statutory day must be a weekday off; a weekend one or a second holiday on the
        # same date is owed to the next free weekday.
        owed += [NamedDay(day, part) for part in (parts if day.weekday() >= 5 else parts[1:])]
    for day, name in owed:
        substitute = day + dt.timedelta(days=1)
        while substitute.weekday() >= 5 or substitute in off:
            substitute += dt.timedelta(days=1)
        off[substitute] = name
    return tuple(NamedDay(day, name) for day, name in sorted(off.items()))


def _check_year(year: int) -> None:
    if not FIRST_RULE_YEAR <= year <= LAST_RULE_YEAR:
        raise DateOutOfRange(
            f"{year} 年超出法定节假日规则可推算的范围（{FIRST_RULE_YEAR}-{LAST_RULE_YEAR}）",
            f"year {year} is outside the range the statutory rule can compute "
            f"({FIRST_RULE_YEAR}-{LAST_RULE_YEAR})",
        )
