"""Extensions (Art. 42), excluded periods (Art. 45), 撤回/中止/终止 and 代办 authorisation,
each recorded with its reason and shown in the case's history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from support import BUNDLE, FOUNDER_ID, FOUNDER_NAME, startup_form, submit_startup
from yiwang.bootstrap import Platform
from yiwang.calendar import TimeLimit
from yiwang.cases.commands import (
    AcceptTask,
    CompleteTask,
    EndExcludedPeriod,
    ExtendTimeLimit,
    ResumeCase,
    StartExcludedPeriod,
    SubmitApplication,
    SuspendCase,
    TerminateCase,
    WithdrawApplication,
)
from yiwang.cases.errors import InvalidAction, InvalidForm, ReasonRequired
from yiwang.cases.legal_actions import LegalActionRefused
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration


def _accepted_task(platform: Platform) -> tuple[str, str]:
    case = platform.cases.get(submit_startup(platform))
    task_id = case.tasks[1].id
    platform.cases.act(AcceptTask(task_id, "hrss:wang"))
    return case.id, task_id


def _extend(task_id: str, days: int, *, joint: bool = False, approver: str = "局长 张三") -> ExtendTimeLimit:
    return ExtendTimeLimit(task_id, "hrss:wang", approver, "需现场核查参保人员信息", days, joint)


@pytest.mark.parametrize(("joint", "cap"), [(False, 10), (True, 15)])
def test_extension_is_capped_by_article_42_and_recorded(
    platform: Platform, joint: bool, cap: int
) -> None:
    case_id, task_id = _accepted_task(platform)
    with pytest.raises(LegalActionRefused, match=f"{cap}个工作日"):
        platform.cases.extend_time_limit(_extend(task_id, cap + 1, joint=joint))
    with pytest.raises(LegalActionRefused, match="负责人"):
        platform.cases.extend_time_limit(_extend(task_id, cap, joint=joint, approver=" "))
    before = platform.cases.get(case_id).task(task_id).deadline.due_at
    case = platform.cases.extend_time_limit(_extend(task_id, cap, joint=joint))
    task = case.task(task_id)
    assert task.deadline.due_at is not None and before is not None and task.deadline.due_at > before
    calendar = platform.calendars.current()
    assert calendar.working_seconds_between(before, task.deadline.due_at) == (
        cap * calendar.office_hours.day_seconds
    )
    extended = next(e for e in platform.cases.events(case_id) if e.kind is EventKind.TIME_LIMIT_EXTENDED)
    assert extended.data["approved_by"] == "局长 张三" and extended.reason == "需现场核查参保人员信息"
    assert case.legal.extensions[0].working_days == cap
    with pytest.raises(LegalActionRefused, match="已延期一次"):
        platform.cases.extend_time_limit(_extend(task_id, 1, joint=joint))


def test_excluded_period_stops_the_clocks_with_a_written_notice(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, task_id = _accepted_task(platform)
    with pytest.raises(LegalActionRefused, match="书面告知"):
        platform.cases.start_excluded_period(
            StartExcludedPeriod(task_id, "hrss:wang", "expert_review", "组织专家评审", " ")
        )
    with pytest.raises(LegalActionRefused):
        platform.cases.start_excluded_period(
            StartExcludedPeriod(task_id, "hrss:wang", "coffee_break", "x", "y")
        )
    case = platform.cases.start_excluded_period(
        StartExcludedPeriod(
            task_id, "hrss:wang", "expert_review", "组织专家评审", "专家评审约需10个工作日，不计入办理时限"
        )
    )
    assert case.task(task_id).deadline.due_at is None and case.deadline.due_at is None
    with pytest.raises(LegalActionRefused):
        platform.cases.suspend(SuspendCase(case_id, "hrss:li", "等待法院裁定"))
    clock.advance(timedelta(days=1))
    case = platform.cases.end_excluded_period(EndExcludedPeriod(task_id, "hrss:wang"))
    assert case.task(task_id).deadline.due_at is not None
    kinds = [e.kind for e in platform.cases.events(case_id)]
    assert EventKind.EXCLUDED_PERIOD_STARTED in kinds and EventKind.EXCLUDED_PERIOD_ENDED in kinds
    assert case.legal.excluded_periods[0].notice.startswith("专家评审约需10个工作日")


def test_excluded_period_past_its_cap_ends_at_the_cap_by_the_sweep(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, task_id = _accepted_task(platform)
    platform.cases.start_excluded_period(
        StartExcludedPeriod(task_id, "hrss:wang", "hearing", "申请人要求听证", "听证不计入办理时限")
    )
    clock.advance(timedelta(days=60))
    platform.cases.sweep()
    case = platform.cases.get(case_id)
    period = case.legal.excluded_periods[0]
    calendar = platform.calendars.current()
    assert period.ended_at is not None
    # A hearing is capped at 20 working days (the catalog default): the clocks count again
    # from the end of the 20th working day, not from the sweep.
    assert period.ended_at == calendar.deadline_for(period.started_at, TimeLimit.working_days(20)).at
    assert case.task(task_id).deadline.due_at is not None


def test_suspension_and_resumption_with_reasons(platform: Platform, clock: SimulatedClock) -> None:
    case_id, task_id = _accepted_task(platform)
    with pytest.raises(ReasonRequired):
        platform.cases.suspend(SuspendCase(case_id, "hrss:li", ""))
    case = platform.cases.suspend(SuspendCase(case_id, "hrss:li", "申请人死亡，等待继承人确定"))
    assert case.status is CaseStatus.SUSPENDED and case.task(task_id).deadline.due_at is None
    with pytest.raises(InvalidAction):
        platform.cases.act(CompleteTask(task_id, "hrss:wang"))
    clock.advance(timedelta(days=3))
    case = platform.cases.resume(ResumeCase(case_id, "hrss:li", "继承人已确定"))
    assert case.status is CaseStatus.IN_PROGRESS and case.task(task_id).deadline.due_at is not None
    reasons = {e.kind: e.reason for e in platform.cases.events(case_id)}
    assert reasons[EventKind.CASE_SUSPENDED] == "申请人死亡，等待继承人确定"


@pytest.mark.parametrize("action", ["withdraw", "terminate"])
def test_withdrawal_and_termination_end_the_case_with_a_reason(
    platform: Platform, action: str
) -> None:
    case_id, task_id = _accepted_task(platform)
    if action == "withdraw":
        with pytest.raises(ReasonRequired):
            platform.cases.withdraw(WithdrawApplication(case_id, FOUNDER_ID, " "))
        case = platform.cases.withdraw(WithdrawApplication(case_id, FOUNDER_ID, "不再开办"))
        expected, kind = CaseStatus.WITHDRAWN, EventKind.CASE_WITHDRAWN
    else:
        case = platform.cases.terminate(TerminateCase(case_id, "hrss:li", "申请人主体资格已依法终止"))
        expected, kind = CaseStatus.TERMINATED, EventKind.CASE_TERMINATED
    assert case.status is expected and all(not t.is_open for t in case.tasks)
    assert next(e for e in platform.cases.events(case_id) if e.kind is kind).reason
    with pytest.raises(InvalidAction):
        platform.cases.act(CompleteTask(task_id, "hrss:wang"))


def test_clerk_filing_records_the_authorisation_and_its_scope(platform: Platform) -> None:
    base = dict(
        subject_code=BUNDLE, applicant_id=FOUNDER_ID, applicant_name=FOUNDER_NAME,
        region_code="370102", form=startup_form(), channel="window", filed_by="clerk.lixia",
    )
    with pytest.raises(InvalidForm):
        platform.cases.submit(SubmitApplication(**base, authorisation_ref="WT-2026-0001"))  # type: ignore[arg-type]
    case_id = platform.cases.submit(
        SubmitApplication(
            **base,  # type: ignore[arg-type]
            authorisation_ref="WT-2026-0001",
            authorisation_scope=("提交申请", "领取证照"),
        )
    ).case_id
    case = platform.cases.get(case_id)
    assert case.legal.authorisation is not None
    assert case.legal.authorisation.scope == ("提交申请", "领取证照")
    recorded = next(
        e for e in platform.cases.events(case_id) if e.kind is EventKind.AUTHORISATION_RECORDED
    )
    assert recorded.data["agent"] == "clerk.lixia" and recorded.reason == "WT-2026-0001"
