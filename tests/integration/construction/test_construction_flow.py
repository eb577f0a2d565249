"""Construction project approval (plan 3) on the engine: flow-type budgets, standard land,
early intervention outside the clock, a promised material checked later, joint acceptance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from yiwang.bootstrap import Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.cases.models import EARLY_INTERVENTION_STAGE, CaseStatus, EventKind, TaskKind
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration

BUNDLE = "bundle.construction_project"
BUILDER = "91370100MA3C00000X"  # credit code of the builder (validated only as applicant id)


def project_form(flow_type: str, standard_land: str = "no") -> dict[str, Any]:
    return {
        "project_name": "泉城智能制造产业园一期",
        "flow_type": flow_type,
        "standard_land": standard_land,
        "parcel_code": "JN-2026-017",
        "region_code": "370102",
        "total_investment": "52000",
    }


def submit(platform: Platform, flow_type: str, standard_land: str = "no", **extra: Any) -> str:
    return platform.cases.submit(
        SubmitApplication(BUNDLE, BUILDER, "济南泉城智造有限公司", "370102", project_form(flow_type, standard_land), **extra)
    ).case_id


def close_at_office(platform: Platform, start: datetime, days: int) -> datetime:
    """N working days after ``start`` in the one meaning: N x the office day's working time."""
    calendar = platform.calendars.current()
    return calendar.add_working_seconds(start, days * calendar.office_hours.day_seconds).at


@pytest.mark.parametrize(
    ("flow_type", "budget"),
    [("social_industrial", 45), ("social_civil", 45), ("government", 70), ("simple_low_risk", 20)],
)
def test_flow_type_sets_the_budget(platform: Platform, clock: SimulatedClock, flow_type: str, budget: int) -> None:
    case = platform.cases.get(submit(platform, flow_type))
    assert case.deadline.due_at == close_at_office(platform, clock(), budget)
    catalog = platform.catalogs.current()
    bundle = catalog.bundle(BUNDLE)
    assert all(o.total_limit.amount <= 100 for o in bundle.variants.options)  # type: ignore[union-attr]
    stage_limit = bundle.stage_limit_for(bundle.stages[0], case.form)
    # Every parallel item runs within its stage's budget.
    office = platform.calendars.current().office_hours
    for task in case.tasks_of_stage(0):
        assert task.deadline.clock.limit.working_seconds_nominal(office) <= stage_limit.working_seconds_nominal(office)


def test_standard_land_skips_the_items_its_conditions_cover(platform: Platform, clock: SimulatedClock) -> None:
    case = platform.cases.get(submit(platform, "social_industrial_standard_land", "yes"))
    assert case.deadline.due_at == close_at_office(platform, clock(), 35)
    items = [task.item_code for task in case.tasks_of_stage(0)]
    assert items == ["dr.project_filing", "nr.land_use_planning_permit"]
    skipped = [e for e in platform.cases.events(case.id) if e.kind is EventKind.ITEMS_SKIPPED]
    assert skipped[0].data["items"] == ["nr.construction_land_approval", "env.eia_approval"]


def test_project_runs_to_joint_acceptance_with_early_intervention_outside_the_clock(
    platform: Platform, clock: SimulatedClock
) -> None:
    case = platform.cases.get(submit(platform, "social_industrial", promised_materials=("land_survey_report",)))
    early = [t for t in case.tasks if t.kind is TaskKind.EARLY_INTERVENTION]
    assert len(early) == 1 and early[0].stage_index == EARLY_INTERVENTION_STAGE
    case_budget = case.deadline.due_at
    # Every stage's reviewers act; the early-intervention consultation is left until the end.
    while case.current_stage is not None:
        for task in [t for t in case.tasks if t.is_open and t.kind is not TaskKind.EARLY_INTERVENTION]:
            clock.advance(hours=2)
            case = platform.cases.act(CompleteTask(task.id, f"reviewer:{task.department_code}"))
    # All four stages are closed, but the case waits for the early-intervention work.
    assert case.status is CaseStatus.IN_PROGRESS
    assert case.deadline.due_at == case_budget  # the side task did not move the main clock
    promise_checks = [t for t in case.tasks if t.kind is TaskKind.PROMISE_CHECK]
    assert len(promise_checks) == 1
    assert promise_checks[0].stage_index == 1 and promise_checks[0].department_code == "natural_resources@370100"
    clock.advance(hours=1)
    case = platform.cases.act(CompleteTask(early[0].id, "reviewer:housing_construction@370100"))
    assert case.status is CaseStatus.CONCLUDED
    events = platform.cases.events(case.id)
    joint = [e for e in events if e.kind is EventKind.JOINT_OPINION]
    assert len(joint) == 1 and joint[0].data["stage"] == "completion_acceptance"
    assert set(joint[0].data["departments"]) == {
        "natural_resources@370100",
        "housing_construction@370100",
        "civil_air_defence@370100",
        "urban_archives@370100",
    }


def test_board_shows_stage_days_used_against_budget_and_light(platform: Platform, clock: SimulatedClock) -> None:
    from datetime import timedelta

    from yiwang.metrics.projects import project_row

    case = platform.cases.get(submit(platform, "simple_low_risk"))
    catalog = platform.catalogs.current()
    calendar = platform.calendars.current()
    row = project_row(case, catalog, calendar, clock(), 0.25)
    assert (row.stage, row.budget_days, row.light) == ("立项用地规划许可", 20, "green")
    clock.advance(timedelta(days=7))  # five working days later: 5 of 20 used
    row = project_row(platform.cases.get(case.id), catalog, calendar, clock(), 0.25)
    assert row.days_used == pytest.approx(5, abs=0.5) and row.light == "green"
    clock.advance(timedelta(days=35))  # well past the 20-working-day budget
    row = project_row(platform.cases.get(case.id), catalog, calendar, clock(), 0.25)
    assert row.light == "red" and row.days_used > row.budget_days
