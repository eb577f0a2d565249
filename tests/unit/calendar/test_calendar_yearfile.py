"""Year files: every validation rule has a failing example whose message names the problem."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from yiwang.calendar import DayKind, InvalidYearFile, NamedDay, YearEntry, parse_year_file

D = dt.date.fromisoformat

VALID_YAML = textwrap.dedent(
    """\
    # example
    year: 2027
    source: 测试通知
    holidays:
      - name: 元旦
        dates: 2027-01-01 .. 2027-01-03
      - name: 春节
        dates: [2027-02-05 .. 2027-02-11, 2027-02-12]
      - name: 清明节
        dates: [2027-04-05]
    adjusted_working_days:
      - name: 春节
        dates: [2027-02-20]
    """
)

VALID_CSV = textwrap.dedent(
    """\
    # example
    date,kind,name
    2027-01-01,holiday,元旦
    2027-01-02,holiday,元旦
    2027-01-03,放假,元旦
    2027-02-20,adjusted_working_day,春节
    """
)


def problems(text: str, filename: str) -> str:
    with pytest.raises(InvalidYearFile) as caught:
        parse_year_file(text, filename)
    assert caught.value.filename == filename
    assert filename in str(caught.value)
    return str(caught.value)


def test_valid_yaml() -> None:
    year = parse_year_file(VALID_YAML, "2027.yaml")
    assert year.year == 2027
    assert year.source == "测试通知"
    assert year.holidays[0] == NamedDay(D("2027-01-01"), "元旦")
    assert len(year.holidays) == 3 + 8 + 1
    assert year.adjusted_working_days == (NamedDay(D("2027-02-20"), "春节"),)


def test_valid_csv() -> None:
    year = parse_year_file(VALID_CSV, "2027.csv")
    assert year.year == 2027
    assert year.source == "2027.csv"
    assert [d for d, _ in year.holidays] == [D("2027-01-01"), D("2027-01-02"), D("2027-01-03")]
    assert year.entries()[-1] == YearEntry(D("2027-02-20"), DayKind.ADJUSTED_WORKING_DAY, "春节")


def test_csv_without_header_and_with_quotes() -> None:
    year = parse_year_file('2027-01-01,holiday,"元旦, New Year"\n', "x.csv")
    assert year.holidays == (NamedDay(D("2027-01-01"), "元旦, New Year"),)


def test_holidays_on_weekends_are_allowed() -> None:
    year = parse_year_file("2027-02-06,holiday,春节\n", "2027.csv")  # a Saturday
    assert year.holidays[0].date.weekday() == 5


def test_one_year_only_yaml() -> None:
    text = VALID_YAML.replace("[2027-04-05]", "[2028-04-05]")
    message = problems(text, "2027.yaml")
    assert "line 10" in message and "2028-04-05 is not in 2027 (one year per file)" in message


def test_one_year_only_csv() -> None:
    message = problems(VALID_CSV + "2028-01-01,holiday,元旦\n", "holidays.csv")
    assert "line 7: date 2028-01-01 is not in 2027" in message


def test_one_year_only_range() -> None:
    text = VALID_YAML.replace("2027-01-01 .. 2027-01-03", "2026-12-31 .. 2027-01-03")
    assert "leaves 2027" in problems(text, "2027.yaml")


def test_file_name_year_must_match() -> None:
    assert "the file name says 2028 but the data is for 2027" in problems(VALID_CSV, "2028.csv")


def test_date_that_does_not_exist() -> None:
    message = problems(VALID_CSV.replace("2027-01-02", "2027-02-30"), "2027.csv")
    assert "line 4: date 2027-02-30 does not exist" in message
    assert "日期 2027-02-30 不存在" in message


def test_badly_written_date() -> None:
    assert "must be written YYYY-MM-DD" in problems("2027/01/01,holiday,元旦\n", "2027.csv")


def test_every_date_once() -> None:
    message = problems(VALID_CSV + "2027-01-02,adjusted_working_day,元旦\n", "2027.csv")
    assert "line 7: date 2027-01-02 is listed twice (already on line 4)" in message


def test_every_date_once_across_ranges() -> None:
    text = VALID_YAML.replace("[2027-04-05]", "[2027-02-07]")
    assert "date 2027-02-07 is listed twice (already on line 8)" in problems(text, "2027.yaml")


def test_no_weekday_adjusted_working_day() -> None:
    message = problems(VALID_CSV + "2027-02-09,adjusted_working_day,春节\n", "2027.csv")
    assert "2027-02-09 is a Tuesday; adjusted working days must be Saturdays or Sundays" in message
    assert "调休上班日只能是周六或周日" in message


def test_names_non_empty() -> None:
    assert "holiday 2027-01-05 has no name" in problems(
        VALID_CSV + "2027-01-05,holiday, \n", "a.csv"
    )
    text = VALID_YAML.replace("name: 清明节", 'name: ""')
    assert "holiday 2027-04-05 has no name" in problems(text, "2027.yaml")
    assert "name is missing" in problems(
        VALID_YAML.replace("  - name: 清明节\n", "  - \n"), "y.yaml"
    )


def test_at_least_one_holiday() -> None:
    text = "year: 2027\nholidays: []\n"
    assert "no holidays listed for 2027" in problems(text, "2027.yaml")


def test_year_is_required_and_must_be_a_year() -> None:
    assert "year is missing" in problems("holidays: []\n", "y.yaml")
    assert "year must be a year between" in problems("year: 27\nholidays: []\n", "y.yaml")


def test_unknown_and_duplicate_keys() -> None:
    assert "unknown key 'holiday'" in problems(
        VALID_YAML.replace("holidays:", "holiday:"), "y.yaml"
    )
    text = VALID_YAML + "year: 2028\n"
    assert "key year appears twice" in problems(text, "y.yaml")


def test_yaml_syntax_error_names_the_line() -> None:
    message = problems("year: 2027\nholidays:\n  - name: [元旦\n", "2027.yaml")
    assert "YAML syntax error" in message and "line 4" in message


def test_yaml_aliases_are_refused() -> None:
    text = "year: 2027\nholidays:\n  - &a {name: 元旦, dates: [2027-01-01]}\n  - *a\n"
    assert "aliases" in problems(text, "2027.yaml")


def test_reversed_range() -> None:
    text = VALID_YAML.replace("2027-01-01 .. 2027-01-03", "2027-01-03 .. 2027-01-01")
    assert "ends before it starts" in problems(text, "2027.yaml")


def test_csv_columns_and_kinds() -> None:
    assert "expected 3 columns" in problems("2027-01-01,holiday\n", "2027.csv")
    assert "kind 'rest' is invalid" in problems("2027-01-01,rest,元旦\n", "2027.csv")


def test_unknown_file_type() -> None:
    assert "unknown file type .txt" in problems(VALID_CSV, "2027.txt")


def test_all_problems_are_reported_at_once() -> None:
    text = (
        VALID_CSV + "2027-02-30,holiday,x\n2027-02-09,adjusted_working_day,y\n2027-03-01,holiday,\n"
    )
    with pytest.raises(InvalidYearFile) as caught:
        parse_year_file(text, "2027.csv")
    assert [p.line for p in caught.value.problems] == [7, 8, 9]
