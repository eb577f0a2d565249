"""Official years shipped with the platform: the data tables of ``chinese_calendar``.

The package (pip ``chinesecalendar``) transcribes every State Council holiday notice since
2004. Its tables map a date to the English value of a ``Holiday`` enum member; we read them
once and give each holiday the one Chinese name used across Yiwang (its enum carries the
short forms 清明/端午/中秋).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from chinese_calendar.constants import Holiday

from yiwang.calendar.models import NamedDay, OfficialYear

_NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
}

PACKAGE_SOURCE = f"chinesecalendar {chinese_calendar.__version__}"


def _name(value: str) -> str:
    member = Holiday(value)
    name: str = _NAMES.get(member.name, member.chinese)
    return name


@lru_cache(maxsize=1)
def package_official_years() -> tuple[OfficialYear, ...]:
    """Every year the installed ``chinese_calendar`` knows, oldest first."""
    holidays: dict[int, list[NamedDay]] = {}
    adjusted: dict[int, list[NamedDay]] = {}
    table: dict[dt.date, str]
    for table, into in (
        (chinese_calendar.holidays, holidays),
        (chinese_calendar.workdays, adjusted),
    ):
        for day, value in table.items():
            into.setdefault(day.year, []).append(NamedDay(day, _name(value)))
    years = sorted(holidays.keys() | adjusted.keys())
    return tuple(
        OfficialYear(
            year=year,
            holidays=tuple(holidays.get(year, ())),
            adjusted_working_days=tuple(adjusted.get(year, ())),
            source=PACKAGE_SOURCE,
        )
        for year in years
    )
