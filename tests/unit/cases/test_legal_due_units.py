"""`legal.next_legal_due` against the sweep itself: for every kind of legal deadline (deemed
acceptance, deemed withdrawal, an excluded period's cap) the sweep changes a case exactly
when ``now`` is past the instant, and the sweep's cheap tests (`sweep_due`) say the same."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from case_catalog import APPLICANT
from case_fakes import FakeNumbers, Stored
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.calendar import WorkingCalendar
from yiwang.cases import legal, legal_actions
from yiwang.cases.commands import (
    AcceptTask,
    AnswerSupplement,
    RequestSupplement,
    ResumeCase,
    StartExcludedPeriod,
    SuspendCase,
    WithdrawApplication,
)
from yiwang.cases.engine import EngineContext
from yiwang.cases.models import Case
from yiwang.cases.services import CaseServices
from yiwang.catalog.models import CatalogSpec
from yiwang.clock import SimulatedClock

JUST = timedelta(microseconds=1)
STATES = (
    "submitted",
    "one_accepted",
    "supplement_requested",
    "supplement_answered",
    "excluded_period",
    "suspended",
    "resumed",
    "all_accepted",
    "withdrawn",
)


def _build(
    state: str, services: CaseServices, submit: Callable[..., str], clock: SimulatedClock
) -> Case:
    case_id = submit()
    first, second = f"{case_id}-T1", f"{case_id}-T2"
    clock.advance(hours=1)
    if state in ("one_accepted", "excluded_period", "all_accepted"):
        services.act(AcceptTask(first, "reviewer-a"))
    if state in ("excluded_period", "all_accepted"):
        services.act(AcceptTask(second, "reviewer-b"))
    if state == "excluded_period":
        services.start_excluded_period(
            StartExcludedPeriod(first, "reviewer-a", "hearing", "听证", "听证不计入办理时限")
        )
    if state in ("supplement_requested", "supplement_answered"):
        services.act(RequestSupplement(first, "reviewer-a", ("t.first.proof",), "请补充"))
    if state == "supplement_answered":
        clock.advance(days=2)
        case = services.get(case_id)
        supplement = case.supplements[0]
        services.answer_supplement(
            AnswerSupplement(case_id, supplement.id, APPLICANT, "已补充", supplied=supplement.material_codes)
        )
    if state in ("suspended", "resumed"):
        services.suspend(SuspendCase(case_id, "lead", "等待裁定"))
    if state == "resumed":
        clock.advance(days=3)
        services.resume(ResumeCase(case_id, "lead", "裁定已作出"))
    if state == "withdrawn":
        services.withdraw(WithdrawApplication(case_id, APPLICANT, "不再办理"))
    return services.get(case_id)


def _context(catalog: CatalogSpec, calendar: WorkingCalendar, stored: Stored) -> EngineContext:
    return EngineContext(catalog=catalog, calendar=calendar, numbers=FakeNumbers(stored))


def _swept_changes(case: Case, now: datetime, context: EngineContext) -> bool:
    """Run the sweep (as `CaseServices.sweep_legal` does) on a copy: did it change anything?"""
    swept = copy.deepcopy(case)
    swept.new_events.clear()
    legal_actions.sweep(swept, now, context)
    legal.sweep(swept, now, context)
    return bool(swept.new_events)


def _due(case: Case, now: datetime, context: EngineContext) -> bool:
    return legal.sweep_due(case, now, context.calendar) or legal_actions.sweep_due(
        case, now, context
    )


@pytest.mark.parametrize("state", STATES)
def test_the_sweep_acts_exactly_after_the_next_legal_due_instant(
    state: str,
    services: CaseServices,
    submit: Callable[..., str],
    clock: SimulatedClock,
    test_catalog: CatalogSpec,
    calendar: WorkingCalendar,
    stored: Stored,
) -> None:
    case = _build(state, services, submit, clock)
    context = _context(test_catalog, calendar, stored)
    due = legal.next_legal_due(case, calendar)
    expect_none = state in ("suspended", "all_accepted", "withdrawn")
    assert (due is None) is expect_none, legal.legal_deadlines(case, calendar)
    # Every pending deadline, not only the earliest, is a boundary of the cheap test.
    for deadline in legal.legal_deadlines(case, calendar):
        assert due is not None and due <= deadline
        for now in (deadline - JUST, deadline, deadline + JUST):
            expected = now > due
            assert _due(case, now, context) is expected, (state, now)
            assert _swept_changes(case, now, context) is expected, (state, now)
    if due is None:
        far = clock() + timedelta(days=400)
        assert not _due(case, far, context) and not _swept_changes(case, far, context)


@pytest.mark.parametrize("state", ["submitted", "one_accepted", "supplement_requested", "excluded_period", "resumed"])
def test_after_a_sweep_nothing_is_due_at_the_same_instant(
    state: str,
    services: CaseServices,
    submit: Callable[..., str],
    clock: SimulatedClock,
    test_catalog: CatalogSpec,
    calendar: WorkingCalendar,
    stored: Stored,
) -> None:
    """Idempotence: the instant the swept case stores is not before the sweep's ``now``."""
    case = _build(state, services, submit, clock)
    context = _context(test_catalog, calendar, stored)
    due = legal.next_legal_due(case, calendar)
    assert due is not None
    now = due + JUST
    legal_actions.sweep(case, now, context)
    legal.sweep(case, now, context)
    after = legal.next_legal_due(case, calendar)
    assert after is None or after >= now
    assert not _swept_changes(case, now, context)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    state=st.sampled_from(STATES),
    offset=st.integers(min_value=-5 * 86_400_000_000, max_value=60 * 86_400_000_000),
)
def test_next_legal_due_agrees_with_the_sweep_at_any_instant(
    state: str,
    offset: int,
    services: CaseServices,
    submit: Callable[..., str],
    clock: SimulatedClock,
    test_catalog: CatalogSpec,
    calendar: WorkingCalendar,
    stored: Stored,
) -> None:
    # The fixtures are shared across examples: each example submits a case of its own.
    case = _build(state, services, submit, clock)
    context = _context(test_catalog, calendar, stored)
    due = legal.next_legal_due(case, calendar)
    anchor = due if due is not None else clock()
    now = anchor + timedelta(microseconds=offset)
    expected = due is not None and now > due
    assert _due(case, now, context) is expected
    assert _swept_changes(case, now, context) is expected
