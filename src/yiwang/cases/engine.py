"""State transitions of a case: commands in, events out (R-WF-1..4, R-SUP-1).

Every function takes the aggregate, the command, the current instant and an `EngineContext`
(catalog version, working calendar, output numbering). Nothing here touches a database; the
service layer loads the case, calls one of these and saves the result in one transaction.

Clocks: a case, each stage and each task has its own stoppable clock (`TaskClock`). A
supplement notice stops the task's, its stage's and the case's clocks; the answer restarts
them. Deadlines are recomputed from the clock whenever it starts or resumes and stored as
absolute instants, so a supervisor's "overdue" query is a range scan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from yiwang.calendar import TaskClock, TimeLimit, WorkingCalendar
from yiwang.cases import events as ev
from yiwang.cases.commands import (
    AcceptTask,
    AnswerSupplement,
    CompleteTask,
    RejectTask,
    RequestSharedData,
    RequestSupplement,
    ReturnTask,
    SubmitApplication,
    TaskCommand,
    TransferTask,
)
from yiwang.cases.commitments import record_signed_commitments
from yiwang.cases.completeness import missing_from_answer
from yiwang.cases.errors import CaseError, InvalidAction, ReasonRequired, SupplementIncomplete
from yiwang.cases.models import (
    EARLY_INTERVENTION_STAGE,
    SYSTEM_ACTOR,
    Case,
    CaseStatus,
    Deadline,
    Light,
    Output,
    Stage,
    StageStatus,
    Supplement,
    Task,
    TaskKind,
    TaskStatus,
)
from yiwang.catalog.models import BundleSpec, CatalogSpec, ItemSpec, Level, StageItemSpec, StageSpec


class OutputNumbers(Protocol):
    """Allocates the numbers printed on outputs (licence numbers, seal numbers …)."""

    def allocate(self, kind: str, case: Case, item: ItemSpec, at: datetime) -> str: ...


def department_code(kind: str, region_code: str, level: Level = Level.CITY) -> str:
    """The department of ``kind`` at ``level`` that serves ``region_code``.

    By default each city has one department of each kind; an implementation list can move an
    item up to the province or down to the county or a function zone.
    """
    if level is Level.PROVINCE:
        return f"{kind}@{region_code[:2]}0000"
    if level in (Level.COUNTY, Level.ZONE):
        return f"{kind}@{region_code}"
    return f"{kind}@{region_code[:4]}00"


def item_route(catalog: CatalogSpec, item: ItemSpec, region_code: str) -> tuple[str, str | None]:
    """(deciding department, reviewing department or None) of an item in a region."""
    entry = catalog.implementation_for(item.code, region_code)
    if entry is None:
        return department_code(item.department_kind, region_code), None
    decider = department_code(item.department_kind, region_code, entry.level)
    reviewer = (
        department_code(item.department_kind, region_code, entry.review) if entry.review else None
    )
    return decider, reviewer


class ProofCheck(Protocol):
    """Why an automatic decision on a task must wait for a person: registry-proved materials
    missing or mismatched, or people named in the form who have not confirmed. Empty: none."""

    def withheld(self, case: Case, task: Task, item: ItemSpec) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class EngineContext:
    catalog: CatalogSpec
    calendar: WorkingCalendar
    numbers: OutputNumbers
    proofs: ProofCheck | None = None


# --- clocks and deadlines ---------------------------------------------------------------


def start_deadline(limit: TimeLimit, at: datetime, calendar: WorkingCalendar) -> Deadline:
    deadline = Deadline(clock=TaskClock.start(at, limit))
    refresh_deadline(deadline, calendar)
    return deadline


def refresh_deadline(deadline: Deadline, calendar: WorkingCalendar) -> bool:
    """Recompute the due instant from the clock; True when it changed."""
    answer = deadline.clock.due(calendar)
    due_at = answer.at if answer is not None else None
    provisional = answer.provisional if answer is not None else deadline.provisional
    changed = due_at != deadline.due_at or provisional != deadline.provisional
    deadline.due_at = due_at
    deadline.provisional = provisional
    return changed


def _pause(deadline: Deadline, at: datetime, calendar: WorkingCalendar) -> None:
    if deadline.clock.paused_at is None:
        deadline.clock = deadline.clock.pause(at, calendar)
        deadline.due_at = None


def _resume(deadline: Deadline, at: datetime, calendar: WorkingCalendar) -> None:
    if deadline.clock.paused_at is not None:
        deadline.clock = deadline.clock.resume(at, calendar)
        refresh_deadline(deadline, calendar)


def light(
    deadline: Deadline, now: datetime, calendar: WorkingCalendar, yellow_share: float
) -> Light:
    """Green, yellow (less than ``yellow_share`` of the limit left) or red (overdue)."""
    nominal = deadline.clock.limit.working_seconds_nominal(calendar.office_hours)
    if deadline.clock.paused_at is not None:
        remaining = deadline.clock.remaining_working_seconds(deadline.clock.paused_at, calendar)
    elif deadline.due_at is None:
        return Light.NONE
    elif now > deadline.due_at:
        return Light.RED
    else:
        remaining = calendar.working_seconds_between(now, deadline.due_at)
    if remaining < 0:
        return Light.RED
    if nominal > 0 and remaining < yellow_share * nominal:
        return Light.YELLOW
    return Light.GREEN


# --- submission ---------------------------------------------------------------------------


def open_case(
    command: SubmitApplication,
    *,
    case_id: str,
    tracking_number: str,
    request_digest: str,
    now: datetime,
    context: EngineContext,
    facts: Mapping[str, str] | None = None,
) -> Case:
    """Create the case, open its first stage, and let automatic rules decide what they may."""
    bundle = context.catalog.as_bundle(command.subject_code)
    facts = dict(facts or {})
    # Declared rules may test which proofs a signed commitment replaced.
    facts.update({f"commitment.{code}": "signed" for code in command.commitments})
    case = Case(
        id=case_id,
        tracking_number=tracking_number,
        subject_code=bundle.code,
        catalog_version=context.catalog.version,
        applicant_id=command.applicant_id,
        applicant_name=command.applicant_name,
        filed_by=command.filed_by or command.applicant_id,
        region_code=command.region_code,
        channel=command.channel,
        form=dict(command.form),
        facts=dict(facts),
        priority=facts.get("applicant.talent_card") == "yes",
        status=CaseStatus.IN_PROGRESS,
        submitted_at=now,
        deadline=start_deadline(
            bundle.total_limit_for({**command.form, **facts}), now, context.calendar
        ),
        stages=[
            Stage(
                index=index,
                code=stage.code,
                name_zh=stage.name.zh,
                name_en=stage.name.en,
                lead_department_code=department_code(
                    stage.lead_department_kind, command.region_code
                ),
                status=StageStatus.WAITING,
                deadline=Deadline(
                    clock=TaskClock.start(
                        now, bundle.stage_limit_for(stage, {**command.form, **facts})
                    )
                ),
            )
            for index, stage in enumerate(bundle.stages)
        ],
        tasks=[],
        idempotency_key=command.idempotency_key,
        request_digest=request_digest,
        promises=tuple(command.promised_materials),
        commitments=tuple(command.commitments),
    )
    actor = command.filed_by or command.applicant_id
    case.record(
        ev.ApplicationSubmitted(
            at=now,
            actor=actor,
            subject=bundle.code,
            channel=command.channel,
            catalog_version=context.catalog.version,
            due_at=case.deadline.due_at,
            provisional=case.deadline.provisional,
            on_behalf_of=command.applicant_id if command.filed_by else None,
        )
    )
    record_signed_commitments(case, command, bundle, context.catalog, now)
    _open_early_intervention(case, bundle, now, context)
    _open_stage(case, 0, bundle, now, context)
    return case


def _open_task(
    case: Case,
    *,
    stage_index: int,
    item: ItemSpec,
    limit: TimeLimit,
    now: datetime,
    context: EngineContext,
    kind: TaskKind = TaskKind.REVIEW,
    department: str | None = None,
    note: str = "",
) -> Task:
    task = Task(
        id=f"{case.id}-T{len(case.tasks) + 1}",
        case_id=case.id,
        stage_index=stage_index,
        item_code=item.code,
        department_code=department or item_route(context.catalog, item, case.region_code)[0],
        status=TaskStatus.PENDING,
        deadline=start_deadline(limit, now, context.calendar),
        opened_at=now,
        kind=kind,
    )
    case.tasks.append(task)
    case.record(
        ev.TaskOpened(
            at=now,
            task_id=task.id,
            reason=note,
            item=item.code,
            task_kind=kind.value,
            department=task.department_code,
            limit=str(limit),
            due_at=task.deadline.due_at,
            provisional=task.deadline.provisional,
        )
    )
    return task


def _open_early_intervention(
    case: Case, bundle: BundleSpec, now: datetime, context: EngineContext
) -> None:
    """提前介入: side tasks that start with the case and run outside the main clock."""
    for stage_item in bundle.early_intervention:
        if not stage_item.applies(case.inputs):
            continue
        item = context.catalog.item(stage_item.item_code)
        _open_task(
            case,
            stage_index=EARLY_INTERVENTION_STAGE,
            item=item,
            limit=stage_item.limit or item.limit_for(case.inputs),
            now=now,
            context=context,
            kind=TaskKind.EARLY_INTERVENTION,
            note="提前介入，不计入审批时限 / early intervention, outside the approval clock",
        )


def _open_stage(
    case: Case, index: int, bundle: BundleSpec, now: datetime, context: EngineContext
) -> None:
    """Open a stage: its clock, its items' tasks (审核转报 and 容缺受理 included), then the
    decisions rules may take at once; a stage with nothing left to do closes at once."""
    stage_spec = bundle.stages[index]
    stage = case.stages[index]
    stage.status = StageStatus.OPEN
    stage.opened_at = now
    stage.deadline = start_deadline(
        bundle.stage_limit_for(stage_spec, case.inputs), now, context.calendar
    )
    case.record(
        ev.StageOpened(
            at=now,
            stage=stage.code,
            due_at=stage.deadline.due_at,
            provisional=stage.deadline.provisional,
        )
    )
    _open_item_tasks(case, stage, stage_spec, bundle, now, context)
    _open_promise_checks(case, stage, stage_spec, bundle, now, context)
    _decide_by_rule(case, index, now, context)
    if not case.is_closed and case.current_stage is stage:
        # A stage whose items were all waived (or all decided by rule) closes at once.
        _advance(case, now, context)


def _open_item_tasks(
    case: Case,
    stage: Stage,
    stage_spec: StageSpec,
    bundle: BundleSpec,
    now: datetime,
    context: EngineContext,
) -> None:
    """One task per item that applies and whose needs are met (a review first where a lower
    level reviews); the items the application's conditions waive are recorded as skipped."""
    skipped = []
    for stage_item in stage_spec.items:
        item = context.catalog.item(stage_item.item_code)
        if not stage_item.applies(case.inputs):
            skipped.append(item.code)
            continue
        if not _needs_met(case, stage.index, stage_spec, stage_item):
            continue  # opened by `_open_ready_dependents` once what it needs exists
        _open_stage_item(case, stage.index, stage_item, bundle, now, context)
    if skipped:
        case.record(
            ev.ItemsSkipped(
                at=now,
                reason="申请已满足免于办理的条件 / the application meets the conditions that waive these items",
                stage=stage.code,
                items=tuple(skipped),
            )
        )


