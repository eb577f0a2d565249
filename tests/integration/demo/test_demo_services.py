"""The demo province holds a case of each service of the plans."""

from __future__ import annotations

import pytest

from yiwang.bootstrap import Platform
from yiwang.demo.province import seed_demo_province, seed_service_cases

pytestmark = pytest.mark.integration


def test_each_service_has_a_demo_case(platform: Platform) -> None:
    population = seed_demo_province(platform, people=300, enterprises=60)
    case_ids = seed_service_cases(platform, population)
    subjects = {platform.cases.get(case_id).subject_code for case_id in case_ids}
    assert subjects == {
        "bundle.real_estate_secondhand_transfer",
        "medins.employee_manual_reimbursement",
        "talent.huicai_card",
        "trade.export_tax_refund",
        "bundle.internal_consultation",
        "bundle.innovation_voucher",
    }
    # Seeding twice files nothing new (keyed submissions).
    assert seed_service_cases(platform, population) == case_ids
