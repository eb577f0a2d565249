"""The engine's transitions through the case services, on an in-memory unit of work: what a
reviewer and an applicant see change (statuses, assignees, clocks, history) and what is
refused. The database-backed versions of these stories are in tests/integration/cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from case_catalog import APPLICANT
from case_fakes import Stored

from yiwang.cases.commands import (
    AcceptTask,
    AnswerSupplement,
    CompleteTask,
    RejectTask,
    RequestSupplement,
    ReturnTask,
    TransferTask,
)
from yiwang.cases.errors import (
    CaseError,
    IdempotencyKeyReused,
    InvalidAction,
    ReasonRequired,
    SupplementIncomplete,
)
from yiwang.cases.models import CaseStatus, EventKind, StageStatus, TaskStatus
from yiwang.cases.services import CaseServices
from yiwang.clock import SimulatedClock

Submit = Callable[..., str]


def kinds(stored: Stored, case_id: str) -> list[EventKind]:
    return [event.kind for event in stored.events[case_id]]


def test_submission_opens_the_first_stage_with_its_parallel_tasks(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    case = services.get(case_id)
    assert case.status is CaseStatus.IN_PROGRESS
    assert [stage.status for stage in case.stages] == [StageStatus.OPEN, StageStatus.WAITING]
    assert [(t.item_code, t.status) for t in case.tasks] == [
        ("t.first", TaskStatus.PENDING),
        ("t.second", TaskStatus.PENDING),
    ]
    assert [t.department_code for t in case.tasks] == [
        "medical_security@370100",
        "taxation@370100",
    ]
    assert kinds(stored, case_id) == [
        EventKind.APPLICATION_SUBMITTED,
        EventKind.STAGE_OPENED,
        EventKind.TASK_OPENED,
        EventKind.TASK_OPENED,
    ]
    # The green-channel fact was read from the registry (and so logged), not typed in.
    assert stored.registry_reads == [("licences", "talent_card", APPLICANT)]
    assert case.facts["applicant.talent_card"] == "no" and not case.priority


def test_accept_assigns_the_reviewer_once(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    task_id = f"{case_id}-T1"
    case = services.act(AcceptTask(task_id, "reviewer-a"))
    assert case.task(task_id).status is TaskStatus.IN_REVIEW
    assert case.task(task_id).assignee == "reviewer-a"
    with pytest.raises(InvalidAction):
        services.act(AcceptTask(task_id, "reviewer-b"))
    assert services.get(case_id).task(task_id).assignee == "reviewer-a"
    # Taking the task is the department's acceptance of the application (受理) as well.
    assert kinds(stored, case_id)[-2:] == [EventKind.TASK_ACCEPTED, EventKind.APPLICATION_ACCEPTED]
    assert stored.events[case_id][-1].data["mode"] == "by_reviewer"


def test_approving_every_task_advances_the_stages_and_concludes(
    services: CaseServices, submit: Submit, stored: Stored, clock: SimulatedClock
) -> None:
    case_id = submit()
    services.act(CompleteTask(f"{case_id}-T1", "reviewer-a"))
    case = services.get(case_id)
    assert case.stages[0].status is StageStatus.OPEN  # the parallel task is still open
    clock.advance(hours=1)
    case = services.act(CompleteTask(f"{case_id}-T2", "reviewer-b"))
    assert [stage.status for stage in case.stages] == [StageStatus.CLOSED, StageStatus.OPEN]
    assert [(t.item_code, t.status) for t in case.tasks_of_stage(1)] == [
        ("t.last", TaskStatus.PENDING)
    ]
    clock.advance(hours=1)
    case = services.act(CompleteTask(f"{case_id}-T3", "reviewer-c"))
    assert case.status is CaseStatus.CONCLUDED and case.closed_at == clock()
    assert all(stage.status is StageStatus.CLOSED for stage in case.stages)
    history = kinds(stored, case_id)
    # Approving a task nobody accepted accepts it first, so the history names who took it.
    assert history[4:8] == [
        EventKind.TASK_ACCEPTED,
        EventKind.TASK_COMPLETED,
        EventKind.TASK_ACCEPTED,
        EventKind.TASK_COMPLETED,
    ]
    assert history[-2:] == [EventKind.STAGE_CLOSED, EventKind.CASE_CONCLUDED]
    concluded = stored.events[case_id][-1]
    assert concluded.data["overdue"] is False and concluded.data["working_hours_used"] == 2.0
    with pytest.raises(InvalidAction):
        services.act(CompleteTask(f"{case_id}-T3", "reviewer-c"))


def test_a_rejection_needs_a_reason_and_ends_the_whole_case(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    with pytest.raises(ReasonRequired):
        services.act(RejectTask(f"{case_id}-T1", "reviewer-a", "   "))
    assert services.get(case_id).status is CaseStatus.IN_PROGRESS
    case = services.act(RejectTask(f"{case_id}-T1", "reviewer-a", " 材料不实 "))
    assert case.status is CaseStatus.REJECTED
    assert [t.status for t in case.tasks] == [TaskStatus.REJECTED, TaskStatus.CANCELLED]
    assert [stage.status for stage in case.stages] == [StageStatus.CLOSED, StageStatus.WAITING]
    history = stored.events[case_id]
    assert [e.kind for e in history[-3:]] == [
        EventKind.TASK_REJECTED,
        EventKind.TASK_CANCELLED,
        EventKind.CASE_REJECTED,
    ]
    assert history[-1].reason == "材料不实"
    assert history[-2].task_id == f"{case_id}-T2"
    with pytest.raises(InvalidAction):
        services.act(AcceptTask(f"{case_id}-T2", "reviewer-b"))


def test_a_supplement_notice_stops_the_clocks_until_answered(
    services: CaseServices, submit: Submit, stored: Stored, clock: SimulatedClock
) -> None:
    case_id = submit()
    task_id = f"{case_id}-T1"
    before = services.get(case_id)
    task_due, case_due = before.task(task_id).deadline.due_at, before.deadline.due_at
    assert task_due is not None and case_due is not None
    with pytest.raises(CaseError, match=r"t\.unknown"):
        services.act(RequestSupplement(task_id, "reviewer-a", ("t.unknown",)))
    with pytest.raises(ReasonRequired):
        services.act(RequestSupplement(task_id, "reviewer-a", (), "  "))
    case = services.act(RequestSupplement(task_id, "reviewer-a", ("t.first.proof",), "补证明"))
    assert case.status is CaseStatus.WAITING_APPLICANT
    assert case.task(task_id).status is TaskStatus.WAITING_APPLICANT
    assert case.task(task_id).deadline.due_at is None and case.deadline.due_at is None
    requested = stored.events[case_id][-1]
    assert requested.kind is EventKind.SUPPLEMENT_REQUESTED
    assert requested.data["materials"] == [{"code": "t.first.proof", "name": "证明"}]
    # 一次性告知: a second notice while one is open is refused, for any task of the case.
    with pytest.raises(CaseError, match="一次性告知"):
        services.act(RequestSupplement(f"{case_id}-T2", "reviewer-b", (), "再补"))
    # The applicant answers a week later (Monday to Monday: five working days stood still).
    clock.advance(days=7)
    supplement_id = case.supplements[0].id
    with pytest.raises(SupplementIncomplete):  # an answer must carry what the notice asked for
        services.answer_supplement(AnswerSupplement(case_id, supplement_id, APPLICANT, "空答"))
    case = services.answer_supplement(
        AnswerSupplement(case_id, supplement_id, APPLICANT, "已补", supplied=("t.first.proof",))
    )
    assert case.status is CaseStatus.IN_PROGRESS
    assert case.task(task_id).status is TaskStatus.IN_REVIEW
    assert case.task(task_id).deadline.due_at == task_due + timedelta(days=7)
    assert case.deadline.due_at == case_due + timedelta(days=7)
    # The answer completes the application: it is accepted now (受理 after the supplement).
    assert kinds(stored, case_id)[-2:] == [
        EventKind.SUPPLEMENT_ANSWERED,
        EventKind.APPLICATION_ACCEPTED,
    ]
    with pytest.raises(CaseError, match="already answered"):
        services.answer_supplement(
            AnswerSupplement(case_id, supplement_id, APPLICANT, "再答", supplied=("t.first.proof",))
        )


def test_return_puts_an_accepted_task_back_in_the_queue(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    task_id = f"{case_id}-T1"
    with pytest.raises(InvalidAction):  # nothing to return before anyone accepted it
        services.act(ReturnTask(task_id, "reviewer-a", "不属本人"))
    services.act(AcceptTask(task_id, "reviewer-a"))
    with pytest.raises(ReasonRequired):
        services.act(ReturnTask(task_id, "reviewer-a", ""))
    case = services.act(ReturnTask(task_id, "reviewer-a", "不属本人"))
    assert case.task(task_id).status is TaskStatus.PENDING
    assert case.task(task_id).assignee is None
    returned = stored.events[case_id][-1]
    assert (returned.kind, returned.reason, returned.actor) == (
        EventKind.TASK_RETURNED,
        "不属本人",
        "reviewer-a",
    )


def test_transfer_hands_the_task_to_a_named_reviewer(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    task_id = f"{case_id}-T2"
    services.act(AcceptTask(task_id, "reviewer-a"))
    with pytest.raises(ReasonRequired):
        services.act(TransferTask(task_id, "reviewer-a", " "))
    case = services.act(TransferTask(task_id, "reviewer-a", "reviewer-b", "休假"))
    assert case.task(task_id).assignee == "reviewer-b"
    assert case.task(task_id).status is TaskStatus.IN_REVIEW
    transferred = stored.events[case_id][-1]
    assert transferred.kind is EventKind.TASK_TRANSFERRED
    assert transferred.data == {"from": "reviewer-a", "to": "reviewer-b"}


def test_a_stale_read_of_the_same_task_ends_in_a_conflict(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    task_id = f"{case_id}-T1"
    # Another reviewer accepts the task between this action's read and its save.
    stored.after_next_read = lambda: services.act(AcceptTask(task_id, "reviewer-b"))
    with pytest.raises(InvalidAction):
        services.act(AcceptTask(task_id, "reviewer-a"))
    case = services.get(case_id)
    assert case.task(task_id).assignee == "reviewer-b"
    assert kinds(stored, case_id).count(EventKind.TASK_ACCEPTED) == 1


def test_a_stale_read_of_another_task_is_retried_and_both_succeed(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    version = services.get(case_id).version
    stored.after_next_read = lambda: services.act(AcceptTask(f"{case_id}-T2", "reviewer-b"))
    services.act(AcceptTask(f"{case_id}-T1", "reviewer-a"))
    case = services.get(case_id)
    assert [t.assignee for t in case.tasks] == ["reviewer-a", "reviewer-b"]
    assert case.version == version + 2
    assert kinds(stored, case_id).count(EventKind.TASK_ACCEPTED) == 2


def test_the_same_idempotency_key_returns_the_same_case(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    first = submit(key="k-1")
    again = submit(key="k-1")
    assert again == first and len(stored.cases) == 1
    assert kinds(stored, first).count(EventKind.APPLICATION_SUBMITTED) == 1
    with pytest.raises(IdempotencyKeyReused):
        submit(key="k-1", note="另一份申请")
    assert submit(key="k-2") != first and len(stored.cases) == 2


def test_a_refused_action_writes_nothing(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    events, commits = list(stored.events[case_id]), stored.commits
    with pytest.raises(InvalidAction):
        services.act(ReturnTask(f"{case_id}-T1", "reviewer-a", "退回"))
    assert stored.events[case_id] == events and stored.commits == commits
