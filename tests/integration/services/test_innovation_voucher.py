"""Innovation vouchers on the month's working-day cycle (plan 6): the city reviews by the
12th working day of the month, the province pays by the 17th."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from yiwang.bootstrap import Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.clock import SimulatedClock
from yiwang.identity.numbers import allocate_credit_code

pytestmark = pytest.mark.integration
SHANGHAI = ZoneInfo("Asia/Shanghai")
COMPANY = allocate_credit_code("9", "1", "370102", 3131)


def test_voucher_windows_over_national_day(platform: Platform, clock: SimulatedClock) -> None:
    # 9 October 2026 is the 2nd working day of October (1-7 October are holidays).
    clock.set(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI))
    case = platform.cases.get(
        platform.cases.submit(
            SubmitApplication(
                "bundle.innovation_voucher",
                COMPANY,
                "济南泉源检测科技有限公司",
                "370102",
                {"voucher_numbers": "CXQ-2026-000123", "amount": "50000", "service_provider": "山东省计量科学研究院"},
            )
        ).case_id
    )
    review = case.tasks[0]
    assert review.department_code == "science_technology@370100"
    # The 12th working day of October 2026 is the 22nd (the 10th, a Saturday, is worked).
    assert review.deadline.due_at == datetime(2026, 10, 22, 17, tzinfo=SHANGHAI)
    assert case.deadline.due_at == datetime(2026, 10, 29, 17, tzinfo=SHANGHAI)
    clock.set(datetime(2026, 10, 20, 11, 0, tzinfo=SHANGHAI))
    case = platform.cases.act(CompleteTask(review.id, "reviewer:science_technology@370100"))
    payment = case.tasks[1]
    # The province pays: routed by the province-wide implementation list.
    assert payment.department_code == "science_technology@370000"
    assert payment.deadline.due_at == datetime(2026, 10, 29, 17, tzinfo=SHANGHAI)
