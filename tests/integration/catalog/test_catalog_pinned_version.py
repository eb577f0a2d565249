"""A case keeps the catalog version it started on: a reviewer's conditional-sharing request
is checked against the datasets of that version, and an applicant is classified under the
credit rules of the version the case is pinned to, not of the one the process started with."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from yiwang.bootstrap import SHIPPED_CATALOG, Platform
from yiwang.cases.commands import CompleteTask, RequestSharedData, SubmitApplication
from yiwang.cases.errors import CaseError
from yiwang.cases.models import TaskStatus
from yiwang.clock import SimulatedClock
from yiwang.identity.numbers import allocate_credit_code, make_id_number

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUNDLE = "bundle.real_estate_secondhand_transfer"
SELLER_ID = make_id_number("370102", datetime(1975, 3, 8).date(), 112)
BUYER_ID = make_id_number("370103", datetime(1992, 11, 20).date(), 245)
MARRIAGE_STATUS = "      - {code: status, name: {zh: 婚姻状况, en: Marital status}, personal: true}\n"
DIVORCE_DATE = "      - {code: divorce_date, name: {zh: 离婚日期, en: Date of divorce}, personal: true}\n"


def transfer_form() -> dict[str, Any]:
    return {
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


def test_sharing_request_is_checked_against_the_cases_catalog_version(
    platform: Platform, clock: SimulatedClock, tmp_path: Path
) -> None:
    clock.set(datetime(2026, 11, 26, 9, 30, tzinfo=SHANGHAI))
    submitted = platform.cases.submit(
        SubmitApplication(BUNDLE, SELLER_ID, "王建国", "370102", transfer_form(), channel="window")
    )
    case = platform.cases.get(submitted.case_id)
    # 先税后证: the registration opens once the deed tax is paid.
    tax = next(t for t in case.tasks if t.item_code == "tax.real_estate_transaction_tax")
    platform.cases.act(CompleteTask(tax.id, "swj:zhao"))
    case = platform.cases.get(submitted.case_id)
    registration = next(t for t in case.tasks if t.item_code == "realestate.transfer_registration")

    # A later catalog adds a field to the marriage dataset; the running case does not see it.
    newer = tmp_path / "catalog"
    shutil.copytree(SHIPPED_CATALOG, newer)
    registries = newer / "registries.yaml"
    text = registries.read_text(encoding="utf-8")
    assert MARRIAGE_STATUS in text
    registries.write_text(text.replace(MARRIAGE_STATUS, MARRIAGE_STATUS + DIVORCE_DATE), encoding="utf-8")
    published = platform.catalogs.publish(newer, clock())
    assert published.version != case.catalog_version
    assert "divorce_date" in {f.code for f in platform.catalogs.current().datasets["marriage"].fields}

    with pytest.raises(CaseError, match=r"no registry field marriage\.divorce_date"):
        platform.cases.request_shared_data(
            RequestSharedData(registration.id, "zrj:sun", "marriage.divorce_date", SELLER_ID, "核实")
        )
    assert platform.cases.get(case.id).task(registration.id).status is not TaskStatus.WAITING_DATA

    # What the case's own version holds is still asked for.
    platform.cases.request_shared_data(
        RequestSharedData(registration.id, "zrj:sun", "marriage.status", SELLER_ID, "核实婚姻状况")
    )
    assert platform.cases.get(case.id).task(registration.id).status is TaskStatus.WAITING_DATA


def newer_catalog(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(SHIPPED_CATALOG, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_submission_is_classified_under_the_credit_rules_of_its_version(
    platform: Platform, clock: SimulatedClock, tmp_path: Path
) -> None:
    company = allocate_credit_code("9", "1", "370290", 5151)
    clock.set(datetime(2026, 11, 26, 9, 30, tzinfo=SHANGHAI))

    def credit_class() -> str:
        submitted = platform.cases.submit(
            SubmitApplication(
                "trade.export_tax_refund",
                company,
                "青岛海川精密机械有限公司",
                "370290",
                {"period": "2026-08", "refund_amount": "386500.00"},
            )
        )
        return platform.cases.get(submitted.case_id).facts["applicant.credit_class"]

    # No record: 诚信守法 by default. (The refund's 2-working-day limit follows the tax
    # bureau's exporter class, not this credit class: docs/legal.md.)
    assert credit_class() == "诚信守法"
    # A newer catalog whose rules class a company without records lower.
    root = newer_catalog(
        tmp_path, "credit/rules.yaml", "  class: 诚信守法\n  text_zh: 无计入", "  class: 轻微失信\n  text_zh: 无计入"
    )
    platform.catalogs.publish(root, clock())
    assert credit_class() == "轻微失信"
