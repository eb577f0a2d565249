"""The server escalates overdue work by itself, once per task."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from support import submit_startup
from yiwang.bootstrap import Platform
from yiwang.cases.models import EventKind
from yiwang.cli.serve import start_sweeper
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration


def test_background_sweeper_records_missed_deadlines(platform: Platform, clock: SimulatedClock) -> None:
    case_id = submit_startup(platform)
    open_tasks = [t.id for t in platform.cases.get(case_id).tasks if t.is_open]
    clock.advance(timedelta(days=3))
    stop = start_sweeper(platform)
    assert stop is not None
    try:
        deadline = time.monotonic() + 10
        missed: list[str] = []
        while time.monotonic() < deadline:
            missed = [e.task_id or "" for e in platform.cases.events(case_id) if e.kind is EventKind.DEADLINE_MISSED]
            if len(missed) == len(open_tasks):
                break
            time.sleep(0.1)
    finally:
        stop.set()
    assert sorted(missed) == sorted(open_tasks)


def test_sweep_escalates_a_task_waiting_for_shared_data(
    platform: Platform, clock: SimulatedClock
) -> None:
    """The overdue list shows a task waiting for a sharing answer in red: the sweep must
    record its missed deadline too (one definition of an open task)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sqlalchemy import text

    from yiwang.cases.commands import CompleteTask, RequestSharedData, SubmitApplication
    from yiwang.cases.models import TaskStatus
    from yiwang.db.read_models import overdue_tasks
    from yiwang.identity.numbers import make_id_number

    seller = make_id_number("370102", datetime(1975, 3, 8).date(), 112)
    buyer = make_id_number("370103", datetime(1992, 11, 20).date(), 245)
    with platform.engine.begin() as connection:
        for id_number, name, birth in ((seller, "王建国", "1975-03-08"), (buyer, "陈晓", "1992-11-20")):
            connection.execute(
                text(
                    "INSERT INTO people (id_number, name, gender, birth_date, region_code, phone) "
                    "VALUES (:id, :name, 'male', :birth, '370102', '13905310000')"
                ),
                {"id": id_number, "name": name, "birth": birth},
            )
    clock.set(datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    form = {
        "region_code": "370102",
        "property_unit_number": "370102001001GB00001F00010203",
        "title_certificate_number": "鲁（2019）济南市不动产权第0123456号",
        "property_address": "历下区泉城路188号3单元302",
        "seller_name": "王建国",
        "seller_id": seller,
        "seller_phone": "13905311111",
        "buyer_name": "陈晓",
        "buyer_id": buyer,
        "buyer_phone": "13905312222",
        "price": "168",
        "buyer_first_home": "yes",
        "seller_only_home_five_years": "no",
        "delivery": "electronic",
    }
    submitted = platform.cases.submit(
        SubmitApplication(
            "bundle.real_estate_secondhand_transfer", seller, "王建国", "370102", form, channel="window"
        )
    )
    case = platform.cases.get(submitted.case_id)
    # 先税后证: the registration opens once the deed tax is paid.
    tax = next(t for t in case.tasks if t.item_code == "tax.real_estate_transaction_tax")
    platform.cases.act(CompleteTask(tax.id, "swj:zhao"))
    case = platform.cases.get(submitted.case_id)
    registration = next(t for t in case.tasks if t.item_code == "realestate.transfer_registration")
    platform.cases.request_shared_data(
        RequestSharedData(registration.id, "zrj:sun", "marriage.status", seller, "核实是否夫妻共有")
    )
    assert platform.cases.get(case.id).task(registration.id).status is TaskStatus.WAITING_DATA
    clock.advance(timedelta(days=14))  # well past five working days
    calendar = platform.calendars.current()
    red = {row.id for row in overdue_tasks(platform.engine, "3701", platform.clock(), calendar, 0.25)}
    assert registration.id in red

    platform.cases.sweep()
    missed = {
        e.task_id for e in platform.cases.events(case.id) if e.kind is EventKind.DEADLINE_MISSED
    }
    assert missed == red
    assert platform.cases.sweep() == 0


def test_sweep_works_through_more_overdue_tasks_than_one_batch(
    platform: Platform, clock: SimulatedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yiwang.cases import services

    monkeypatch.setattr(services, "SWEEP_BATCH", 2)
    case_ids = [
        submit_startup(platform, key=f"k-{n}", company_name=name)
        for n, name in enumerate(("济南市历下区明湖数据科技有限公司", "济南市历下区泉水软件科技有限公司"))
    ]
    open_tasks = {t.id for c in case_ids for t in platform.cases.get(c).tasks if t.is_open}
    assert len(open_tasks) > 2
    clock.advance(timedelta(days=3))
    assert platform.cases.sweep() == len(open_tasks)
    missed = {
        e.task_id
        for c in case_ids
        for e in platform.cases.events(c)
        if e.kind is EventKind.DEADLINE_MISSED
    }
    assert missed == open_tasks
