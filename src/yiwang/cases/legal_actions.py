"""Actions the law gives applicants and offices beside the review itself.

* 延期 (行政许可法 Art. 42): one extension per item, approved by the head of the office, with
  its reason, capped at 10 working days (15 for joint or unified handling) or the item's
  lower catalog cap; the applicant is told the reason.
* Excluded periods (Art. 45): a hearing, testing, appraisal or expert review stops the item's,
  the stage's and the case's clocks, with a written notice, for at most the item's catalog cap
  per kind; the clocks resume when the office ends it, or at the cap by the sweep.
* 撤回 by the applicant, 中止 and 终止 by the office, each with a reason.
* 代办: the applicant's authorisation (授权委托书) and its scope, recorded at submission.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from yiwang.calendar import LimitKind, TimeLimit
from yiwang.cases import engine
from yiwang.cases import events as ev
from yiwang.cases.commands import (
    EndExcludedPeriod,
    ExtendTimeLimit,
    ResumeCase,
    StartExcludedPeriod,
    SubmitApplication,
    SuspendCase,
    TerminateCase,
    WithdrawApplication,
)
from yiwang.cases.engine import EngineContext
from yiwang.cases.errors import CaseError, InvalidAction, ReasonRequired
from yiwang.cases.legal import close_case, excluded_period_ends_by
from yiwang.cases.legal_record import Authorisation, ExcludedPeriod, Extension, Suspension
from yiwang.cases.models import (
    Case,
    CaseStatus,
    Deadline,
    StageStatus,
    Task,
    TaskStatus,
)
from yiwang.catalog.models import (
    DEFAULT_EXTENSION_CAP,
    EXCLUDED_PERIOD_KINDS,
    JOINT_EXTENSION_CAP,
)

ART_42 = "《中华人民共和国行政许可法》第四十二条"
ART_45 = "《中华人民共和国行政许可法》第四十五条"


class LegalActionRefused(CaseError):
    """An extension, excluded period, suspension or ending the law does not allow."""

    code = "legal_action_refused"


def _open_deadlines(case: Case) -> list[tuple[Task | None, Deadline]]:
    found: list[tuple[Task | None, Deadline]] = [(None, case.deadline)]
    found += [(None, s.deadline) for s in case.stages if s.status is StageStatus.OPEN]
    found += [(t, t.deadline) for t in case.tasks if t.is_open]
    return found


def _stop_clocks(case: Case, at: datetime, context: EngineContext) -> None:
    for task, deadline in _open_deadlines(case):
        if deadline.clock.paused_at is None:
            deadline.clock = deadline.clock.pause(at, context.calendar)
            deadline.due_at = None
            if task is not None:
                task.dirty = True


def _restart_clocks(case: Case, at: datetime, context: EngineContext) -> None:
    for task, deadline in _open_deadlines(case):
        if deadline.clock.paused_at is not None:
            deadline.clock = deadline.clock.resume(at, context.calendar)
            engine.refresh_deadline(deadline, context.calendar)
            if task is not None:
                task.dirty = True


def _require_open(case: Case, what: str) -> None:
    if case.is_closed:
        raise InvalidAction(case.id, what, case.status.value)


def _require_reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise ReasonRequired(what)
    return reason.strip()


def _refuse_if_halted(case: Case, what: str) -> None:
    if case.status is CaseStatus.SUSPENDED:
        raise LegalActionRefused(
            "办件已中止，请先恢复办理 / the case is suspended; resume it first",
            f"case {case.id} is suspended: {what} refused",
        )
    if case.legal.open_excluded_period() is not None:
        raise LegalActionRefused(
            "有不计入时限的程序尚未结束 / an excluded period is still open",
            f"case {case.id} has an open excluded period: {what} refused",
        )


# --- Art. 42 -----------------------------------------------------------------------------


def extend_time_limit(
    case: Case, command: ExtendTimeLimit, now: datetime, context: EngineContext
) -> None:
    what = "延期 extend the time limit"
    _require_open(case, what)
    task = case.task(command.task_id)
    if task.status not in (TaskStatus.PENDING, TaskStatus.IN_REVIEW):
        raise InvalidAction(task.id, what, task.status.value)
    reason = _require_reason(command.reason, what)
    if not command.approved_by.strip():
        raise LegalActionRefused(
            "延期须经本行政机关负责人批准，请填写批准人 / an extension needs the head's approval: "
            "name the approving official",
            f"task {task.id}: extension without an approving official",
        )
    item = context.catalog.item(task.item_code)
    statutory = JOINT_EXTENSION_CAP if command.joint else DEFAULT_EXTENSION_CAP
    cap = min(statutory, item.extension_cap) if item.extension_cap is not None else statutory
    if any(e.task_id == task.id for e in case.legal.extensions):
        raise LegalActionRefused(
            "该事项已延期一次，不得再次延期 / this item was already extended once",
            f"task {task.id}: one extension per item ({ART_42})",
        )
    if not 1 <= command.working_days <= cap:
        raise LegalActionRefused(
            f"延期不得超过{cap}个工作日 / an extension may add at most {cap} working days",
            f"task {task.id}: {command.working_days} working days exceeds the cap {cap} ({ART_42})",
        )
    limit = task.deadline.clock.limit
    if limit.kind is not LimitKind.WORKING_DAYS:
        raise LegalActionRefused(
            "只有以工作日计的时限可以延期 / only limits in working days can be extended",
            f"task {task.id}: limit {limit} is not in working days",
        )
    before = task.deadline.due_at
    task.deadline.clock = dataclasses.replace(
        task.deadline.clock, limit=TimeLimit.working_days(limit.amount + command.working_days)
    )
    engine.refresh_deadline(task.deadline, context.calendar)
    task.dirty = True
    case.legal.extensions.append(
        Extension(
            task_id=task.id,
            working_days=command.working_days,
            approved_by=command.approved_by.strip(),
            reason=reason,
            at=now,
            joint=command.joint,
        )
    )
    case.record(
        ev.TimeLimitExtended(
            at=now,
            actor=command.actor,
            task_id=task.id,
            reason=reason,
            working_days=command.working_days,
            approved_by=command.approved_by.strip(),
            joint=command.joint,
            cap=cap,
            due_at_before=before,
            due_at=task.deadline.due_at,
            legal_basis=ART_42,
        )
    )


# --- Art. 45 -----------------------------------------------------------------------------


def start_excluded_period(
    case: Case, command: StartExcludedPeriod, now: datetime, context: EngineContext
) -> None:
    what = "不计时程序 excluded period"
    _require_open(case, what)
    _refuse_if_halted(case, what)
    task = case.task(command.task_id)
    if task.status is not TaskStatus.IN_REVIEW:
        raise InvalidAction(task.id, what, task.status.value)
    if command.kind not in EXCLUDED_PERIOD_KINDS:
        raise LegalActionRefused(
            "种类须为听证、检验检测、鉴定或专家评审 / the kind must be hearing, testing, appraisal "
            "or expert review",
            f"task {task.id}: unknown excluded-period kind {command.kind!r}",
        )
    reason = _require_reason(command.reason, what)
    if not command.notice.strip():
        raise LegalActionRefused(
            "须书面告知申请人所需时间 / the applicant must be told in writing how long it takes",
            f"task {task.id}: excluded period without a written notice ({ART_45})",
        )
    cap = context.catalog.item(task.item_code).excluded_period_caps[command.kind]
    period = ExcludedPeriod(
        id=f"{task.id}-X{len(case.legal.excluded_periods) + 1}",
        task_id=task.id,
        kind=command.kind,
        reason=reason,
        notice=command.notice.strip(),
        started_at=now,
        started_by=command.actor,
        max_working_days=cap,
    )
    case.legal.excluded_periods.append(period)
    _stop_clocks(case, now, context)
    ends_by = context.calendar.deadline_for(now, TimeLimit.working_days(cap)).at
    case.record(
        ev.ExcludedPeriodStarted(
            at=now,
            actor=command.actor,
            task_id=task.id,
            reason=reason,
            period_id=period.id,
            period_kind=command.kind,
            kind_name=EXCLUDED_PERIOD_KINDS[command.kind].zh,
            notice=period.notice,
            max_working_days=cap,
            ends_by=ends_by,
            legal_basis=ART_45,
        )
    )


def period_ends_by(period: ExcludedPeriod, context: EngineContext) -> datetime:
    return excluded_period_ends_by(period, context.calendar)


def end_excluded_period(
    case: Case, command: EndExcludedPeriod, now: datetime, context: EngineContext
) -> None:
    _require_open(case, "结束不计时程序 end excluded period")
    period = case.legal.open_excluded_period(command.task_id)
    if period is None:
        raise LegalActionRefused(
            "该事项没有进行中的不计时程序 / no excluded period is open for this item",
            f"task {command.task_id}: no open excluded period",
        )
    _end_period(case, period, min(now, period_ends_by(period, context)), command.actor, context)


def _end_period(
    case: Case, period: ExcludedPeriod, at: datetime, actor: str, context: EngineContext
) -> None:
    # The clock counts again from the end of the period, at the latest from its cap.
    period.ended_at = at
    _restart_clocks(case, at, context)
    case.record(
        ev.ExcludedPeriodEnded(
            at=at,
            actor=actor,
            task_id=period.task_id,
            period_id=period.id,
            period_kind=period.kind,
            working_days_used=round(
                context.calendar.working_seconds_between(period.started_at, at)
                / context.calendar.office_hours.day_seconds,
                2,
            ),
        )
    )


def sweep_due(case: Case, now: datetime, context: EngineContext) -> bool:
    period = case.legal.open_excluded_period()
    return period is not None and not case.is_closed and now > period_ends_by(period, context)


def sweep(case: Case, now: datetime, context: EngineContext) -> None:
    """An excluded period past its cap ends at the cap: the clocks count from there."""
    period = case.legal.open_excluded_period()
    if period is not None and not case.is_closed:
        ends_by = period_ends_by(period, context)
        if now > ends_by:
            _end_period(case, period, ends_by, "system", context)


# --- 撤回, 中止, 终止 -----------------------------------------------------------------------


def withdraw(case: Case, command: WithdrawApplication, now: datetime) -> None:
    what = "撤回申请 withdraw"
    _require_open(case, what)
    reason = _require_reason(command.reason, what)
    close_case(case, ev.CaseWithdrawn(at=now, actor=command.actor, reason=reason, deemed=False))


def terminate(case: Case, command: TerminateCase, now: datetime) -> None:
    what = "终止办理 terminate"
    _require_open(case, what)
    reason = _require_reason(command.reason, what)
    close_case(case, ev.CaseTerminated(at=now, actor=command.actor, reason=reason))


def suspend(case: Case, command: SuspendCase, now: datetime, context: EngineContext) -> None:
    what = "中止办理 suspend"
    _require_open(case, what)
    _refuse_if_halted(case, what)
    reason = _require_reason(command.reason, what)
    case.legal.suspensions.append(Suspension(reason=reason, at=now, by=command.actor))
    _stop_clocks(case, now, context)
    case.status = CaseStatus.SUSPENDED
    case.record(ev.CaseSuspended(at=now, actor=command.actor, reason=reason))


def resume(case: Case, command: ResumeCase, now: datetime, context: EngineContext) -> None:
    suspension = case.legal.open_suspension
    if case.status is not CaseStatus.SUSPENDED or suspension is None:
        raise InvalidAction(case.id, "恢复办理 resume", case.status.value)
    suspension.resumed_at = now
    suspension.resumed_by = command.actor
    waiting = any(s.answered_at is None for s in case.supplements)
    if not waiting:
        # Clocks stopped by an open supplement notice restart with its answer, not here.
        _restart_clocks(case, now, context)
    case.status = CaseStatus.WAITING_APPLICANT if waiting else CaseStatus.IN_PROGRESS
    case.record(
        ev.CaseResumed(at=now, actor=command.actor, reason=command.reason.strip())
    )


# --- 代办 ---------------------------------------------------------------------------------


def record_authorisation(case: Case, command: SubmitApplication, at: datetime) -> None:
    """A clerk acting for the applicant records the 授权委托书 and what it authorises."""
    if not command.filed_by or not command.authorisation_ref.strip():
        return
    scope = tuple(s.strip() for s in command.authorisation_scope if s.strip())
    case.legal.authorisation = Authorisation(
        agent=command.filed_by,
        document_ref=command.authorisation_ref.strip(),
        scope=scope,
        recorded_at=at,
    )
    case.record(
        ev.AuthorisationRecorded(
            at=at,
            actor=command.filed_by,
            reason=command.authorisation_ref.strip(),
            agent=command.filed_by,
            scope=scope,
            on_behalf_of=case.applicant_id,
        )
    )
