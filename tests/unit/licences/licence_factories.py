"""Factories for licence tests: keys in memory, a business licence, an issuer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from yiwang.licences.models import BUSINESS_LICENCE, Licence, LicenceIdentifier
from yiwang.licences.services import (
    InMemoryKeys,
    InMemorySerialAllocator,
    LicenceIssuer,
    LicenceRequest,
)
from yiwang.licences.signing import DepartmentKey, KeyRing

CST = timezone(timedelta(hours=8))
ISSUED_AT = datetime(2026, 11, 26, 9, 30, tzinfo=CST)
DEPARTMENT = "370100SCJ"
OTHER_DEPARTMENT = "370200SCJ"
CREDIT_CODE = "91370100MA3C5RBX3F"  # a well-formed 统一社会信用代码

BUSINESS_FIELDS: tuple[tuple[str, str], ...] = (
    ("类型", "有限责任公司（自然人独资）"),
    ("法定代表人", "张三"),
    ("注册资本", "壹佰万元整"),
    ("成立日期", "2026年11月26日"),
    ("营业期限", "长期"),
    ("住所", "山东省济南市历下区泉城路188号1号楼1201室"),
    (
        "经营范围",
        "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；"
        "信息系统集成服务；数据处理服务。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
    ),
)


def business_request(**overrides: Any) -> LicenceRequest:
    values: dict[str, Any] = {
        "kind": BUSINESS_LICENCE,
        "holder_id": CREDIT_CODE,
        "holder_name": "济南泉城数字科技有限公司",
        "issuer_department_code": DEPARTMENT,
        "issuer_name": "济南市市场监督管理局",
        "fields": BUSINESS_FIELDS,
        "case_id": "370100-20261126-0001",
    }
    values.update(overrides)
    return LicenceRequest(**values)


def business_licence(**overrides: Any) -> Licence:
    values: dict[str, Any] = {
        "identifier": LicenceIdentifier("YYZZ", DEPARTMENT, 42),
        "kind": BUSINESS_LICENCE,
        "holder_id": CREDIT_CODE,
        "holder_name": "济南泉城数字科技有限公司",
        "issuer_department_code": DEPARTMENT,
        "issuer_name": "济南市市场监督管理局",
        "issued_at": ISSUED_AT,
        "valid_until": None,
        "fields": BUSINESS_FIELDS,
        "case_id": None,
    }
    values.update(overrides)
    return Licence(**values)


class Setup:
    """Two departments with a key each, an issuer for both, and the published key ring."""

    def __init__(self) -> None:
        self.key = DepartmentKey.generate(DEPARTMENT, ISSUED_AT - timedelta(days=30))
        self.other_key = DepartmentKey.generate(OTHER_DEPARTMENT, ISSUED_AT - timedelta(days=30))
        self.issuer = LicenceIssuer(
            InMemoryKeys([self.key, self.other_key]),
            InMemorySerialAllocator(),
            clock=lambda: ISSUED_AT,
        )
        self.keyring = KeyRing([self.key.published, self.other_key.published])


def without_case(licence: Licence) -> Licence:
    """What a verifier sees: the case id is not carried in the QR payload."""
    return replace(licence, case_id=None)


def valid_until(days: int) -> date:
    return (ISSUED_AT + timedelta(days=days)).date()
