"""The synthetic demo population: deterministic, well formed, and consistent with itself."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from stdnum.cn import ric, uscc

from yiwang.demo.accounts import DemoRealNameVerifier
from yiwang.identity.errors import AllocationError
from yiwang.identity.models import KEY_SECTORS, EntityType, Gender
from yiwang.identity.names import NameIndex, check_company_name, parse_prohibited_words
from yiwang.identity.numbers import is_valid_credit_code, is_valid_id_number
from yiwang.identity.population import (
    BIRTH_RANGE,
    REGISTRATION_RANGE,
    Population,
    RealNameVerifier,
    generate_population,
)
from yiwang.identity.regions import RegionLevel, RegionTree, parse_regions

REGIONS = """
province: {code: "370000", name: 山东省}
cities:
  - code: "370100"
    name: 济南市
    counties:
      - {code: "370102", name: 历下区}
      - {code: "370103", name: 市中区}
      - {code: "370124", name: 平阴县}
      - {code: "370190", name: 中国（山东）自由贸易试验区济南片区, level: zone}
  - code: "370900"
    name: 泰安市
    counties:
      - {code: "370902", name: 泰山区}
      - {code: "370982", name: 新泰市}
  - code: "371100"
    name: 日照市
    counties:
      - {code: "371102", name: 东港区}
      - {code: "371122", name: 莒县}
"""

WORDS = """
prohibited:
  - category: party_state_military
    reason: {zh: 使用党政军机关名称, en: uses the name of a Party, state or military body}
    words: [政府, 党, {word: 军, except: [冠军]}]
  - category: foreign_or_international
    reason: {zh: 使用外国国家名称, en: uses the name of a foreign state}
    words: [美国, 英国, 法国, 德国, 日本]
restricted:
  reason: {zh: 须经国务院批准, en: needs State Council approval}
  words: [中国, 中华, 中央, 全国, 国家, 国际]
