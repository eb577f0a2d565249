"""经营范围规范化: the standard business-scope list and the check of a selection.

Applicants pick entries from a standard list instead of writing free text. General items
(一般项目) need only the business licence; licensed items (许可项目) need a permit as well,
and the licence prints them under their own heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import yaml

from yiwang.identity.errors import FieldProblem, IdentityDataError

__all__ = [
    "BusinessScope",
    "ScopeItem",
    "ScopeKind",
    "build_business_scope",
    "check_business_scope",
    "format_business_scope",
    "parse_business_scope",
]

_CODE = re.compile(r"[A-Z]\d{3}")
_SECTIONS = frozenset("ABCDEFGHIJKLMNOPQRST")


class ScopeKind(StrEnum):
    GENERAL = "general"
    LICENSED = "licensed"

    @property
    def label_zh(self) -> str:
        return "一般项目" if self is ScopeKind.GENERAL else "许可项目"

    @property
    def label_en(self) -> str:
        return "General items" if self is ScopeKind.GENERAL else "Licensed items"


@dataclass(frozen=True, slots=True)
class ScopeItem:
    code: str
    name: str
    kind: ScopeKind
    #: GB/T 4754-2017 section letter (门类)
    section: str
    #: for a licensed item: the permit it needs
    licence: str = ""

    @property
    def licensed(self) -> bool:
        return self.kind is ScopeKind.LICENSED


@dataclass(frozen=True, eq=False)
class BusinessScope:
    """The standard list, in the file's order, looked up by code."""

    items: tuple[ScopeItem, ...]
    _by_code: Mapping[str, ScopeItem] = field(repr=False)

    def __iter__(self) -> Iterator[ScopeItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> ScopeItem | None:
        return self._by_code.get(code)

    def licensed_items(self, codes: Iterable[str]) -> tuple[ScopeItem, ...]:
        """The licensed items among ``codes`` (unknown codes ignored), in the given order."""
        found = (self._by_code.get(code) for code in codes)
        return tuple(item for item in found if item is not None and item.licensed)


def parse_business_scope(text: str, source: str) -> BusinessScope:
    """Parse the YAML text of the business-scope list; ``source`` names it in errors."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise IdentityDataError(source, [f"不是有效的YAML / not valid YAML: {exc}"]) from exc
    return build_business_scope(data, source)


def build_business_scope(data: object, source: str) -> BusinessScope:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise IdentityDataError(source, ["顶层应为含 items 列表的映射 / needs an items list"])
    problems: list[str] = []
    items: list[ScopeItem] = []
    by_code: dict[str, ScopeItem] = {}
    names: set[str] = set()
    for index, entry in enumerate(data["items"]):
        item = _item(entry, f"items[{index}]", problems)
        if item is None:
            continue
        where = f"items[{index}] ({item.code} {item.name})"
        if item.code in by_code:
            problems.append(f"{where}: 代码重复 / duplicate code")
            continue
        if item.name in names:
            problems.append(f"{where}: 名称重复 / duplicate name")
            continue
        by_code[item.code] = item
        names.add(item.name)
        items.append(item)
    if not items and not problems:
        problems.append("items: 不能为空 / must not be empty")
    if problems:
        raise IdentityDataError(source, problems)
    return BusinessScope(tuple(items), MappingProxyType(by_code))


def _item(entry: object, where: str, problems: list[str]) -> ScopeItem | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: 应为映射 / must be a mapping")
        return None
    unknown = sorted(str(key) for key in entry if key not in _KEYS)
    if unknown:
        problems.append(f"{where}: 未知的键 / unknown key(s): {', '.join(unknown)}")
    code: Any = entry.get("code")
    name: Any = entry.get("name")
    kind: Any = entry.get("kind")
    section: Any = entry.get("section")
    licence: Any = entry.get("licence", "")
    before = len(problems)
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        problems.append(f"{where}: code 应为一个大写字母加3位数字 / code is a letter and 3 digits")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: name 不能为空 / name must be a non-empty string")
    if kind not in ("general", "licensed"):
        problems.append(f"{where}: kind 应为 general 或 licensed / kind is general or licensed")
    if section not in _SECTIONS:
        problems.append(f"{where}: section 应为GB/T 4754门类字母 / section is a GB/T 4754 letter")
    elif isinstance(code, str) and code[:1] != section:
        problems.append(f"{where}: code 应以门类字母 {section} 开头 / code starts with {section}")
    if not isinstance(licence, str):
        problems.append(f"{where}: licence 应为文字 / licence must be text")
    elif kind == "licensed" and not licence.strip():
        problems.append(f"{where}: 许可项目应写明 licence / a licensed item names its licence")
    elif kind == "general" and licence:
        problems.append(f"{where}: 一般项目不应有 licence / a general item has no licence")
    if len(problems) > before:
        return None
    return ScopeItem(code, name.strip(), ScopeKind(kind), section, licence.strip())


_KEYS = frozenset({"code", "name", "kind", "section", "licence"})


def check_business_scope(
    selected_codes: Sequence[str],
    scope_list: BusinessScope,
    *,
    field: str = "business_scope",
) -> list[FieldProblem]:
    """Every problem of a selection of scope codes; empty if none.

    At least one entry, each from the standard list, none twice. Licensed items are allowed:
    they are not a problem of the form but a permit to obtain (see ``licensed_items``).
    """
    problems: list[FieldProblem] = []
    if not selected_codes:
        problems.append(
            FieldProblem(
                field,
                "required",
                "请至少选择一项经营范围",
                "choose at least one business-scope entry",
            )
        )
        return problems
    seen: set[str] = set()
    reported: set[str] = set()
    for code in selected_codes:
        if code not in scope_list:
            if code not in reported:
                problems.append(
                    FieldProblem(
                        field,
                        "unknown_item",
                        f"“{code}”不是规范的经营范围表述，请从目录中选择",
                        f"{code!r} is not a standard business-scope entry; choose from the list",
                    )
                )
                reported.add(code)
        elif code in seen and code not in reported:
            item = scope_list.get(code)
            label = item.name if item else code
            problems.append(
                FieldProblem(
                    field,
                    "duplicate_item",
                    f"经营范围“{label}”重复选择",
                    f"the business-scope entry {label} is chosen twice",
                )
            )
            reported.add(code)
        seen.add(code)
    return problems


def format_business_scope(selected_codes: Sequence[str], scope_list: BusinessScope) -> str:
    """The scope as printed on a business licence: licensed items first, then general items.

    Uses the standard closing notes of each heading. Unknown codes are skipped; run
    ``check_business_scope`` first.
    """
    chosen: list[ScopeItem] = []
    for code in dict.fromkeys(selected_codes):
        item = scope_list.get(code)
        if item is not None:
            chosen.append(item)
    licensed = [item.name for item in chosen if item.licensed]
    general = [item.name for item in chosen if not item.licensed]
    parts: list[str] = []
    if licensed:
        parts.append(
            "许可项目：" + "；".join(licensed) + "。（依法须经批准的项目，经相关部门批准后方可"
            "开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
        )
    if general:
        parts.append(
            "一般项目：" + "；".join(general) + "。（除依法须经批准的项目外，凭营业执照依法自主"
            "开展经营活动）"
        )
    return "".join(parts)
