"""Shared helpers of the HTTP-level tests (imported by the conftest and the tests)."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

with warnings.catch_warnings():
    # Starlette's test client announces a future switch of HTTP library at import time.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from yiwang.bootstrap import Platform
from yiwang.demo.accounts import DEMO_PASSWORD, DemoAccount, DemoCases


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


def page_client(demo: Demo, username: str | None) -> tuple[TestClient, str]:
    """A browser-like client signed in through the login form; returns it and its CSRF token."""
    from yiwang.server import create_app

    client = TestClient(create_app(demo.platform), raise_server_exceptions=False)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    if username:
        response = client.post(
            "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}, follow_redirects=False
        )
        assert response.status_code == 303, response.text[:300]
        # Signing in rotates the CSRF token: the forms now carry the new one.
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
        assert token is not None
    return client, token.group(1)
