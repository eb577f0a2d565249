"""Reading an official year from a small file an administrator writes (R-CAL-3).

Two formats, chosen by the file name's extension.

YAML (``.yaml`` / ``.yml``)::

    year: 2027
    source: 国办发明电〔2026〕X号        # optional
    holidays:
      - name: 春节
        dates: [2027-02-05 .. 2027-02-11]   # a date, a list, or inclusive ranges A .. B
    adjusted_working_days:                 # optional
      - name: 春节
        dates: [2027-02-20]

CSV (``.csv``), header optional, ``#`` starts a comment line::

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-20,adjusted_working_day,春节

``kind`` is ``holiday`` (also ``放假``) or ``adjusted_working_day`` (also ``调休上班``).

Rules, each reported with the file, the line and the problem (all problems at once):
one year only (the YAML ``year``, the CSV dates, and a year at the start of the file name
agree); every date is a real date of that year and appears once; adjusted working days are
Saturdays or Sundays; names are non-empty; at least one holiday. Holidays may fall on
weekends (a span such as 春节 covers them).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePath

import yaml

from yiwang.calendar.errors import InvalidYearFile, YearFileProblem
from yiwang.calendar.models import WEEKDAYS_EN, WEEKDAYS_ZH, DayKind, OfficialYear, YearEntry

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RANGE = re.compile(r"^(\S+)\s*\.\.\s*(\S+)$")
_KINDS = {
    "holiday": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "adjusted_working_day": DayKind.ADJUSTED_WORKING_DAY,
    "调休上班": DayKind.ADJUSTED_WORKING_DAY,
}
_KIND_ZH = {DayKind.HOLIDAY: "假日", DayKind.ADJUSTED_WORKING_DAY: "调休上班日"}
_KIND_EN = {DayKind.HOLIDAY: "holiday", DayKind.ADJUSTED_WORKING_DAY: "adjusted working day"}
_MIN_YEAR, _MAX_YEAR = 1900, 2099
# A year file is small; refuse anything that is clearly not one before parsing it.
_MAX_CHARS = 200_000


@dataclass
class _Collector:
    """Problems found so far, and the entries with the line they came from."""

    problems: list[YearFileProblem] = field(default_factory=list)
    entries: list[tuple[int, YearEntry]] = field(default_factory=list)

    def add(self, line: int, zh: str, en: str) -> None:
        self.problems.append(YearFileProblem(line, zh, en))


def parse_year_file(text: str, filename: str) -> OfficialYear:
    """Parse and validate a year file; :class:`InvalidYearFile` lists every problem."""
    found = _Collector()
    if len(text) > _MAX_CHARS:
        found.add(
            0,
            f"文件过大（超过 {_MAX_CHARS} 个字符）",
            f"file too large (over {_MAX_CHARS} characters)",
        )
        raise InvalidYearFile(filename, found.problems)
    text = text.removeprefix("\ufeff")
    suffix = PurePath(filename).suffix.lower()
    year: int | None
    source = PurePath(filename).name
    if suffix in (".yaml", ".yml"):
        year, declared_source = _read_yaml(text, found)
        source = declared_source or source
    elif suffix == ".csv":
        year = _read_csv(text, found)
    else:
        found.add(
            0,
            f"无法识别的文件类型 {suffix or '（无扩展名）'}，应为 .yaml、.yml 或 .csv",
            f"unknown file type {suffix or '(no extension)'}; use .yaml, .yml or .csv",
        )
        raise InvalidYearFile(filename, found.problems)
    if year is not None:
        _check_entries(year, filename, found)
    if found.problems or year is None:
        raise InvalidYearFile(filename, sorted(found.problems, key=lambda p: p.line))
    return OfficialYear.from_entries(year, (entry for _, entry in found.entries), source)


# --------------------------------------------------------------------------- shared checks


def _parse_date(text: str, line: int, found: _Collector) -> dt.date | None:
    if not _DATE.match(text):
        found.add(
            line, f"日期 {text!r} 应写作 YYYY-MM-DD", f"date {text!r} must be written YYYY-MM-DD"
        )
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        found.add(line, f"日期 {text} 不存在", f"date {text} does not exist")
        return None


def _check_entries(year: int, filename: str, found: _Collector) -> None:
    stem = re.match(r"^(\d{4})(?!\d)", PurePath(filename).name)
    if stem and int(stem[1]) != year:
        found.add(
            0,
            f"文件名表示 {stem[1]} 年，内容却是 {year} 年",
            f"the file name says {stem[1]} but the data is for {year}",
        )
    first_line: dict[dt.date, int] = {}
    holidays = 0
    for line, (day, kind, name) in found.entries:
        if day.year != year:
            found.add(
                line,
                f"日期 {day} 不属于 {year} 年（一个文件只能有一个年度）",
                f"date {day} is not in {year} (one year per file)",
            )
        if day in first_line:
            found.add(
                line,
                f"日期 {day} 重复（第 {first_line[day]} 行已列出）",
                f"date {day} is listed twice (already on line {first_line[day]})",
            )
        else:
            first_line[day] = line
        if not name.strip():
            found.add(
                line,
                f"{_KIND_ZH[kind]} {day} 缺少名称",
                f"{_KIND_EN[kind]} {day} has no name",
            )
        if kind is DayKind.ADJUSTED_WORKING_DAY and day.weekday() < 5:
            found.add(
                line,
                f"{day} 是{WEEKDAYS_ZH[day.weekday()]}，调休上班日只能是周六或周日",
                f"{day} is a {WEEKDAYS_EN[day.weekday()]}; "
                "adjusted working days must be Saturdays or Sundays",
            )
        holidays += kind is DayKind.HOLIDAY
    if not holidays and not found.problems:
        found.add(0, f"{year} 年没有任何假日", f"no holidays listed for {year}")


# --------------------------------------------------------------------------- CSV


def _read_csv(text: str, found: _Collector) -> int | None:
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        row = [cell.strip() for cell in next(csv.reader([raw]))]
        if not header_seen and [cell.lower() for cell in row] == ["date", "kind", "name"]:
            header_seen = True
            continue
        header_seen = True
        if len(row) != 3:
            found.add(
                number,
                f"应有 3 列（date,kind,name），实有 {len(row)} 列",
                f"expected 3 columns (date,kind,name), found {len(row)}",
            )
            continue
        date_text, kind_text, name = row
        day = _parse_date(date_text, number, found)
        kind = _KINDS.get(kind_text.lower())
        if kind is None:
            found.add(
                number,
                f"类型 {kind_text!r} 无效，应为 holiday 或 adjusted_working_day",
                f"kind {kind_text!r} is invalid; use holiday or adjusted_working_day",
            )
        if day is not None and kind is not None:
            found.entries.append((number, YearEntry(day, kind, name)))
    if not found.entries:
        if not found.problems:
            found.add(0, "文件中没有任何日期", "the file lists no dates")
        return None
    # The first date decides the year; rows in another year are then reported one by one.
    return found.entries[0][1].date.year


# --------------------------------------------------------------------------- YAML

_TOP_KEYS = ("year", "source", "holidays", "adjusted_working_days")
_ENTRY_KEYS = ("name", "dates")


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _read_yaml(text: str, found: _Collector) -> tuple[int | None, str | None]:
    try:
        # Aliases could expand a tiny file into a huge tree, and a year file has no use for
        # them: refuse them before composing.
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                found.add(
                    int(mark.line) + 1 if mark is not None else 0,
                    "年度日历文件中不允许使用 YAML 别名（*）",
                    "YAML aliases (*) are not allowed in a year file",
                )
                return None, None
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        found.add(line, f"YAML 语法错误：{problem}", f"YAML syntax error: {problem}")
        return None, None
    if not isinstance(root, yaml.MappingNode):
        found.add(
            _line(root) if root is not None else 0,
            "文件顶层应是包含 year、holidays 的映射",
            "the file must be a mapping with year and holidays",
        )
        return None, None
    fields = _mapping(root, _TOP_KEYS, found)
    year = _read_year(fields.get("year"), _line(root), found)
    source: str | None = None
    if "source" in fields:
        source = _scalar(fields["source"], "source", found)
    if "holidays" not in fields:
        found.add(_line(root), "缺少 holidays", "holidays is missing")
    for key, kind in (
        ("holidays", DayKind.HOLIDAY),
        ("adjusted_working_days", DayKind.ADJUSTED_WORKING_DAY),
    ):
        if key in fields:
            _read_groups(fields[key], key, kind, year, found)
    return year, source


def _mapping(
    node: yaml.MappingNode, allowed: tuple[str, ...], found: _Collector
) -> dict[str, yaml.Node]:
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in allowed:
            found.add(
                _line(key_node),
                f"未知的键 {key!r}，可用的键：{'、'.join(allowed)}",
                f"unknown key {key!r}; allowed: {', '.join(allowed)}",
            )
        elif key in fields:
            found.add(_line(key_node), f"键 {key} 重复", f"key {key} appears twice")
        else:
            fields[key] = value_node
    return fields


def _scalar(node: yaml.Node, what: str, found: _Collector) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        found.add(_line(node), f"{what} 应是单个值", f"{what} must be a single value")
        return None
    value: str = node.value
    return value


def _read_year(node: yaml.Node | None, root_line: int, found: _Collector) -> int | None:
    if node is None:
        found.add(root_line, "缺少 year（年度）", "year is missing")
        return None
    text = _scalar(node, "year", found)
    if text is None:
        return None
    if not re.fullmatch(r"\d{4}", text) or not _MIN_YEAR <= int(text) <= _MAX_YEAR:
        found.add(
            _line(node),
            f"year 应是 {_MIN_YEAR}-{_MAX_YEAR} 之间的年份，实为 {text!r}",
            f"year must be a year between {_MIN_YEAR} and {_MAX_YEAR}, not {text!r}",
        )
        return None
    return int(text)


def _read_groups(
    node: yaml.Node, key: str, kind: DayKind, year: int | None, found: _Collector
) -> None:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null") and key != "holidays":
        return  # "adjusted_working_days:" left empty
    if not isinstance(node, yaml.SequenceNode):
        found.add(_line(node), f"{key} 应是列表", f"{key} must be a list")
        return
    for entry in node.value:
        if not isinstance(entry, yaml.MappingNode):
            found.add(
                _line(entry),
                f"{key} 的每一项应有 name 和 dates",
                f"each item of {key} needs name and dates",
            )
            continue
        fields = _mapping(entry, _ENTRY_KEYS, found)
        if "name" not in fields:
            found.add(_line(entry), "缺少 name（节日名称）", "name is missing")
        if "dates" not in fields:
            found.add(_line(entry), "缺少 dates（日期）", "dates is missing")
        if "name" not in fields or "dates" not in fields:
            continue
        name = _scalar(fields["name"], "name", found)
        dates_node = fields["dates"]
        items = dates_node.value if isinstance(dates_node, yaml.SequenceNode) else [dates_node]
        for item in items:
            text = _scalar(item, "dates", found)
            if text is None:
                continue
            for day in _expand(text.strip(), _line(item), year, found):
                found.entries.append((_line(item), YearEntry(day, kind, (name or "").strip())))


def _expand(text: str, line: int, year: int | None, found: _Collector) -> list[dt.date]:
    match = _RANGE.match(text)
    if match is None:
        day = _parse_date(text, line, found)
        return [] if day is None else [day]
    first = _parse_date(match[1], line, found)
    last = _parse_date(match[2], line, found)
    if first is None or last is None:
        return []
    if last < first:
        found.add(line, f"日期范围 {text} 首尾颠倒", f"date range {text} ends before it starts")
        return []
    if year is not None and (first.year != year or last.year != year):
        # Reported once for the range rather than once per day of it.
        found.add(
            line,
            f"日期范围 {text} 超出 {year} 年（一个文件只能有一个年度）",
            f"date range {text} leaves {year} (one year per file)",
        )
        return []
    if (last - first).days > 366:
        found.add(line, f"日期范围 {text} 过长", f"date range {text} is too long")
        return []
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
