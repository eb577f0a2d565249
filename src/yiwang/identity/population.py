"""The synthetic demo population: people and enterprises of the demo province, from a seed.

Every value is made up but well formed: ID numbers and credit codes carry correct check
characters, names follow the enterprise-name rules, legal representatives are adults from the
same population. The same seed always gives the same population (``random.Random(seed)``,
never the global generator, and no clock), so demos, tests and benchmarks can rely on it.

Also the real-name verification port (实名验证): ``RealNameVerifier`` is what services call;
``DemoRealNameVerifier`` answers for the demo population only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Protocol, runtime_checkable

from yiwang.identity.errors import AllocationError
from yiwang.identity.models import Enterprise, EntityType, Gender, Person
from yiwang.identity.numbers import allocate_credit_code, make_id_number
from yiwang.identity.regions import Region, RegionLevel, RegionTree

__all__ = [
    "BIRTH_RANGE",
    "REGISTRATION_RANGE",
    "SECTORS",
    "Population",
    "RealNameVerifier",
    "Sector",
    "generate_population",
]

BIRTH_RANGE: Final = (dt.date(1950, 1, 1), dt.date(2005, 12, 31))
REGISTRATION_RANGE: Final = (dt.date(2000, 1, 1), dt.date(2024, 12, 31))


@dataclass(frozen=True, eq=False)
class Population:
    seed: int
    people: tuple[Person, ...]
    enterprises: tuple[Enterprise, ...]
    _people: Mapping[str, Person] = field(repr=False)
    _enterprises: Mapping[str, Enterprise] = field(repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Population):
            return NotImplemented
        return (self.seed, self.people, self.enterprises) == (
            other.seed,
            other.people,
            other.enterprises,
        )

    def __hash__(self) -> int:
        return hash((self.seed, self.people, self.enterprises))

    def person(self, id_number: str) -> Person | None:
        return self._people.get(id_number)

    def enterprise(self, credit_code: str) -> Enterprise | None:
        return self._enterprises.get(credit_code)


@runtime_checkable
class RealNameVerifier(Protocol):
    """Checks that an ID number belongs to the person of that name (公安 identity check)."""

    def verify(self, id_number: str, name: str) -> bool: ...


# --- sectors -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sector:
    """A sector of the demo economy and how enterprises in it are named."""

    name: str
    #: industry terms used in company names (all in ``names.INDUSTRY_TERMS``)
    industries: tuple[str, ...]
    #: shop forms that carry the industry themselves (饭店, 大药房) for shop-type entities
    shop_forms: tuple[str, ...]
    weight: float
    #: kinds of entity found in this sector
    entity_types: frozenset[EntityType]


_ALL_TYPES = frozenset(EntityType)
_COMPANY_TYPES = frozenset(
    {
        EntityType.LLC_NATURAL_PERSON_SOLE,
        EntityType.LLC_NATURAL_PERSON,
        EntityType.JOINT_STOCK,
        EntityType.BRANCH,
    }
)

#: Key sectors (``models.KEY_SECTORS``) make about 6% of enterprises.
SECTORS: Final[tuple[Sector, ...]] = (
    Sector("疫苗", ("生物制品", "生物技术"), (), 0.5, _COMPANY_TYPES),
    Sector("药品", ("医药", "药业", "制药"), ("大药房",), 2.5, _ALL_TYPES),
    Sector("特种设备", ("电梯", "锅炉", "压力容器"), (), 1.5, _COMPANY_TYPES),
    Sector("危险化学品", ("化工",), (), 1.5, _COMPANY_TYPES),
    Sector("软件和信息技术服务", ("科技", "信息科技", "网络科技", "软件"), (), 14, _ALL_TYPES),
    Sector("批发和零售", ("商贸", "贸易", "百货", "五金", "建材"), ("超市",), 22, _ALL_TYPES),
    Sector("餐饮", ("餐饮", "餐饮管理"), ("饭店", "餐馆"), 14, _ALL_TYPES),
    Sector("建筑", ("建筑工程", "装饰工程", "劳务"), (), 7, _ALL_TYPES),
    Sector("交通运输", ("物流", "运输", "供应链"), (), 6, _ALL_TYPES),
    Sector("商务服务", ("企业管理", "信息咨询", "广告", "咨询"), (), 9, _ALL_TYPES),
    Sector("文化传媒", ("文化传媒", "传媒", "文化"), (), 4, _ALL_TYPES),
    Sector("农业", ("农业", "种植", "养殖", "农业科技"), (), 5, _ALL_TYPES),
    Sector("制造", ("机械", "服装", "家具", "印刷"), (), 5, _ALL_TYPES),
    Sector("居民服务", ("家政服务", "美容", "美发"), (), 6, _ALL_TYPES),
    Sector("教育咨询", ("教育咨询", "教育科技"), (), 2, _ALL_TYPES),
)

_ENTITY_WEIGHTS: Final[tuple[tuple[EntityType, float], ...]] = (
    (EntityType.INDIVIDUAL_BUSINESS, 40),
    (EntityType.LLC_NATURAL_PERSON, 22),
    (EntityType.LLC_NATURAL_PERSON_SOLE, 16),
    (EntityType.SOLE_PROPRIETORSHIP, 7),
    (EntityType.BRANCH, 6),
    (EntityType.PARTNERSHIP, 4),
    (EntityType.JOINT_STOCK, 5),
)

# --- name material ----------------------------------------------------------------------------

# Common surnames, most frequent first, with rough weights (Shandong is heavy in 王, 张, 李, 刘).
# fmt: off
_SURNAMES: Final = (
    ("王", 95), ("张", 80), ("李", 78), ("刘", 62), ("陈", 30), ("杨", 30), ("孙", 32), ("赵", 28),
    ("徐", 22), ("马", 20), ("高", 22), ("于", 18), ("董", 14), ("郭", 14), ("宋", 13), ("吴", 12),
    ("周", 12), ("朱", 12), ("胡", 10), ("姜", 12), ("崔", 10), ("韩", 10), ("曹", 8), ("田", 9),
    ("贾", 8), ("魏", 8), ("程", 7), ("孟", 8), ("许", 7), ("邢", 5), ("薛", 5), ("秦", 5),
    ("庞", 4), ("吕", 6), ("丁", 6), ("任", 6), ("侯", 6), ("袁", 5), ("冯", 6), ("彭", 5),
    ("梁", 6), ("蒋", 4), ("石", 6), ("孔", 5), ("颜", 3), ("司马", 1), ("欧阳", 1), ("诸葛", 1),
)
# fmt: on
_MALE_CHARS: Final = (
    "伟强磊勇涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋杰峰建志成文博海东亮振毅"
)
_FEMALE_CHARS: Final = "芳娜敏静丽艳娟霞秀玲英燕红梅琳婷雪慧莹倩洁颖琴晶妍欣怡璐萍丹蕾薇佳悦晓"
_NEUTRAL_CHARS: Final = "子晨雨思嘉一明玉春秋新安泽宇然"

_TRADE_FIRST: Final = "泉鲁海岱恒瑞嘉盛泰宏博润诚鸿福祥安永兴明德新佳天锦辰星云鼎鑫晟煜卓弘启"
_TRADE_SECOND: Final = "源信达丰禾和康远通宇泽辉阳升益成茂隆昌荣邦晨诺创汇誉策航峰"
_NAME_ATTEMPTS: Final = 400
_SHOP_SUFFIXES: Final = ("经营部", "商行", "工作室", "中心", "店")
# fmt: off
_ROADS: Final = (
    "经十路", "解放路", "人民路", "和平路", "建设路", "文化路", "新华路", "胜利街", "长江路",
    "黄河路", "泰山路", "青年路", "朝阳街", "工业南路", "花园路", "东风街", "府前街", "滨河路",
)
# fmt: on
# fmt: off
_MOBILE_PREFIXES: Final = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
    "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
)
# fmt: on


def generate_population(
    regions: RegionTree, people: int, enterprises: int, seed: int
) -> Population:
    """Make ``people`` people and ``enterprises`` enterprises of the province, from ``seed``.

    People live in the counties (not zones); enterprises are registered in counties and, a few,
    in function zones. Needs at least one person when enterprises are asked for.
    """
    if people < 0 or enterprises < 0:
        raise AllocationError("population sizes must not be negative")
    if enterprises and not people:
        raise AllocationError("enterprises need people to be their legal representatives")
    counties = regions.counties()
    if not counties:
        raise AllocationError("the region tree has no counties")
    rng = random.Random(seed)
    persons = _people(rng, counties, people)
    firms = _enterprises(rng, regions, counties, persons, enterprises)
    return Population(
        seed=seed,
        people=persons,
        enterprises=firms,
        _people=MappingProxyType({person.id_number: person for person in persons}),
        _enterprises=MappingProxyType({firm.credit_code: firm for firm in firms}),
    )


def _people(rng: random.Random, counties: Sequence[Region], count: int) -> tuple[Person, ...]:
    surnames = [surname for surname, _ in _SURNAMES]
    surname_weights = [weight for _, weight in _SURNAMES]
    surname_picks = rng.choices(surnames, surname_weights, k=count)
    first_day, last_day = (day.toordinal() for day in BIRTH_RANGE)
    taken_ids: set[str] = set()
    taken_phones: set[str] = set()
    result: list[Person] = []
    for surname in surname_picks:
        county = rng.choice(counties)
        gender = Gender.MALE if rng.random() < 0.5 else Gender.FEMALE
        while True:
            birth = dt.date.fromordinal(rng.randint(first_day, last_day))
            serial = rng.randrange(0, 500) * 2 + (1 if gender is Gender.MALE else 0)
            id_number = make_id_number(county.code, birth, serial)
            if id_number not in taken_ids:
                taken_ids.add(id_number)
                break
        while True:
            phone = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in taken_phones:
                taken_phones.add(phone)
                break
        result.append(
            Person(
                id_number=id_number,
                name=surname + _given_name(rng, gender),
                gender=gender,
                birth_date=birth,
                region_code=county.code,
                phone=phone,
            )
        )
    return tuple(result)


def _given_name(rng: random.Random, gender: Gender) -> str:
    chars = _MALE_CHARS if gender is Gender.MALE else _FEMALE_CHARS
    if rng.random() < 0.4:
        return rng.choice(chars)
    first = rng.choice(chars + _NEUTRAL_CHARS)
    return first + rng.choice(chars)


def _enterprises(
    rng: random.Random,
    regions: RegionTree,
    counties: Sequence[Region],
    people: Sequence[Person],
    count: int,
) -> tuple[Enterprise, ...]:
    places = list(counties)
    zones = regions.zones()
    region_words = {word for region in regions for word in (region.name, region.short_name)}
    trade_names = [
        first + second
        for first in _TRADE_FIRST
        for second in _TRADE_SECOND
        if first + second not in region_words and first != second
    ]
    types = [entity_type for entity_type, _ in _ENTITY_WEIGHTS]
    type_weights = [weight for _, weight in _ENTITY_WEIGHTS]
    sector_weights = [sector.weight for sector in SECTORS]
    serial_bases: dict[str, int] = {}
    used_keys: set[tuple[str, str, str]] = set()  # (region, trade name, industry)
    used_names: set[str] = set()
    companies: list[Enterprise] = []
    result: list[Enterprise] = []

    for entity_type in rng.choices(types, type_weights, k=count):
        if entity_type is EntityType.BRANCH and not companies:
            entity_type = EntityType.LLC_NATURAL_PERSON
        sector = rng.choices(SECTORS, sector_weights)[0]
        while entity_type not in sector.entity_types:
            sector = rng.choices(SECTORS, sector_weights)[0]
        in_zone = zones and entity_type is not EntityType.BRANCH and rng.random() < 0.05
        region = rng.choice(zones) if in_zone else rng.choice(places)
        representative = rng.choice(people)
        registered_on = _registration_date(rng, representative.birth_date)

        if entity_type is EntityType.BRANCH:
            parent = rng.choice(companies)
            name = parent.name + region.short_name + "分公司"
            suffix = 2
            while name in used_names:
                name = f"{parent.name}{region.short_name}第{_chinese_number(suffix)}分公司"
                suffix += 1
            sector_name = parent.sector
            registered_on = max(registered_on, parent.registered_on)
        else:
            name = _company_name(rng, region, entity_type, sector, trade_names, used_keys)
            sector_name = sector.name
        used_names.add(name)

        base = serial_bases.setdefault(region.code, rng.randrange(10**6, 5 * 10**7))
        serial_bases[region.code] = base + 1 + rng.randrange(40)
        firm = Enterprise(
            credit_code=allocate_credit_code(
                "9", entity_type.credit_code_entity_type, region.code, base
            ),
            name=name,
            entity_type=entity_type,
            region_code=region.code,
            legal_representative_id=representative.id_number,
            registered_on=registered_on,
            sector=sector_name,
            address=_address(rng, region),
        )
        result.append(firm)
        if entity_type in (
            EntityType.LLC_NATURAL_PERSON,
            EntityType.LLC_NATURAL_PERSON_SOLE,
            EntityType.JOINT_STOCK,
        ):
            companies.append(firm)
    return tuple(result)


def _company_name(
    rng: random.Random,
    region: Region,
    entity_type: EntityType,
    sector: Sector,
    trade_names: Sequence[str],
    used_keys: set[tuple[str, str, str]],
) -> str:
    prefix = _name_prefix(rng, region)
    shop = entity_type in (EntityType.INDIVIDUAL_BUSINESS, EntityType.SOLE_PROPRIETORSHIP)
    for attempt in range(_NAME_ATTEMPTS):
        trade = rng.choice(trade_names)
        if attempt >= _NAME_ATTEMPTS // 4:
            # two-character trade names are running out in this region: use three
            trade += rng.choice(_TRADE_SECOND)
        if shop and sector.shop_forms and rng.random() < 0.5:
            industry, form = "", rng.choice(sector.shop_forms)
        else:
            industry = rng.choice(sector.industries)
            form = _form(rng, entity_type)
        key = (region.code, trade, industry or form)
        if key not in used_keys:
            used_keys.add(key)
            return prefix + trade + industry + form
    raise AllocationError(f"no free enterprise name left in region {region.code}")


def _name_prefix(rng: random.Random, region: Region) -> str:
    city = region.city
    assert city is not None
    if region.level is RegionLevel.ZONE:
        return city.name
    if region.is_district or rng.random() < 0.5:
        return city.name + region.name
    return region.name


def _form(rng: random.Random, entity_type: EntityType) -> str:
    if entity_type is EntityType.JOINT_STOCK:
        return "股份有限公司"
    if entity_type is EntityType.PARTNERSHIP:
        return rng.choice(("合伙企业（有限合伙）", "合伙企业（普通合伙）"))
    if entity_type in (EntityType.INDIVIDUAL_BUSINESS, EntityType.SOLE_PROPRIETORSHIP):
        return rng.choice(_SHOP_SUFFIXES)
    return "有限公司"


def _registration_date(rng: random.Random, birth: dt.date) -> dt.date:
    """A day in ``REGISTRATION_RANGE`` when the representative was at least 18."""
    try:
        adult = birth.replace(year=birth.year + 18)
    except ValueError:  # born on 29 February
        adult = dt.date(birth.year + 18, 3, 1)
    first = max(adult, REGISTRATION_RANGE[0])
    return dt.date.fromordinal(rng.randint(first.toordinal(), REGISTRATION_RANGE[1].toordinal()))


def _address(rng: random.Random, region: Region) -> str:
    return f"{region.full_name}{rng.choice(_ROADS)}{rng.randint(1, 999)}号"


def _chinese_number(number: int) -> str:
    if not 0 <= number < 100:
        raise AllocationError(f"too many branches of one company in one region: {number}")
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
