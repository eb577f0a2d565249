"""The organisation around the items: department kinds, registry datasets, implementation
lists (实施清单) and their links (一链办理), the negative list.

Changes when the way departments, datasets or delegation are declared changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from yiwang.catalog.errors import CatalogProblem
from yiwang.catalog.models import (
    DepartmentKindSpec,
    ImplementationEntry,
    ImplementationList,
    ItemSpec,
    Level,
    NegativeListEntry,
)
from yiwang.catalog.reader import Reader
from yiwang.identity.regions import RegionTree
from yiwang.registries.models import Dataset, DatasetField, SharingLevel


def department_kinds(
    name: str, data: Any, problems: list[CatalogProblem]
) -> dict[str, DepartmentKindSpec]:
    kinds: dict[str, DepartmentKindSpec] = {}
    top = Reader(data, name, "", "", problems)
    for index, raw in top.items("department_kinds"):
        reader = top.sub(f"department_kinds[{index}]", raw)
        code = reader.string("code")
        reader.entry = code
        if code in kinds:
            reader.problem("code", f"部门代码重复 / duplicate department kind {code}")
        kinds[code] = DepartmentKindSpec(
            code=code,
            name=reader.text("name"),
            levels=reader.strings("levels", ["province", "city", "county"]),
            abbreviation=reader.string("abbreviation"),
        )
        if not re.fullmatch(r"[A-Z]{2,6}", kinds[code].abbreviation):
            reader.problem("abbreviation", "须为2至6个大写字母 / must be 2-6 upper-case letters")
    return kinds


def datasets(name: str, data: Any, problems: list[CatalogProblem]) -> dict[str, Dataset]:
    datasets: dict[str, Dataset] = {}
    top = Reader(data, name, "", "", problems)
    for index, raw in top.items("datasets"):
        reader = top.sub(f"datasets[{index}]", raw)
        code = reader.string("code")
        reader.entry = code
        fields = []
        for f_index, f_raw in reader.items("fields"):
            sub = reader.sub(f"fields[{f_index}]", f_raw)
            text = sub.text("name")
            fields.append(
                DatasetField(sub.string("code"), text.zh, text.en, sub.boolean("personal", False))
            )
        title = reader.text("name")
        sharing = reader.enum("sharing", SharingLevel, reader.string("sharing"))
        datasets[code] = Dataset(
            code=code,
            name_zh=title.zh,
            name_en=title.en,
            owner_department_kind=reader.string("owner"),
            sharing=sharing or SharingLevel.NOT_SHARED,
            fields=tuple(fields),
        )
    return datasets


def implementation_list(name: str, data: Any, problems: list[CatalogProblem]) -> ImplementationList:
    """``catalog/implementation/<region>.yaml``: which level handles each item there."""
    top = Reader(data, name, "", "", problems)
    region = top.string("region")
    entries: dict[str, ImplementationEntry] = {}
    for index, raw in top.items("entries"):
        reader = top.sub(f"entries[{index}]", raw)
        code = reader.string("item")
        reader.entry = code
        level = reader.enum("level", Level, reader.string("level"))
        window = reader.enum(
            "window", Level, reader.string("window", level.value if level else "city")
        )
        review_text = reader.string("review", None)
        review = reader.enum("review", Level, review_text) if review_text else None
        since = reader.string("since")
        try:
            date.fromisoformat(since)
        except ValueError:
            reader.problem("since", f"日期格式错误 / bad date {since!r}")
        if code in entries:
            reader.problem("item", "事项重复 / item listed twice")
        entries[code] = ImplementationEntry(
            item_code=code,
            level=level or Level.CITY,
            window=window or Level.CITY,
            review=review,
            since=since,
            legal_basis=reader.string("legal_basis"),
        )
    return ImplementationList(region, MappingProxyType(entries), name)


def check_implementation(
    lists: Mapping[str, ImplementationList],
    links: tuple[frozenset[str], ...],
    items: Mapping[str, ItemSpec],
    regions: RegionTree | None,
    problems: list[CatalogProblem],
) -> None:
    order = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.ZONE]
    for group in links:
        for code in group - set(items):
            problems.append(
                CatalogProblem(
                    "implementation/links.yaml", code, "", f"未知事项 / unknown item {code}"
                )
            )
    for implementation in lists.values():
        file = implementation.source_file
        region = regions.find(implementation.region_code) if regions is not None else None
        if regions is not None and region is None:
            problems.append(
                CatalogProblem(
                    file,
                    "",
                    "region",
                    f"未知行政区划 / unknown region {implementation.region_code}",
                )
            )
        for entry in implementation.entries.values():
            if entry.item_code not in items:
                problems.append(
                    CatalogProblem(file, entry.item_code, "item", "未知事项 / unknown item")
                )
            if entry.level is Level.ZONE and (region is None or region.level.value != "zone"):
                problems.append(
                    CatalogProblem(
                        file,
                        entry.item_code,
                        "level",
                        "只有功能区清单可用 zone / only a function zone's list may use zone",
                    )
                )
            if entry.review is not None and order.index(entry.review) <= order.index(entry.level):
                problems.append(
                    CatalogProblem(
                        file,
                        entry.item_code,
                        "review",
                        "审核层级须低于审批层级 / the reviewing level must be below the approving level",
                    )
                )
            if order.index(entry.window) < order.index(entry.level):
                problems.append(
                    CatalogProblem(
                        file,
                        entry.item_code,
                        "window",
                        "受理窗口只能前移到更低层级 / the window can only move down, not up",
                    )
                )
        # 一链办理: a linked group is delegated as a whole or not at all.
        for group in links:
            listed = {
                code: implementation.entries[code]
                for code in group
                if code in implementation.entries
            }
            if not listed:
                continue
            placements = {(e.level, e.window, e.review) for e in listed.values()}
            if len(listed) != len(group) or len(placements) > 1:
                problems.append(
                    CatalogProblem(
                        file,
                        ",".join(sorted(group)),
                        "entries",
                        "一链办理事项须一并下放，不得拆分 / linked items must be delegated together",
                    )
                )


def negative_list_entries(
    name: str, data: Any, problems: list[CatalogProblem]
) -> dict[str, NegativeListEntry]:
    """``reference/negative_list.yaml``: the foreign-investment negative list."""
    entries: dict[str, NegativeListEntry] = {}
    top = Reader(data, name, "", "", problems)
    for index, raw in top.items("entries"):
        entry = top.sub(f"entries[{index}]", raw)
        code = entry.string("code")
        entry.entry = code
        kind = entry.string("kind")
        if kind not in ("restricted", "prohibited"):
            entry.problem("kind", "须为 restricted 或 prohibited / must be restricted or prohibited")
        if code in entries:
            entry.problem("code", f"负面清单编号重复 / duplicate entry {code}", authoring=True)
        entries[code] = NegativeListEntry(
            code, kind, entry.string("measure"), section=entry.string("section", "")
        )
    return entries
