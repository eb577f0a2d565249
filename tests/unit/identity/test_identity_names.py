"""企业名称自主申报: each rule with a failing example, all problems at once, uniqueness."""

from __future__ import annotations

import re

import pytest

from yiwang.identity.errors import FieldProblem, IdentityDataError
from yiwang.identity.models import EntityType
from yiwang.identity.names import (
    NameIndex,
    ProhibitedWords,
    check_company_name,
    normalise_name,
    parse_prohibited_words,
    split_company_name,
)
from yiwang.identity.regions import Region, RegionTree, parse_regions

REGIONS = """
province: {code: "370000", name: 山东省}
cities:
  - code: "370100"
    name: 济南市
    counties:
      - {code: "370102", name: 历下区}
      - {code: "370124", name: 平阴县}
      - {code: "370190", name: 中国（山东）自由贸易试验区济南片区, level: zone}
"""

WORDS = """
prohibited:
  - category: party_state_military
    reason: {zh: 使用党政军机关名称, en: uses the name of a Party, state or military body}
    words: [政府, {word: 党, except: [党参]}, {word: 军, except: [冠军]}]
  - category: foreign_or_international
    reason: {zh: 使用外国国家名称, en: uses the name of a foreign state}
    words: [美国]
  - category: harmful_content
    reason: {zh: 含有赌博内容, en: contains gambling content}
    words: [赌场]
restricted:
  reason: {zh: 须经国务院批准, en: needs State Council approval}
  words: [中国, 中华, 国家, 国际]
"""


@pytest.fixture(scope="module")
def tree() -> RegionTree:
    return parse_regions(REGIONS, "regions.yaml")


@pytest.fixture(scope="module")
def lixia(tree: RegionTree) -> Region:
    return tree.get("370102")


@pytest.fixture(scope="module")
def words() -> ProhibitedWords:
    return parse_prohibited_words(WORDS, "prohibited_name_words.yaml")


def codes(problems: list[FieldProblem]) -> list[str]:
    return [problem.code for problem in problems]


# --- names that pass ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "entity_type"),
    [
        ("济南市历下区泉源科技有限公司", EntityType.LLC_NATURAL_PERSON),
        ("济南泉源信息科技有限公司", EntityType.LLC_NATURAL_PERSON_SOLE),
        ("山东泉源商贸股份有限公司", EntityType.JOINT_STOCK),
        ("泉源科技（济南）有限公司", EntityType.LLC_NATURAL_PERSON),  # region in brackets
        ("济南市历下区泉源餐饮店", EntityType.INDIVIDUAL_BUSINESS),
        ("济南市历下区泉源大药房", EntityType.INDIVIDUAL_BUSINESS),  # form names the industry
        ("济南泉源五金经营部", EntityType.SOLE_PROPRIETORSHIP),
        ("济南泉源投资合伙企业（有限合伙）", EntityType.PARTNERSHIP),
        ("济南泉源科技有限公司历下分公司", EntityType.BRANCH),
        ("济南泉源国际贸易有限公司", None),  # 国际 qualifies the industry
        ("济南冠军体育有限公司", None),  # 军 inside the excepted 冠军
        ("济南 泉源 科技 有限公司", None),  # spaces do not count
    ],
)
def test_well_formed_names_pass(
    name: str, entity_type: EntityType | None, lixia: Region, words: ProhibitedWords
) -> None:
    assert check_company_name(name, lixia, [], words, entity_type=entity_type) == []


def test_a_county_may_use_its_own_name(tree: RegionTree, words: ProhibitedWords) -> None:
    pingyin = tree.get("370124")
    assert check_company_name("平阴县泉源科技有限公司", pingyin, [], words) == []
    assert check_company_name("平阴泉源科技有限公司", pingyin, [], words) == []


def test_a_zone_uses_its_city(tree: RegionTree, words: ProhibitedWords) -> None:
    zone = tree.get("370190")
    assert check_company_name("济南泉源科技有限公司", zone, [], words) == []


def test_name_is_split_into_its_parts(lixia: Region) -> None:
    parts = split_company_name("济南市历下区泉源信息科技有限公司", lixia)
    assert parts is not None
    assert (parts.region, parts.trade_name, parts.industry, parts.organisation_form) == (
        "济南市历下区",
        "泉源",
        "信息科技",
        "有限公司",
    )
    branch = split_company_name("济南泉源科技有限公司历下分公司", lixia)
    assert branch is not None and branch.branch_of == "济南泉源科技有限公司"
    assert split_company_name("济南泉源科技", lixia) is None


