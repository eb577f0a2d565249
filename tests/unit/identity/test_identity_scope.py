"""经营范围: parsing the standard list, checking a selection, printing it on a licence."""

from __future__ import annotations

import pytest

from yiwang.identity.errors import IdentityDataError
from yiwang.identity.scope import (
    BusinessScope,
    ScopeKind,
    check_business_scope,
    format_business_scope,
    parse_business_scope,
)

SCOPE = """
items:
  - {code: I001, name: 软件开发, kind: general, section: I}
  - {code: I002, name: 信息技术咨询服务, kind: general, section: I}
  - {code: H001, name: 餐饮服务, kind: licensed, section: H, licence: 食品经营许可证}
  - {code: F001, name: 食品销售, kind: licensed, section: F, licence: 食品经营许可证}
"""


@pytest.fixture(scope="module")
def scope() -> BusinessScope:
    return parse_business_scope(SCOPE, "business_scope.yaml")


def test_list_is_parsed_in_order(scope: BusinessScope) -> None:
    assert [item.code for item in scope] == ["I001", "I002", "H001", "F001"]
    assert len(scope) == 4
    catering = scope.get("H001")
    assert catering is not None
    assert catering.kind is ScopeKind.LICENSED and catering.licensed
    assert catering.licence == "食品经营许可证"
    assert "I001" in scope and "X999" not in scope
    assert scope.get("X999") is None


def test_a_standard_selection_has_no_problems(scope: BusinessScope) -> None:
    assert check_business_scope(["I001", "H001"], scope) == []


def test_empty_selection_is_required(scope: BusinessScope) -> None:
    (problem,) = check_business_scope([], scope)
    assert (problem.field, problem.code) == ("business_scope", "required")
    assert problem.message_zh.startswith("请至少选择")


def test_unknown_and_duplicate_entries_are_all_reported(scope: BusinessScope) -> None:
    problems = check_business_scope(["I001", "X999", "I001", "X999", "自由填写"], scope)
    assert [(problem.code, problem.field) for problem in problems] == [
        ("unknown_item", "business_scope"),
        ("duplicate_item", "business_scope"),
        ("unknown_item", "business_scope"),
    ]
    assert "软件开发" in problems[1].message_zh
    assert "自由填写" in problems[2].message_zh


def test_field_name_can_be_chosen(scope: BusinessScope) -> None:
    (problem,) = check_business_scope(["X999"], scope, field="scope")
    assert problem.field == "scope"


def test_licensed_items_of_a_selection(scope: BusinessScope) -> None:
    found = scope.licensed_items(["I001", "F001", "X999", "H001"])
    assert [item.code for item in found] == ["F001", "H001"]


def test_licence_text_puts_licensed_items_first(scope: BusinessScope) -> None:
    text = format_business_scope(["I001", "H001", "I002", "I001"], scope)
    assert text.startswith("许可项目：餐饮服务。")
    assert "一般项目：软件开发；信息技术咨询服务。" in text
    assert text.index("许可项目") < text.index("一般项目")
    assert format_business_scope(["I002"], scope).startswith("一般项目：信息技术咨询服务。")


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ("{code: i001, name: 软件开发, kind: general, section: I}", "code"),
        ("{code: I001, name: '', kind: general, section: I}", "name"),
        ("{code: I001, name: 软件开发, kind: maybe, section: I}", "kind"),
        ("{code: I001, name: 软件开发, kind: general, section: Z}", "section"),
        ("{code: F001, name: 软件开发, kind: general, section: I}", "starts with I"),
        ("{code: H001, name: 餐饮服务, kind: licensed, section: H}", "names its licence"),
        ("{code: I001, name: 软件开发, kind: general, section: I, licence: 证}", "no licence"),
        ("{code: I001, name: 软件开发, kind: general, section: I, note: x}", "note"),
    ],
)
def test_bad_entries_are_refused_with_their_position(entry: str, fragment: str) -> None:
    with pytest.raises(IdentityDataError) as caught:
        parse_business_scope(f"items:\n  - {entry}\n", "scope.yaml")
    assert caught.value.source == "scope.yaml"
    assert all(problem.startswith("items[0]") for problem in caught.value.problems)
    assert any(fragment in problem for problem in caught.value.problems), caught.value.problems


def test_duplicates_in_the_list_are_refused() -> None:
    text = SCOPE + "  - {code: I001, name: 另一项, kind: general, section: I}\n"
    text += "  - {code: I009, name: 软件开发, kind: general, section: I}\n"
    with pytest.raises(IdentityDataError) as caught:
        parse_business_scope(text, "scope.yaml")
    assert caught.value.problems == (
        "items[4] (I001 另一项): 代码重复 / duplicate code",
        "items[5] (I009 软件开发): 名称重复 / duplicate name",
    )


@pytest.mark.parametrize("text", ["items: []", "- a", "items: ["])
def test_empty_or_malformed_files_are_refused(text: str) -> None:
    with pytest.raises(IdentityDataError):
        parse_business_scope(text, "scope.yaml")
