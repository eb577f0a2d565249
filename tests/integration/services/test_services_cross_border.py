"""Cross-border investment and trade (plan 7, R-SVC-TRADE) end to end on both databases: a
project off the negative list is filed for the record at once by the declared rule; a project
on it is sent to approval; the export tax refund is due in 10 working days, 2 for first-class
exporters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from yiwang.bootstrap import Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.cases.errors import InvalidForm
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.clock import SimulatedClock
from yiwang.credit.models import CreditRecord, RecordKind, Severity
from yiwang.identity.numbers import allocate_credit_code

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
COMPANY = allocate_credit_code("9", "1", "370290", 5151)  # a company in the Qingdao free trade zone
COMPANY_NAME = "青岛海川精密机械有限公司"


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def filing_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "project_name": "精密数控机床零部件生产线项目",
        "region_code": "370290",
        "investor_name": "Kaiser Maschinenbau GmbH",
        "investor_country": "德国",
        "industry": "通用设备制造业",
        "total_investment": "12000",
        "negative_list": "not_listed",
    }
    form.update(overrides)
    return form


def test_project_off_the_negative_list_is_filed_for_the_record_at_once(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(11, 26, 10))
    result = platform.cases.submit(
        SubmitApplication(
            "trade.fdi_project_filing", COMPANY, COMPANY_NAME, "370290", filing_form()
        )
    )
    case = platform.cases.get(result.case_id)
    assert case.status is CaseStatus.CONCLUDED and case.closed_at == at(11, 26, 10)
    assert case.tasks[0].department_code == "development_reform@370200"
    assert case.tasks[0].decided_by_rule == "TRADE-FDI-FILING"
    assert [o.kind for o in case.outputs] == ["fdi_filing_record"]
    decision = next(
        e for e in platform.cases.events(case.id) if e.kind is EventKind.AUTOMATIC_DECISION
    )
    assert "负面清单" in decision.reason


def test_project_on_the_negative_list_goes_to_approval(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(11, 26, 10))
    # A project on the list is not filed at all: the form is refused, pointing to approval.
    with pytest.raises(InvalidForm) as refused:
        platform.cases.submit(
            SubmitApplication(
                "trade.fdi_project_filing",
                COMPANY,
                COMPANY_NAME,
                "370290",
                filing_form(
                    project_name="增值电信业务（在线数据处理）项目",
                    industry="电信、广播电视和卫星传输服务",
                    negative_list="listed",
                ),
            )
        )
    assert [p.code for p in refused.value.problems] == ["approval_required"]

    approval = platform.cases.get(
        platform.cases.submit(
            SubmitApplication(
                "trade.fdi_project_approval",
                COMPANY,
                COMPANY_NAME,
                "370290",
                {
                    "project_name": "增值电信业务（在线数据处理）项目",
                    "region_code": "370290",
                    "investor_name": "Kaiser Maschinenbau GmbH",
                    "investor_country": "德国",
                    "negative_list_entry": "FNL-I01",
                    "total_investment": "3000",
                },
            )
        ).case_id
    )
    # 10 working days (70 working hours) after Thursday 26 November 10:00: 10 December 10:00.
    assert approval.tasks[0].deadline.due_at == at(12, 10, 10)


@pytest.mark.parametrize(("first_class", "due"), [(True, (10, 8)), (False, (10, 19))])
def test_export_refund_is_due_in_ten_working_days_two_for_first_class(
    platform: Platform, clock: SimulatedClock, first_class: bool, due: tuple[int, int]
) -> None:
    clock.set(at(9, 29, 10))
    if not first_class:
        # A minor penalty this year: class 轻微失信 in the credit data, so not first-class.
        platform.credit.add_record(
            CreditRecord(
                record_id="P-2026-001",
                credit_code=COMPANY,
                kind=RecordKind.ADMINISTRATIVE_PENALTY,
                occurred_on=date(2026, 6, 1),
                source_department="market_regulation@370200",
                legal_basis="《中华人民共和国行政处罚法》",
                severity=Severity.MINOR,
                summary_zh="未按规定公示年度报告",
            )
        )
    case = platform.cases.get(
        platform.cases.submit(
            SubmitApplication(
                "trade.export_tax_refund",
                COMPANY,
                COMPANY_NAME,
                "370290",
                {
                    "period": "2026-08",
                    "refund_amount": "386500.00",
                },
            )
        ).case_id
    )
    task = case.tasks[0]
    assert task.department_code == "taxation@370200"
    assert str(task.deadline.clock.limit) == ("2wd" if first_class else "10wd")
    # The case's own deadline follows the same variant.
    assert case.deadline.due_at == task.deadline.due_at
    # Over National Day: 2 working days from 29 September 10:00 → 8 October 10:00; 10 → 19 October.
    assert task.deadline.due_at == at(*due, 10)
    clock.set(at(*due, 9))
    case = platform.cases.act(CompleteTask(task.id, "swj:tuishui"))
    assert case.status is CaseStatus.CONCLUDED