def _open_promise_checks(
    case: Case,
    stage: Stage,
    stage_spec: StageSpec,
    bundle: BundleSpec,
    now: datetime,
    context: EngineContext,
) -> None:
    """容缺受理: each material promised until this stage gets a check by the lead department."""
    for material_code, item_code in _promises_due(case, bundle, stage_spec.code, context):
        _open_task(
            case,
            stage_index=stage.index,
            item=context.catalog.item(item_code),
            limit=bundle.stage_limit_for(stage_spec, case.inputs),
            now=now,
            context=context,
            kind=TaskKind.PROMISE_CHECK,
            department=stage.lead_department_code,
            note=f"核验承诺补交的材料 {material_code} / check the promised material {material_code}",
        )


def _decide_by_rule(case: Case, index: int, now: datetime, context: EngineContext) -> None:
    """Decisions taken at once (秒批) by an item's declared rule whose every condition holds."""
    for task in case.tasks_of_stage(index):
        if case.is_closed:
            break
        if task.kind is not TaskKind.REVIEW:
            continue
        item = context.catalog.item(task.item_code)
        # A commitment replaces only the listed proofs; it never decides by itself. An
        # instant decision (秒批) needs a declared rule whose every condition holds (a rule
        # may require the commitment: its condition reads the fact "commitment.<material>").
        committed = sorted(item.replaceable_by_commitment & set(case.commitments))
        decides = any(rule.applies(case.inputs) for rule in item.auto_rules)
        withheld = context.proofs.withheld(case, task, item) if decides and context.proofs else ()
        if withheld:
            # No instant decision on an identity or a proof the registries do not back: a
            # person reviews the task (and no licence issues until the people confirm).
            case.record(
                ev.AutomaticDecisionWithheld(
                    at=now,
                    task_id=task.id,
                    reason="登记信息未核验一致或申请所列人员尚未确认，转人工审核 / "
                    "registry proof missing or not yet confirmed: sent to review",
                    reasons=tuple(withheld),
                )
            )
            continue
        for rule in item.auto_rules:
            if rule.applies(case.inputs):
                task.decided_by_rule = rule.rule_id
                case.record(
                    ev.AutomaticDecision(
                        at=now,
                        task_id=task.id,
                        reason=rule.description.zh,
                        rule=rule.rule_id,
                        rule_en=rule.description.en,
                        conditions=tuple(
                            f"{c.form_field} {c.operator} {','.join(c.values)}"
                            for c in rule.conditions
                        ),
                        committed_materials=tuple(committed),
                        # The registry reads that justified the decision (logged reads).
                        evidence={
                            c.form_field: {
                                "value": case.facts[c.form_field],
                                "source": case.facts.get(f"{c.form_field}@source", ""),
                            }
                            for c in rule.conditions
                            if c.form_field in case.facts
                        },
                    )
                )
                _complete(case, task, SYSTEM_ACTOR, now, context, comment=f"rule {rule.rule_id}")
                break


