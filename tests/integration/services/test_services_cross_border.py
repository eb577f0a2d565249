"""Cross-border investment and trade (plan 7, R-SVC-TRADE) end to end on both databases: a
project off the negative list is filed for the record at once by the declared rule; a project
on it is sent to approval; the export tax refund is due in 10 working days, 2 for first-class
exporters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from support import register_enterprise, supply_record
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
        "industry_code": "C3421",
        "total_investment": "12000",
        "negative_list": "not_listed",
    }
    form.update(overrides)
    return form


def test_project_off_the_negative_list_is_filed_for_the_record_at_once(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(11, 26, 10))
    # The project company is in the legal-entity registry: the filing is decided on that proof.
    register_enterprise(platform, COMPANY, COMPANY_NAME, "370290", "cross-border-company")
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
    # The decision records why: manufacturing (section C) has no entry on the list.
    evidence = decision.data["evidence"]["negative_list.by_industry"]
    assert evidence["value"] == "not_listed" and "negative_list.yaml" in evidence["source"]


@pytest.mark.parametrize(
    ("industry", "industry_code"),
    [("烟草制品零售", ""), ("烟草制品零售", "F5227"), ("通用设备制造业", "制造业")],
)
def test_filing_without_a_code_or_in_a_listed_section_is_reviewed(
    platform: Platform, clock: SimulatedClock, industry: str, industry_code: str
) -> None:
    """Reproduced: a project self-declared `not_listed` under free text (烟草制品零售) was filed
    at once. Free text, a malformed code, or a section with entries goes to review."""
    clock.set(at(11, 26, 10))
    case = platform.cases.get(
        platform.cases.submit(
            SubmitApplication(
                "trade.fdi_project_filing",
                COMPANY,
                COMPANY_NAME,
                "370290",
                filing_form(industry=industry, industry_code=industry_code),
            )
        ).case_id
    )
    assert case.status is CaseStatus.IN_PROGRESS and not case.outputs
    assert case.tasks[0].decided_by_rule is None
    assert case.facts["negative_list.by_industry"] == "review"


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


@pytest.mark.parametrize(
    ("exporter_class", "due"), [("一类", (10, 8)), ("二类", (10, 19)), (None, (10, 19))]
)
def test_export_refund_is_due_in_ten_working_days_two_for_first_class(
    platform: Platform, clock: SimulatedClock, exporter_class: str | None, due: tuple[int, int]
) -> None:
    """一类 is the tax bureau's exporter class (公告2016年第46号), not the credit class: a
    brand-new exporter with a clean credit file (诚信守法) and no classification is 三类."""
    clock.set(at(9, 29, 10))
    first_class = exporter_class == "一类"
    if exporter_class is not None:
        supply_record(platform, "exporter_class", "class", COMPANY, exporter_class, "国家税务总局青岛市税务局")
    if exporter_class == "二类":
        # A minor penalty this year as well: the credit class does not decide the refund time.
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
    assert case.facts["exporter.class"] == (exporter_class or "三类")
    if exporter_class is None:
        assert case.facts["applicant.credit_class"] == "诚信守法"
    assert task.department_code == "taxation@370200"
    assert str(task.deadline.clock.limit) == ("2wd" if first_class else "10wd")
    # The case's own deadline follows the same variant.
    assert case.deadline.due_at == task.deadline.due_at
    # Over National Day: 2 working days from 29 September 10:00 → 8 October 10:00; 10 → 19 October.
    assert task.deadline.due_at == at(*due, 10)
    clock.set(at(*due, 9))
    case = platform.cases.act(CompleteTask(task.id, "swj:tuishui"))
    assert case.status is CaseStatus.CONCLUDED
