"""HTTP-level fixtures: the FastAPI app on the `platform` fixture (SQLite and PostgreSQL),
with the demo accounts and in-flight demo cases seeded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from e2e_support import Demo, TestClient

from yiwang.accounts import services as account_services
from yiwang.bootstrap import Platform
from yiwang.demo.accounts import seed_demo_accounts, seed_demo_cases
from yiwang.demo.inspections import publish_demo_draws
from yiwang.demo.province import ensure_signing_keys, seed_demo_province
from yiwang.server import create_app


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Full-strength argon2 takes ~0.2 s per hash; the tests hash a dozen passwords per database.
    monkeypatch.setattr(account_services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def demo(platform: Platform) -> Iterator[Demo]:
    population = seed_demo_province(platform, people=600, enterprises=200)
    ensure_signing_keys(platform)
    accounts = seed_demo_accounts(platform, population)
    cases = seed_demo_cases(platform, population)
    assert cases is not None
    publish_demo_draws(platform)
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield Demo(platform, client, {a.username: a for a in accounts}, cases)