def _open_stage_item(
    case: Case,
    index: int,
    stage_item: StageItemSpec,
    bundle: BundleSpec,
    now: datetime,
    context: EngineContext,
    note: str = "",
) -> None:
    """Open the task of one item of an open stage (or its preliminary review)."""
    stage_spec = bundle.stages[index]
    item = context.catalog.item(stage_item.item_code)
    limit = stage_item.limit or item.limit_for(case.inputs)
    stage_limit = bundle.stage_limit_for(stage_spec, case.inputs)
    office = context.calendar.office_hours
    if limit.working_seconds_nominal(office) > stage_limit.working_seconds_nominal(office):
        # Parallel items run within the stage's limit: a flow type with a shorter stage
        # budget shortens its items too.
        limit = stage_limit
    decider, reviewer = item_route(context.catalog, item, case.region_code)
    if reviewer is not None and reviewer != decider:
        # 审核转报: the lower level reviews first; the approving level's task opens when
        # the review is done, within the same item limit.
        _open_task(
            case,
            stage_index=index,
            item=item,
            limit=limit,
            now=now,
            context=context,
            kind=TaskKind.PRELIMINARY_REVIEW,
            department=reviewer,
            note=f"审核后转报 {decider} / review, then forward to {decider}",
        )
        return
    _open_task(
        case,
        stage_index=index,
        item=item,
        limit=limit,
        now=now,
        context=context,
        department=decider,
        note=note,
    )


