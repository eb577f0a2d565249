"""A business licence prints the fields of the entity's kind (市场主体登记管理条例)."""

from __future__ import annotations

import pytest

from yiwang.licences.business import BusinessLicenceFacts, business_licence_fields, layout_for
from yiwang.licences.models import FIELD_LABELS_EN

FACTS = BusinessLicenceFacts(
    type_label="类型",
    person="张三",
    capital_wan="100",
    established="2026-03-02",
    address="济南市历下区泉城路1号",
    scope="软件开发",
    composition="家庭经营",
)


def names(entity_type: str) -> list[str]:
    return [name for name, _ in business_licence_fields(entity_type, FACTS)]


@pytest.mark.parametrize(
    "entity_type", ["llc_natural_person_sole", "llc_natural_person", "joint_stock"]
)
def test_a_company_prints_its_legal_representative_and_registered_capital(
    entity_type: str,
) -> None:
    fields = dict(business_licence_fields(entity_type, FACTS))
    assert fields["法定代表人"] == "张三"
    assert fields["注册资本"] == "100万元"
    assert fields["住所"] == "济南市历下区泉城路1号"
    assert "负责人" not in fields and "出资额" not in fields


def test_a_branch_prints_its_person_in_charge_and_no_capital() -> None:
    fields = dict(business_licence_fields("branch", FACTS))
    assert fields["负责人"] == "张三"
    assert fields["营业场所"] == "济南市历下区泉城路1号"
    assert "法定代表人" not in fields
    assert "注册资本" not in fields and "出资额" not in fields


def test_an_individual_business_prints_its_operator_and_composition() -> None:
    fields = dict(business_licence_fields("individual_business", FACTS))
    assert fields["经营者"] == "张三"
    assert fields["组成形式"] == "家庭经营"
    assert fields["注册日期"] == "2026-03-02"
    assert "法定代表人" not in fields and "注册资本" not in fields
    assert "营业期限" not in fields and "成立日期" not in fields


def test_a_partnership_prints_its_executive_partner_and_contribution() -> None:
    fields = dict(business_licence_fields("partnership", FACTS))
    assert fields["执行事务合伙人"] == "张三"
    assert fields["出资额"] == "100万元"
    assert fields["主要经营场所"] == "济南市历下区泉城路1号"
    assert "法定代表人" not in fields and "注册资本" not in fields


def test_a_sole_proprietorship_prints_its_investor() -> None:
    fields = dict(business_licence_fields("sole_proprietorship", FACTS))
    assert fields["投资人"] == "张三"
    assert "法定代表人" not in fields and "注册资本" not in fields


def test_an_unknown_type_prints_as_a_company_and_every_field_has_an_english_label() -> None:
    assert layout_for("something_else") == "company"
    for entity_type in (
        "joint_stock",
        "branch",
        "individual_business",
        "partnership",
        "sole_proprietorship",
    ):
        assert names(entity_type)[0] == "类型"
        assert all(FIELD_LABELS_EN.get(name) for name in names(entity_type))


def test_an_empty_capital_prints_empty_not_zero() -> None:
    facts = BusinessLicenceFacts("类型", "张三", " ", "2026-03-02", "地址", "范围")
    assert dict(business_licence_fields("joint_stock", facts))["注册资本"] == ""
