"""Official facts: what the shipped calendar says about 2026, checked against the package."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from yiwang.calendar import (
    DateOutOfRange,
    InvalidArgument,
    InvalidYearData,
    NamedDay,
    OfficialYear,
    load_default_calendar,
)
from yiwang.calendar.official import package_official_years

CAL = load_default_calendar()
D = dt.date.fromisoformat


def test_official_years_are_every_year_the_package_knows() -> None:
    years = [y.year for y in CAL.official_years]
    assert years == list(range(2004, 2027))
    assert CAL.first_official_year == 2004
    assert CAL.last_official_year == 2026
    assert CAL.first_date == D("2004-01-01")
    assert CAL.last_date == D("2060-12-31")


def test_new_years_day_2026_is_a_holiday_named_yuandan() -> None:
    info = CAL.day_info(D("2026-01-01"))
    assert info.is_working_day is False
    assert info.holiday_name == "元旦"
    assert info.holiday_name_en == "New Year's Day"
    assert info.provisional is False
    assert info.source == "official"


def test_2026_new_year_sunday_is_an_adjusted_working_day() -> None:
    info = CAL.day_info(D("2026-01-04"))
    assert info.is_working_day is True
    assert info.is_adjusted_working_day is True
    assert info.adjusted_for == "元旦"
    assert info.holiday_name is None


def test_spring_festival_2026_matches_the_package_data() -> None:
    holidays = [d for d, name in CAL.official_year(2026).holidays if name == "春节"]  # type: ignore[union-attr]
    assert holidays == [D("2026-02-15") + dt.timedelta(days=k) for k in range(9)]
    for day in holidays:
        assert chinese_calendar.is_workday(day) is False
        assert CAL.day_info(day).holiday_name == "春节"
    for saturday in (D("2026-02-14"), D("2026-02-28")):
        info = CAL.day_info(saturday)
        assert saturday.weekday() == 5
        assert info.is_working_day and info.is_adjusted_working_day
        assert info.adjusted_for == "春节"


def test_national_day_2026() -> None:
    for k in range(1, 8):
        info = CAL.day_info(dt.date(2026, 10, k))
        assert info.is_working_day is False
        assert info.holiday_name == "国庆节"
    assert CAL.day_info(D("2026-10-10")).is_adjusted_working_day
    assert CAL.day_info(D("2026-10-08")).is_working_day


def test_holiday_names_are_normalised_to_statutory_names() -> None:
    assert CAL.day_info(D("2026-04-05")).holiday_name == "清明节"
    assert CAL.day_info(D("2026-06-19")).holiday_name == "端午节"
    assert CAL.day_info(D("2026-09-25")).holiday_name == "中秋节"
    assert CAL.day_info(D("2015-09-03")).holiday_name.startswith("中国人民抗日战争")  # type: ignore[union-attr]


def test_add_one_working_day_from_the_last_working_day_before_spring_festival() -> None:
    # 2026-02-14 (Saturday) is worked; the next working day is after the 9-day holiday.
    assert CAL.add_working_days(D("2026-02-13"), 1).date == D("2026-02-14")
    answer = CAL.add_working_days(D("2026-02-14"), 1)
    assert answer.date == D("2026-02-24")
    assert answer.provisional is False


def test_add_and_between_across_national_day_2026() -> None:
    assert CAL.add_working_days(D("2026-09-30"), 1).date == D("2026-10-08")
    assert CAL.add_working_days(D("2026-10-09"), 1).date == D("2026-10-10")  # a worked Saturday
    assert CAL.working_days_between(D("2026-09-30"), D("2026-10-12")).days == 4  # 8, 9, 10, 12
    assert CAL.working_days_between(D("2026-10-12"), D("2026-09-30")).days == -4


def test_add_zero_is_the_start_when_working_else_the_next_working_day() -> None:
    assert CAL.add_working_days(D("2026-03-02"), 0).date == D("2026-03-02")
    assert CAL.add_working_days(D("2026-02-15"), 0).date == D("2026-02-24")
    assert CAL.add_working_days(D("2026-02-28"), 0).date == D("2026-02-28")  # worked Saturday


def test_negative_or_non_integer_counts_are_rejected() -> None:
    with pytest.raises(InvalidArgument, match="负"):
        CAL.add_working_days(D("2026-03-02"), -1)
    with pytest.raises(InvalidArgument, match="integer"):
        CAL.add_working_days(D("2026-03-02"), 1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument):
        CAL.add_working_days(D("2026-03-02"), True)


def test_dates_outside_the_table_raise_date_out_of_range() -> None:
    with pytest.raises(DateOutOfRange, match="2003-12-31"):
        CAL.day_info(D("2003-12-31"))
    with pytest.raises(DateOutOfRange, match="2061-01-01"):
        CAL.add_working_days(D("2061-01-01"), 1)
    with pytest.raises(DateOutOfRange):
        CAL.add_working_days(D("2060-12-20"), 30)


def test_a_datetime_is_not_accepted_where_a_date_is_expected() -> None:
    with pytest.raises(InvalidArgument, match="instant"):
        CAL.day_info(dt.datetime(2026, 3, 2, 10, 0))


def test_package_years_satisfy_the_official_year_rules() -> None:
    for year in package_official_years():
        assert all(d.year == year.year for d, _ in year.holidays)
        assert all(d.weekday() >= 5 for d, _ in year.adjusted_working_days)
        assert year.source.startswith("chinesecalendar")


def test_official_year_refuses_a_weekday_adjusted_working_day() -> None:
    with pytest.raises(InvalidYearData, match="2027-03-03"):
        OfficialYear(2027, (NamedDay(D("2027-01-01"), "元旦"),), (NamedDay(D("2027-03-03"), "x"),))


def test_official_year_csv_round_trip() -> None:
    from yiwang.calendar import parse_year_file

    year = CAL.official_year(2026)
    assert year is not None
    again = parse_year_file(year.to_csv(), "2026.csv")
    assert again.holidays == year.holidays
    assert again.adjusted_working_days == year.adjusted_working_days
