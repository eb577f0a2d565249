"""The start-up's business licence prints what the entity's kind registers, end to end: an
individual business its 经营者 and 组成形式, a partnership its 执行事务合伙人 and 出资额, never
a 法定代表人 or 注册资本 that the kind does not have."""

from __future__ import annotations

import pytest

from support import complete_open_tasks, submit_startup
from yiwang.bootstrap import Platform
from yiwang.clock import SimulatedClock
from yiwang.licences.models import Licence

pytestmark = pytest.mark.integration


def _licence(platform: Platform, clock: SimulatedClock, **form: object) -> Licence:
    case_id = submit_startup(platform, key=None, **form)
    complete_open_tasks(platform, clock, case_id)
    with platform.unit_of_work(read_only=True) as uow:
        (signed,) = list(uow.licences.of_case(case_id))
    return signed.licence


def test_an_individual_business_licence_names_its_operator(
    platform: Platform, clock: SimulatedClock
) -> None:
    licence = _licence(
        platform,
        clock,
        company_name="济南市历下区明湖数据科技工作室",
        entity_type="individual_business",
        composition="family",
        # The merged form asks every kind for a capital (a required field); the licence of
        # an individual business does not print it.
        registered_capital="10",
    )
    names = [name for name, _ in licence.fields]
    assert licence.field("经营者") and licence.field("组成形式") == "家庭经营"
    assert "法定代表人" not in names and "注册资本" not in names


def test_a_partnership_licence_names_its_executive_partner_and_contribution(
    platform: Platform, clock: SimulatedClock
) -> None:
    licence = _licence(
        platform,
        clock,
        company_name="济南市历下区明湖数据科技合伙企业（有限合伙）",
        entity_type="partnership",
        registered_capital="80",
    )
    names = [name for name, _ in licence.fields]
    assert licence.field("执行事务合伙人") and licence.field("出资额") == "80万元"
    assert "法定代表人" not in names and "注册资本" not in names


def test_a_company_licence_still_names_its_legal_representative(
    platform: Platform, clock: SimulatedClock
) -> None:
    licence = _licence(platform, clock)
    assert licence.field("法定代表人") and licence.field("注册资本") == "50万元"
