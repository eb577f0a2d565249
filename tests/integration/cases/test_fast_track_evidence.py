"""A branch is approved automatically only when its parent is found in the legal-entity
registry, and the decision records that read (R-WF-3, fast tracks from evidence)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from support import complete_open_tasks, submit_startup
from yiwang.bootstrap import Platform
from yiwang.cases.models import EventKind, TaskStatus
from yiwang.clock import SimulatedClock
from yiwang.identity.numbers import allocate_credit_code

pytestmark = pytest.mark.integration

BRANCH_NAME = "济南市历下区明湖数据科技有限公司泉城路分公司"


def _branch(platform: Platform, parent: str, key: str) -> str:
    return submit_startup(
        platform,
        key=key,
        company_name=BRANCH_NAME,
        entity_type="branch",
        parent_credit_code=parent,
    )


def test_branch_of_a_parent_in_the_registry_is_approved_with_the_read_recorded(
    platform: Platform, clock: SimulatedClock
) -> None:
    parent_case = submit_startup(platform, key="parent")
    complete_open_tasks(platform, clock, parent_case)
    parent = next(
        o.number for o in platform.cases.get(parent_case).outputs if o.kind == "business_licence"
    )
    case = platform.cases.get(_branch(platform, parent, "branch-1"))
    licence_task = case.tasks[0]
    assert licence_task.decided_by_rule == "ENT-SMART-2"
    decision = next(
        e
        for e in platform.cases.events(case.id)
        if e.kind is EventKind.AUTOMATIC_DECISION and e.task_id == licence_task.id
    )
    evidence = decision.data["evidence"]["branch.parent_registered"]
    assert evidence["value"] == "yes"
    assert evidence["source"].startswith("legal_entities.registration") and parent in evidence["source"]
    with platform.engine.connect() as connection:
        reads = connection.execute(
            text("SELECT subject_id FROM access_log WHERE case_id = :c AND dataset = 'legal_entities'"),
            {"c": case.id},
        ).scalars().all()
    assert parent in reads


@pytest.mark.parametrize("parent", ["", allocate_credit_code("9", "1", "110105", 777)])
def test_branch_of_an_unknown_parent_goes_to_review(platform: Platform, parent: str) -> None:
    """Reproduced: a branch of a fictitious Beijing company was licensed automatically."""
    case = platform.cases.get(_branch(platform, parent, "branch-x"))
    licence_task = case.tasks[0]
    assert licence_task.status is TaskStatus.PENDING and licence_task.decided_by_rule is None
    assert case.facts["branch.parent_registered"] == "no"
    assert not case.outputs
