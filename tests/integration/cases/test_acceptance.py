"""Acceptance (受理) as a step with its own rules (行政许可法 Art. 32), on real databases.

The start-up is submitted on Thursday 26 November 2026 at 09:30; its social-insurance task is
the item application received then. The fifth working day after receipt is Thursday
3 December (27 Nov, 30 Nov, 1, 2, 3 Dec), so a supplement notice is lawful until 17:00 that
day and refused from Friday 4 December, when the application counts as accepted as of receipt.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from support import FOUNDER_ID, submit_startup
from yiwang.bootstrap import Platform
from yiwang.cases.commands import (
    AcceptTask,
    AnswerSupplement,
    CompleteTask,
    RefuseAcceptance,
    RequestSupplement,
)
from yiwang.cases.errors import InvalidAction, ReasonRequired
from yiwang.cases.events import CaseEvent
from yiwang.cases.legal import AcceptanceRefusalNotAllowed, SupplementNotAllowed
from yiwang.cases.models import Case, CaseStatus, EventKind, TaskStatus
from yiwang.catalog.models import DEFAULT_SUPPLEMENT_ANSWER_LIMIT
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def _social_insurance(platform: Platform) -> tuple[Case, str]:
    case = platform.cases.get(submit_startup(platform))
    task = case.tasks[1]
    assert task.item_code == "hrss.employer_social_insurance_registration"
    return case, task.id


def _acceptances(platform: Platform, case_id: str, task_id: str) -> list[CaseEvent]:
    return [
        e
        for e in platform.cases.events(case_id)
        if e.kind is EventKind.APPLICATION_ACCEPTED and e.task_id == task_id
    ]


def _notice(task_id: str) -> RequestSupplement:
    return RequestSupplement(task_id, "hrss:wang", ("business_licence",), "请补充营业执照副本")


def test_notice_on_the_fifth_working_day_is_lawful(
    platform: Platform, clock: SimulatedClock
) -> None:
    case, task_id = _social_insurance(platform)
    clock.set(at(12, 3, 16, 59))
    case = platform.cases.act(_notice(task_id))
    supplement = case.supplements[0]
    assert case.status is CaseStatus.WAITING_APPLICANT
    # The applicant is told the answer deadline (the stated default, 20 working days).
    calendar = platform.calendars.current()
    assert supplement.answer_due_at == calendar.deadline_for(
        at(12, 3, 16, 59), DEFAULT_SUPPLEMENT_ANSWER_LIMIT
    ).at
    notice = next(
        e for e in platform.cases.events(case.id) if e.kind is EventKind.SUPPLEMENT_REQUESTED
    )
    assert notice.data["answer_due_at"] == supplement.answer_due_at.isoformat()


def test_notice_on_the_sixth_working_day_is_refused_and_the_sweep_deems_acceptance(
    platform: Platform, clock: SimulatedClock
) -> None:
    case, task_id = _social_insurance(platform)
    due_before = case.task(task_id).deadline.due_at
    clock.set(at(12, 4, 9, 30))
    with pytest.raises(SupplementNotAllowed, match="视为受理"):
        platform.cases.act(_notice(task_id))
    platform.cases.sweep()
    accepted = _acceptances(platform, case.id, task_id)
    assert [e.data["mode"] for e in accepted] == ["deemed"]
    # Accepted as of receipt, with the date recorded; the clock already ran from receipt.
    assert datetime.fromisoformat(accepted[0].data["accepted_at"]) == at(11, 26, 9, 30)
    case = platform.cases.get(case.id)
    assert case.legal.acceptances[task_id].mode == "deemed"
    assert case.task(task_id).deadline.due_at == due_before
    # Sweeping again records nothing more.
    platform.cases.sweep()
    assert len(_acceptances(platform, case.id, task_id)) == 1


def test_sweep_before_the_sixth_working_day_deems_nothing(
    platform: Platform, clock: SimulatedClock
) -> None:
    case, task_id = _social_insurance(platform)
    clock.set(at(12, 3, 16, 59))
    platform.cases.sweep()
    assert _acceptances(platform, case.id, task_id) == []


def test_one_complete_notice_per_application(platform: Platform, clock: SimulatedClock) -> None:
    """Reproduced: one task took four rounds of supplements, each stopping the clock."""
    case, task_id = _social_insurance(platform)
    clock.advance(minutes=30)
    case = platform.cases.act(_notice(task_id))
    clock.advance(minutes=30)
    case = platform.cases.answer_supplement(
        AnswerSupplement(
            case.id, case.supplements[0].id, FOUNDER_ID, "已上传", supplied=case.supplements[0].material_codes
        )
    )
    clock.advance(minutes=30)
    with pytest.raises(SupplementNotAllowed, match="一次性补正告知"):
        platform.cases.act(_notice(task_id))
    assert len(platform.cases.get(case.id).supplements) == 1


def test_no_notice_after_acceptance_and_the_clock_starts_at_acceptance(
    platform: Platform, clock: SimulatedClock
) -> None:
    case, task_id = _social_insurance(platform)
    clock.set(at(11, 27, 10))
    case = platform.cases.act(AcceptTask(task_id, "hrss:wang"))
    task = case.task(task_id)
    calendar = platform.calendars.current()
    assert task.deadline.due_at == calendar.deadline_for(at(11, 27, 10), task.deadline.clock.limit).at
    accepted = _acceptances(platform, case.id, task_id)
    assert [e.data["mode"] for e in accepted] == ["by_reviewer"]
    assert datetime.fromisoformat(accepted[0].data["received_at"]) == at(11, 26, 9, 30)
    with pytest.raises(SupplementNotAllowed, match="已受理"):
        platform.cases.act(_notice(task_id))


def test_unanswered_notice_ends_the_case_as_withdrawn(
    platform: Platform, clock: SimulatedClock
) -> None:
    case, task_id = _social_insurance(platform)
    clock.advance(minutes=30)
    case = platform.cases.act(_notice(task_id))
    answer_due = case.supplements[0].answer_due_at
    assert answer_due is not None
    clock.set(answer_due)
    platform.cases.sweep()
    assert platform.cases.get(case.id).status is CaseStatus.WAITING_APPLICANT
    clock.advance(minutes=1)
    platform.cases.sweep()
    case = platform.cases.get(case.id)
    assert case.status is CaseStatus.WITHDRAWN and case.is_closed
    assert all(not task.is_open for task in case.tasks)
    withdrawn = next(
        e for e in platform.cases.events(case.id) if e.kind is EventKind.CASE_WITHDRAWN
    )
    assert withdrawn.data["deemed"] is True and "视为撤回" in withdrawn.reason
    with pytest.raises(InvalidAction):
        platform.cases.act(CompleteTask(task_id, "hrss:wang"))


def test_refusal_at_acceptance_states_its_reason(
    platform: Platform, clock: SimulatedClock
) -> None:
    case, task_id = _social_insurance(platform)
    with pytest.raises(ReasonRequired):
        platform.cases.refuse_acceptance(RefuseAcceptance(task_id, "hrss:wang", " "))
    case = platform.cases.refuse_acceptance(
        RefuseAcceptance(task_id, "hrss:wang", "申请事项不属于本机关职权范围")
    )
    assert case.status is CaseStatus.REJECTED
    assert case.task(task_id).status is TaskStatus.REJECTED
    refused = next(
        e for e in platform.cases.events(case.id) if e.kind is EventKind.APPLICATION_NOT_ACCEPTED
    )
    assert refused.reason == "申请事项不属于本机关职权范围"


def test_no_refusal_at_acceptance_once_accepted(
    platform: Platform, clock: SimulatedClock
) -> None:
    _case, task_id = _social_insurance(platform)
    platform.cases.act(AcceptTask(task_id, "hrss:wang"))
    with pytest.raises(AcceptanceRefusalNotAllowed):
        platform.cases.refuse_acceptance(RefuseAcceptance(task_id, "hrss:wang", "材料不全"))
    # Past the fifth working day an untouched application is accepted by law, too.
    other = platform.cases.get(submit_startup(platform, key="k-2", company_name="济南市历下区泉水数据科技有限公司"))
    clock.set(at(12, 4, 9, 30))
    with pytest.raises(AcceptanceRefusalNotAllowed, match="视为受理"):
        platform.cases.refuse_acceptance(RefuseAcceptance(other.tasks[1].id, "hrss:wang", "材料不全"))