def _needs_met(case: Case, index: int, stage_spec: StageSpec, stage_item: StageItemSpec) -> bool:
    """Whether every item this one needs is decided (approved) in this stage, or waived."""
    for needed in stage_item.needs:
        needed_spec = next((si for si in stage_spec.items if si.item_code == needed), None)
        if needed_spec is None or not needed_spec.applies(case.inputs):
            continue  # waived for this application: nothing to wait for
        decided = any(
            task.item_code == needed and task.kind is TaskKind.REVIEW and task.status is TaskStatus.APPROVED
            for task in case.tasks_of_stage(index)
        )
        if not decided:
            return False
    return True


def _open_ready_dependents(case: Case, index: int, bundle: BundleSpec, now: datetime, context: EngineContext) -> bool:
    """Open the stage's waiting items whose needs are now met (e.g. 社保、医保、公积金 the
    moment the licence is issued: the plan's 即时推送); True when one opened."""
    stage_spec = bundle.stages[index]
    started = {task.item_code for task in case.tasks_of_stage(index)}
    opened = False
    for stage_item in stage_spec.items:
        if stage_item.item_code in started or not stage_item.needs or not stage_item.applies(case.inputs):
            continue
        if _needs_met(case, index, stage_spec, stage_item):
            _open_stage_item(
                case,
                index,
                stage_item,
                bundle,
                now,
                context,
                note=f"所需事项已办结：{'、'.join(stage_item.needs)} / what it needs is decided",
            )
            opened = True
    return opened


