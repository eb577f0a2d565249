"""High-level talent (plan 6, R-SVC-TAL) end to end on both databases: the staffing office
enters a card holder within 2 working days (counted over National Day), the review-track card
goes from the unit's service specialist to the provincial HR decision, and the title fast
track ends with an electronic certificate."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from support import register_enterprise, register_person, supply_record
from yiwang.bootstrap import Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.clock import SimulatedClock
from yiwang.db.engine import read_connection
from yiwang.identity.numbers import allocate_credit_code, make_id_number, mask_id_number

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
TALENT_ID = make_id_number("370102", datetime(1983, 4, 12).date(), 537)
UNIVERSITY = allocate_credit_code("1", "2", "370100", 3700)  # a public institution (事业单位)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def card_form(track: str) -> dict[str, str]:
    return {
        "talent_name": "孙明远",
        "talent_id": TALENT_ID,
        "employer_name": "山东某大学",
        "employer_credit_code": UNIVERSITY,
        "issue_track": track,
        "talent_level": "国家杰出青年科学基金获得者",
        "specialist_name": "周敏",
    }


def test_staffing_registration_within_two_working_days_reads_the_card(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(9, 30, 10))
    # The talent and the employer are in the registries: the card is issued by rule on that proof.
    register_person(platform, TALENT_ID, "孙明远")
    register_enterprise(platform, UNIVERSITY, "山东某大学", "370100", "山东某大学")
    supply_record(platform, "talent_registry", "direct_issue", TALENT_ID, "yes", "省人力资源社会保障厅")
    card_case = platform.cases.submit(
        SubmitApplication("talent.huicai_card", TALENT_ID, "孙明远", "370102", card_form("direct"))
    ).case_id
    assert platform.cases.get(card_case).status is CaseStatus.CONCLUDED  # direct issue
    clock.set(at(9, 30, 11))
    result = platform.cases.submit(
        SubmitApplication(
            "talent.staffing_registration",
            UNIVERSITY,
            "山东某大学",
            "370102",
            {
                "unit_name": "山东某大学",
                "talent_name": "孙明远",
                "talent_id": TALENT_ID,
                "post": "教授",
            },
        )
    )
    case = platform.cases.get(result.case_id)
    task = case.tasks[0]
    assert task.department_code == "staffing_office@370100"
    # 14 working hours from 30 September 11:00 (1-7 October off): 5 h on 30 September, 7 on
    # 8 October, 2 on 9 October.
    assert task.deadline.due_at == at(10, 9, 11)
    # The card comes from the licence library, not as an uploaded scan.
    with read_connection(platform.engine) as connection:
        card = connection.execute(
            text(
                "SELECT source, reference, found FROM case_attachments "
                "WHERE case_id = :id AND material_code = 'talent_card'"
            ),
            {"id": case.id},
        ).one()
    assert card.found and card.source == "licence" and card.reference.startswith("HCK.")
    clock.set(at(10, 8, 10))
    case = platform.cases.act(CompleteTask(task.id, "bb:zhou", "随到随办"))
    assert case.status is CaseStatus.CONCLUDED
    done = next(e for e in platform.cases.events(case.id) if e.kind is EventKind.TASK_COMPLETED)
    # 30 Sep 11-12 and 13-17, 8 Oct 9-10.
    assert done.data["overdue"] is False and done.data["working_hours_used"] == 1 + 4 + 1


def test_review_track_card_from_specialist_to_provincial_decision(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(11, 26, 9, 30))
    form = card_form("evaluation")
    result = platform.cases.submit(
        SubmitApplication(
            "talent.huicai_card",
            TALENT_ID,
            "孙明远",
            "370102",
            form,
            filed_by="specialist:370100-zhoumin",
        )
    )
    case = platform.cases.get(result.case_id)
    assert case.filed_by == "specialist:370100-zhoumin" and case.status is CaseStatus.IN_PROGRESS
    task = case.tasks[0]
    assert (
        task.department_code == "human_resources@370100"
        and str(task.deadline.clock.limit) == "10wd"
    )
    assert (
        task.deadline.due_at
        == platform.calendars.current()
        .deadline_for(at(11, 26, 9, 30), task.deadline.clock.limit)
        .at
    )
    clock.set(at(12, 3, 10))
    case = platform.cases.act(CompleteTask(task.id, "rsj:provincial"))
    assert case.status is CaseStatus.CONCLUDED
    assert [o.kind for o in case.outputs] == ["talent_card"]
    issued = [e for e in platform.cases.events(case.id) if e.kind is EventKind.LICENCE_ISSUED]
    # The signed card names its holder by masked ID number (no full ID in a QR code).
    assert issued and issued[0].data["holder"] == mask_id_number(TALENT_ID)


def test_title_fast_track_issues_an_electronic_certificate(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(at(11, 26, 9, 30))
    result = platform.cases.submit(
        SubmitApplication(
            "talent.title_fast_track",
            TALENT_ID,
            "孙明远",
            "370102",
            {
                "employer_name": "山东某大学",
                "employer_credit_code": UNIVERSITY,
                "discipline": "材料科学",
                "title": "正高级工程师",
            },
        )
    )
    case = platform.cases.get(result.case_id)
    clock.set(at(12, 10, 15))
    case = platform.cases.act(CompleteTask(case.tasks[0].id, "rsj:committee", "评审通过，已公示"))
    assert case.status is CaseStatus.CONCLUDED
    assert [(o.kind, o.name_zh) for o in case.outputs] == [("title_certificate", "职称电子证书")]