# --- each rule, failing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "entity_type", "expected"),
    [
        ("", None, "required"),
        ("济南泉源ABC科技有限公司", None, "invalid_characters"),
        ("济南泉源科技", None, "organisation_form_missing"),
        ("济南泉源科技有限公司", EntityType.INDIVIDUAL_BUSINESS, "organisation_form_mismatch"),
        ("济南泉源科技工作室", EntityType.LLC_NATURAL_PERSON, "organisation_form_mismatch"),
        ("济南泉源有限公司科技商行", EntityType.INDIVIDUAL_BUSINESS, "company_word_not_allowed"),
        ("青岛泉源科技有限公司", None, "region_missing"),
        ("历下区泉源科技有限公司", None, "district_without_city"),
        ("济南泉源有限公司", None, "industry_missing"),
        ("济南科技有限公司", None, "trade_name_missing"),
        ("济南泉科技有限公司", None, "trade_name_too_short"),
        ("济南泉源泉源泉源泉源泉源泉科技有限公司", None, "trade_name_too_long"),
        ("济南泉源济南科技有限公司", None, "trade_name_is_region"),
        ("济南泉源政府科技有限公司", None, "prohibited_word"),
        ("济南中华泉源科技有限公司", None, "approval_required"),
        ("济南泉源科技有限公司分公司", EntityType.BRANCH, "branch_distinguisher_missing"),
        ("泉源科技历下分公司", EntityType.BRANCH, "branch_parent_missing"),
    ],
)
def test_each_rule_reports_its_problem(
    name: str,
    entity_type: EntityType | None,
    expected: str,
    lixia: Region,
    words: ProhibitedWords,
) -> None:
    problems = check_company_name(name, lixia, [], words, entity_type=entity_type)
    assert expected in codes(problems), problems


def test_too_long_name(lixia: Region, words: ProhibitedWords) -> None:
    name = "济南泉源" + "科技" * 24 + "有限公司"
    problems = check_company_name(name, lixia, [], words)
    too_long = [problem for problem in problems if problem.code == "too_long"]
    assert len(too_long) == 1
    assert str(len(name)) in too_long[0].message_zh


def test_region_missing_suggests_allowed_prefixes(lixia: Region, words: ProhibitedWords) -> None:
    (problem,) = check_company_name("青岛泉源科技有限公司", lixia, [], words)
    assert "济南市历下区" in problem.message_zh
    assert "济南市历下区" in problem.message_en


def test_prohibited_word_names_the_word_and_the_reason(
    lixia: Region, words: ProhibitedWords
) -> None:
    (problem,) = check_company_name("济南泉源美国科技有限公司", lixia, [], words)
    assert problem.code == "prohibited_word"
    assert "美国" in problem.message_zh and "外国国家" in problem.message_zh
    assert "美国" in problem.message_en and "foreign state" in problem.message_en


def test_exceptions_do_not_excuse_other_occurrences(lixia: Region, words: ProhibitedWords) -> None:
    # 党参 is a herbal drug, but the second 党 stands alone
    assert check_company_name("济南党参医药有限公司", lixia, [], words) == []
    problems = check_company_name("济南党参党建医药有限公司", lixia, [], words)
    assert codes(problems) == ["prohibited_word"]


def test_restricted_word_needs_approval_unless_granted(
    lixia: Region, words: ProhibitedWords
) -> None:
    name = "济南国家泉源科技有限公司"
    assert codes(check_company_name(name, lixia, [], words)) == ["approval_required"]
    assert check_company_name(name, lixia, [], words, approved_words=["国家"]) == []


def test_restricted_word_in_the_trade_name_is_not_an_industry_qualifier(
    lixia: Region, words: ProhibitedWords
) -> None:
    problems = check_company_name("济南泉源国际科技有限公司", lixia, [], words)
    assert codes(problems) == ["approval_required"]


def test_all_problems_are_reported_at_once(lixia: Region, words: ProhibitedWords) -> None:
    problems = check_company_name(
        "青岛泉A赌场科技", lixia, [], words, entity_type=EntityType.LLC_NATURAL_PERSON
    )
    assert codes(problems) == ["invalid_characters", "organisation_form_missing", "prohibited_word"]
    # a prohibited word that runs into the organisation form is still found
    assert "prohibited_word" in codes(check_company_name("济南泉源赌场", lixia, [], words))
    problems = check_company_name(
        "历下区泉源政府有限公司商行", lixia, [], words, entity_type=EntityType.INDIVIDUAL_BUSINESS
    )
    assert set(codes(problems)) == {
        "district_without_city",
        "industry_missing",
        "company_word_not_allowed",
        "prohibited_word",
    }


