"""Innovation vouchers on the month's working-day cycle (plan 6): the city reviews by the
12th working day of the month, the province pays by the 17th."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from yiwang.bootstrap import Platform
from yiwang.calendar import OutsideMonthWindow
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


def _submit(platform: Platform) -> str:
    return platform.cases.submit(
        SubmitApplication(
            "bundle.innovation_voucher",
            COMPANY,
            "济南泉源检测科技有限公司",
            "370102",
            {
                "voucher_numbers": "CXQ-2026-000124",
                "amount": "30000",
                "service_provider": "山东省计量科学研究院",
            },
        )
    ).case_id


def test_the_seventh_working_day_is_the_last_day_to_submit(
    platform: Platform, clock: SimulatedClock
) -> None:
    # October 2026: 8, 9, 10 (worked Saturday), 12, 13, 14, 15 -> the 7th working day is the 15th.
    clock.set(datetime(2026, 10, 15, 20, 0, tzinfo=SHANGHAI))
    assert platform.cases.get(_submit(platform)).subject_code == "bundle.innovation_voucher"


def test_the_eighth_working_day_is_refused_with_the_next_window(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(datetime(2026, 10, 16, 9, 0, tzinfo=SHANGHAI))
    with pytest.raises(OutsideMonthWindow) as refused:
        _submit(platform)
    # November 2026: working days 1-7 are 2-10 November.
    assert (refused.value.next_first, refused.value.next_last) == (
        date(2026, 11, 2),
        date(2026, 11, 10),
    )
    assert "2026-11-02 至 2026-11-10" in refused.value.message_zh
    assert "2026-11-02 to 2026-11-10" in refused.value.message_en


def test_a_holiday_before_the_window_names_this_months_window(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(datetime(2026, 10, 3, 10, 0, tzinfo=SHANGHAI))  # 国庆: no working day yet
    with pytest.raises(OutsideMonthWindow) as refused:
        _submit(platform)
    assert (refused.value.next_first, refused.value.next_last) == (
        date(2026, 10, 8),
        date(2026, 10, 15),
    )


def test_february_payment_is_due_within_february(platform: Platform, clock: SimulatedClock) -> None:
    # February 2026 has 16 working days: the province pays by the last, Saturday 28 February
    # (a worked day), as `yiwang calendar windows 2026-02` shows; not 24 March.
    clock.set(datetime(2026, 2, 2, 10, 0, tzinfo=SHANGHAI))
    case = platform.cases.get(_submit(platform))
    assert case.deadline.due_at == datetime(2026, 2, 28, 17, tzinfo=SHANGHAI)
