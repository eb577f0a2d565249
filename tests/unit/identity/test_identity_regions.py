"""The region tree: parsing, lookups, and errors that name the file and the entry."""

from __future__ import annotations

import pytest

from yiwang.identity.errors import IdentityDataError, UnknownRegion
from yiwang.identity.regions import RegionLevel, parse_regions

SOURCE = "catalog/regions.yaml"

VALID = """
province: {code: "370000", name: 山东省}
cities:
  - code: "370100"
    name: 济南市
    counties:
      - {code: "370102", name: 历下区}
      - {code: "370124", name: 平阴县}
      - {code: "370190", name: 中国（山东）自由贸易试验区济南片区, level: zone}
  - code: "371100"
    name: 日照市
    counties:
      - {code: "371102", name: 东港区}
      - {code: "371122", name: 莒县}
"""


def problems_of(text: str) -> tuple[str, ...]:
    with pytest.raises(IdentityDataError) as caught:
        parse_regions(text, SOURCE)
    assert caught.value.source == SOURCE
    assert str(caught.value).startswith(SOURCE)
    return caught.value.problems


def test_tree_holds_every_region_with_its_level_and_parent() -> None:
    tree = parse_regions(VALID, SOURCE)
    assert len(tree) == 8
    assert tree.province.code == "370000"
    assert [city.name for city in tree.cities] == ["济南市", "日照市"]
    assert [county.code for county in tree.counties()] == ["370102", "370124", "371102", "371122"]
    assert [county.code for county in tree.counties("371100")] == ["371102", "371122"]
    assert [zone.code for zone in tree.zones()] == ["370190"]

    lixia = tree.get("370102")
    assert lixia.level is RegionLevel.COUNTY
    assert lixia.parent_code == "370100"
    assert tree.parent("370102") == tree.get("370100")
    assert tree.parent("370000") is None
    assert tree.get("370190").level is RegionLevel.ZONE
    assert "370102" in tree and "379999" not in tree
    assert tree.find("379999") is None
    assert [region.code for region in tree.children("370100")] == ["370102", "370124", "370190"]


def test_names_derived_from_the_lineage() -> None:
    tree = parse_regions(VALID, SOURCE)
    lixia, pingyin, juxian = tree.get("370102"), tree.get("370124"), tree.get("371122")
    assert lixia.full_name == "山东省济南市历下区"
    assert [region.code for region in lixia.lineage] == ["370000", "370100", "370102"]
    assert lixia.city == tree.get("370100")
    assert tree.province.city is None
    assert (lixia.short_name, pingyin.short_name, juxian.short_name) == ("历下", "平阴", "莒县")
    assert tree.get("370100").short_name == "济南"
    assert tree.province.short_name == "山东"
    assert lixia.is_district and not pingyin.is_district
    zone = tree.get("370190")
    assert zone.short_name == zone.name


def test_unknown_code_is_a_key_error_naming_the_code() -> None:
    tree = parse_regions(VALID, SOURCE)
    with pytest.raises(UnknownRegion) as caught:
        tree.get("379999")
    assert isinstance(caught.value, KeyError)
    assert "379999" in str(caught.value)


def test_unquoted_code_is_reported_with_its_entry() -> None:
    problems = problems_of(VALID.replace('"370124"', "370124"))
    assert len(problems) == 1
    assert problems[0].startswith("cities[0] (370100 济南市).counties[1]:")
    assert "quoted" in problems[0]


def test_every_problem_is_reported_at_once() -> None:
    text = """
province: {code: "370000", name: 山东省}
cities:
  - code: "370100"
    name: 济南市
    counties:
      - {code: "370202", name: 市南区}
      - {code: "3701", name: 短码}
      - {code: "370102", name: 历下区}
      - {code: "370102", name: 又一个历下区}
      - {code: "370103", name: 市中区, level: town}
      - {code: "370104", name: 槐荫区, population: 1}
  - code: "360100"
    name: 南昌市
    counties:
      - {code: "360102", name: 东湖区}
"""
    problems = problems_of(text)
    joined = "\n".join(problems)
    city = "cities[0] (370100 济南市)"
    assert f"{city}.counties[0] (370202 市南区): " in joined  # not under its city's prefix
    assert f"{city}.counties[1]: code '3701'" in joined  # not 6 digits
    assert f"{city}.counties[3] (370102 又一个历下区): " in joined
    assert "duplicate code, already used by 历下区" in joined
    assert f"{city}.counties[4] (370103 市中区): " in joined and "'town'" in joined
    assert f"{city}.counties[5]: " in joined and "population" in joined
    assert "cities[1] (360100 南昌市): " in joined  # not in the province
    assert len(problems) == 6


def test_structural_problems() -> None:
    assert any("cities" in problem for problem in problems_of('province: {code: "370000"}'))
    assert any("YAML" in problem for problem in problems_of("province: [unclosed"))
    assert problems_of("- just a list") == ("顶层应为映射 / the top level must be a mapping",)
    no_counties = """
province: {code: "370000", name: 山东省}
cities:
  - {code: "370100", name: 济南市}
"""
    assert any("counties" in problem for problem in problems_of(no_counties))


def test_province_and_city_code_shapes() -> None:
    bad_province = VALID.replace('code: "370000"', 'code: "370100"', 1)
    assert any("province 370100" in problem for problem in problems_of(bad_province))
    bad_city = VALID.replace('"370100"', '"370101"')
    assert any("370101" in problem for problem in problems_of(bad_city))


def test_duplicate_names_under_one_city_are_refused() -> None:
    text = VALID.replace('{code: "370124", name: 平阴县}', '{code: "370124", name: 历下区}')
    assert any("duplicate name" in problem for problem in problems_of(text))
