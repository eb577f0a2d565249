"""The legal flow around the workflow engine (行政许可法 Art. 32, 42, 45; 国办发〔2020〕42号).

Acceptance (受理) is a step with its own rules, kept per item application (each task a
department decides is one application under the law; a bundle merges the forms, not the
applications):

* the item's statutory clock starts at acceptance, not at submission: when a department
  accepts, the task's clock restarts from that instant;
* Art. 32: a supplement notice (补正告知) is one complete notice per application, issued
  before acceptance and within 5 working days of receipt; after that the application counts
  as accepted as of the day it was received (the sweep, and any later action, records it);
* the applicant answers by the item's answer deadline (catalog data, default stated in
  `DEFAULT_SUPPLEMENT_ANSWER_LIMIT`); an unanswered notice ends the case as withdrawn;
* 不予受理 states its reason.

The functions here change the aggregate and append events like the engine does; the service
calls them in the same transaction as the engine's own change.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from yiwang.calendar import TaskClock, TimeLimit, WorkingCalendar
from yiwang.cases import engine
from yiwang.cases import events as ev
from yiwang.cases.commands import (
    AcceptTask,
    AnswerSupplement,
    CompleteTask,
    RefuseAcceptance,
    RequestSupplement,
    TaskCommand,
)
from yiwang.cases.engine import EngineContext
from yiwang.cases.errors import CaseError, InvalidAction, ReasonRequired
from yiwang.cases.legal_record import Acceptance, AcceptanceMode, ExcludedPeriod
from yiwang.cases.models import (
    EARLY_INTERVENTION_STAGE,
    SYSTEM_ACTOR,
    Case,
    CaseStatus,
    Deadline,
    StageStatus,
    Task,
    TaskKind,
    TaskStatus,
)

# 行政许可法 Art. 32(4): the complete supplement notice is given on the spot or within five
# days; Art. 82 counts the Act's periods in working days.
ACCEPTANCE_WINDOW = TimeLimit.working_days(5)
ART_32 = "《中华人民共和国行政许可法》第三十二条"

_ACCEPTANCE_KINDS = frozenset({TaskKind.REVIEW, TaskKind.PRELIMINARY_REVIEW})


class SupplementNotAllowed(CaseError):
    """A supplement notice the law does not allow (a second one, after acceptance or late)."""

    code = "supplement_not_allowed"


class AcceptanceRefusalNotAllowed(CaseError):
    code = "not_acceptance_stage"


# --- acceptance ---------------------------------------------------------------------------


def _receiving_task(case: Case, task: Task) -> Task:
    """The task that received the application: a department deciding after a lower level's
    review (审核转报) decides an application the lower level already accepted."""
    if task.kind is TaskKind.REVIEW:
        for other in case.tasks:
            if (
                other.kind is TaskKind.PRELIMINARY_REVIEW
                and other.item_code == task.item_code
                and other.stage_index == task.stage_index
            ):
                return other
    return task


def needs_acceptance(case: Case, task: Task) -> bool:
    return (
        task.kind in _ACCEPTANCE_KINDS
        and task.stage_index != EARLY_INTERVENTION_STAGE
        and _receiving_task(case, task) is task
    )


def acceptance_of(case: Case, task: Task) -> Acceptance | None:
    return case.legal.acceptances.get(_receiving_task(case, task).id)


def received_at(task: Task) -> datetime:
    assert task.opened_at is not None
    return task.opened_at


def acceptance_deadline(task: Task, calendar: WorkingCalendar) -> datetime:
    """The close of the 5th working day after the day of receipt (that day not counted).

    Art. 32 counts days (Art. 82: working days), not working time from the instant of
    receipt: an application received at 16:00 has until the close of the 5th working day.
    """
    office = calendar.office_hours
    zone = office.tzinfo
    received_on = received_at(task).astimezone(zone).date()
    last = calendar.add_working_days(received_on, int(ACCEPTANCE_WINDOW.amount)).date
    return datetime.combine(last, office.closes_at, tzinfo=zone)


def _restart(deadline: Deadline, at: datetime, calendar: WorkingCalendar) -> None:
    deadline.clock = TaskClock.start(at, deadline.clock.limit)
    engine.refresh_deadline(deadline, calendar)


def _accept(
    case: Case, task: Task, *, at: datetime, by: str, mode: str, calendar: WorkingCalendar
) -> None:
    """Record the acceptance; the item's clock starts at it (deemed: at receipt, unchanged)."""
    first_of_case = not case.legal.acceptances
    received = received_at(task)
    accepted_at = received if mode == AcceptanceMode.DEEMED else at
    case.legal.acceptances[task.id] = Acceptance(
        task_id=task.id, received_at=received, accepted_at=accepted_at, mode=mode, by=by
    )
    if task.is_open and accepted_at > received and task.deadline.clock.paused_at is None:
        _restart(task.deadline, accepted_at, calendar)
        task.dirty = True
        if first_of_case and task.stage_index == 0 and case.deadline.clock.paused_at is None:
            # The application as a whole is accepted now: the case's promise counts from here.
            _restart(case.deadline, accepted_at, calendar)
            stage = case.stages[0]
            if stage.status is StageStatus.OPEN and stage.deadline.clock.paused_at is None:
                _restart(stage.deadline, accepted_at, calendar)
    reason = {
        AcceptanceMode.ON_THE_SPOT: "当场受理并作出决定 / accepted and decided on the spot",
        AcceptanceMode.BY_REVIEWER: "已受理 / accepted",
        AcceptanceMode.WITH_DECISION: "受理并作出决定 / accepted with the decision",
        AcceptanceMode.AFTER_SUPPLEMENT: "补正材料齐全，予以受理 / accepted on the supplemented materials",
        AcceptanceMode.DEEMED: (
            "收到申请之日起5个工作日内未一次性告知补正，依法自收到申请之日起即为受理 / no "
            "supplement notice within 5 working days of receipt: accepted as of receipt "
            f"({ART_32})"
        ),
    }[mode]
    case.record(
        ev.ApplicationAccepted(
            at=at,
            actor=by,
            task_id=task.id,
            reason=reason,
            mode=mode,
            item=task.item_code,
            received_at=received,
            accepted_at=accepted_at,
            task_due_at=task.deadline.due_at,
            legal_basis=ART_32,
        )
    )


