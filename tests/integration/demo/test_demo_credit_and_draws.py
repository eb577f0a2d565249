"""The demo's credit file is mixed, so its double-random draws select enterprises (the Jinan
joint draw selected none while every enterprise was 诚信守法)."""

from __future__ import annotations

import csv

import pytest

from yiwang.bootstrap import Platform
from yiwang.credit.models import CreditClass
from yiwang.demo.inspections import demo_roster, publish_demo_draws
from yiwang.demo.province import seed_demo_province
from yiwang.inspections.views import published_root

pytestmark = pytest.mark.integration


def test_the_demo_draws_select_enterprises_of_every_dishonest_class(platform: Platform) -> None:
    if platform.engine.dialect.name != "sqlite":
        pytest.skip("the full-size demo province is seeded once, on SQLite")
    seed_demo_province(platform)
    classes = {entry.credit_class for entry in demo_roster(platform).entries()}
    assert classes == set(CreditClass)
    assert "SD-JN-2024-JOINT-01" in publish_demo_draws(platform)
    with (published_root(platform) / "SD-JN-2024-JOINT-01" / "selection.csv").open(encoding="utf-8") as file:
        selected = list(csv.DictReader(file))
    assert len(selected) >= 1