def _promises_due(
    case: Case, bundle: BundleSpec, stage_code: str, context: EngineContext
) -> list[tuple[str, str]]:
    due = []
    for item_code in bundle.item_codes():
        for material in context.catalog.item(item_code).materials:
            if material.code in case.promises and material.promise_until == stage_code:
                due.append((material.code, item_code))
    return due


# --- task actions -------------------------------------------------------------------------


def _require(task: Task, action: str, *allowed: TaskStatus) -> None:
    if task.status not in allowed:
        raise InvalidAction(task.id, action, task.status.value)


def _touch(task: Task) -> None:
    task.dirty = True


def apply_task_command(
    case: Case, command: TaskCommand, now: datetime, context: EngineContext
) -> None:
    if case.is_closed:
        raise InvalidAction(command.task_id, type(command).__name__, case.status.value)
    task = case.task(command.task_id)
    match command:
        case AcceptTask():
            _require(task, "受理 accept", TaskStatus.PENDING)
            task.status = TaskStatus.IN_REVIEW
            task.assignee = command.actor
            _touch(task)
            case.record(ev.TaskAccepted(at=now, actor=command.actor, task_id=task.id))
        case CompleteTask():
            _require(task, "办结 approve", TaskStatus.PENDING, TaskStatus.IN_REVIEW)
            if task.status is TaskStatus.PENDING:
                task.assignee = command.actor
                case.record(ev.TaskAccepted(at=now, actor=command.actor, task_id=task.id))
            _complete(case, task, command.actor, now, context, comment=command.comment)
        case RejectTask():
            _require(task, "不予许可 reject", TaskStatus.PENDING, TaskStatus.IN_REVIEW)
            if not command.reason.strip():
                raise ReasonRequired("不予许可 reject")
            _reject(case, task, command.actor, command.reason.strip(), now)
        case RequestSupplement():
            _require(
                task, "一次性告知 request supplement", TaskStatus.PENDING, TaskStatus.IN_REVIEW
            )
            if case.open_supplements():
                # One notice at a time keeps "一次性告知" honest: everything missing goes into
                # one list, not a trickle of requests.
                raise CaseError(
                    "本办件已有未答复的补正告知，请合并为一次性告知",
                    "this case already has an unanswered supplement notice; list everything in one notice",
                )
            if not command.material_codes and not command.note.strip():
                raise ReasonRequired("一次性告知 request supplement")
            _request_supplement(case, task, command, now, context)
        case ReturnTask():
            _require(task, "退回 return", TaskStatus.IN_REVIEW)
            if not command.reason.strip():
                raise ReasonRequired("退回 return")
            task.status = TaskStatus.PENDING
            task.assignee = None
            _touch(task)
            case.record(
                ev.TaskReturned(
                    at=now, actor=command.actor, task_id=task.id, reason=command.reason.strip()
                )
            )
        case RequestSharedData():
            _require(
                task, "申请共享数据 request shared data", TaskStatus.PENDING, TaskStatus.IN_REVIEW
            )
            if not command.purpose.strip():
                raise ReasonRequired("申请共享数据 request shared data")
            if task.assignee is None:
                task.assignee = command.actor
            task.status = TaskStatus.WAITING_DATA
            _touch(task)
            # The request row (with its id and the owner's deadline) is written by the service;
            # the event carries what the timeline shows.
        case TransferTask():
            _require(task, "转办 transfer", TaskStatus.PENDING, TaskStatus.IN_REVIEW)
            if not command.to_reviewer.strip():
                raise ReasonRequired("转办 transfer")
            previous = task.assignee
            task.assignee = command.to_reviewer.strip()
            _touch(task)
            case.record(
                ev.TaskTransferred(
                    at=now,
                    actor=command.actor,
                    task_id=task.id,
                    reason=command.reason.strip(),
                    previous=previous,
                    to=task.assignee,
                )
            )