def settle_acceptances(case: Case, now: datetime) -> None:
    """Decisions taken without an explicit acceptance imply one: on the spot by a rule, or
    with the reviewer's decision. Run after every change."""
    for task in case.tasks:
        if not needs_acceptance(case, task) or task.id in case.legal.acceptances:
            continue
        if task.status in (TaskStatus.APPROVED, TaskStatus.REJECTED) and task.closed_at:
            mode = (
                AcceptanceMode.ON_THE_SPOT if task.decided_by_rule else AcceptanceMode.WITH_DECISION
            )
            case.legal.acceptances[task.id] = Acceptance(
                task_id=task.id,
                received_at=received_at(task),
                accepted_at=task.closed_at,
                mode=mode,
                by=task.assignee or SYSTEM_ACTOR,
            )


def _deem_if_late(case: Case, task: Task, now: datetime, calendar: WorkingCalendar) -> bool:
    # A notice given in time makes acceptance wait for the answer.
    if not _awaits_deemed_acceptance(case, task) or now <= acceptance_deadline(task, calendar):
        return False
    _accept(case, task, at=now, by=SYSTEM_ACTOR, mode=AcceptanceMode.DEEMED, calendar=calendar)
    return True


# --- actions ------------------------------------------------------------------------------


def _refuse_if_halted(case: Case, task_id: str, action: str) -> None:
    if case.status is CaseStatus.SUSPENDED:
        raise InvalidAction(task_id, action, case.status.value)


def apply_task_command(
    case: Case, command: TaskCommand, now: datetime, context: EngineContext
) -> None:
    """The engine's task action with the acceptance rules around it."""
    calendar = context.calendar
    _refuse_if_halted(case, command.task_id, type(command).__name__)
    task = case.task(command.task_id)
    if isinstance(command, RequestSupplement):
        check_supplement_allowed(case, task, now, calendar)
    deemed = False
    if isinstance(command, AcceptTask | CompleteTask) and not case.is_closed:
        deemed = _deem_if_late(case, task, now, calendar)
    engine.apply_task_command(case, command, now, context)
    if isinstance(command, RequestSupplement):
        supplement = case.supplements[-1]
        item = context.catalog.item(task.item_code)
        supplement.answer_due_at = calendar.deadline_for(now, item.answer_limit).at
        # The notice tells the applicant the deadline and what happens after it: the notice
        # just recorded (not yet stored) is completed with them.
        index = max(
            i for i, e in enumerate(case.new_events) if isinstance(e, ev.SupplementRequested)
        )
        notice = case.new_events[index]
        assert isinstance(notice, ev.SupplementRequested)
        case.new_events[index] = dataclasses.replace(
            notice,
            answer_due_at=supplement.answer_due_at,
            answer_limit=str(item.answer_limit),
            if_unanswered="视为撤回申请 / the application counts as withdrawn",
            legal_basis=ART_32,
        )
    elif (
        isinstance(command, AcceptTask)
        and not deemed
        and needs_acceptance(case, task)
        and acceptance_of(case, task) is None
    ):
        _accept(
            case, task, at=now, by=command.actor, mode=AcceptanceMode.BY_REVIEWER, calendar=calendar
        )


