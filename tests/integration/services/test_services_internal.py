"""Internal government work (plan 11, R-WF-6) on the same engine, on both databases: one lead
department consults four departments in parallel, each replying within 1 working day (a late
reply stays visible as overdue), and co-signing runs in parallel within 3 working days,
counting an adjusted working Saturday."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from yiwang.bootstrap import Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.cases.errors import InvalidForm
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.clock import SimulatedClock
from yiwang.identity.numbers import allocate_credit_code

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Government organs (机关) have credit codes of registration authority 1, type 1.
DRC = allocate_credit_code("1", "1", "370100", 2001)  # 济南市发展和改革委员会
HRSS = allocate_credit_code("1", "1", "370100", 2002)  # 济南市人力资源和社会保障局


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def test_consultation_replies_in_parallel_within_one_working_day(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(9, 30, 10))
    form = {
        "document_title": "关于进一步优化营商环境支持民营经济发展的若干措施（征求意见稿）",
        "summary": "涉及企业开办、纳税、用工、用地等20条措施",
        "contact_name": "刘洋",
        "contact_phone": "13905310001",
        "openness": "public",
    }
    with pytest.raises(InvalidForm) as refused:
        platform.cases.submit(
            SubmitApplication(
                "bundle.internal_consultation",
                DRC,
                "济南市发展和改革委员会",
                "370100",
                {**form, "openness": "secret"},
            )
        )
    assert [p.field for p in refused.value.problems] == ["openness"]
    case = platform.cases.get(
        platform.cases.submit(
            SubmitApplication(
                "bundle.internal_consultation", DRC, "济南市发展和改革委员会", "370100", form
            )
        ).case_id
    )
    assert case.stages[0].lead_department_code == "development_reform@370100"
    assert sorted(task.department_code for task in case.tasks) == [
        "human_resources@370100",
        "market_regulation@370100",
        "natural_resources@370100",
        "taxation@370100",
    ]
    # 1 working day (7 working hours) from 30 September 10:00: 8 October 10:00, after
    # National Day, for every department at once.
    assert {task.deadline.due_at for task in case.tasks} == {at(10, 8, 10)}
    assert case.deadline.due_at == at(10, 8, 10)

    clock.set(at(10, 8, 9))
    for task in case.tasks[:3]:
        clock.advance(minutes=10)
        case = platform.cases.act(CompleteTask(task.id, f"reply:{task.department_code}", "无意见"))
    assert case.status is CaseStatus.IN_PROGRESS
    clock.set(at(10, 9, 9, 30))  # the fourth reply is half an hour into the next day
    case = platform.cases.act(CompleteTask(case.tasks[3].id, "reply:late", "建议修改第5条"))
    assert case.status is CaseStatus.CONCLUDED
    assert sorted(o.kind for o in case.outputs) == ["written_opinion"] * 4
    events = platform.cases.events(case.id)
    overdue = {e.task_id: e.data["overdue"] for e in events if e.kind is EventKind.TASK_COMPLETED}
    assert overdue == {task.id: task is case.tasks[3] for task in case.tasks}
    assert next(e for e in events if e.kind is EventKind.CASE_CONCLUDED).data["overdue"] is True


def test_cosigning_within_three_working_days_counts_the_adjusted_saturday(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(10, 9, 15))  # Friday; Saturday 10 October is a working day (National Day)
    case = platform.cases.get(
        platform.cases.submit(
            SubmitApplication(
                "bundle.internal_cosign",
                HRSS,
                "济南市人力资源和社会保障局",
                "370100",
                {
                    "document_title": "关于社会保险费和医疗保险费联合征缴的通知",
                    "contact_name": "马丽",
                    "contact_phone": "13905310002",
                },
            )
        ).case_id
    )
    assert case.stages[0].lead_department_code == "human_resources@370100"
    assert sorted(t.department_code for t in case.tasks) == [
        "medical_security@370100",
        "taxation@370100",
    ]
    # 21 working hours from Friday 15:00: 2 on Friday, 7 on Saturday 10 (adjusted), 7 on
    # Monday 12, 5 on Tuesday 13 October: due 15:00.
    assert case.deadline.due_at == at(10, 13, 15)
    clock.set(at(10, 10, 10))
    platform.cases.act(CompleteTask(case.tasks[0].id, "ybj:head"))
    clock.set(at(10, 13, 14, 30))
    case = platform.cases.act(CompleteTask(case.tasks[1].id, "swj:head"))
    assert case.status is CaseStatus.CONCLUDED
    assert (
        next(e for e in platform.cases.events(case.id) if e.kind is EventKind.CASE_CONCLUDED).data[
            "overdue"
        ]
        is False
    )
