"""The reactions dispatcher: other contexts' follow-up work runs on the events of a change,
in registration order, inside the change's transaction."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from case_fakes import Stored

from yiwang.cases import events as ev
from yiwang.cases.commands import CompleteTask
from yiwang.cases.errors import CaseError
from yiwang.cases.reactions import Occasion, Reactions
from yiwang.cases.services import CaseServices

Submit = Callable[..., str]


def test_reactions_see_the_new_events_in_registration_order(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    seen: list[str] = []

    def on_task(occasion: Occasion, event: ev.TaskOpened) -> None:
        if occasion.case.is_new:
            # Run before the new case is written: the submission is still one transaction.
            assert occasion.case.id not in stored.cases
        seen.append(f"task {event.item}")

    def on_stage(occasion: Occasion, event: ev.StageOpened) -> None:
        seen.append(f"stage {event.stage}")
        occasion.case.record(ev.JointOpinion(at=event.at, stage=event.stage, departments=()))

    def on_opinion(occasion: Occasion, event: ev.JointOpinion) -> None:
        seen.append(f"recorded by a reaction: {event.stage}")

    services.reactions = Reactions()
    services.reactions.on(ev.TaskOpened, on_task)
    services.reactions.on(ev.StageOpened, on_stage)
    services.reactions.on(ev.JointOpinion, on_opinion)
    case_id = submit()
    assert seen == [
        "task t.first",
        "task t.second",
        "stage parallel",
        "recorded by a reaction: parallel",
    ]
    # A later action dispatches only its own new events.
    seen.clear()
    services.act(CompleteTask(f"{case_id}-T1", "reviewer-a"))
    assert seen == []
    services.act(CompleteTask(f"{case_id}-T2", "reviewer-b"))
    assert seen == ["task t.last", "stage final", "recorded by a reaction: final"]
    assert stored.events[case_id][-1].kind is ev.EventKind.JOINT_OPINION


def test_a_failing_reaction_rolls_the_whole_change_back(
    services: CaseServices, submit: Submit, stored: Stored
) -> None:
    case_id = submit()
    before = list(stored.events[case_id])

    def refuse(occasion: Occasion, event: ev.StageOpened) -> None:
        raise CaseError("签发失败", "signing failed")

    services.reactions = Reactions()
    services.reactions.on(ev.StageOpened, refuse)
    services.act(CompleteTask(f"{case_id}-T1", "reviewer-a"))
    with pytest.raises(CaseError, match="signing failed"):
        services.act(CompleteTask(f"{case_id}-T2", "reviewer-b"))
    assert len(stored.events[case_id]) == len(before) + 2  # only the first approval
    assert services.get(case_id).tasks[1].is_open