def check_supplement_allowed(
    case: Case, task: Task, now: datetime, calendar: WorkingCalendar
) -> None:
    """Art. 32: one complete notice per application, before acceptance, within 5 working
    days of receipt."""
    receiving = _receiving_task(case, task)
    if any(s.task_id in (task.id, receiving.id) for s in case.supplements):
        raise SupplementNotAllowed(
            "该申请已发出过一次性补正告知，不得再次要求补正 / this application already had its "
            "one complete supplement notice; no further notice may be issued",
            f"task {task.id}: one complete supplement notice per application ({ART_32})",
        )
    if acceptance_of(case, task) is not None:
        raise SupplementNotAllowed(
            "申请已受理，不得再要求补正材料 / the application has been accepted; materials can no "
            "longer be requested",
            f"task {task.id}: the supplement notice belongs before acceptance ({ART_32})",
        )
    due = acceptance_deadline(receiving, calendar)
    if now > due:
        raise SupplementNotAllowed(
            f"已超过收到申请之日起5个工作日（{due:%Y-%m-%d}），依法视为受理，不得再要求补正 / more "
            "than 5 working days since receipt: the application counts as accepted",
            f"task {task.id}: supplement notice after the 5th working day ({ART_32})",
        )


def answer_supplement(
    case: Case, command: AnswerSupplement, now: datetime, context: EngineContext
) -> None:
    _refuse_if_halted(case, command.supplement_id, "答复补正 answer supplement")
    engine.answer_supplement(case, command, now, context)
    supplement = next(s for s in case.supplements if s.id == command.supplement_id)
    task = case.task(supplement.task_id)
    if needs_acceptance(case, task) and acceptance_of(case, task) is None:
        _accept(
            case,
            task,
            at=now,
            by=SYSTEM_ACTOR,
            mode=AcceptanceMode.AFTER_SUPPLEMENT,
            calendar=context.calendar,
        )


def refuse_acceptance(
    case: Case, command: RefuseAcceptance, now: datetime, context: EngineContext
) -> None:
    """不予受理: the application is not accepted, for a stated reason (Art. 32(1)-(2))."""
    if case.is_closed:
        raise InvalidAction(command.task_id, "不予受理 refuse acceptance", case.status.value)
    _refuse_if_halted(case, command.task_id, "不予受理 refuse acceptance")
    task = case.task(command.task_id)
    if not command.reason.strip():
        raise ReasonRequired("不予受理 refuse acceptance")
    if not task.is_open or not needs_acceptance(case, task):
        raise InvalidAction(task.id, "不予受理 refuse acceptance", task.status.value)
    if acceptance_of(case, task) is not None:
        raise AcceptanceRefusalNotAllowed(
            "申请已受理，只能作出准予或不予许可的决定 / the application has been accepted; only a "
            "decision to grant or refuse is possible",
            f"task {task.id}: already accepted",
        )
    _deem_if_late(case, task, now, context.calendar)
    if acceptance_of(case, task) is not None:
        raise AcceptanceRefusalNotAllowed(
            "收到申请已超过5个工作日，依法视为受理，不能再不予受理 / more than 5 working days "
            "since receipt: the application counts as accepted",
            f"task {task.id}: deemed accepted ({ART_32})",
        )
    reason = command.reason.strip()
    case.record(
        ev.ApplicationNotAccepted(
            at=now,
            actor=command.actor,
            task_id=task.id,
            reason=reason,
            item=task.item_code,
            legal_basis=ART_32,
        )
    )
    engine._reject(case, task, command.actor, f"不予受理：{reason}", now)


# --- periodic work ------------------------------------------------------------------------


