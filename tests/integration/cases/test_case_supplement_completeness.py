"""A supplement answer restarts the clocks only with every material the notice asked for."""

from __future__ import annotations

import pytest

from support import FOUNDER_ID
from support import submit_startup as submit
from yiwang.bootstrap import Platform
from yiwang.cases.commands import AnswerSupplement, CompleteTask, RequestSupplement
from yiwang.cases.errors import SupplementIncomplete
from yiwang.cases.models import CaseStatus, TaskStatus
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration


def test_an_answer_with_one_of_two_materials_leaves_the_clock_stopped(platform: Platform, clock: SimulatedClock) -> None:
    case = platform.cases.get(submit(platform))
    for opened in [t for t in case.tasks if t.is_open]:  # stage 1: on to the seal task
        case = platform.cases.act(CompleteTask(opened.id, "reviewer"))
    task = next(t for t in case.tasks if t.item_code == "police.seal_carving")
    item = platform.catalogs.version(case.catalog_version).item(task.item_code)
    assert len(item.materials) == 2
    first, second = (m.code for m in item.materials[:2])
    case = platform.cases.act(RequestSupplement(task.id, "reviewer", (first, second), "请补充"))
    supplement = case.supplements[0]
    clock.advance(minutes=30)

    with pytest.raises(SupplementIncomplete) as refused:
        platform.cases.answer_supplement(AnswerSupplement(case.id, supplement.id, FOUNDER_ID, "先传一份", supplied=(first,)))
    assert item.materials[1].name.zh in refused.value.message_zh
    case = platform.cases.get(case.id)
    assert case.status is CaseStatus.WAITING_APPLICANT
    assert case.task(task.id).status is TaskStatus.WAITING_APPLICANT
    assert case.task(task.id).deadline.due_at is None and case.supplements[0].answered_at is None

    case = platform.cases.answer_supplement(
        AnswerSupplement(case.id, supplement.id, FOUNDER_ID, "齐了", supplied=(second, first))
    )
    assert case.status is CaseStatus.IN_PROGRESS
    assert case.task(task.id).deadline.due_at is not None
