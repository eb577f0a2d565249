"""The talent card (惠才卡) is an electronic licence; its holder's later cases are flagged for
the green channel in every inbox (R-SVC-TAL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from support import FOUNDER_ID, FOUNDER_NAME, register_founder, startup_form
from yiwang.bootstrap import Platform
from yiwang.cases.commands import SubmitApplication
from yiwang.cases.models import CaseStatus
from yiwang.db import tables as t
from yiwang.identity.numbers import allocate_credit_code
from yiwang.licences.verification import verify

pytestmark = pytest.mark.integration


def _card_form(track: str) -> dict[str, str]:
    return {
        "talent_name": FOUNDER_NAME,
        "talent_id": FOUNDER_ID,
        "employer_name": "济南市历下区惠才人力资源有限公司",
        "employer_credit_code": allocate_credit_code("9", "1", "370102", 4242),
        "issue_track": track,
        "talent_level": "泰山学者",
    }


def _registered(platform: Platform) -> None:
    """The talent and the employer are in the registries: a card is decided by rule only on
    registry proof (a made-up employer sends it to a reviewer)."""
    register_founder(platform)
    with platform.engine.begin() as connection:
        connection.execute(
            insert(t.enterprises),
            {
                "credit_code": _card_form("direct")["employer_credit_code"],
                "name": "济南市历下区惠才人力资源有限公司",
                "name_key": "惠才人力资源",
                "entity_type": "llc_natural_person",
                "region_code": "370102",
                "legal_rep_id": FOUNDER_ID,
                "registered_on": dt.date(2020, 1, 2),
                "sector": "I",
                "address": "泉城路188号",
                "case_id": None,
            },
        )


def test_direct_track_card_is_issued_at_once_and_flags_later_cases(platform: Platform) -> None:
    _registered(platform)
    first = platform.cases.submit(
        SubmitApplication("talent.huicai_card", FOUNDER_ID, FOUNDER_NAME, "370102", _card_form("direct"))
    )
    case = platform.cases.get(first.case_id)
    assert case.status is CaseStatus.CONCLUDED and not case.priority
    with platform.unit_of_work(read_only=True) as uow:
        [card] = uow.licences.of_case(case.id)
        revocations = uow.licences.revocations()
    assert card.licence.kind.code == "talent_card" and card.licence.holder_id == FOUNDER_ID
    assert card.licence.field("人才层次") == "泰山学者"
    assert verify(card.qr_text, platform.licence_keys.keyring(), revocations).status == "valid"

    later = platform.cases.submit(
        SubmitApplication("bundle.enterprise_startup", FOUNDER_ID, FOUNDER_NAME, "370102", startup_form())
    )
    later_case = platform.cases.get(later.case_id)
    assert later_case.priority
    assert later_case.facts["applicant.talent_card"] == "yes"


def test_review_track_waits_for_the_provincial_decision(platform: Platform) -> None:
    result = platform.cases.submit(
        SubmitApplication("talent.huicai_card", FOUNDER_ID, FOUNDER_NAME, "370102", _card_form("review"))
    )
    case = platform.cases.get(result.case_id)
    assert case.status is CaseStatus.IN_PROGRESS
    assert str(case.tasks[0].deadline.clock.limit) == "10wd"
    later = platform.cases.get(
        platform.cases.submit(
            SubmitApplication("bundle.enterprise_startup", FOUNDER_ID, FOUNDER_NAME, "370102", startup_form())
        ).case_id
    )
    assert not later.priority
