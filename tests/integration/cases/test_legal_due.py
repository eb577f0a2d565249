"""The stored `legal_due_at` (the instant after which the legal sweep has something to do for
a case): kept by every save, read by the sweep, on real databases.

The start-up is submitted on Thursday 26 November 2026 at 09:30; its social-insurance task is
the item application under test (the other applications are accepted first, so its rules
alone decide). Its 5th working day after receipt ends Thursday 3 December at 17:00.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import select, update

from support import FOUNDER_ID, submit_startup
from yiwang.bootstrap import Platform
from yiwang.cases import legal
from yiwang.cases.commands import (
    AcceptTask,
    AnswerSupplement,
    EndExcludedPeriod,
    RequestSupplement,
    ResumeCase,
    StartExcludedPeriod,
    SuspendCase,
    WithdrawApplication,
)
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.clock import SimulatedClock
from yiwang.db import tables as t
from yiwang.db.migrate import alembic_config, upgrade

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIFTH_WORKING_DAY_CLOSE = datetime(2026, 12, 3, 17, 0, tzinfo=SHANGHAI)
JUST = timedelta(microseconds=1)


def _stored(platform: Platform, case_id: str) -> datetime | None:
    with platform.unit_of_work(read_only=True) as uow:
        return uow.connection.execute(
            select(t.cases.c.legal_due_at).where(t.cases.c.id == case_id)
        ).scalar_one()


def _listed(platform: Platform, clock: SimulatedClock) -> list[str]:
    with platform.unit_of_work(read_only=True) as uow:
        return list(uow.legal_due_case_ids(clock()))


def _exact(platform: Platform, case_id: str) -> datetime | None:
    return legal.next_legal_due(platform.cases.get(case_id), platform.calendars.current())


def _one_application(platform: Platform) -> tuple[str, str]:
    """A start-up whose applications are all accepted but the social-insurance one."""
    case = platform.cases.get(submit_startup(platform))
    task_id = case.tasks[1].id
    for task in case.tasks:
        if task.id != task_id and task.is_open and legal.needs_acceptance(case, task):
            platform.cases.act(AcceptTask(task.id, f"reviewer:{task.department_code}"))
    assert _stored(platform, case.id) == FIFTH_WORKING_DAY_CLOSE
    return case.id, task_id


def _acceptances(platform: Platform, case_id: str, task_id: str) -> list[str]:
    return [
        str(e.data["mode"])
        for e in platform.cases.events(case_id)
        if e.kind is EventKind.APPLICATION_ACCEPTED and e.task_id == task_id
    ]


def test_the_sweep_takes_the_case_exactly_when_its_acceptance_deadline_has_passed(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, task_id = _one_application(platform)
    clock.set(FIFTH_WORKING_DAY_CLOSE - timedelta(days=1))
    assert _listed(platform, clock) == [] and platform.cases.sweep_legal() == 0
    clock.set(FIFTH_WORKING_DAY_CLOSE)  # the last instant of the 5th working day
    assert _listed(platform, clock) == [] and platform.cases.sweep_legal() == 0
    assert _acceptances(platform, case_id, task_id) == []
    clock.set(FIFTH_WORKING_DAY_CLOSE + JUST)
    assert _listed(platform, clock) == [case_id]
    assert platform.cases.sweep_legal() == 1
    assert _acceptances(platform, case_id, task_id) == ["deemed"]
    # Nothing left for the sweep: not read again, and sweeping again changes nothing.
    assert _stored(platform, case_id) is None
    assert _listed(platform, clock) == []
    clock.advance(days=30)
    assert platform.cases.sweep_legal() == 0
    platform.cases.sweep()
    assert _acceptances(platform, case_id, task_id) == ["deemed"]


def test_a_supplement_notice_moves_the_instant_to_its_answer_deadline(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, task_id = _one_application(platform)
    clock.advance(minutes=30)
    case = platform.cases.act(RequestSupplement(task_id, "hrss:wang", ("business_licence",), "请补充"))
    answer_due = case.supplements[0].answer_due_at
    assert answer_due is not None and answer_due > FIFTH_WORKING_DAY_CLOSE
    assert _stored(platform, case_id) == answer_due == _exact(platform, case_id)
    clock.set(answer_due)
    assert platform.cases.sweep_legal() == 0
    assert platform.cases.get(case_id).status is CaseStatus.WAITING_APPLICANT
    clock.set(answer_due + JUST)
    assert _listed(platform, clock) == [case_id]
    assert platform.cases.sweep_legal() == 1
    assert platform.cases.get(case_id).status is CaseStatus.WITHDRAWN
    assert _stored(platform, case_id) is None
    assert platform.cases.sweep_legal() == 0


def test_an_answered_supplement_leaves_nothing_for_the_sweep(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, task_id = _one_application(platform)
    clock.advance(minutes=30)
    case = platform.cases.act(RequestSupplement(task_id, "hrss:wang", ("business_licence",), "请补充"))
    clock.advance(minutes=30)
    supplement = case.supplements[0]
    platform.cases.answer_supplement(
        AnswerSupplement(case_id, supplement.id, FOUNDER_ID, "已上传", supplied=supplement.material_codes)
    )
    assert _acceptances(platform, case_id, task_id) == ["after_supplement"]
    assert _stored(platform, case_id) is None


def test_accepting_the_application_clears_the_instant(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, task_id = _one_application(platform)
    clock.advance(hours=2)
    platform.cases.act(AcceptTask(task_id, "hrss:wang"))
    assert _stored(platform, case_id) is None
    clock.set(FIFTH_WORKING_DAY_CLOSE + JUST)
    assert _listed(platform, clock) == [] and platform.cases.sweep_legal() == 0


def test_an_excluded_period_holds_its_cap_until_it_ends(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, task_id = _one_application(platform)
    platform.cases.act(AcceptTask(task_id, "hrss:wang"))
    clock.advance(hours=1)
    case = platform.cases.start_excluded_period(
        StartExcludedPeriod(task_id, "hrss:wang", "hearing", "申请人要求听证", "听证不计入办理时限")
    )
    cap = legal.excluded_period_ends_by(case.legal.excluded_periods[0], platform.calendars.current())
    assert _stored(platform, case_id) == cap
    clock.advance(days=2)
    platform.cases.end_excluded_period(EndExcludedPeriod(task_id, "hrss:wang"))
    assert _stored(platform, case_id) is None


def test_an_excluded_period_past_its_cap_is_ended_by_the_sweep_exactly_after_it(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, task_id = _one_application(platform)
    platform.cases.act(AcceptTask(task_id, "hrss:wang"))
    case = platform.cases.start_excluded_period(
        StartExcludedPeriod(task_id, "hrss:wang", "hearing", "申请人要求听证", "听证不计入办理时限")
    )
    cap = legal.excluded_period_ends_by(case.legal.excluded_periods[0], platform.calendars.current())
    clock.set(cap)
    assert platform.cases.sweep_legal() == 0
    clock.set(cap + JUST)
    assert platform.cases.sweep_legal() == 1
    assert platform.cases.get(case_id).legal.excluded_periods[0].ended_at == cap
    assert _stored(platform, case_id) is None and platform.cases.sweep_legal() == 0


def test_suspension_clears_the_instant_and_resumption_restores_it(
    platform: Platform, clock: SimulatedClock
) -> None:
    case_id, _task_id = _one_application(platform)
    clock.advance(hours=1)
    platform.cases.suspend(SuspendCase(case_id, "hrss:li", "等待法院裁定"))
    assert _stored(platform, case_id) is None
    clock.set(FIFTH_WORKING_DAY_CLOSE + timedelta(days=1))
    assert platform.cases.sweep_legal() == 0  # 中止: no deemed acceptance while halted
    platform.cases.resume(ResumeCase(case_id, "hrss:li", "裁定已作出"))
    assert _stored(platform, case_id) == FIFTH_WORKING_DAY_CLOSE
    assert platform.cases.sweep_legal() == 1


def test_a_conservative_value_is_read_once_and_corrected(
    platform: Platform, clock: SimulatedClock
) -> None:
    """What the migration and the volume loader store: the submission time."""
    case_id, _task_id = _one_application(platform)
    submitted = platform.cases.get(case_id).submitted_at
    with platform.unit_of_work() as uow:
        uow.connection.execute(
            update(t.cases).where(t.cases.c.id == case_id).values(legal_due_at=submitted)
        )
        uow.commit()
    clock.advance(minutes=1)
    version = platform.cases.get(case_id).version
    assert _listed(platform, clock) == [case_id]
    assert platform.cases.sweep_legal() == 0
    assert _stored(platform, case_id) == FIFTH_WORKING_DAY_CLOSE
    assert platform.cases.get(case_id).version == version  # corrected, not changed
    assert _listed(platform, clock) == []


def test_the_migration_backfills_open_cases_conservatively(
    platform: Platform, clock: SimulatedClock
) -> None:
    open_id, _task_id = _one_application(platform)
    closed_id = submit_startup(platform, key="k-2", company_name="济南市历下区泉水数据科技有限公司")
    platform.cases.withdraw(WithdrawApplication(closed_id, FOUNDER_ID, "不再开办"))
    config = alembic_config(platform.engine)
    with platform.engine.begin() as connection:
        config.attributes["connection"] = connection
        # To just before 0012 by name: later migrations (0013, …) stack on top of it.
        command.downgrade(config, "0011")
    upgrade(platform.engine)
    assert _stored(platform, open_id) == platform.cases.get(open_id).submitted_at
    assert _stored(platform, closed_id) is None
    clock.advance(minutes=1)
    assert platform.cases.sweep_legal() == 0
    assert _stored(platform, open_id) == FIFTH_WORKING_DAY_CLOSE


YEAR_2027 = """
year: 2027
source: test schedule (not official)
holidays:
  - name: 元旦
    dates: 2027-01-01 .. 2027-01-04
"""


def test_a_new_calendar_year_moves_the_instants_it_changes(
    platform: Platform, clock: SimulatedClock
) -> None:
    """The 5th working day counts on the calendar: a day off added moves it later. Every
    stored instant falls back to the conservative one, and the next sweep recomputes."""
    earlier_id, _task_id = _one_application(platform)  # all of its deadlines in 2026
    clock.set(datetime(2026, 12, 31, 16, 0, tzinfo=SHANGHAI))
    case_id = submit_startup(platform, key="k-2", company_name="济南市历下区泉水数据科技有限公司")
    before = _stored(platform, case_id)
    assert before is not None and before == _exact(platform, case_id)
    platform.load_calendar_year(YEAR_2027, "2027.yaml")
    assert _stored(platform, earlier_id) == platform.cases.get(earlier_id).submitted_at
    platform.cases.sweep_legal()
    assert _stored(platform, earlier_id) == _exact(platform, earlier_id)
    after = _stored(platform, case_id)
    assert after == _exact(platform, case_id)
    assert after is not None and after > before