def _used_hours(task: Task, now: datetime, calendar: WorkingCalendar) -> float:
    return round(task.deadline.clock.used_working_seconds(now, calendar) / 3600, 3)


def _complete(
    case: Case, task: Task, actor: str, now: datetime, context: EngineContext, *, comment: str = ""
) -> None:
    task.status = TaskStatus.APPROVED
    task.closed_at = now
    if task.assignee is None:
        task.assignee = actor
    _touch(task)
    case.record(
        ev.TaskCompleted(
            at=now,
            actor=actor,
            task_id=task.id,
            reason=comment,
            working_hours_used=_used_hours(task, now, context.calendar),
            rule=task.decided_by_rule,
            overdue=task.deadline.due_at is not None and now > task.deadline.due_at,
        )
    )
    item = context.catalog.item(task.item_code)
    if task.kind is TaskKind.PRELIMINARY_REVIEW:
        decider, _ = item_route(context.catalog, item, case.region_code)
        remaining = task.deadline.clock.remaining_working_seconds(now, context.calendar)
        _open_task(
            case,
            stage_index=task.stage_index,
            item=item,
            limit=TimeLimit.working_hours(max(remaining, 3600) / 3600),
            now=now,
            context=context,
            department=decider,
            note=f"{task.department_code} 审核通过，转报审批 / reviewed by {task.department_code}, forwarded for approval",
        )
    if item.output is not None and task.kind is TaskKind.REVIEW:
        output = Output(
            kind=item.output.kind,
            number=context.numbers.allocate(item.output.kind, case, item, now),
            name_zh=item.output.name.zh,
            name_en=item.output.name.en,
            item_code=item.code,
            issued_at=now,
            pieces=tuple(piece.zh for piece in item.output.pieces),
        )
        case.outputs.append(output)
        case.new_outputs.append(output)
        case.record(
            ev.OutputIssued(
                at=now,
                actor=actor,
                task_id=task.id,
                output_kind=output.kind,
                number=output.number,
                name=output.name_zh,
                pieces=output.pieces,
            )
        )
    _advance(case, now, context)


