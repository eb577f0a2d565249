"""Medical insurance (plan 5, R-SVC-MED) end to end on both databases: manual reimbursement
within 10 working days (was 30) with a one-time supplement notice that stops the clock,
relation transfer within 15 (was 45), cross-region filing on commitment, instant after hours."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from yiwang.bootstrap import Platform
from yiwang.cases.commands import (
    AnswerSupplement,
    CompleteTask,
    RequestSupplement,
    SubmitApplication,
)
from yiwang.cases.errors import CaseError
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.clock import SimulatedClock
from yiwang.db.engine import read_connection
from yiwang.identity.numbers import make_id_number

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
INSURED_ID = make_id_number("370105", datetime(1961, 6, 1).date(), 418)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def add_insured(platform: Platform) -> None:
    with platform.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id_number, name, gender, birth_date, region_code, phone) "
                "VALUES (:id, '赵桂芳', 'female', '1961-06-01', '370105', '13805319876')"
            ),
            {"id": INSURED_ID},
        )


def reimbursement_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "hospital_name": "北京协和医院",
        "visit_date": "2026-09-10",
        "amount": "12680.50",
        "bank_account": "6222020200112345678",
        "phone": "13805319876",
    }
    form.update(overrides)
    return form


def test_manual_reimbursement_in_ten_working_days_and_supplement_stops_the_clock(
    platform: Platform, clock: SimulatedClock
) -> None:
    add_insured(platform)
    clock.set(at(9, 29, 9, 30))
    result = platform.cases.submit(
        SubmitApplication(
            "medins.employee_manual_reimbursement",
            INSURED_ID,
            "赵桂芳",
            "370105",
            reimbursement_form(),
            channel="window",
        )
    )
    case = platform.cases.get(result.case_id)
    task = case.tasks[0]
    assert task.department_code == "medical_security@370100"
    assert str(task.deadline.clock.limit) == "10wd"
    # 10 working days (70 working hours) after 29 September 09:30, National Day skipped:
    # 19 October (`yiwang calendar add 2026-09-29 10`), 09:30.
    assert task.deadline.due_at == at(10, 19, 9, 30)
    with read_connection(platform.engine) as connection:
        identity = connection.execute(
            text(
                "SELECT found, reference FROM case_attachments WHERE case_id = :id AND material_code = 'identity'"
            ),
            {"id": case.id},
        ).one()
    assert identity.found and identity.reference == "population.identity"

    # A notice naming a material the item does not have is refused; one notice lists all.
    clock.set(at(9, 29, 14))
    with pytest.raises(CaseError):
        platform.cases.act(RequestSupplement(task.id, "ybj:liu", ("business_licence",), "营业执照"))
    case = platform.cases.act(
        RequestSupplement(
            task.id, "ybj:liu", ("expense_list", "diagnosis"), "请补充费用明细清单和出院记录"
        )
    )
    assert case.status is CaseStatus.WAITING_APPLICANT
    notice = next(
        e for e in platform.cases.events(case.id) if e.kind is EventKind.SUPPLEMENT_REQUESTED
    )
    assert [m["code"] for m in notice.data["materials"]] == ["expense_list", "diagnosis"]

    # Answered at 14:00 on 9 October: 3 h on 29 Sep, 7 on 30 Sep, 7 on 8 Oct, 4 on 9 Oct.
    clock.set(at(10, 9, 14))
    case = platform.cases.answer_supplement(
        AnswerSupplement(
            case.id, case.supplements[0].id, INSURED_ID, "已上传", ("明细.pdf", "出院记录.pdf"),
            supplied=("expense_list", "diagnosis"),
        )
    )
    calendar = platform.calendars.current()
    assert (
        calendar.working_seconds_between(at(9, 29, 14), at(10, 9, 14))
        == 3 * calendar.office_hours.day_seconds
    )
    # Accepted at the answer (行政许可法 Art. 32): the full 10 working days (70 working hours)
    # count from 9 October 14:00: 3 + 7 (10 Oct) + 35 + 7 + 7 + 7 = 66, then 4 hours on
    # 22 October.
    assert case.task(task.id).deadline.due_at == at(10, 22, 14)

    clock.set(at(10, 21, 16))
    case = platform.cases.act(CompleteTask(task.id, "ybj:liu", "审核通过，已支付"))
    assert case.status is CaseStatus.CONCLUDED
    done = next(e for e in platform.cases.events(case.id) if e.kind is EventKind.TASK_COMPLETED)
    assert done.data["overdue"] is False
    # The statutory clock started at acceptance, when the complete materials arrived (行政许可法
    # Art. 32): 3 h on 9 Oct, 7 h on each of 10, 12-16 and 19-20 Oct, and 6 h on 21 Oct; the
    # 3.5 h before the notice were the acceptance step, not the review.
    assert done.data["working_hours_used"] == 3 + 8 * 7 + 6


def test_relation_transfer_is_due_in_fifteen_working_days(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(9, 30, 15))
    result = platform.cases.submit(
        SubmitApplication(
            "medins.relation_transfer",
            INSURED_ID,
            "赵桂芳",
            "370105",
            {"from_region": "江苏省南京市", "to_region_code": "370105", "phone": "13805319876"},
            channel="mobile",
        )
    )
    case = platform.cases.get(result.case_id)
    # 105 working hours from 30 September 15:00: 2 h that day, then 14 working days to the
    # close of 26 October, and 5 h on 27 October (`yiwang calendar add 2026-09-30 15` → 27th).
    assert case.tasks[0].deadline.due_at == at(10, 27, 15)
    legal = platform.catalogs.current().item("medins.relation_transfer").legal_limit
    assert str(legal) == "45wd"
    clock.set(at(10, 28, 9, 5))
    case = platform.cases.act(CompleteTask(case.tasks[0].id, "ybj:liu"))
    late = next(e for e in platform.cases.events(case.id) if e.kind is EventKind.TASK_COMPLETED)
    assert late.data["overdue"] is True  # a day late is visible in the record


def test_cross_region_filing_on_commitment_is_instant(
    platform: Platform, clock: SimulatedClock
) -> None:
    add_insured(platform)
    item = platform.catalogs.current().item("medins.remote_residence_filing")
    assert {m.code: m.source.value for m in item.materials} == {
        "identity": "registry",
        "residence_commitment": "commitment",
    }
    form = {
        "destination": "海南省三亚市",
        "address": "三亚湾路88号",
        "start_date": "2026-10-01",
        "phone": "13805319876",
    }
    clock.set(at(9, 30, 17, 30))  # after hours on the eve of National Day
    case = platform.cases.get(
        platform.cases.submit(
            SubmitApplication(item.code, INSURED_ID, "赵桂芳", "370105", form)
        ).case_id
    )
    assert case.tasks[0].deadline.due_at == at(10, 8, 17)
    assert case.deadline.due_at == at(10, 8, 17)
    clock.set(at(10, 8, 9, 10))
    case = platform.cases.act(CompleteTask(case.tasks[0].id, "ybj:liu"))
    assert case.status is CaseStatus.CONCLUDED
