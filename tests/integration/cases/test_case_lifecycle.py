"""The case engine on real databases: start-up end to end, idempotency, conflicts, clocks."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from stdnum.cn import uscc

from support import BUNDLE, FOUNDER_ID, complete_open_tasks, startup_form
from support import submit_startup as submit
from yiwang.bootstrap import Platform
from yiwang.cases.commands import (
    AcceptTask,
    AnswerSupplement,
    CompleteTask,
    RejectTask,
    RequestSupplement,
    ReturnTask,
    SubmitApplication,
    TransferTask,
)
from yiwang.cases.errors import IdempotencyKeyReused, InvalidAction, InvalidForm, ReasonRequired
from yiwang.cases.models import CaseStatus, EventKind, TaskStatus
from yiwang.clock import SimulatedClock
from yiwang.db import tables as t

pytestmark = pytest.mark.integration


def test_startup_concludes_within_one_working_day_with_valid_licence(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id = submit(platform)
    case = platform.cases.get(case_id)
    # Stage 1 opened with four parallel tasks; the licence was decided by the declared rule.
    assert [task.item_code for task in case.tasks_of_stage(0)] == [
        "market.enterprise_registration",
        "hrss.employer_social_insurance_registration",
        "medins.employer_registration",
        "hfund.employer_account_opening",
    ]
    licence_task = case.tasks[0]
    assert (
        licence_task.status is TaskStatus.APPROVED and licence_task.decided_by_rule == "ENT-SMART-1"
    )
    complete_open_tasks(platform, clock, case_id)
    case = platform.cases.get(case_id)
    assert case.status is CaseStatus.CONCLUDED
    assert len(case.stages) == 2 and len(case.tasks) == 6
    calendar = platform.calendars.current()
    elapsed = calendar.working_seconds_between(case.submitted_at, case.closed_at)
    assert elapsed <= calendar.office_hours.day_seconds
    licence = next(o for o in case.outputs if o.kind == "business_licence")
    assert uscc.is_valid(licence.number)
    seals = next(o for o in case.outputs if o.kind == "seals")
    assert seals.pieces == ("公章", "财务专用章", "发票专用章", "法定代表人名章")
    kinds = [event.kind for event in platform.cases.events(case_id)]
    assert kinds[0] is EventKind.APPLICATION_SUBMITTED and kinds[-1] is EventKind.CASE_CONCLUDED
    assert EventKind.AUTOMATIC_DECISION in kinds
    # The new enterprise is in the legal-entity registry, so its name is now taken.
    with pytest.raises(InvalidForm) as refused:
        submit(platform, key="k-2")
    assert [p.code for p in refused.value.problems if p.field == "company_name"]


def test_submission_is_idempotent(platform: Platform) -> None:
    first = submit(platform, key="same")
    again = platform.cases.submit(
        SubmitApplication(
            BUNDLE, FOUNDER_ID, "李明", "370102", startup_form(), idempotency_key="same"
        )
    )
    assert again.case_id == first and not again.created
    with platform.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.cases)).scalar() == 1
    with pytest.raises(IdempotencyKeyReused):
        submit(platform, key="same", address="另一个地址")


def test_bad_form_lists_every_problem_and_stores_nothing(platform: Platform) -> None:
    bad_id = FOUNDER_ID[:-1] + ("0" if FOUNDER_ID[-1] != "0" else "1")
    with pytest.raises(InvalidForm) as refused:
        submit(
            platform,
            company_name="济南市历下区中华人民共和国科技有限公司",
            legal_rep_id=bad_id,
            business_scope=["Z999"],
            legal_rep_phone="12345",
            delivery="",
        )
    fields = {problem.field for problem in refused.value.problems}
    assert {
        "company_name",
        "legal_rep_id",
        "business_scope",
        "legal_rep_phone",
        "delivery",
    } <= fields
    with platform.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.cases)).scalar() == 0


def test_concurrent_actions_on_one_task_one_wins(platform: Platform) -> None:
    case = platform.cases.get(submit(platform))
    task_id = case.tasks[1].id
    results: list[str] = []
    barrier = threading.Barrier(2)

    def approve(actor: str) -> None:
        barrier.wait()
        try:
            platform.cases.act(CompleteTask(task_id, actor))
            results.append("ok")
        except InvalidAction:
            results.append("conflict")

    threads = [threading.Thread(target=approve, args=(f"r{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]
    completed = [
        e
        for e in platform.cases.events(case.id)
        if e.kind is EventKind.TASK_COMPLETED and e.task_id == task_id
    ]
    assert len(completed) == 1


def test_concurrent_actions_on_different_tasks_both_succeed(platform: Platform) -> None:
    case = platform.cases.get(submit(platform))
    task_ids = [task.id for task in case.tasks if task.is_open]
    barrier = threading.Barrier(len(task_ids))
    errors: list[BaseException] = []

    def approve(task_id: str) -> None:
        barrier.wait()
        try:
            platform.cases.act(CompleteTask(task_id, "reviewer"))
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=approve, args=(task_id,)) for task_id in task_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    case = platform.cases.get(case.id)
    assert case.current_stage is not None and case.current_stage.index == 1


def test_supplement_before_acceptance_stops_the_case_clock_and_the_item_clock_starts_at_acceptance(
    platform: Platform, clock: SimulatedClock
) -> None:
    case = platform.cases.get(submit(platform))
    task = case.tasks[1]
    due_before = task.deadline.due_at
    case_due_before = case.deadline.due_at
    assert due_before is not None and case_due_before is not None
    clock.advance(minutes=30)
    with pytest.raises(ReasonRequired):
        platform.cases.act(RequestSupplement(task.id, "reviewer"))
    case = platform.cases.act(
        RequestSupplement(task.id, "reviewer", ("business_licence",), "请补充营业执照副本")
    )
    assert case.status is CaseStatus.WAITING_APPLICANT
    assert case.task(task.id).deadline.due_at is None
    # The applicant answers two calendar days later (a Saturday in between changes nothing).
    clock.advance(timedelta(days=1))
    supplement = case.supplements[0]
    case = platform.cases.answer_supplement(
        AnswerSupplement(case.id, supplement.id, FOUNDER_ID, "已上传", supplied=("business_licence",))
    )
    calendar = platform.calendars.current()
    resumed = case.task(task.id)
    assert resumed.status is TaskStatus.IN_REVIEW
    assert resumed.deadline.due_at is not None
    # The item was accepted when the complete materials arrived: its statutory clock starts
    # then, with the whole limit (行政许可法 Art. 32), not from the submission.
    answered_at = clock.now
    assert resumed.deadline.due_at == calendar.deadline_for(answered_at, resumed.deadline.clock.limit).at
    accepted = [e for e in platform.cases.events(case.id) if e.kind is EventKind.APPLICATION_ACCEPTED]
    assert [(e.task_id, e.data["mode"]) for e in accepted][-1] == (task.id, "after_supplement")
    # The case's promise only stopped: exactly one working day passed while paused.
    assert (
        calendar.working_seconds_between(case_due_before, case.deadline.due_at)
        == calendar.office_hours.day_seconds
    )
    kinds = [e.kind for e in platform.cases.events(case.id)]
    assert EventKind.SUPPLEMENT_REQUESTED in kinds and EventKind.SUPPLEMENT_ANSWERED in kinds


def test_reject_needs_reason_and_ends_case(platform: Platform) -> None:
    case = platform.cases.get(submit(platform))
    task = case.tasks[2]
    with pytest.raises(ReasonRequired):
        platform.cases.act(RejectTask(task.id, "reviewer", "  "))
    case = platform.cases.act(RejectTask(task.id, "reviewer", "参保信息与营业执照不一致"))
    assert case.status is CaseStatus.REJECTED
    assert all(not t_.is_open for t_ in case.tasks)
    rejected = [e for e in platform.cases.events(case.id) if e.kind is EventKind.CASE_REJECTED]
    assert rejected[0].reason == "参保信息与营业执照不一致"
    with pytest.raises(InvalidAction):
        platform.cases.act(CompleteTask(case.tasks[1].id, "reviewer"))


def test_accept_return_transfer_are_recorded(platform: Platform) -> None:
    case = platform.cases.get(submit(platform))
    task = case.tasks[1]
    platform.cases.act(AcceptTask(task.id, "alice"))
    with pytest.raises(InvalidAction):
        platform.cases.act(AcceptTask(task.id, "bob"))
    case = platform.cases.act(TransferTask(task.id, "alice", "bob", "请假"))
    assert case.task(task.id).assignee == "bob"
    with pytest.raises(ReasonRequired):
        platform.cases.act(ReturnTask(task.id, "bob", ""))
    case = platform.cases.act(ReturnTask(task.id, "bob", "非本科室事项"))
    assert case.task(task.id).status is TaskStatus.PENDING and case.task(task.id).assignee is None
    events = [e for e in platform.cases.events(case.id) if e.task_id == task.id]
    assert [e.kind for e in events][-4:] == [
        EventKind.TASK_ACCEPTED,
        EventKind.APPLICATION_ACCEPTED,
        EventKind.TASK_TRANSFERRED,
        EventKind.TASK_RETURNED,
    ]
    assert all(e.actor for e in events)


def test_sweep_records_each_missed_deadline_once_even_when_racing(
    platform: Platform, clock: SimulatedClock
) -> None:
    case = platform.cases.get(submit(platform))
    open_tasks = [task for task in case.tasks if task.is_open]
    clock.advance(timedelta(days=3))  # past every 0.5-working-day limit
    counts: list[int] = []
    barrier = threading.Barrier(3)

    def sweep() -> None:
        barrier.wait()
        counts.append(platform.cases.sweep())

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == len(open_tasks)
    assert platform.cases.sweep() == 0
    missed = [e for e in platform.cases.events(case.id) if e.kind is EventKind.DEADLINE_MISSED]
    assert sorted(e.task_id or "" for e in missed) == sorted(task.id for task in open_tasks)


def test_history_is_append_only(platform: Platform) -> None:
    case_id = submit(platform)
    with pytest.raises(Exception, match="append-only"), platform.engine.begin() as connection:
        connection.execute(
            text("UPDATE case_events SET reason = 'edited' WHERE case_id = :id"), {"id": case_id}
        )
    with pytest.raises(Exception, match="append-only"), platform.engine.begin() as connection:
        connection.execute(text("DELETE FROM case_events WHERE case_id = :id"), {"id": case_id})
    assert len(platform.cases.events(case_id)) >= 6