"""

TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def tree() -> RegionTree:
    return parse_regions(REGIONS, "regions.yaml")


@pytest.fixture(scope="module")
def population(tree: RegionTree) -> Population:
    return generate_population(tree, people=3000, enterprises=1500, seed=20200501)


def test_same_seed_same_population(tree: RegionTree, population: Population) -> None:
    again = generate_population(tree, people=3000, enterprises=1500, seed=20200501)
    assert again == population
    assert again.people == population.people
    assert again.enterprises == population.enterprises


def test_another_seed_another_population(tree: RegionTree, population: Population) -> None:
    other = generate_population(tree, people=3000, enterprises=1500, seed=20200502)
    assert other != population
    assert {p.id_number for p in other.people} != {p.id_number for p in population.people}


def test_sizes_are_as_asked(population: Population) -> None:
    assert len(population.people) == 3000
    assert len(population.enterprises) == 1500
    assert population.seed == 20200501


def test_people_have_valid_unique_identities(tree: RegionTree, population: Population) -> None:
    counties = {county.code for county in tree.counties()}
    ids = [person.id_number for person in population.people]
    phones = [person.phone for person in population.people]
    assert len(set(ids)) == len(ids)
    assert len(set(phones)) == len(phones)
    for person in population.people:
        assert is_valid_id_number(person.id_number, today=TODAY), person
        assert ric.calc_check_digit(person.id_number) == person.id_number[-1]
        assert person.id_number[:6] == person.region_code
        assert person.region_code in counties  # never a zone
        assert person.id_number[6:14] == f"{person.birth_date:%Y%m%d}"
        assert BIRTH_RANGE[0] <= person.birth_date <= BIRTH_RANGE[1]
        odd = int(person.id_number[16]) % 2 == 1
        assert (person.gender is Gender.MALE) == odd
        assert len(person.phone) == 11 and person.phone[0] == "1" and person.phone[1] in "3456789"
        assert 2 <= len(person.name) <= 4


def test_people_born_since_their_code_existed_pass_stdnum_in_full(population: Population) -> None:
    # stdnum also checks that the region code existed in the birth year; all codes used here
    # are in its table from 1983 or earlier (新泰市 1989, 日照 counties 1992)
    recent = [person for person in population.people if person.birth_date.year >= 1992]
    assert recent
    assert all(ric.is_valid(person.id_number) for person in recent)


def test_people_are_spread_over_counties_sexes_and_decades(population: Population) -> None:
    assert len(Counter(person.region_code for person in population.people)) == 7
    sexes = Counter(person.gender for person in population.people)
    assert 0.4 < sexes[Gender.MALE] / 3000 < 0.6
    decades = Counter(person.birth_date.year // 10 for person in population.people)
    assert set(decades) == {195, 196, 197, 198, 199, 200}
    assert len({person.name[0] for person in population.people}) > 20


def test_enterprises_have_valid_unique_credit_codes(population: Population) -> None:
    codes = [firm.credit_code for firm in population.enterprises]
    assert len(set(codes)) == len(codes)
    for firm in population.enterprises:
        assert uscc.is_valid(firm.credit_code)
        assert is_valid_credit_code(firm.credit_code)
        assert firm.credit_code[:2] == "9" + firm.entity_type.credit_code_entity_type
        assert firm.credit_code[2:8] == firm.region_code


def test_enterprise_names_pass_the_name_check(tree: RegionTree, population: Population) -> None:
    words = parse_prohibited_words(WORDS, "words.yaml")
    by_region = defaultdict(list)
    for firm in population.enterprises:
        by_region[firm.region_code].append(firm)
    for region_code, firms in by_region.items():
        region = tree.get(region_code)
        # each name against those registered before it: every pair is compared once
        registered = NameIndex([], region)
        for firm in firms:
            problems = check_company_name(
                firm.name, region, registered, words, entity_type=firm.entity_type
            )
            assert problems == [], (firm.name, problems)
            registered.add(firm.name)


def test_legal_representatives_are_adults_of_the_population(population: Population) -> None:
    for firm in population.enterprises:
        person = population.person(firm.legal_representative_id)
        assert person is not None
        born, registered = person.birth_date, firm.registered_on
        age = (
            registered.year
            - born.year
            - ((registered.month, registered.day) < (born.month, born.day))
        )
        assert age >= 18, (firm, person)
        assert REGISTRATION_RANGE[0] <= firm.registered_on <= REGISTRATION_RANGE[1]


def test_mix_of_entity_types_regions_and_sectors(tree: RegionTree, population: Population) -> None:
    types = Counter(firm.entity_type for firm in population.enterprises)
    assert set(types) == set(EntityType)
    assert types[EntityType.INDIVIDUAL_BUSINESS] == max(types.values())
    levels = Counter(tree.get(firm.region_code).level for firm in population.enterprises)
    assert levels[RegionLevel.ZONE] > 0 and levels[RegionLevel.COUNTY] > levels[RegionLevel.ZONE]
    sectors = Counter(firm.sector for firm in population.enterprises)
    key = sum(count for sector, count in sectors.items() if sector in KEY_SECTORS)
    assert 0.02 < key / 1500 < 0.12  # a small share
    assert {"药品", "特种设备", "危险化学品"} <= set(sectors)
    assert len(sectors) >= 10


def test_branches_belong_to_companies_of_the_population(population: Population) -> None:
    companies = {
        firm.name: firm
        for firm in population.enterprises
        if firm.entity_type
        in (
            EntityType.LLC_NATURAL_PERSON,
            EntityType.LLC_NATURAL_PERSON_SOLE,
            EntityType.JOINT_STOCK,
        )
    }
    branches = [f for f in population.enterprises if f.entity_type is EntityType.BRANCH]
    assert branches
    for branch in branches:
        parent_name = next(name for name in companies if branch.name.startswith(name))
        parent = companies[parent_name]
        assert branch.name.endswith("分公司")
        assert branch.sector == parent.sector
        assert branch.registered_on >= parent.registered_on


def test_lookups(population: Population) -> None:
    person = population.people[10]
    firm = population.enterprises[10]
    assert population.person(person.id_number) == person
    assert population.enterprise(firm.credit_code) == firm
    assert population.person("110101199003071233") is None


def test_addresses_are_in_the_region(tree: RegionTree, population: Population) -> None:
    for firm in population.enterprises:
        assert firm.address.startswith(tree.get(firm.region_code).full_name)
        assert firm.address.endswith("号")


def test_real_name_verifier_accepts_only_the_demo_population(population: Population) -> None:
    verifier = DemoRealNameVerifier(population)
    assert isinstance(verifier, RealNameVerifier)
    person = population.people[0]
    assert verifier.verify(person.id_number, person.name)
    assert verifier.verify(person.id_number.lower() + " ", f" {person.name}")
    assert not verifier.verify(person.id_number, person.name + "某")
    assert not verifier.verify("11010519491231002X", "张三")
    assert not verifier.verify("", "")


def test_sizes_must_make_sense(tree: RegionTree) -> None:
    with pytest.raises(AllocationError):
        generate_population(tree, people=0, enterprises=1, seed=1)
    with pytest.raises(AllocationError):
        generate_population(tree, people=-1, enterprises=0, seed=1)
    empty = generate_population(tree, people=0, enterprises=0, seed=1)
    assert empty.people == () and empty.enterprises == ()
