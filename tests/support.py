"""Builders shared by tests: a valid founder and start-up form (factories, not fixtures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yiwang.bootstrap import Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.clock import SimulatedClock
from yiwang.identity.numbers import make_id_number

BUNDLE = "bundle.enterprise_startup"
FOUNDER_ID = make_id_number("370102", dt.date(1988, 5, 17), 321)
FOUNDER_NAME = "李明"


def startup_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "company_name": "济南市历下区明湖数据科技有限公司",
        "entity_type": "llc_natural_person_sole",
        "region_code": "370102",
        "address": "泉城路188号",
        "registered_capital": "50",
        "business_scope": ["I001"],
        "legal_rep_name": FOUNDER_NAME,
        "legal_rep_id": FOUNDER_ID,
        "legal_rep_phone": "13905311234",
        "delivery": "pickup",
    }
    form.update(overrides)
    return form


def submit_startup(platform: Platform, key: str | None = "k-1", **overrides: Any) -> str:
    command = SubmitApplication(
        BUNDLE, FOUNDER_ID, FOUNDER_NAME, "370102", startup_form(**overrides), idempotency_key=key
    )
    return platform.cases.submit(command).case_id


def complete_open_tasks(
    platform: Platform, clock: SimulatedClock, case_id: str, minutes: int = 15
) -> None:
    """Every reviewer approves in turn, ``minutes`` apart, until the case closes."""
    case = platform.cases.get(case_id)
    while not case.is_closed:
        for task in [task for task in case.tasks if task.is_open]:
            clock.advance(minutes=minutes)
            case = platform.cases.act(CompleteTask(task.id, f"reviewer:{task.department_code}"))


def supply_record(
    platform: Platform, dataset: str, field: str, subject_id: str, value: str, by: str
) -> None:
    """A department supplies one record of its dataset (e.g. recognised talent)."""
    with platform.unit_of_work() as uow:
        uow.registries.supply(dataset, field, subject_id, value, by=by, at=platform.clock())
        uow.commit()
