"""A commitment replaces the proof it names and nothing else (国办发〔2020〕42号).

Reproduced: a commitment on `funding_proof` made the whole 施工许可 instant. The permit has no
declared instant rule, so it is reviewed; the commitment is shown with the text signed."""

from __future__ import annotations

import pytest

from yiwang.bootstrap import Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.cases.models import EventKind, TaskKind, TaskStatus
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration

BUNDLE = "bundle.construction_project"
BUILDER = "91370100MA3C00000X"
PERMIT = "hc.construction_permit"


def test_funding_commitment_does_not_make_the_construction_permit_instant(
    platform: Platform, clock: SimulatedClock
) -> None:
    catalog = platform.catalogs.current()
    commitment = catalog.item(PERMIT).commitment
    assert commitment is not None
    assert catalog.item(PERMIT).replaceable_by_commitment == frozenset({"funding_proof"})
    form = {
        "project_name": "泉城智能制造产业园一期",
        "flow_type": "social_industrial",
        "standard_land": "no",
        "parcel_code": "JN-2026-017",
        "region_code": "370102",
        "total_investment": "52000",
    }
    case_id = platform.cases.submit(
        SubmitApplication(
            BUNDLE, BUILDER, "济南泉城智造有限公司", "370102", form,
            commitments=("funding_proof",), commitment_text=commitment.text.zh,
        )
    ).case_id
    case = platform.cases.get(case_id)
    while not any(task.item_code == PERMIT for task in case.tasks):
        for task in [t for t in case.tasks if t.is_open and t.kind is not TaskKind.EARLY_INTERVENTION]:
            clock.advance(minutes=10)
            case = platform.cases.act(CompleteTask(task.id, "reviewer"))
    permit = next(task for task in case.tasks if task.item_code == PERMIT)
    assert permit.status is TaskStatus.PENDING and permit.decided_by_rule is None
    events = platform.cases.events(case_id)
    assert not [e for e in events if e.kind is EventKind.AUTOMATIC_DECISION and e.task_id == permit.id]
    signed = next(e for e in events if e.kind is EventKind.COMMITMENT_SIGNED)
    assert signed.data["item"] == PERMIT and signed.data["text"] == commitment.text.zh
