"""``yiwang calendar``: working-day questions and loading an official year.

Contract (scripts rely on it)::

    yiwang calendar add DATE N [--json]      -> 2026-02-24        | {"date", "provisional"}
    yiwang calendar between A B [--json]     -> 5                 | {"days", "provisional"}
    yiwang calendar info DATE [--json]       -> text              | {"date", "working_day",
                                                 "holiday", "adjusted_working_day",
                                                 "provisional", "source"}
    yiwang calendar load FILE [--json]       -> summary           | {"year", "source",
                                                 "holidays": [{"date","name"}],
                                                 "adjusted_working_days": [{"date","name"}]}

Invalid input (a date that does not exist, a negative or non-integer N, a bad year file, a
date outside the calendar) exits with status 2 and one line on stderr. When an answer is
provisional, the plain-text form says so on stderr, so stdout stays one value.

Two hooks for the composition root: :func:`current_calendar` (today the shipped years; the
lead makes it include years loaded into the database) and :func:`on_year_loaded` (persist
the year and recompute deadlines).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from yiwang.calendar import (
    CalendarError,
    WorkingCalendar,
    load_default_calendar,
    parse_year_file,
)
from yiwang.calendar.models import WEEKDAYS_EN, WEEKDAYS_ZH

app = typer.Typer(
    help="工作日历 / working-day calendar: 工作日推算、节假日查询、载入年度放假安排。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNT = re.compile(r"^\+?\d+$")
# A year file is a page of text; anything much larger is not one.
_MAX_FILE_BYTES = 1_000_000


# --------------------------------------------------------------------------- hooks


def current_calendar() -> WorkingCalendar:
    """The calendar the commands answer from: the official years shipped in
    ``chinese_calendar`` plus the years an administrator loaded into the configured database
    (when there is one; a query never creates a database)."""
    from yiwang.bootstrap import loaded_calendar

    return loaded_calendar() or load_default_calendar()


def on_year_loaded(text: str, file_name: str) -> tuple[bool, int]:
    """Store the year in the database and recompute the deadlines of open work.

    Returns (persisted, number of deadlines that changed).
    """
    from yiwang.bootstrap import bootstrap

    platform = bootstrap()
    try:
        _, changed = platform.load_calendar_year(text, file_name)
    finally:
        platform.dispose()
    return True, changed


# --------------------------------------------------------------------------- helpers


def _fail(message: str) -> NoReturn:
    typer.echo(" ".join(message.split()), err=True)
    raise typer.Exit(2)


def _date(text: str, what: str) -> dt.date:
    if text.startswith("-") and not _DATE.match(text.lstrip("-")):
        _fail(f"未知选项 {text} / no such option: {text}")
    if not _DATE.match(text):
        _fail(f"{what} {text!r} 应写作 YYYY-MM-DD / {what} {text!r} must be written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(f"日期 {text} 不存在 / date {text} does not exist")


def _count(text: str) -> int:
    if re.fullmatch(r"-\d+", text):
        _fail(f"工作日数不能为负：{text} / N must not be negative: {text}")
    if text.startswith("-"):
        _fail(f"未知选项 {text} / no such option: {text}")
    if not _COUNT.match(text):
        _fail(f"工作日数须为非负整数：{text!r} / N must be a non-negative integer: {text!r}")
    return int(text)


def _echo_json(payload: object) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False))


def _note_provisional(provisional: bool, calendar: WorkingCalendar) -> None:
    if provisional:
        typer.echo(
            f"注意：结果依赖 {calendar.last_official_year} 年之后的暂定日历 / note: provisional, "
            f"depends on days after the last official year {calendar.last_official_year}",
            err=True,
        )


def _yes(flag: bool) -> str:
    return "是 yes" if flag else "否 no"


# --------------------------------------------------------------------------- commands


@app.command(context_settings={"ignore_unknown_options": True})
def add(
    date: Annotated[
        str, typer.Argument(metavar="DATE", help="起始日期 YYYY-MM-DD（不计入） / start date")
    ],
    n: Annotated[str, typer.Argument(metavar="N", help="工作日数 N ≥ 0 / working days")],
    json_output: JsonFlag = False,
) -> None:
    """第 N 个工作日（起始日不计） / the date N working days after DATE."""
    start, count = _date(date, "日期 date"), _count(n)
    calendar = current_calendar()
    try:
        answer = calendar.add_working_days(start, count)
    except CalendarError as exc:
        _fail(str(exc))
    if json_output:
        _echo_json({"date": answer.date.isoformat(), "provisional": answer.provisional})
        return
    typer.echo(answer.date.isoformat())
    _note_provisional(answer.provisional, calendar)


@app.command()
def between(
    a: Annotated[
        str, typer.Argument(metavar="A", help="起始日期 YYYY-MM-DD（不计入） / from (excluded)")
    ],
    b: Annotated[
        str, typer.Argument(metavar="B", help="截止日期 YYYY-MM-DD（计入） / to (included)")
    ],
    json_output: JsonFlag = False,
) -> None:
    """A 之后至 B（含）的工作日数，B 早于 A 时为负 / working days after A up to B."""
    first, second = _date(a, "日期 date"), _date(b, "日期 date")
    calendar = current_calendar()
    try:
        answer = calendar.working_days_between(first, second)
    except CalendarError as exc:
        _fail(str(exc))
    if json_output:
        _echo_json({"days": answer.days, "provisional": answer.provisional})
        return
    typer.echo(str(answer.days))
    _note_provisional(answer.provisional, calendar)


@app.command()
def info(
    date: Annotated[str, typer.Argument(metavar="DATE", help="日期 YYYY-MM-DD / date")],
    json_output: JsonFlag = False,
) -> None:
    """某日是否工作日、节假日名称、是否调休上班、官方或暂定 / what a date is."""
    day = _date(date, "日期 date")
    calendar = current_calendar()
    try:
        facts = calendar.day_info(day)
    except CalendarError as exc:
        _fail(str(exc))
    if json_output:
        _echo_json(
            {
                "date": day.isoformat(),
                "working_day": facts.is_working_day,
                "holiday": facts.holiday_name,
                "adjusted_working_day": facts.is_adjusted_working_day,
                "provisional": facts.provisional,
                "source": facts.source,
            }
        )
        return
    weekday = day.weekday()
    holiday = (
        f"{facts.holiday_name} {facts.holiday_name_en}" if facts.holiday_name is not None else "—"
    )
    adjusted = _yes(facts.is_adjusted_working_day)
    if facts.adjusted_for:
        adjusted += f"（{facts.adjusted_for}）"
    source = (
        f"暂定 provisional（{calendar.last_official_year} 年之后按法定规则推算）"
        if facts.provisional
        else "官方 official"
    )
    typer.echo(f"{day.isoformat()} {WEEKDAYS_ZH[weekday]} {WEEKDAYS_EN[weekday]}")
    typer.echo(f"工作日 working day: {_yes(facts.is_working_day)}")
    typer.echo(f"节假日 holiday: {holiday}")
    typer.echo(f"调休上班 adjusted working day: {adjusted}")
    typer.echo(f"来源 source: {source}")


@app.command()
def load(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="年度放假安排 .yaml/.yml/.csv / year file")
    ],
    json_output: JsonFlag = False,
) -> None:
    """校验并载入一个年度的官方放假安排 / validate and load an official year."""
    try:
        size = file.stat().st_size
        if size > _MAX_FILE_BYTES:
            _fail(f"文件过大：{file} / file too large: {file}")
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        _fail(f"文件不是 UTF-8 编码：{file} / file is not UTF-8: {file}")
    except OSError as exc:
        _fail(f"无法读取 {file}：{exc.strerror} / cannot read {file}: {exc.strerror}")
    try:
        year = parse_year_file(text, file.name)
        calendar = current_calendar().with_official_year(year)
    except CalendarError as exc:
        _fail(str(exc))
    del calendar  # validated above: the year fits the calendar
    persisted, recomputed = on_year_loaded(text, file.name)
    if json_output:
        _echo_json(
            {
                "year": year.year,
                "source": year.source,
                "saved": persisted,
                "deadlines_recomputed": recomputed,
                "holidays": [{"date": d.isoformat(), "name": n} for d, n in year.holidays],
                "adjusted_working_days": [
                    {"date": d.isoformat(), "name": n} for d, n in year.adjusted_working_days
                ],
            }
        )
        return
    typer.echo(f"{year.year} 年 year {year.year}（来源 source: {year.source}）")
    typer.echo(
        f"假日 holidays: {len(year.holidays)} 天 days; "
        f"调休上班日 adjusted working days: {len(year.adjusted_working_days)} 天 days"
    )
    for name in dict.fromkeys(n for _, n in year.holidays):
        dates = [d for d, n in year.holidays if n == name]
        typer.echo(f"  {name}: {_spans(dates)}")
    for day, name in year.adjusted_working_days:
        typer.echo(f"  调休上班 {day.isoformat()} {WEEKDAYS_ZH[day.weekday()]}（{name}）")
    typer.echo(
        f"已保存，重算在办时限 {recomputed} 项 / saved; {recomputed} open deadline(s) recomputed"
        if persisted
        else "已校验，未保存 / validated, not saved"
    )


def _spans(dates: list[dt.date]) -> str:
    """``2027-02-05..2027-02-11`` style runs of consecutive dates."""
    runs: list[list[dt.date]] = []
    for day in sorted(dates):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}"
        for run in runs
    )


@app.command()
def windows(
    month: Annotated[str, typer.Argument(metavar="YYYY-MM", help="月份 / month")],
    json_output: JsonFlag = False,
) -> None:
    """创新券月度周期 / the innovation-voucher cycle of a month: working days 1-7 the enterprise
    submits, 8-12 the city reviews, 13-17 the province pays (plan 6)."""
    from yiwang.calendar.month import working_day_windows

    match = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if match is None or not 1 <= int(match[2]) <= 12:
        _fail(f"月份 {month!r} 应写作 YYYY-MM / month {month!r} must be written YYYY-MM")
    year, number = int(match[1]), int(match[2])
    try:
        found = working_day_windows(current_calendar(), year, number)
    except CalendarError as exc:
        _fail(str(exc))
    names = ("企业提交 enterprise submits", "市级审核 city reviews", "省级兑付 province pays")
    rows = [
        {
            "step": name,
            "first": w.first.isoformat(),
            "last": w.last.isoformat(),
            "provisional": w.provisional,
        }
        for name, w in zip(names, found, strict=False)
    ]
    if json_output:
        _echo_json(rows)
        return
    for row in rows:
        mark = " (暂定 provisional)" if row["provisional"] else ""
        typer.echo(f"{row['first']} .. {row['last']}  {row['step']}{mark}")
