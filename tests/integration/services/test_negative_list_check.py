"""Foreign investment: the negative list decides between filing and approval (R-SVC-TRADE)."""

from __future__ import annotations

import pytest

from support import register_enterprise
from yiwang.bootstrap import Platform
from yiwang.cases.commands import SubmitApplication
from yiwang.cases.errors import InvalidForm
from yiwang.identity.numbers import allocate_credit_code

pytestmark = pytest.mark.integration

COMPANY = allocate_credit_code("9", "1", "370290", 7788)


def _filing(negative_list: str) -> SubmitApplication:
    return SubmitApplication(
        "trade.fdi_project_filing",
        COMPANY,
        "青岛凯撒机械有限公司",
        "370290",
        {
            "project_name": "精密齿轮生产线",
            "region_code": "370290",
            "investor_name": "Kaiser Maschinenbau GmbH",
            "investor_country": "德国",
            "industry": "通用设备制造",
            "industry_code": "C3453",
            "total_investment": "3000",
            "negative_list": negative_list,
        },
    )


def _approval(entry: str) -> SubmitApplication:
    return SubmitApplication(
        "trade.fdi_project_approval",
        COMPANY,
        "青岛凯撒机械有限公司",
        "370290",
        {
            "project_name": "增值电信业务平台",
            "region_code": "370290",
            "investor_name": "Kaiser Maschinenbau GmbH",
            "investor_country": "德国",
            "negative_list_entry": entry,
            "total_investment": "3000",
        },
    )


def test_off_the_list_is_filed_at_once(platform: Platform) -> None:
    register_enterprise(platform, COMPANY, "青岛凯撒机械有限公司", "370290", "凯撒机械")
    case = platform.cases.get(platform.cases.submit(_filing("not_listed")).case_id)
    assert case.status.value == "concluded"


def test_on_the_list_cannot_be_filed(platform: Platform) -> None:
    with pytest.raises(InvalidForm) as refused:
        platform.cases.submit(_filing("listed"))
    assert ("negative_list", "approval_required") in {(p.field, p.code) for p in refused.value.problems}


def test_approval_names_a_restricted_entry(platform: Platform) -> None:
    assert platform.cases.submit(_approval("FNL-I01")).created
    for entry, code in (("FNL-I02", "prohibited"), ("FNL-Z99", "unknown_entry")):
        with pytest.raises(InvalidForm) as refused:
            platform.cases.submit(_approval(entry))
        assert ("negative_list_entry", code) in {(p.field, p.code) for p in refused.value.problems}
