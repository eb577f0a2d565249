"""Administrative regions (行政区划): one province, its cities, their counties and zones.

``parse_regions`` turns the text of ``catalog/regions.yaml`` into a frozen ``RegionTree``.
It does no file I/O (the catalog loader reads the file) and reports every problem of the
file at once, each naming the entry.

Codes are GB/T 2260 six-digit codes: ``37`` province, ``3701`` city, ``370102`` county.
Function zones (功能区: development zones, free-trade-zone areas) have no GB/T 2260 code; the
file gives each a code under its city that GB/T 2260 does not use, and ``level: zone``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import yaml

from yiwang.identity.errors import IdentityDataError, UnknownRegion

__all__ = ["Region", "RegionLevel", "RegionTree", "build_regions", "parse_regions"]


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    ZONE = "zone"

    @property
    def label_zh(self) -> str:
        return {"province": "省", "city": "市", "county": "县（区）", "zone": "功能区"}[self.value]


_SUFFIXES = ("自治县", "省", "市", "区", "县")


@dataclass(frozen=True, slots=True)
class Region:
    """One region. ``parent`` is None only for the province."""

    code: str
    name: str
    level: RegionLevel
    parent: Region | None = field(default=None, compare=False, repr=False)

    @property
    def parent_code(self) -> str | None:
        return None if self.parent is None else self.parent.code

    @property
    def lineage(self) -> tuple[Region, ...]:
        """Province first, this region last."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return tuple(reversed(chain))

    @property
    def full_name(self) -> str:
        """Names from the province down: ``山东省济南市历下区``."""
        return "".join(region.name for region in self.lineage)

    @property
    def short_name(self) -> str:
        """The name without its level suffix where two characters remain: 济南市 -> 济南.

        Names of two characters keep their suffix (莒县, 费县), as they are used in practice;
        function zones keep their whole name.
        """
        if self.level is RegionLevel.ZONE:
            return self.name
        for suffix in _SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return self.name

    @property
    def is_district(self) -> bool:
        """A 市辖区 (city district), as opposed to a county (县) or county-level city (市)."""
        return self.level is RegionLevel.COUNTY and self.name.endswith("区")

    @property
    def city(self) -> Region | None:
        """The city this region is in (itself for a city; None for the province)."""
        for region in self.lineage:
            if region.level is RegionLevel.CITY:
                return region
        return None


@dataclass(frozen=True, eq=False)
class RegionTree:
    """All regions of the file, looked up by code; iteration follows the file's order."""

    province: Region
    _by_code: Mapping[str, Region] = field(repr=False)
    _children: Mapping[str, tuple[Region, ...]] = field(repr=False)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Region:
        """The region with ``code``; raises ``UnknownRegion`` (a ``KeyError``)."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownRegion(code) from None

    def find(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def parent(self, code: str) -> Region | None:
        return self.get(code).parent

    def children(self, code: str) -> tuple[Region, ...]:
        self.get(code)
        return self._children.get(code, ())

    @property
    def cities(self) -> tuple[Region, ...]:
        return self._children.get(self.province.code, ())

    def counties(self, city_code: str | None = None) -> tuple[Region, ...]:
        """County-level regions (not zones), of one city or of all."""
        return self._at_level(RegionLevel.COUNTY, city_code)

    def zones(self, city_code: str | None = None) -> tuple[Region, ...]:
        return self._at_level(RegionLevel.ZONE, city_code)

    def _at_level(self, level: RegionLevel, city_code: str | None) -> tuple[Region, ...]:
        cities = self.cities if city_code is None else (self.get(city_code),)
        return tuple(
            region
            for city in cities
            for region in self._children.get(city.code, ())
            if region.level is level
        )


def parse_regions(text: str, source: str) -> RegionTree:
    """Parse the YAML text of a region file; ``source`` names it in error messages."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise IdentityDataError(source, [f"不是有效的YAML / not valid YAML: {exc}"]) from exc
    return build_regions(data, source)


