"""A sample business licence for the integration tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from yiwang.licences.models import BUSINESS_LICENCE, Licence, LicenceIdentifier

ISSUED_AT = datetime(2026, 11, 26, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def sample_licence(department: str = "370100SCJ", serial: int = 1) -> Licence:
    return Licence(
        identifier=LicenceIdentifier("YYZZ", department, serial),
        kind=BUSINESS_LICENCE,
        holder_id="91370100MA3C5RBX3F",
        holder_name="济南泉城数字科技有限公司",
        issuer_department_code=department,
        issuer_name="济南市市场监督管理局",
        issued_at=ISSUED_AT,
        fields=(
            ("类型", "有限责任公司（自然人独资）"),
            ("法定代表人", "张三"),
            ("注册资本", "壹佰万元整"),
            ("住所", "山东省济南市历下区泉城路188号"),
            ("经营范围", "一般项目：技术服务、技术开发、技术咨询；软件开发。"),
        ),
    )