def test_messages_are_chinese_and_english(lixia: Region, words: ProhibitedWords) -> None:
    problems = check_company_name("历下区泉A政府有限公司商行", lixia, [], words)
    assert len(problems) >= 3
    for problem in problems:
        assert problem.field == "company_name"
        assert re.search(r"[\u4e00-\u9fff]", problem.message_zh)
        assert re.search(r"[a-z]{3}", problem.message_en)
        assert problem.message == f"{problem.message_zh} / {problem.message_en}"


def test_field_name_can_be_chosen(lixia: Region, words: ProhibitedWords) -> None:
    (problem,) = check_company_name("济南泉源科技", lixia, [], words, field="name")
    assert problem.field == "name"


# --- uniqueness --------------------------------------------------------------------------------


def test_identical_name_is_a_duplicate(lixia: Region, words: ProhibitedWords) -> None:
    registered = ["济南市历下区泉源科技有限公司"]
    problems = check_company_name("济南市历下区泉源科技有限公司", lixia, registered, words)
    assert codes(problems) == ["duplicate"]
    assert "济南市历下区泉源科技有限公司" in problems[0].message_zh


@pytest.mark.parametrize(
    ("registered", "applied"),
    [
        ("泉源科技（济南）有限公司", "泉源科技(济南)有限公司"),  # full-width vs half-width brackets
        ("济南泉源科技有限公司", "济南泉源科技有限公司　"),  # trailing ideographic space
        ("济南ＡＢＣ科技有限公司", "济南abc科技有限公司"),  # full-width capitals vs ASCII lower
    ],
)
def test_duplicates_are_found_across_width_and_case(
    registered: str, applied: str, lixia: Region, words: ProhibitedWords
) -> None:
    assert normalise_name(registered) == normalise_name(applied)
    assert "duplicate" in codes(check_company_name(applied, lixia, [registered], words))


def test_same_trade_name_in_the_same_industry_is_taken(
    lixia: Region, words: ProhibitedWords
) -> None:
    registered = ["济南泉源科技股份有限公司"]
    problems = check_company_name("济南市历下区泉源科技有限公司", lixia, registered, words)
    assert codes(problems) == ["trade_name_taken"]
    assert "济南泉源科技股份有限公司" in problems[0].message_zh


def test_same_trade_name_in_another_industry_is_free(lixia: Region, words: ProhibitedWords) -> None:
    registered = ["济南泉源餐饮有限公司"]
    assert check_company_name("济南泉源科技有限公司", lixia, registered, words) == []


def test_index_gives_the_same_answers_as_a_list(lixia: Region, words: ProhibitedWords) -> None:
    registered = ["济南泉源科技股份有限公司", "济南鲁信商贸有限公司"]
    index = NameIndex(registered, lixia)
    assert len(index) == 2 and "济南鲁信商贸有限公司" in index
    for name in ["济南泉源科技有限公司", "济南鲁信商贸有限公司", "济南恒达物流有限公司"]:
        assert check_company_name(name, lixia, index, words) == check_company_name(
            name, lixia, registered, words
        )


# --- the word list -----------------------------------------------------------------------------


def test_word_list_is_parsed(words: ProhibitedWords) -> None:
    assert {rule.word for rule in words.restricted} == {"中国", "中华", "国家", "国际"}
    party = next(rule for rule in words.prohibited if rule.word == "党")
    assert party.exceptions == ("党参",)
    assert party.category == "party_state_military"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("prohibited: []", "prohibited"),
        ("prohibited:\n  - {category: x, words: [a]}", "reason"),
        (
            "prohibited:\n  - {category: x, reason: {zh: 甲, en: a},"
            " words: [{word: 党, except: [国]}]}",
            "except",
        ),
        ("prohibited:\n  - {category: x, reason: {zh: 甲, en: a}, words: [党, 党]}", "duplicate"),
        ("[1, 2]", "mapping"),
        ("prohibited: [", "YAML"),
    ],
)
def test_bad_word_lists_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(IdentityDataError) as caught:
        parse_prohibited_words(text, "words.yaml")
    assert caught.value.source == "words.yaml"
    assert any(fragment in problem for problem in caught.value.problems), caught.value.problems