def build_regions(data: object, source: str) -> RegionTree:
    """Build the tree from already-loaded YAML data (a mapping with province and cities)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise IdentityDataError(source, ["顶层应为映射 / the top level must be a mapping"])
    _unknown_keys(data, {"province", "cities"}, "top level", problems)

    province_data = data.get("province")
    province_code, province_name = _code_and_name(province_data, "province", problems)
    if province_code is not None and not province_code.endswith("0000"):
        problems.append(
            f"province {province_code}: 省级代码应以0000结尾 / a province code ends in 0000"
        )
    province = Region(province_code or "000000", province_name or "?", RegionLevel.PROVINCE)

    by_code: dict[str, Region] = {province.code: province}
    children: dict[str, list[Region]] = {province.code: []}
    cities_data = data.get("cities")
    if not isinstance(cities_data, list) or not cities_data:
        problems.append("cities: 应为非空列表 / must be a non-empty list")
        cities_data = []

    for city_index, city_data in enumerate(cities_data):
        where = f"cities[{city_index}]"
        code, name = _code_and_name(city_data, where, problems)
        if isinstance(city_data, dict):
            _unknown_keys(city_data, {"code", "name", "counties"}, where, problems)
        if code is None or name is None:
            continue
        where = f"{where} ({code} {name})"
        if code[:2] != province.code[:2] or code.endswith("0000") or not code.endswith("00"):
            problems.append(
                f"{where}: 市级代码应为{province.code[:2]}xx00 / "
                f"a city code has the form {province.code[:2]}xx00"
            )
        city = Region(code, name, RegionLevel.CITY, province)
        _add(city, by_code, children, where, problems)
        counties_data = city_data.get("counties") if isinstance(city_data, dict) else None
        if not isinstance(counties_data, list) or not counties_data:
            problems.append(f"{where}: counties 应为非空列表 / counties must be a non-empty list")
            continue
        for county_index, county_data in enumerate(counties_data):
            county_where = f"{where}.counties[{county_index}]"
            county_code, county_name = _code_and_name(county_data, county_where, problems)
            if isinstance(county_data, dict):
                _unknown_keys(county_data, {"code", "name", "level"}, county_where, problems)
            if county_code is None or county_name is None:
                continue
            county_where = f"{county_where} ({county_code} {county_name})"
            if county_code[:4] != code[:4] or county_code.endswith("00"):
                problems.append(
                    f"{county_where}: 县级代码应以所属市的{code[:4]}开头且不以00结尾 / "
                    f"a county code starts with its city's {code[:4]} and does not end in 00"
                )
            level_text = county_data.get("level", "county") if isinstance(county_data, dict) else ""
            if level_text not in ("county", "zone"):
                problems.append(
                    f"{county_where}: level 应为 county 或 zone / level must be county or zone, "
                    f"not {level_text!r}"
                )
                continue
            county = Region(county_code, county_name, RegionLevel(level_text), city)
            _add(county, by_code, children, county_where, problems)

    if problems:
        raise IdentityDataError(source, problems)
    return RegionTree(
        province=province,
        _by_code=MappingProxyType(by_code),
        _children=MappingProxyType({code: tuple(kids) for code, kids in children.items()}),
    )


def _code_and_name(entry: object, where: str, problems: list[str]) -> tuple[str | None, str | None]:
    if not isinstance(entry, dict):
        problems.append(
            f"{where}: 应为含 code 和 name 的映射 / must be a mapping with code and name"
        )
        return None, None
    code: Any = entry.get("code")
    name: Any = entry.get("name")
    ok = True
    if not isinstance(code, str):
        problems.append(
            f"{where}: code 应为带引号的6位数字字符串 / code must be a quoted 6-digit string, "
            f"got {code!r}"
        )
        ok = False
    elif len(code) != 6 or not code.isascii() or not code.isdigit():
        problems.append(f"{where}: code {code!r} 不是6位数字 / is not 6 digits")
        ok = False
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: name 不能为空 / name must be a non-empty string")
        ok = False
    return (code, name.strip()) if ok else (None, None)


def _unknown_keys(
    entry: dict[Any, Any], allowed: set[str], where: str, problems: list[str]
) -> None:
    unknown = sorted(str(key) for key in entry if key not in allowed)
    if unknown:
        problems.append(
            f"{where}: 未知的键 {', '.join(unknown)} / unknown key(s); allowed: "
            f"{', '.join(sorted(allowed))}"
        )


def _add(
    region: Region,
    by_code: dict[str, Region],
    children: dict[str, list[Region]],
    where: str,
    problems: list[str],
) -> None:
    existing = by_code.get(region.code)
    if existing is not None:
        problems.append(
            f"{where}: 代码重复，已用于{existing.name} / duplicate code, already used by "
            f"{existing.name}"
        )
        return
    parent = region.parent
    assert parent is not None
    siblings = children.setdefault(parent.code, [])
    if any(sibling.name == region.name for sibling in siblings):
        problems.append(f"{where}: 同一上级下名称重复 / duplicate name under {parent.name}")
        return
    by_code[region.code] = region
    siblings.append(region)
    children.setdefault(region.code, [])
