"""Implementation lists (R-CAT-4): routing by level, split review/approval, front-moved
windows, function zones, linked items, and the lists in the catalog diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from support import FOUNDER_ID
from yiwang.bootstrap import SHIPPED_CATALOG, Platform
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.cases.models import TaskKind, TaskStatus
from yiwang.catalog.errors import CatalogInvalid
from yiwang.catalog.loader import load_catalog_dir
from yiwang.cli.main import _register, app
from yiwang.clock import SimulatedClock

pytestmark = pytest.mark.integration
_register()


def test_list_routes_items_to_their_level() -> None:
    from yiwang.cases.engine import item_route

    catalog = load_catalog_dir(SHIPPED_CATALOG)
    hrss = catalog.item("hrss.employer_social_insurance_registration")
    assert item_route(catalog, hrss, "370112") == ("human_resources@370112", None)  # delegated
    assert item_route(catalog, hrss, "370102") == ("human_resources@370100", None)  # default: city
    permit = catalog.item("hc.construction_permit")
    assert item_route(catalog, permit, "370190") == ("housing_construction@370190", None)  # 区内事区内办
    change = catalog.item("market.enterprise_address_change")
    assert item_route(catalog, change, "370112") == ("market_regulation@370100", "market_regulation@370112")


def test_county_reviews_then_city_approves(platform: Platform, clock: SimulatedClock) -> None:
    with platform.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id_number, name, gender, birth_date, region_code, phone) "
                "VALUES (:id, '李明', 'male', '1988-05-17', '370102', '13905311234')"
            ),
            {"id": FOUNDER_ID},
        )
    case_id = platform.cases.submit(
        SubmitApplication(
            "market.enterprise_address_change",
            "91370100MA3C00000X",
            "济南泉城智造有限公司",
            "370112",
            {"new_address": "历城区工业北路1号", "region_code": "370112", "legal_rep_id": FOUNDER_ID},
        )
    ).case_id
    case = platform.cases.get(case_id)
    [review] = case.tasks
    assert (review.kind, review.department_code) == (TaskKind.PRELIMINARY_REVIEW, "market_regulation@370112")
    clock.advance(hours=2)
    case = platform.cases.act(CompleteTask(review.id, "reviewer:market_regulation@370112"))
    approval = case.tasks[1]
    assert (approval.kind, approval.department_code, approval.status) == (
        TaskKind.REVIEW,
        "market_regulation@370100",
        TaskStatus.PENDING,
    )
    # The approval runs within what is left of the item's one working day.
    calendar = platform.calendars.current()
    assert approval.deadline.due_at is not None and review.deadline.due_at is not None
    assert abs(calendar.working_seconds_between(approval.deadline.due_at, review.deadline.due_at)) <= 1
    clock.advance(hours=1)
    case = platform.cases.act(CompleteTask(approval.id, "reviewer:market_regulation@370100"))
    assert case.status.value == "concluded"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(SHIPPED_CATALOG, root)
    return root


def test_check_refuses_a_list_that_splits_linked_items(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    zone = root / "implementation" / "370190.yaml"
    text_ = zone.read_text(encoding="utf-8")
    zone.write_text(text_.split("  - item: hc.contract_filing")[0], encoding="utf-8")  # drop one of three
    with pytest.raises(CatalogInvalid) as invalid:
        load_catalog_dir(root)
    assert any("一链办理" in p.message and p.file == "implementation/370190.yaml" for p in invalid.value.problems)


def test_diff_reports_list_changes_with_basis_and_date(tmp_path: Path) -> None:
    old = _copy(tmp_path / "old")
    (old / "implementation" / "370112.yaml").unlink()
    result = CliRunner().invoke(app, ["catalog", "diff", str(old), str(SHIPPED_CATALOG), "--json"])
    assert result.exit_code == 0, result.output
    changes = {(c["region"], c["item"]): c for c in json.loads(result.output)["implementation_lists"]}
    added = changes[("370112", "market.enterprise_address_change")]
    assert added["change"] == "added" and added["since"] == "2020-12-01"
    assert "reviewed at county" in added["after"] and added["legal_basis"]