def _awaits_deemed_acceptance(case: Case, task: Task) -> bool:
    """An open application no one accepted and no supplement notice holds: at the close of
    its 5th working day it counts as accepted (Art. 32(4))."""
    return (
        task.is_open
        and needs_acceptance(case, task)
        and task.id not in case.legal.acceptances
        and not any(s.task_id == task.id for s in case.supplements)
    )


def excluded_period_ends_by(period: ExcludedPeriod, calendar: WorkingCalendar) -> datetime:
    """The cap of an excluded period (Art. 45): the clocks count again from here at the latest."""
    return calendar.deadline_for(
        period.started_at, TimeLimit.working_days(period.max_working_days)
    ).at


def legal_deadlines(case: Case, calendar: WorkingCalendar) -> list[datetime]:
    """The instants after which the legal sweep changes the case, one per pending rule: an
    excluded period's cap, an open supplement notice's answer deadline (deemed withdrawal),
    an unaccepted application's 5th working day (deemed acceptance).

    Built from the same rules as `sweep_due` and `legal_actions.sweep_due`
    (`_awaits_deemed_acceptance`, `acceptance_deadline`, `excluded_period_ends_by`): the sweep
    acts on the case exactly when ``now`` is past one of these (held together, with the sweep
    itself, by tests/unit/cases/test_legal_due_units.py).
    """
    if case.is_closed:
        return []
    found: list[datetime] = []
    period = case.legal.open_excluded_period()
    if period is not None:
        found.append(excluded_period_ends_by(period, calendar))
    if case.status is CaseStatus.SUSPENDED:
        return found  # 中止 halts the Art. 32 rules until the case resumes
    found += [
        s.answer_due_at for s in case.open_supplements() if s.answer_due_at is not None
    ]
    found += [
        acceptance_deadline(task, calendar)
        for task in case.tasks
        if _awaits_deemed_acceptance(case, task)
    ]
    return found


def next_legal_due(case: Case, calendar: WorkingCalendar) -> datetime | None:
    """The instant after which the legal sweep has something to do for the case (None: not
    until someone acts on it). Only actions change it, not the passing of time; the case
    repository stores it with every save so the sweep reads only the cases past it."""
    return min(legal_deadlines(case, calendar), default=None)


def sweep_due(case: Case, now: datetime, calendar: WorkingCalendar) -> bool:
    """Whether `sweep` would change the case (a cheap read-only test)."""
    if case.is_closed or case.status is CaseStatus.SUSPENDED:
        return False
    for supplement in case.open_supplements():
        if supplement.answer_due_at is not None and now > supplement.answer_due_at:
            return True
    return any(
        now > acceptance_deadline(task, calendar)
        for task in case.tasks
        if _awaits_deemed_acceptance(case, task)
    )


def sweep(case: Case, now: datetime, context: EngineContext) -> None:
    """Deemed acceptance (Art. 32) and deemed withdrawal (an unanswered notice)."""
    if case.is_closed or case.status is CaseStatus.SUSPENDED:
        return
    for supplement in case.open_supplements():
        if supplement.answer_due_at is not None and now > supplement.answer_due_at:
            close_case(
                case,
                ev.CaseWithdrawn(
                    at=now,
                    reason=(
                        f"补正告知 {supplement.id} 逾期（{supplement.answer_due_at:%Y-%m-%d %H:%M}）未答复，"
                        "视为撤回申请 / the supplement notice was not answered by its deadline: the "
                        "application counts as withdrawn"
                    ),
                    supplement_id=supplement.id,
                    deemed=True,
                ),
            )
            return
    for task in list(case.tasks):
        if task.is_open:
            _deem_if_late(case, task, now, context.calendar)


def close_case(case: Case, closing: ev.CaseWithdrawn | ev.CaseTerminated) -> None:
    """End an open case without a decision (撤回 / 终止, the event says which, when, by whom
    and why): open work is cancelled."""
    now, reason = closing.at, closing.reason
    for task in case.tasks:
        if task.is_open:
            task.status = TaskStatus.CANCELLED
            task.closed_at = now
            task.dirty = True
            case.record(ev.TaskCancelled(at=now, task_id=task.id, reason=reason))
    for stage in case.stages:
        if stage.status is StageStatus.OPEN:
            stage.status = StageStatus.CLOSED
            stage.closed_at = now
    withdrawn = isinstance(closing, ev.CaseWithdrawn)
    case.status = CaseStatus.WITHDRAWN if withdrawn else CaseStatus.TERMINATED
    case.closed_at = now
    case.record(closing)
