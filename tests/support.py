"""Builders shared by tests: a valid founder and start-up form (factories, not fixtures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select

from yiwang.bootstrap import Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.clock import SimulatedClock
from yiwang.db import tables as t
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


def register_founder(platform: Platform) -> None:
    """The founder is a real person: the population registry has them under their name (a
    legal representative the registry does not back never gets a licence)."""
    with platform.engine.begin() as connection:
        known = connection.execute(select(t.people.c.id_number).where(t.people.c.id_number == FOUNDER_ID)).first()
        if known is None:
            connection.execute(
                insert(t.people),
                {
                    "id_number": FOUNDER_ID,
                    "name": FOUNDER_NAME,
                    "gender": "male",
                    "birth_date": dt.date(1988, 5, 17),
                    "region_code": "370102",
                    "phone": "13905311234",
                },
            )


def register_person(platform: Platform, id_number: str, name: str, region_code: str = "370102") -> None:
    """A person in the population registry."""
    with platform.engine.begin() as connection:
        connection.execute(
            insert(t.people),
            {
                "id_number": id_number,
                "name": name,
                "gender": "male",
                "birth_date": dt.date(1980, 1, 1),
                "region_code": region_code,
                "phone": "13905310000",
            },
        )


def register_enterprise(platform: Platform, credit_code: str, name: str, region_code: str, name_key: str) -> None:
    """An enterprise in the legal-entity registry (items whose material it proves are decided
    by rule only when the registry holds the applicant)."""
    with platform.engine.begin() as connection:
        connection.execute(
            insert(t.enterprises),
            {
                "credit_code": credit_code,
                "name": name,
                "name_key": name_key,
                "entity_type": "llc_natural_person",
                "region_code": region_code,
                "legal_rep_id": FOUNDER_ID,
                "registered_on": dt.date(2020, 1, 2),
                "sector": "C",
                "address": "经济技术开发区1号",
                "case_id": None,
            },
        )


def submit_startup(platform: Platform, key: str | None = "k-1", **overrides: Any) -> str:
    register_founder(platform)
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
