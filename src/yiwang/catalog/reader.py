"""The one YAML reader of the catalog folder.

Files come in as texts (path -> text), so the same code reads a catalog directory, a snapshot
stored with a catalog version in the database, or a test's inline strings. Nothing raises
while reading: every problem is recorded as a `CatalogProblem` with its file, entry and field,
so a reviewer of a catalog change gets the whole list at once.

This module changes when the conventions of the YAML change (how a text, a limit or a list
is written), never when a new kind of entry is added.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from yiwang.calendar import InvalidTimeLimit, TimeLimit
from yiwang.catalog.errors import CatalogProblem
from yiwang.catalog.models import Text

MISSING: Any = object()
# libyaml's safe loader when installed (same documents, several times faster), else PyYAML's.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TEXT_KEYS = frozenset({"zh", "en"})
_BRACKETS = (("(", ")"), ("（", "）"), ("[", "]"), ("【", "】"), ("《", "》"))


def unbalanced_bracket(text: str) -> bool:
    """True when a text opens a bracket it never closes (or closes one it never opened):
    the mark of a YAML flow value cut at a comma, e.g. ``Registered capital (10``."""
    return any(text.count(opening) != text.count(closing) for opening, closing in _BRACKETS)


class Reader:
    """Reads one mapping, recording problems with their location instead of raising."""

    def __init__(
        self, data: Any, file: str, entry: str, path: str, problems: list[CatalogProblem]
    ) -> None:
        self.data: dict[Any, Any] = data if isinstance(data, dict) else {}
        self.file = file
        self.entry = entry
        self.path = path
        self.problems = problems
        if not isinstance(data, dict):
            self.problem("", f"应为映射 / expected a mapping, got {type(data).__name__}")

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str, message: str, *, authoring: bool = False) -> None:
        field = self.at(key) if key else self.path
        self.problems.append(CatalogProblem(self.file, self.entry, field, message, authoring))

    def raw(self, key: str, default: Any = MISSING) -> Any:
        if key in self.data:
            return self.data[key]
        if default is MISSING:
            self.problem(key, "缺少必填字段 / required field missing")
            return None
        return default

    def string(self, key: str, default: Any = MISSING) -> str:
        value = self.raw(key, default)
        if value is None:
            return "" if default in (MISSING, None) else str(default)
        if isinstance(value, list):
            # `key: a, b` inside a flow mapping never parses as a list, but `[a, b]` where a
            # text belongs is the other way a comma bites: say so plainly.
            self.problem(
                key,
                "应为文本，得到列表：含逗号的值请加引号 / expected text, got a list: "
                "quote a value that contains a comma",
            )
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problem(key, f"应为文本 / expected text, got {type(value).__name__}")
            return ""
        text = str(value).strip()
        if not text and default is MISSING:
            self.problem(key, "不能为空 / must not be empty")
        return text

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            self.problem(key, "应为 true 或 false / expected true or false")
            return default
        return value

    def integer(self, key: str, default: int, minimum: int) -> int:
        value = self.raw(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.problem(key, f"应为不小于 {minimum} 的整数 / expected an integer >= {minimum}")
            return default
        return value

    def text(self, key: str, default: Any = MISSING) -> Text:
        """A user-facing text; both zh and en are required."""
        value = self.raw(key, default)
        if value is None:
            return Text("", "")
        if isinstance(value, str):
            # A bare string is Chinese only; the English name is required for user-facing text.
            self.problem(key, "需要 zh 与 en 两种文字 / needs both zh and en")
            return Text(value, value)
        sub = self.sub(key, value)
        extra = [str(k) for k in sub.data if k not in _TEXT_KEYS]
        if extra:
            # `{zh: …, en: Price (10,000 yuan)}`: YAML ends the value at the comma and reads
            # the rest as a key with no value.
            sub.problem(
                "",
                f"值在逗号处被截断（多出 {', '.join(extra)}）：请给含逗号的值加引号 / "
                f"a value was split at a comma (extra keys {', '.join(extra)}): quote it",
                authoring=True,
            )
        zh, en = sub.string("zh"), sub.string("en")
        for language, written in (("zh", zh), ("en", en)):
            if unbalanced_bracket(written):
                sub.problem(
                    language,
                    f"括号不成对，值可能在逗号处被截断 / unbalanced bracket in {written!r}: "
                    "was the value split at a comma?",
                    authoring=True,
                )
        return Text(zh, en)

    def limit(self, key: str, default: Any = MISSING) -> TimeLimit:
        value = self.raw(key, default)
        if value is None:
            return TimeLimit.instant()
        try:
            return TimeLimit.parse(str(value))
        except (InvalidTimeLimit, ValueError) as error:
            self.problem(key, f"时限格式错误 / bad time limit {value!r}: {error}")
            return TimeLimit.instant()

    def strings(self, key: str, default: Any = MISSING) -> tuple[str, ...]:
        value = self.raw(key, default)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in value
        ):
            self.problem(key, "应为文本列表 / expected a list of texts")
            return ()
        return tuple(str(v) for v in value)

    def items(self, key: str, default: Any = MISSING) -> Iterator[tuple[int, Any]]:
        value = self.raw(key, default)
        if value is None:
            return iter(())
        if not isinstance(value, list):
            self.problem(key, "应为列表 / expected a list")
            return iter(())
        return iter(enumerate(value))

    def sub(self, key: str, value: Any, entry: str | None = None) -> Reader:
        return Reader(
            value,
            self.file,
            self.entry if entry is None else entry,
            self.at(key),
            self.problems,
        )

    def enum(self, key: str, enum_type: type[Any], value: Any) -> Any:
        try:
            return enum_type(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_type)
            self.problem(key, f"取值 {value!r} 无效，可选 / invalid value, allowed: {allowed}")
            return None


def parse_yaml_files(
    files: Mapping[str, str], problems: list[CatalogProblem]
) -> dict[str, Any]:
    """YAML text to data, file by file; a syntax error is one problem naming file and line."""
    parsed: dict[str, Any] = {}
    for name in sorted(files):
        if not name.endswith((".yaml", ".yml")):
            continue
        try:
            parsed[name] = yaml.load(files[name], Loader=_SAFE_LOADER)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark is not None else ""
            problems.append(
                CatalogProblem(name, "", "", f"YAML 语法错误 / YAML syntax error{line}")
            )
    return parsed


def catalog_version(files: Mapping[str, str]) -> str:
    """Content digest of the catalog: the same files always give the same version."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(files[name].encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def read_catalog_files(root: Path) -> dict[str, str]:
    """Every YAML file under ``root``, by path relative to it."""
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*.y*ml")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return files
