"""Real-estate registration (plan 4, R-SVC-RE) end to end on both databases: the second-hand
home bundle runs registration, contract filing and tax in one stage, in parallel, within five
working days counted over National Day; the supplement notice stops the clock; marriage data
comes by a sharing request, never from the applicant; the tiers' limits hold for single
items, including after office hours and at a bank branch."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from yiwang.bootstrap import Platform
from yiwang.cases.commands import (
    AnswerDataRequest,
    AnswerSupplement,
    CompleteTask,
    RequestSharedData,
    RequestSupplement,
    SubmitApplication,
)
from yiwang.cases.errors import InvalidForm
from yiwang.cases.holders import output_holder
from yiwang.cases.models import CaseStatus, EventKind, TaskStatus
from yiwang.clock import SimulatedClock
from yiwang.db.engine import read_connection
from yiwang.identity.numbers import allocate_credit_code, make_id_number

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUNDLE = "bundle.real_estate_secondhand_transfer"
SELLER_ID = make_id_number("370102", datetime(1975, 3, 8).date(), 112)
BUYER_ID = make_id_number("370103", datetime(1992, 11, 20).date(), 245)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def add_people(platform: Platform) -> None:
    with platform.engine.begin() as connection:
        for id_number, name, birth in (
            (SELLER_ID, "王建国", "1975-03-08"),
            (BUYER_ID, "陈晓", "1992-11-20"),
        ):
            connection.execute(
                text(
                    "INSERT INTO people (id_number, name, gender, birth_date, region_code, phone) "
                    "VALUES (:id, :name, 'male', :birth, '370102', '13905310000')"
                ),
                {"id": id_number, "name": name, "birth": birth},
            )


def wrong_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("0" if id_number[-1] != "0" else "1")


def transfer_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "region_code": "370102",
        "property_unit_number": "370102001001GB00001F00010203",
        "title_certificate_number": "鲁（2019）济南市不动产权第0123456号",
        "property_address": "历下区泉城路188号3单元302",
        "seller_name": "王建国",
        "seller_id": SELLER_ID,
        "seller_phone": "13905311111",
        "buyer_name": "陈晓",
        "buyer_id": BUYER_ID,
        "buyer_phone": "13905312222",
        "price": "168",
        "buyer_first_home": "yes",
        "seller_only_home_five_years": "no",
        "delivery": "electronic",
    }
    form.update(overrides)
    return form


def attachments(platform: Platform, case_id: str, item_code: str) -> dict[str, Any]:
    with read_connection(platform.engine) as connection:
        rows = connection.execute(
            text(
                "SELECT material_code, source, reference, found, summary FROM case_attachments "
                "WHERE case_id = :id AND item_code = :item"
            ),
            {"id": case_id, "item": item_code},
        ).all()
    return {row.material_code: row for row in rows}


def test_secondhand_transfer_runs_in_parallel_over_national_day_and_supplement_stops_clock(
    platform: Platform, clock: SimulatedClock
) -> None:
    add_people(platform)
    clock.set(at(9, 29, 9, 30))  # Tuesday before National Day (1-7 October off)
    submitted = platform.cases.submit(
        SubmitApplication(BUNDLE, SELLER_ID, "王建国", "370102", transfer_form(), channel="window")
    )
    case = platform.cases.get(submitted.case_id)
    # One stage, three departments in parallel, led by the registration authority.
    assert len(case.stages) == 1
    assert case.stages[0].lead_department_code == "natural_resources@370100"
    by_item = {task.item_code: task for task in case.tasks}
    # Filing and tax in parallel; the registration waits for the tax receipt (先税后证).
    assert {code: task.department_code for code, task in by_item.items()} == {
        "housing.secondhand_contract_filing": "housing_construction@370100",
        "tax.real_estate_transaction_tax": "taxation@370100",
    }
    # The case: five working days (35 working hours) from 09:30: 6.5 h on 29 Sep, 30 Sep, 8, 9,
    # 10 (adjusted Saturday) October, and half an hour on 12 October.
    assert case.deadline.due_at == at(10, 12, 9, 30)
    # Filing and tax are instant: due at today's close.
    assert by_item["housing.secondhand_contract_filing"].deadline.due_at == at(9, 29, 17)
    assert by_item["tax.real_estate_transaction_tax"].deadline.due_at == at(9, 29, 17)

    clock.set(at(9, 29, 14))
    platform.cases.act(CompleteTask(by_item["housing.secondhand_contract_filing"].id, "zjj:li"))
    assert "realestate.transfer_registration" not in {t.item_code for t in platform.cases.get(case.id).tasks}
    case = platform.cases.act(CompleteTask(by_item["tax.real_estate_transaction_tax"].id, "swj:zhao"))
    # The tax is paid: the registration opens at once, its clock starting now.
    registration = next(t for t in case.tasks if t.item_code == "realestate.transfer_registration")
    assert registration.department_code == "natural_resources@370100"
    assert registration.opened_at == at(9, 29, 14)
    # Five working days (35 working hours) from 14:00: 3 h on 29 Sep, 30 Sep, 8, 9, 10
    # (adjusted Saturday) October, and 4 h on 12 October.
    assert registration.deadline.due_at == at(10, 12, 14)

    # Once only (fetched as the registration opens): identities from the population registry; marriage waits for a request;
    # nothing of the sort is asked of the applicant.
    shared = attachments(platform, case.id, "realestate.transfer_registration")
    assert shared["seller_identity"].found and shared["buyer_identity"].found
    assert shared["seller_identity"].reference == "population.identity"
    assert not shared["seller_marital_status"].found
    # The deed tax was paid in this case: its receipt is the record (先税后证).
    assert shared["deed_tax"].found and shared["deed_tax"].reference.startswith("WS")
    asked = {
        m.code
        for m in platform.catalogs.current().item("realestate.transfer_registration").materials
        if m.asked_of_applicant
    }
    assert asked == {"title_certificate", "sale_contract"}

    # The registrar asks the civil-affairs bureau for the seller's marital status.
    clock.set(at(9, 29, 15))
    _, request_id = platform.cases.request_shared_data(
        RequestSharedData(
            registration.id, "zrj:sun", "marriage.status", SELLER_ID, "核实出卖人房产是否为夫妻共有"
        )
    )
    assert platform.cases.get(case.id).task(registration.id).status is TaskStatus.WAITING_DATA
    platform.cases.answer_data_request(
        AnswerDataRequest(request_id, "mzj:qian", granted=True, note="已提供")
    )

    # One complete notice at 10:00 on 30 September; the seller answers at 10:00 on 9 October.
    clock.set(at(9, 30, 10))
    case = platform.cases.act(
        RequestSupplement(
            registration.id, "zrj:sun", ("title_certificate",), "请提交不动产权证书原件以便收回"
        )
    )
    assert case.status is CaseStatus.WAITING_APPLICANT
    assert case.task(registration.id).deadline.due_at is None and case.deadline.due_at is None
    clock.set(at(10, 9, 10))
    case = platform.cases.answer_supplement(
        AnswerSupplement(
            case.id, case.supplements[0].id, SELLER_ID, "已在窗口提交原证", supplied=("title_certificate",)
        )
    )
    # Paused: 6 working hours on 30 Sep, 7 on 8 Oct, 1 on 9 Oct = 14 h = 2 working days.
    calendar = platform.calendars.current()
    paused = calendar.working_seconds_between(at(9, 30, 10), at(10, 9, 10))
    assert paused == 2 * calendar.office_hours.day_seconds
    # The bundle's promise only stopped; the registration was accepted when the complete
    # materials arrived (行政许可法 Art. 32), so its own limit counts from 9 October, 10:00.
    assert case.deadline.due_at == at(10, 14, 9, 30)
    registration_clock = case.task(registration.id).deadline
    assert registration_clock.due_at == calendar.deadline_for(at(10, 9, 10), registration_clock.clock.limit).at
    assert registration_clock.due_at is not None and registration_clock.due_at > at(10, 14, 9, 30)

    clock.set(at(10, 13, 11))
    case = platform.cases.act(CompleteTask(registration.id, "zrj:sun"))
    assert case.status is CaseStatus.CONCLUDED
    assert sorted(output.kind for output in case.outputs) == [
        "contract_filing",
        "real_estate_certificate",
        "tax_receipt",
    ]
    events = platform.cases.events(case.id)
    concluded = next(e for e in events if e.kind is EventKind.CASE_CONCLUDED)
    assert concluded.data["overdue"] is False
    kinds = [e.kind for e in events]
    assert EventKind.DATA_REQUESTED in kinds and EventKind.SUPPLEMENT_ANSWERED in kinds
    # Each output goes to its holder: the title and the tax receipt to the buyer, who finds
    # the certificate in the card wallet; the seller (the applicant) keeps the filing.
    catalog = platform.catalogs.version(case.catalog_version)
    holders = {o.kind: output_holder(case, o, catalog) for o in case.outputs}
    assert holders["real_estate_certificate"] == (BUYER_ID, "陈晓")
    assert holders["tax_receipt"] == (BUYER_ID, "陈晓")
    assert holders["contract_filing"] == (SELLER_ID, "王建国")
    with platform.unit_of_work() as uow:
        assert [h.licence.kind.code for h in uow.licences.of_holder(BUYER_ID)] == ["real_estate_certificate"]
        assert uow.licences.of_holder(SELLER_ID) == []


def test_transfer_alone_uses_its_own_form(platform: Platform, clock: SimulatedClock) -> None:
    clock.set(at(9, 29, 9, 30))
    form = {
        key: value
        for key, value in transfer_form().items()
        if key
        not in (
            "seller_phone",
            "buyer_phone",
            "buyer_first_home",
            "seller_only_home_five_years",
            "delivery",
        )
    }
    with pytest.raises(InvalidForm) as refused:
        platform.cases.submit(
            SubmitApplication(
                "realestate.transfer_registration",
                SELLER_ID,
                "王建国",
                "370102",
                {
                    **form,
                    "delivery": "mail",
                    "buyer_id": wrong_check_digit(BUYER_ID),
                },
            )
        )
    problems = {(p.field, p.code) for p in refused.value.problems}
    assert ("delivery", "unknown_field") in problems  # a bundle field, not the item's
    assert ("contract_number", "required") in problems
    assert any(field == "buyer_id" for field, _ in problems)
    result = platform.cases.submit(
        SubmitApplication(
            "realestate.transfer_registration",
            SELLER_ID,
            "王建国",
            "370102",
            {**form, "contract_number": "WQ2026-0929-001"},
        )
    )
    case = platform.cases.get(result.case_id)
    assert case.subject_code == "realestate.transfer_registration"
    assert [task.item_code for task in case.tasks] == ["realestate.transfer_registration"]
    assert case.tasks[0].deadline.due_at == at(10, 12, 9, 30)


def test_discharge_at_a_bank_branch_is_instant_even_after_hours(
    platform: Platform, clock: SimulatedClock
) -> None:
    form = {
        "region_code": "370102",
        "property_unit_number": "370102001001GB00001F00010203",
        "mortgage_certificate_number": "鲁（2019）济南市不动产证明第0654321号",
        "mortgagee_name": "中国工商银行济南历下支行",
    }
    clock.set(at(9, 30, 16, 30))
    during = platform.cases.submit(
        SubmitApplication(
            "realestate.mortgage_discharge",
            SELLER_ID,
            "王建国",
            "370102",
            form,
            channel="bank",
            filed_by="bank:ICBC-370102-01",
        )
    )
    case = platform.cases.get(during.case_id)
    assert case.channel == "bank" and case.filed_by == "bank:ICBC-370102-01"
    assert case.tasks[0].deadline.due_at == at(9, 30, 17)
    # After closing time on the eve of National Day, "instant" means by the next working day.
    clock.set(at(9, 30, 17, 30))
    late = platform.cases.get(
        platform.cases.submit(
            SubmitApplication(
                "realestate.mortgage_discharge", SELLER_ID, "王建国", "370102", form, channel="bank"
            )
        ).case_id
    )
    assert late.tasks[0].deadline.due_at == at(10, 8, 17)


def test_mortgage_without_tax_is_due_in_one_working_day(
    platform: Platform, clock: SimulatedClock
) -> None:
    bank = allocate_credit_code("9", "1", "370102", 8801)
    clock.set(at(9, 30, 10))
    result = platform.cases.submit(
        SubmitApplication(
            "realestate.mortgage_first_registration",
            BUYER_ID,
            "陈晓",
            "370102",
            {
                "region_code": "370102",
                "property_unit_number": "370102001001GB00001F00010203",
                "title_certificate_number": "鲁（2026）济南市不动产权第0999999号",
                "mortgagee_name": "中国建设银行济南分行",
                "mortgagee_credit_code": bank,
                "secured_amount": "100",
            },
            channel="bank",
        )
    )
    case = platform.cases.get(result.case_id)
    # One working day (7 working hours) from 30 September 10:00: 8 October 10:00.
    assert case.tasks[0].deadline.due_at == at(10, 8, 10)
    clock.set(at(10, 8, 9, 30))
    case = platform.cases.act(CompleteTask(case.tasks[0].id, "zrj:sun"))
    assert case.status is CaseStatus.CONCLUDED
    assert [o.kind for o in case.outputs] == ["real_estate_certificate"]
