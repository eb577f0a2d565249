"""The talent card (惠才卡) is an electronic licence; its holder's later cases are flagged for
the green channel in every inbox (R-SVC-TAL)."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from sqlalchemy import insert, text

from support import FOUNDER_ID, FOUNDER_NAME, register_founder, startup_form, supply_record
from yiwang.bootstrap import Platform
from yiwang.cases.commands import SubmitApplication
from yiwang.cases.models import CaseStatus, EventKind
from yiwang.db import tables as t
from yiwang.identity.numbers import allocate_credit_code, make_id_number
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
    # The provincial department supplied the recognition; the card rests on that record.
    supply_record(platform, "talent_registry", "direct_issue", FOUNDER_ID, "yes", "省人力资源社会保障厅")
    first = platform.cases.submit(
        SubmitApplication("talent.huicai_card", FOUNDER_ID, FOUNDER_NAME, "370102", _card_form("direct"))
    )
    case = platform.cases.get(first.case_id)
    assert case.status is CaseStatus.CONCLUDED and not case.priority
    decision = next(e for e in platform.cases.events(case.id) if e.kind is EventKind.AUTOMATIC_DECISION)
    evidence = decision.data["evidence"]["talent.direct_issue"]
    assert evidence["value"] == "yes" and evidence["source"].startswith("talent_registry.direct_issue")
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


def test_a_self_declared_direct_track_without_the_departments_record_is_reviewed(
    platform: Platform,
) -> None:
    """Reproduced: anyone who ticked 直接颁发类 got a signed card at once (a 1995-born
    "自称高层次人才"). Without the provincial department's record it goes to review."""
    self_declared = make_id_number("370102", date(1995, 3, 8), 517)
    form = {**_card_form("direct"), "talent_id": self_declared, "talent_name": "王某", "talent_level": "自称高层次人才"}
    case = platform.cases.get(
        platform.cases.submit(
            SubmitApplication("talent.huicai_card", self_declared, "王某", "370102", form)
        ).case_id
    )
    assert case.status is CaseStatus.IN_PROGRESS and not case.outputs
    assert case.tasks[0].decided_by_rule is None
    assert str(case.tasks[0].deadline.clock.limit) == "10wd"
    assert case.facts["talent.direct_issue"] == "no"
    with platform.unit_of_work(read_only=True) as uow:
        assert uow.licences.of_case(case.id) == []
    # The check itself was a logged read of the talent dataset.
    with platform.engine.connect() as connection:
        reads = connection.execute(
            text("SELECT dataset FROM access_log WHERE case_id = :c"), {"c": case.id}
        ).scalars().all()
    assert "talent_registry" in reads
