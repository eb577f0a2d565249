"""The legal actions as a signed-in account performs them (shared by the API and the pages).

Who may do what:
* 不予受理, 延期 (with the head named as approver), excluded periods: a reviewer of the task's
  department who may act on it;
* 中止, 恢复, 终止: a lead reviewer of a department with a task in the case;
* 撤回: the applicant, or the clerk who filed for them (帮办代办).
Each check answers 404 for what the account may not see and 403 for what it may not do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yiwang.accounts import policy
from yiwang.accounts.errors import Forbidden
from yiwang.accounts.models import Account
from yiwang.cases.commands import (
    EndExcludedPeriod,
    ExtendTimeLimit,
    RefuseAcceptance,
    ResumeCase,
    StartExcludedPeriod,
    SuspendCase,
    TerminateCase,
    WithdrawApplication,
)
from yiwang.cases.models import Case
from yiwang.cases.operations import reject_nul, view_case, view_task

if TYPE_CHECKING:
    from yiwang.bootstrap import Services

_TEXT = 1000


def _task_actor(services: Services, account: Account, task_id: str) -> Case:
    case, task = view_task(services, account, task_id)
    if not policy.can_act_on_task(account, task.department_code, task.assignee):
        raise Forbidden()
    return case


def refuse_acceptance(services: Services, account: Account, task_id: str, reason: str) -> Case:
    _task_actor(services, account, task_id)
    reject_nul(reason, "reason")
    return services.platform.cases.refuse_acceptance(
        RefuseAcceptance(task_id, account.actor, reason[:_TEXT])
    )


def extend(
    services: Services,
    account: Account,
    task_id: str,
    *,
    approved_by: str,
    reason: str,
    working_days: int,
    joint: bool,
) -> Case:
    _task_actor(services, account, task_id)
    reject_nul([approved_by, reason], "extension")
    return services.platform.cases.extend_time_limit(
        ExtendTimeLimit(
            task_id, account.actor, approved_by[:100], reason[:_TEXT], working_days, joint
        )
    )


def start_excluded_period(
    services: Services, account: Account, task_id: str, *, kind: str, reason: str, notice: str
) -> Case:
    _task_actor(services, account, task_id)
    reject_nul([kind, reason, notice], "excluded_period")
    return services.platform.cases.start_excluded_period(
        StartExcludedPeriod(task_id, account.actor, kind[:30], reason[:_TEXT], notice[:2000])
    )


def end_excluded_period(services: Services, account: Account, task_id: str) -> Case:
    _task_actor(services, account, task_id)
    return services.platform.cases.end_excluded_period(EndExcludedPeriod(task_id, account.actor))


def may_halt(account: Account, case: Case) -> bool:
    """中止/恢复/终止: a lead reviewer of a department with a task in the open case."""
    return not case.is_closed and policy.can_halt_case(account, {task.department_code for task in case.tasks})


def may_withdraw(account: Account, case: Case) -> bool:
    """撤回: the applicant, or the clerk who filed for them, while the case is open."""
    return not case.is_closed and policy.can_withdraw(account, case.applicant_id, case.filed_by)


def _office_lead(services: Services, account: Account, case_id: str) -> Case:
    case = view_case(services, account, case_id)
    if not policy.can_halt_case(account, {task.department_code for task in case.tasks}):
        raise Forbidden()
    return case


def suspend(services: Services, account: Account, case_id: str, reason: str) -> Case:
    _office_lead(services, account, case_id)
    reject_nul(reason, "reason")
    return services.platform.cases.suspend(SuspendCase(case_id, account.actor, reason[:_TEXT]))


def resume(services: Services, account: Account, case_id: str, reason: str) -> Case:
    _office_lead(services, account, case_id)
    reject_nul(reason, "reason")
    return services.platform.cases.resume(ResumeCase(case_id, account.actor, reason[:_TEXT]))


def terminate(services: Services, account: Account, case_id: str, reason: str) -> Case:
    _office_lead(services, account, case_id)
    reject_nul(reason, "reason")
    return services.platform.cases.terminate(TerminateCase(case_id, account.actor, reason[:_TEXT]))


def withdraw(services: Services, account: Account, case_id: str, reason: str) -> Case:
    case = view_case(services, account, case_id)
    if not policy.can_withdraw(account, case.applicant_id, case.filed_by):
        raise Forbidden()  # a closed case answers 409 from the service
    reject_nul(reason, "reason")
    return services.platform.cases.withdraw(
        WithdrawApplication(case_id, account.actor, reason[:_TEXT])
    )