def _advance(case: Case, now: datetime, context: EngineContext) -> None:
    """Close the current stage once every task is done; open the next or conclude."""
    stage = case.current_stage
    if stage is None:
        if all(s.status is StageStatus.CLOSED for s in case.stages):
            _conclude(case, now, context)
        return
    bundle = context.catalog.as_bundle(case.subject_code)
    if _open_ready_dependents(case, stage.index, bundle, now, context):
        return
    if any(task.is_open for task in case.tasks_of_stage(stage.index)):
        return
    if bundle.stages[stage.index].joint:
        departments = sorted({t.department_code for t in case.tasks_of_stage(stage.index)})
        case.record(
            ev.JointOpinion(
                at=now,
                reason="联合验收合格，出具一份验收意见 / joint acceptance passed: one combined opinion",
                stage=stage.code,
                departments=tuple(departments),
            )
        )
    stage.status = StageStatus.CLOSED
    stage.closed_at = now
    case.record(
        ev.StageClosed(
            at=now,
            stage=stage.code,
            working_hours_used=round(
                stage.deadline.clock.used_working_seconds(now, context.calendar) / 3600, 3
            ),
        )
    )
    if stage.index + 1 < len(case.stages):
        _open_stage(case, stage.index + 1, bundle, now, context)
        return
    _conclude(case, now, context)


def _conclude(case: Case, now: datetime, context: EngineContext) -> None:
    if case.is_closed or any(task.is_open for task in case.tasks):
        return  # early-intervention work still open: the case waits for it
    case.status = CaseStatus.CONCLUDED
    case.closed_at = now
    used = case.deadline.clock.used_working_seconds(now, context.calendar)
    case.record(
        ev.CaseConcluded(
            at=now,
            working_hours_used=round(used / 3600, 3),
            overdue=case.deadline.due_at is not None and now > case.deadline.due_at,
            outputs=tuple(ev.OutputRef(o.kind, o.number) for o in case.outputs),
        )
    )


def _reject(case: Case, task: Task, actor: str, reason: str, now: datetime) -> None:
    task.status = TaskStatus.REJECTED
    task.closed_at = now
    _touch(task)
    case.record(ev.TaskRejected(at=now, actor=actor, task_id=task.id, reason=reason))
    for other in case.tasks:
        if other.is_open:
            other.status = TaskStatus.CANCELLED
            other.closed_at = now
            _touch(other)
            case.record(
                ev.TaskCancelled(at=now, task_id=other.id, reason=f"办件已不予许可：{reason}")
            )
    case.status = CaseStatus.REJECTED
    case.closed_at = now
    stage = case.current_stage
    if stage is not None:
        stage.status = StageStatus.CLOSED
        stage.closed_at = now
    case.record(ev.CaseRejected(at=now, actor=actor, task_id=task.id, reason=reason))


def _request_supplement(
    case: Case, task: Task, command: RequestSupplement, now: datetime, context: EngineContext
) -> None:
    item = context.catalog.item(task.item_code)
    known = {material.code for material in item.materials}
    unknown = [code for code in command.material_codes if code not in known]
    if unknown:
        raise CaseError(
            f"事项 {item.name.zh} 没有材料：{'、'.join(unknown)}",
            f"item {item.code} has no material(s): {', '.join(unknown)}",
        )
    supplement = Supplement(
        id=f"{task.id}-S{len(case.supplements) + 1}",
        task_id=task.id,
        material_codes=tuple(command.material_codes),
        note=command.note.strip(),
        requested_at=now,
        requested_by=command.actor,
    )
    case.supplements.append(supplement)
    task.status = TaskStatus.WAITING_APPLICANT
    if task.assignee is None:
        task.assignee = command.actor
    _touch(task)
    _pause(task.deadline, now, context.calendar)
    stage = case.current_stage
    if stage is not None:
        _pause(stage.deadline, now, context.calendar)
    _pause(case.deadline, now, context.calendar)
    case.status = CaseStatus.WAITING_APPLICANT
    case.record(
        ev.SupplementRequested(
            at=now,
            actor=command.actor,
            task_id=task.id,
            reason=supplement.note,
            supplement_id=supplement.id,
            materials=tuple(
                ev.MaterialRef(m.code, m.name.zh)
                for m in item.materials
                if m.code in supplement.material_codes
            ),
        )
    )


