"""Past the last official year the calendar is provisional: the statutory rule, flagged."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from yiwang.calendar import (
    DateOutOfRange,
    InvalidYearData,
    NamedDay,
    OfficialYear,
    TimeLimit,
    WorkingCalendar,
    load_default_calendar,
)
from yiwang.calendar.official import package_official_years
from yiwang.calendar.statutory import provisional_days_off, qingming_day, statutory_holidays

CAL = load_default_calendar()
D = dt.date.fromisoformat
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_dates_in_2027_are_provisional() -> None:
    info = CAL.day_info(D("2027-03-10"))
    assert info.provisional is True
    assert info.source == "provisional"
    assert info.is_working_day is True
    assert CAL.is_provisional(D("2027-01-01"))
    assert not CAL.is_provisional(D("2026-12-31"))


def test_national_day_2027_is_a_provisional_holiday() -> None:
    info = CAL.day_info(D("2027-10-01"))
    assert info.is_working_day is False
    assert info.holiday_name == "国庆节"
    assert info.provisional is True


def test_lunar_new_year_2027_is_a_holiday() -> None:
    info = CAL.day_info(D("2027-02-06"))
    assert info.holiday_name == "春节"
    assert info.is_working_day is False
    # 除夕 (Friday 5 Feb) is a statutory day since 2025.
    assert CAL.day_info(D("2027-02-05")).holiday_name == "春节"


def test_weekend_statutory_days_are_made_up_on_the_next_free_weekdays() -> None:
    # 春节 2027: 除夕 Fri 5, 初一 Sat 6, 初二 Sun 7, 初三 Mon 8 -> Sat and Sun owed: Tue 9, Wed 10.
    off = {d for d, name in provisional_days_off(2027) if name == "春节"}
    assert off == {D("2027-02-05") + dt.timedelta(days=k) for k in range(6)}
    assert CAL.day_info(D("2027-02-11")).is_working_day


def test_coinciding_holidays_give_an_extra_day() -> None:
    # 2028: 中秋 falls on 3 October.
    off = dict(provisional_days_off(2028))
    assert off[D("2028-10-03")] == "中秋节、国庆节"
    october = sorted(d for d in off if d.month == 10)
    assert october == [D("2028-10-01") + dt.timedelta(days=k) for k in range(5)]


def test_statutory_rule_has_thirteen_days_per_year() -> None:
    for year in range(2027, 2061):
        days = statutory_holidays(year)
        assert len(days) == 13
        names = [n for _, n in days]
        assert (
            names.count("春节") == 4 and names.count("劳动节") == 2 and names.count("国庆节") == 3
        )


def test_no_provisional_year_has_adjusted_working_days() -> None:
    day = D("2027-01-01")
    while day <= CAL.last_date:
        info = CAL.day_info(day)
        assert not info.is_adjusted_working_day, day
        assert info.is_working_day == (day.weekday() < 5 and info.holiday_name is None), day
        day += dt.timedelta(days=1)


def test_rule_days_are_official_holidays_in_the_years_the_2025_rule_governs() -> None:
    for year in (2025, 2026):
        official = {d for d, _ in CAL.official_year(year).holidays}  # type: ignore[union-attr]
        for day, name in statutory_holidays(year):
            assert day in official, (year, day, name)


def test_qingming_formula_matches_the_solar_terms_2004_to_2099() -> None:
    for year in range(2004, 2100):
        terms = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30))
        qingming = [d for d, name in terms if name == "清明"]
        assert qingming == [qingming_day(year)], year


def test_qingming_formula_matches_every_official_qingming_holiday() -> None:
    for year in package_official_years():
        days = {d for d, n in year.holidays if n == "清明节"}
        if days:  # a statutory holiday since 2008
            assert qingming_day(year.year) in days, year.year


def test_a_deadline_from_2026_12_28_plus_5_working_days_is_provisional() -> None:
    answer = CAL.add_working_days(D("2026-12-28"), 5)
    assert answer.provisional is True
    assert answer.date == D("2027-01-05")  # 29, 30, 31, (元旦), 4, 5
    start = dt.datetime(2026, 12, 28, 10, 0, tzinfo=SHANGHAI)
    due = CAL.deadline_for(start, TimeLimit.working_days(5))
    assert due.provisional is True
    assert due.at == dt.datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI)


def test_answers_within_official_years_are_not_provisional() -> None:
    assert CAL.add_working_days(D("2026-12-01"), 5).provisional is False
    assert CAL.working_days_between(D("2026-01-05"), D("2026-12-31")).provisional is False
    assert CAL.working_days_between(D("2026-12-30"), D("2027-01-04")).provisional is True
    assert CAL.working_days_between(D("2027-05-05"), D("2027-05-05")).provisional is False


def test_strict_mode_refuses_past_the_last_official_year() -> None:
    strict = load_default_calendar(allow_provisional=False)
    assert strict.last_date == D("2026-12-31")
    with pytest.raises(DateOutOfRange, match="2027"):
        strict.add_working_days(D("2026-12-28"), 5)
    assert strict.add_working_days(D("2026-12-28"), 3).date == D("2026-12-31")


def _year_2027() -> OfficialYear:
    return OfficialYear(
        2027,
        holidays=(
            NamedDay(D("2027-01-01"), "元旦"),
            NamedDay(D("2027-01-04"), "元旦"),
            NamedDay(D("2027-10-01"), "国庆节"),
        ),
        adjusted_working_days=(NamedDay(D("2027-01-09"), "元旦"),),
        source="test",
    )


def test_with_official_year_gives_a_new_calendar_and_leaves_the_old_one() -> None:
    new = CAL.with_official_year(_year_2027())
    assert new is not CAL
    assert new.last_official_year == 2027
    assert CAL.last_official_year == 2026
    assert new.day_info(D("2027-01-04")).holiday_name == "元旦"
    assert new.day_info(D("2027-01-04")).provisional is False
    assert new.day_info(D("2027-01-09")).is_adjusted_working_day
    assert new.day_info(D("2027-02-06")).source == "official"  # official: just a Saturday now
    assert new.day_info(D("2027-02-06")).holiday_name is None
    assert new.day_info(D("2028-01-01")).provisional is True
    assert CAL.day_info(D("2027-01-04")).is_working_day is True
    assert new.add_working_days(D("2026-12-28"), 5) == (D("2027-01-06"), False)


def test_with_official_year_refuses_gaps_and_years_before_the_table() -> None:
    with pytest.raises(InvalidYearData, match="2029"):
        CAL.with_official_year(OfficialYear(2029, (NamedDay(D("2029-01-01"), "元旦"),)))
    with pytest.raises(InvalidYearData, match="2003"):
        CAL.with_official_year(OfficialYear(2003, (NamedDay(D("2003-01-01"), "元旦"),)))


def test_an_official_year_can_be_replaced_by_a_correction() -> None:
    corrected = OfficialYear(2026, (NamedDay(D("2026-01-01"), "元旦"),), source="correction")
    new = CAL.with_official_year(corrected)
    assert new.day_info(D("2026-02-16")).is_working_day is True
    assert new.official_year(2026) == corrected


def test_official_years_must_be_consecutive() -> None:
    years = package_official_years()
    with pytest.raises(InvalidYearData, match="consecutive"):
        WorkingCalendar((years[0], years[2]))
