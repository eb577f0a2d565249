"""What a business licence (营业执照) prints, by the kind of market entity.

The licence prints the registered items of the entity (《中华人民共和国市场主体登记管理条例》
Art. 8, Art. 21; the licence formats of the market-regulation authority), and those differ by
kind:

===================  ==============================  ==========================  ==========
kind                 the person                      the money                   the place
===================  ==============================  ==========================  ==========
company (LLC, 股份)   法定代表人 (legal representative)  注册资本 (registered capital)  住所
branch (分公司)        负责人 (person in charge)          — (a branch has no capital)  营业场所
个体工商户             经营者 (operator) + 组成形式        — (no registered capital)     经营场所
合伙企业               执行事务合伙人                       出资额 (capital contributed)  主要经营场所
个人独资企业            投资人 (investor)                  出资额 (assumption)          住所
===================  ==============================  ==========================  ==========

A 个体工商户 has a 注册日期 instead of a 成立日期 and no 营业期限; a partnership prints its
合伙期限. The field values are given by the caller (the case's form); this module only
decides which fields are printed, in which order, and under which names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "BUSINESS_FIELD_LABELS_EN",
    "BusinessLicenceFacts",
    "business_licence_fields",
    "layout_for",
]

# Field name -> English label, for every field any layout prints.
BUSINESS_FIELD_LABELS_EN: dict[str, str] = {
    "类型": "Type",
    "法定代表人": "Legal representative",
    "负责人": "Person in charge",
    "经营者": "Operator",
    "组成形式": "Form of composition",
    "执行事务合伙人": "Executive partner",
    "投资人": "Investor",
    "注册资本": "Registered capital",
    "出资额": "Capital contribution",
    "成立日期": "Date of establishment",
    "注册日期": "Date of registration",
    "营业期限": "Term of operation",
    "合伙期限": "Term of partnership",
    "住所": "Domicile",
    "营业场所": "Business premises",
    "经营场所": "Place of business",
    "主要经营场所": "Main place of business",
    "经营范围": "Business scope",
}


@dataclass(frozen=True, slots=True)
class BusinessLicenceFacts:
    """The registered facts a licence may print; each layout picks what its kind has."""

    type_label: str
    person: str  # 法定代表人 / 负责人 / 经营者 / 执行事务合伙人 / 投资人
    capital_wan: str  # 注册资本 or 出资额 in 10,000 yuan; empty when not registered
    established: str  # ISO date
    address: str
    scope: str
    composition: str = ""  # 个体工商户: 个人经营 or 家庭经营
    term: str = "长期"


# Layouts: (field name, which fact) in print order. "capital" prints "<n>万元".
_COMPANY = (
    ("类型", "type_label"),
    ("法定代表人", "person"),
    ("注册资本", "capital"),
    ("成立日期", "established"),
    ("营业期限", "term"),
    ("住所", "address"),
    ("经营范围", "scope"),
)
_LAYOUTS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "company": _COMPANY,
    "branch": (
        ("类型", "type_label"),
        ("负责人", "person"),
        ("成立日期", "established"),
        ("营业期限", "term"),
        ("营业场所", "address"),
        ("经营范围", "scope"),
    ),
    "individual_business": (
        ("类型", "type_label"),
        ("经营者", "person"),
        ("组成形式", "composition"),
        ("注册日期", "established"),
        ("经营场所", "address"),
        ("经营范围", "scope"),
    ),
    "partnership": (
        ("类型", "type_label"),
        ("执行事务合伙人", "person"),
        ("出资额", "capital"),
        ("成立日期", "established"),
        ("合伙期限", "term"),
        ("主要经营场所", "address"),
        ("经营范围", "scope"),
    ),
    "sole_proprietorship": (
        ("类型", "type_label"),
        ("投资人", "person"),
        ("出资额", "capital"),
        ("成立日期", "established"),
        ("住所", "address"),
        ("经营范围", "scope"),
    ),
}
# Entity-type form values (catalog/bundles/enterprise_startup.yaml) -> layout.
_LAYOUT_OF_ENTITY: Mapping[str, str] = {
    "llc_natural_person_sole": "company",
    "llc_natural_person": "company",
    "joint_stock": "company",
    "branch": "branch",
    "individual_business": "individual_business",
    "partnership": "partnership",
    "sole_proprietorship": "sole_proprietorship",
}


def layout_for(entity_type: str) -> str:
    """The layout of an entity type; an unknown type prints as a company."""
    return _LAYOUT_OF_ENTITY.get(entity_type, "company")


def business_licence_fields(
    entity_type: str, facts: BusinessLicenceFacts
) -> tuple[tuple[str, str], ...]:
    """The printed fields (name, value) of the licence of ``entity_type``, in print order."""
    values = {
        "type_label": facts.type_label,
        "person": facts.person,
        "capital": f"{facts.capital_wan}万元" if facts.capital_wan.strip() else "",
        "established": facts.established,
        "term": facts.term,
        "address": facts.address,
        "scope": facts.scope,
        "composition": facts.composition,
    }
    return tuple((name, values[fact]) for name, fact in _LAYOUTS[layout_for(entity_type)])
