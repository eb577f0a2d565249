"""The shipped identity data files: regions, business scope, prohibited name words.

Reads the real files under ``catalog/`` and checks them against facts: GB/T 2260 codes (as
recorded in the table python-stdnum ships), the plans' key sectors, the population built on
the real region tree.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import stdnum
from stdnum.cn import uscc

from yiwang.identity.models import KEY_SECTORS
from yiwang.identity.names import NameIndex, ProhibitedWords, check_company_name
from yiwang.identity.names import parse_prohibited_words as parse_words
from yiwang.identity.numbers import is_valid_credit_code, is_valid_id_number
from yiwang.identity.population import generate_population
from yiwang.identity.regions import RegionLevel, RegionTree, parse_regions
from yiwang.identity.scope import BusinessScope, ScopeKind, parse_business_scope

CATALOG = Path(__file__).resolve().parents[3] / "catalog"

CITIES = {
    "370100": "济南市",
    "370200": "青岛市",
    "370300": "淄博市",
    "370400": "枣庄市",
    "370500": "东营市",
    "370600": "烟台市",
    "370700": "潍坊市",
    "370800": "济宁市",
    "370900": "泰安市",
    "371000": "威海市",
    "371100": "日照市",
    "371300": "临沂市",
    "371400": "德州市",
    "371500": "聊城市",
    "371600": "滨州市",
    "371700": "菏泽市",
}


@cache
def regions() -> RegionTree:
    path = CATALOG / "regions.yaml"
    return parse_regions(path.read_text(encoding="utf-8"), str(path))


@cache
def scope() -> BusinessScope:
    path = CATALOG / "reference" / "business_scope.yaml"
    return parse_business_scope(path.read_text(encoding="utf-8"), str(path))


@cache
def words() -> ProhibitedWords:
    path = CATALOG / "reference" / "prohibited_name_words.yaml"
    return parse_words(path.read_text(encoding="utf-8"), str(path))


@cache
def gb2260_current() -> dict[str, str]:
    """Shandong codes in force today according to stdnum's GB/T 2260 history table."""
    table = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    current: dict[str, str] = {}
    in_shandong = False
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            in_shandong = line.startswith("37 ")
            continue
        match = re.match(r'\s+(\d{4}) county="(.*)"', line)
        if not in_shandong or match is None:
            continue
        latest = match.group(2).split(",")[-1]
        period = re.match(r"\[(\d*)-(\d*)\](.*)", latest)
        if period and period.group(2):
            continue  # abolished
        current["37" + match.group(1)] = period.group(3) if period else latest
    return current


def test_province_and_its_sixteen_cities() -> None:
    tree = regions()
    assert (tree.province.code, tree.province.name) == ("370000", "山东省")
    assert {city.code: city.name for city in tree.cities} == CITIES


def test_every_county_is_a_current_gb2260_code_and_all_are_there() -> None:
    tree, official = regions(), gb2260_current()
    counties = {county.code: county.name for county in tree.counties()}
    official_counties = {
        code: name
        for code, name in official.items()
        if not code.endswith("00") and not code.endswith("01")  # 01 = 市辖区
    }
    assert counties == official_counties
    assert len(counties) == 136
    assert all(len(tree.counties(city)) >= 3 for city in CITIES)


def test_zones_are_marked_and_outside_gb2260() -> None:
    tree, official = regions(), gb2260_current()
    zones = tree.zones()
    assert any(zone.name == "中国（山东）自由贸易试验区济南片区" for zone in zones)
    assert all(zone.level is RegionLevel.ZONE for zone in zones)
    assert not any(zone.code in official for zone in zones)


def test_business_scope_list() -> None:
    items = scope()
    assert len(items) >= 60
    names = {item.name: item for item in items}
    assert names["软件开发"].kind is ScopeKind.GENERAL
    assert names["信息技术咨询服务"].kind is ScopeKind.GENERAL
    assert names["餐饮服务"].kind is ScopeKind.LICENSED
    assert names["食品销售"].kind is ScopeKind.LICENSED
    assert names["食品销售（仅销售预包装食品）"].kind is ScopeKind.GENERAL
    licensed = [item for item in items if item.licensed]
    assert 10 < len(licensed) < len(items) / 2
    assert all(item.licence for item in licensed)


def test_prohibited_words_list() -> None:
    listed = {rule.word for rule in words().rules}
    assert {"党", "军", "政府", "中国", "中华", "全国", "国家", "国际"} <= listed
    restricted = {rule.word for rule in words().restricted}
    assert {"中国", "中华", "中央", "全国", "国家"} <= restricted


@pytest.mark.parametrize(
    ("name", "region_code", "codes"),
    [
        ("济南市历下区泉源科技有限公司", "370102", []),  # the form's own example
        ("中华泉源科技有限公司", "370102", ["region_missing", "approval_required"]),
        ("青岛市市南区泉源政府服务有限公司", "370202", ["industry_missing", "prohibited_word"]),
    ],
)
def test_name_check_with_shipped_words(name: str, region_code: str, codes: list[str]) -> None:
    problems = check_company_name(name, regions().get(region_code), [], words())
    assert [problem.code for problem in problems] == codes


def test_demo_population_on_the_real_province_is_fast_and_valid() -> None:
    tree = regions()
    started = time.perf_counter()
    population = generate_population(tree, people=5000, enterprises=2000, seed=2020)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"5000 people + 2000 enterprises took {elapsed:.2f} s"

    assert all(is_valid_id_number(person.id_number) for person in population.people)
    assert all(
        uscc.is_valid(firm.credit_code) and is_valid_credit_code(firm.credit_code)
        for firm in population.enterprises
    )
    assert len({person.region_code for person in population.people}) > 120
    assert {firm.sector for firm in population.enterprises} >= KEY_SECTORS

    by_region = defaultdict(list)
    for firm in population.enterprises:
        by_region[firm.region_code].append(firm)
    for region_code, firms in by_region.items():
        region = tree.get(region_code)
        registered = NameIndex([], region)
        for firm in firms:
            problems = check_company_name(
                firm.name, region, registered, words(), entity_type=firm.entity_type
            )
            assert problems == [], (firm.name, problems)
            registered.add(firm.name)
