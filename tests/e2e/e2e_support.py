"""Shared helpers of the HTTP-level tests (imported by the conftest and the tests)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

with warnings.catch_warnings():
    # Starlette's test client announces a future switch of HTTP library at import time.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from yiwang.accounts.demo import DEMO_PASSWORD, DemoCases
from yiwang.accounts.models import DemoAccount
from yiwang.bootstrap import Platform


@dataclass
class Demo:
    platform: Platform
    client: TestClient
    accounts: dict[str, DemoAccount]
    cases: DemoCases

    @property
    def founder(self) -> str:
        """The demo applicant (a person, the founder of the demo start-up)."""
        return next(u for u, a in self.accounts.items() if a.role.value == "applicant" and a.scope.startswith("个人"))

    @property
    def enterprise(self) -> str:
        """The demo enterprise account (used by its authorised agent)."""
        return next(u for u, a in self.accounts.items() if a.role.value == "applicant" and a.scope.startswith("企业"))

    def token(self, username: str) -> str:
        response = self.client.post("/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def headers(self, username: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"} if username else {}