def answer_supplement(
    case: Case, command: AnswerSupplement, now: datetime, context: EngineContext
) -> None:
    supplement = next((s for s in case.supplements if s.id == command.supplement_id), None)
    if supplement is None or supplement.answered_at is not None:
        raise CaseError(
            f"补正告知 {command.supplement_id} 不存在或已答复",
            f"supplement notice {command.supplement_id} does not exist or was already answered",
        )
    task = case.task(supplement.task_id)
    missing = missing_from_answer(supplement.material_codes, command.supplied)
    if missing:
        specs = {m.code: m for m in context.catalog.item(task.item_code).materials}
        raise SupplementIncomplete(*((specs[c].name.zh, specs[c].name.en) if c in specs else (c, c) for c in missing))
    supplement.answered_at = now
    supplement.answer = command.answer.strip()
    task.status = TaskStatus.IN_REVIEW
    _touch(task)
    _resume(task.deadline, now, context.calendar)
    stage = case.current_stage
    if stage is not None:
        _resume(stage.deadline, now, context.calendar)
    _resume(case.deadline, now, context.calendar)
    case.status = CaseStatus.IN_PROGRESS
    case.record(
        ev.SupplementAnswered(
            at=now,
            actor=command.actor,
            task_id=task.id,
            reason=supplement.answer,
            supplement_id=supplement.id,
            attachments=tuple(command.attachments),
            task_due_at=task.deadline.due_at,
            case_due_at=case.deadline.due_at,
        )
    )


COMMITMENT_RULE = "CREDIT-COMMITMENT"


def revoke_decision(case: Case, actor: str, reason: str, now: datetime) -> None:
    if case.status is not CaseStatus.CONCLUDED:
        raise InvalidAction(case.id, "撤销决定 revoke decision", case.status.value)
    if not reason.strip():
        raise ReasonRequired("撤销决定 revoke decision")
    case.status = CaseStatus.REVOKED
    case.record(ev.DecisionRevoked(at=now, actor=actor, reason=reason.strip()))


def answer_data_request(
    case: Case, task_id: str, request_id: str, granted: bool, actor: str, note: str, now: datetime
) -> None:
    task = case.task(task_id)
    _require(task, "答复共享申请 answer data request", TaskStatus.WAITING_DATA)
    task.status = TaskStatus.IN_REVIEW
    _touch(task)
    case.record(
        ev.DataAnswered(
            at=now,
            actor=actor,
            task_id=task.id,
            reason=note,
            request_id=request_id,
            granted=granted,
        )
    )


def recompute_deadlines(case: Case, now: datetime, calendar: WorkingCalendar) -> int:
    """After an official year is loaded: refresh every open deadline, one event per change."""
    changes = 0
    candidates: list[tuple[str | None, str, Deadline]] = [(None, "case", case.deadline)]
    candidates += [
        (None, f"stage:{s.code}", s.deadline) for s in case.stages if s.status is StageStatus.OPEN
    ]
    candidates += [(t.id, "task", t.deadline) for t in case.tasks if t.is_open]
    for task_id, scope, deadline in candidates:
        before, was_provisional = deadline.due_at, deadline.provisional
        if deadline.clock.paused_at is None and refresh_deadline(deadline, calendar):
            changes += 1
            if task_id is not None:
                case.task(task_id).dirty = True
            case.record(
                ev.DeadlineRecomputed(
                    at=now,
                    task_id=task_id,
                    reason="官方节假日安排已发布 / official holiday schedule loaded",
                    scope=scope,
                    before=before,
                    after=deadline.due_at,
                    was_provisional=was_provisional,
                    provisional=deadline.provisional,
                )
            )
    return changes
