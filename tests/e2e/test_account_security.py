"""Sign-in throttling, API tokens and the account commands, through the API, the pages and
the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text

from yiwang.accounts.models import Role
from yiwang.bootstrap import Platform, build_services
from yiwang.clock import SimulatedClock
from yiwang.server import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct-horse-battery"
ATTACKER = ("198.51.100.66", 40000)
OFFICE = ("203.0.113.10", 50000)


@dataclass
class Site:
    platform: Platform
    clock: SimulatedClock
    app: FastAPI

    def client(self, address: tuple[str, int] = OFFICE) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False, client=address)


@pytest.fixture
def site(platform: Platform, clock: SimulatedClock) -> Iterator[Site]:
    accounts = build_services(platform).accounts
    accounts.create_staff("admin", PASSWORD, Role.ADMIN, "管理员")
    accounts.create_staff("clerk.jinan", PASSWORD, Role.CLERK, "窗口", region_code="370100")
    yield Site(platform, clock, create_app(platform))


def _sign_in(client: TestClient, username: str = "admin", password: str = PASSWORD, label: str = "api") -> tuple[int, dict[str, object], dict[str, str]]:
    response = client.post("/api/v1/tokens", json={"username": username, "password": password, "label": label})
    return response.status_code, response.json(), dict(response.headers)


def _token(client: TestClient, username: str = "admin", label: str = "api") -> str:
    status, body, _ = _sign_in(client, username, label=label)
    assert status == 201, body
    return str(body["token"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- throttling ------------------------------------------------------------------------------


def test_five_anonymous_wrong_passwords_do_not_lock_the_admin_out(site: Site) -> None:
    attacker = site.client(ATTACKER)
    for _ in range(5):
        assert _sign_in(attacker, password="guess-guess")[0] == 401
    status, body, headers = _sign_in(attacker, password="guess-again")
    assert status == 429 and headers["retry-after"] == "1"
    assert "秒后再试" in str(body) and "seconds" in str(body)
    # The administrator, from the office, at once.
    assert _sign_in(site.client(OFFICE))[0] == 201


def test_delays_double_and_hammering_does_not_extend_them(site: Site) -> None:
    attacker = site.client(ATTACKER)
    for _ in range(5):
        assert _sign_in(attacker, password="guess-guess")[0] == 401
    for _ in range(20):  # refused unchecked, and not counted
        assert _sign_in(attacker, password="guess-guess")[0] == 429
    site.clock.advance(seconds=1)
    assert _sign_in(attacker, password="guess-guess")[0] == 401  # the 6th real try
    status, _, headers = _sign_in(attacker)
    assert status == 429 and headers["retry-after"] == "2"
    site.clock.advance(seconds=2)
    assert _sign_in(attacker)[0] == 201  # even from there, once the wait is over


def test_a_distributed_guess_slows_the_owner_by_at_most_a_minute(site: Site) -> None:
    for index in range(40):
        assert _sign_in(site.client((f"192.0.2.{index + 1}", 1000)), password="guess-guess")[0] in (401, 429)
    status, _, headers = _sign_in(site.client(OFFICE))
    assert status == 201 or (status == 429 and int(headers["retry-after"]) <= 60)
    site.clock.advance(seconds=60)
    assert _sign_in(site.client(OFFICE))[0] == 201


def test_one_address_spraying_many_names_is_slowed_down(site: Site) -> None:
    accounts = build_services(site.platform).accounts
    for index in range(21):
        # Real names: an unknown one costs a full-strength dummy hash (by design).
        accounts.create_staff(f"user{index}", PASSWORD, Role.CLERK, "窗口", region_code="370100")
    attacker = site.client(ATTACKER)
    for index in range(20):
        assert _sign_in(attacker, username=f"user{index}", password="guess-guess")[0] == 401
    assert _sign_in(attacker, username="user20", password="guess-guess")[0] == 429
    assert _sign_in(site.client(OFFICE), username="user20")[0] == 201


def _cli(engine: Engine, *args: str) -> subprocess.CompletedProcess[str]:
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            url += "?options=-csearch_path%3D" + connection.execute(text("SHOW search_path")).scalar_one()
    env = {**os.environ, "YIWANG_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "yiwang.cli", *args], env=env, capture_output=True, text=True, check=False)


def test_yiwang_accounts_unlock_lifts_the_wait(site: Site) -> None:
    attacker = site.client(ATTACKER)
    for _ in range(5):
        _sign_in(attacker, password="guess-guess")
    assert _sign_in(attacker)[0] == 429
    result = _cli(site.platform.engine, "accounts", "unlock", "admin")
    assert result.returncode == 0, result.stderr
    assert "unlocked" in result.stdout
    assert _sign_in(attacker)[0] == 201
    missing = _cli(site.platform.engine, "accounts", "unlock", "nobody")
    assert missing.returncode == 1 and "no account" in missing.stderr and "Traceback" not in missing.stderr


# --- tokens ----------------------------------------------------------------------------------


def test_tokens_are_listed_without_secrets_and_revocable_one_by_one(site: Site) -> None:
    client = site.client()
    laptop, phone = _token(client, label="laptop"), _token(client, label="phone")
    listed = client.get("/api/v1/tokens", headers=_bearer(laptop))
    assert listed.status_code == 200
    tokens = listed.json()
    assert sorted(t["label"] for t in tokens) == ["laptop", "phone"] and all(t["active"] for t in tokens)
    assert laptop not in listed.text and phone not in listed.text
    phone_id = next(t["id"] for t in tokens if t["label"] == "phone")
    # Another account cannot revoke it, and cannot even tell that it exists.
    clerk = _token(client, "clerk.jinan")
    assert client.delete(f"/api/v1/tokens/{phone_id}", headers=_bearer(clerk)).status_code == 422
    assert client.get("/api/v1/me", headers=_bearer(phone)).status_code == 200
    assert client.delete(f"/api/v1/tokens/{phone_id}", headers=_bearer(laptop)).status_code == 204
    assert client.get("/api/v1/me", headers=_bearer(phone)).status_code == 401
    assert client.get("/api/v1/me", headers=_bearer(laptop)).status_code == 200
    states = {t["label"]: t["active"] for t in client.get("/api/v1/tokens", headers=_bearer(laptop)).json()}
    assert states == {"laptop": True, "phone": False}


def _page_session(site: Site) -> TestClient:
    browser = site.client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)
    assert csrf is not None
    signed_in = browser.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": csrf.group(1)}, follow_redirects=False)
    assert signed_in.status_code == 303
    assert browser.get("/admin", follow_redirects=False).status_code == 200
    return browser


def test_logout_everywhere_revokes_every_token_and_session(site: Site) -> None:
    client = site.client()
    first, second = _token(client), _token(client)
    browser = _page_session(site)
    assert client.post("/api/v1/logout-everywhere", headers=_bearer(first)).status_code == 204
    for token in (first, second):
        assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    assert browser.get("/admin", follow_redirects=False).status_code == 303  # back to the login page


def test_a_password_change_revokes_every_token_and_session(site: Site) -> None:
    client = site.client()
    token, other = _token(client), _token(client)
    browser = _page_session(site)
    wrong = client.post("/api/v1/me/password", json={"current_password": "not-it-at-all", "new_password": "a-new-long-one"}, headers=_bearer(token))
    assert wrong.status_code == 401
    changed = client.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "a-new-long-one"}, headers=_bearer(token))
    assert changed.status_code == 204
    for old in (token, other):
        assert client.get("/api/v1/me", headers=_bearer(old)).status_code == 401
    assert browser.get("/admin", follow_redirects=False).status_code == 303
    assert _sign_in(client)[0] == 401
    assert _sign_in(client, password="a-new-long-one")[0] == 201


def test_locking_an_account_revokes_its_tokens_and_unlock_restores_sign_in(site: Site) -> None:
    client = site.client()
    token = _token(client, "clerk.jinan")
    listed = _cli(site.platform.engine, "accounts", "tokens", "clerk.jinan", "--json")
    assert listed.returncode == 0 and '"active": true' in listed.stdout
    locked = _cli(site.platform.engine, "accounts", "lock", "clerk.jinan")
    assert locked.returncode == 0, locked.stderr
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    assert _sign_in(client, "clerk.jinan")[0] == 401
    assert _cli(site.platform.engine, "accounts", "unlock", "clerk.jinan").returncode == 0
    assert _sign_in(client, "clerk.jinan")[0] == 201


def test_the_cli_revokes_one_token_by_id(site: Site) -> None:
    client = site.client()
    token = _token(client, "clerk.jinan", label="bank-app")
    token_id = client.get("/api/v1/tokens", headers=_bearer(token)).json()[0]["id"]
    bad = _cli(site.platform.engine, "accounts", "revoke-token", "clerk.jinan", "0" * 16)
    assert bad.returncode == 1 and "no such token" in bad.stderr
    done = _cli(site.platform.engine, "accounts", "revoke-token", "clerk.jinan", token_id)
    assert done.returncode == 0, done.stderr
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


# --- pages -----------------------------------------------------------------------------------


def test_signing_in_rotates_the_csrf_token(site: Site) -> None:
    browser = site.client()
    before = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)
    assert before is not None
    signed_in = browser.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": before.group(1)}, follow_redirects=False)
    assert signed_in.status_code == 303
    assert browser.cookies.get("yw_csrf") not in (None, before.group(1))
    # The token planted before sign-in no longer works; the new one does.
    assert browser.post("/logout", data={"csrf_token": before.group(1)}, follow_redirects=False).status_code == 403
    after = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/admin").text)
    assert after is not None and after.group(1) != before.group(1)
    assert browser.post("/logout", data={"csrf_token": after.group(1)}, follow_redirects=False).status_code == 303


def test_a_form_posted_from_another_site_is_refused(site: Site) -> None:
    browser = site.client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)
    assert csrf is not None
    form = {"username": "admin", "password": PASSWORD, "csrf_token": csrf.group(1)}
    foreign = browser.post("/login", data=form, headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert foreign.status_code == 403 and "来源" in foreign.text
    own = browser.post("/login", data=form, headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert own.status_code == 303


def test_personal_pages_and_json_are_not_cached(site: Site) -> None:
    client = site.client()
    token = _token(client)
    me = client.get("/api/v1/me", headers=_bearer(token))
    assert me.headers["cache-control"] == "no-store"
    browser = _page_session(site)
    page = browser.get("/admin")
    assert page.headers["cache-control"] == "no-store" and "strict-transport-security" not in page.headers


def test_production_refuses_the_default_secret_and_sends_hsts(site: Site) -> None:
    from yiwang.http_guard import UnsafeSettings

    production = site.platform.settings.model_copy(update={"environment": "production"})
    with pytest.raises(UnsafeSettings):
        create_app(replace(site.platform, settings=production))
    keyed = replace(site.platform, settings=production.model_copy(update={"secret_key": "s" * 48}))
    response = TestClient(create_app(keyed)).get("/login")
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_serve_refuses_to_start_in_production_with_the_default_secret(site: Site) -> None:
    env = {**os.environ, "YIWANG_ENVIRONMENT": "production"}
    env.pop("YIWANG_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "yiwang.cli", "serve", "--no-demo"], env=env, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 2
    assert "YIWANG_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_token_and_password_routes_refuse_strangers_and_bad_input(site: Site) -> None:
    client = site.client()
    for method, path in (("GET", "/api/v1/tokens"), ("DELETE", "/api/v1/tokens/" + "a" * 16), ("POST", "/api/v1/logout-everywhere")):
        assert client.request(method, path).status_code == 401
    token = _token(client)
    for bad in ("x", "../" * 10, "%00", "g" * 16, "a" * 64):
        assert 400 <= client.delete(f"/api/v1/tokens/{bad}", headers=_bearer(token)).status_code < 500, bad
    short = client.post("/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"}, headers=_bearer(token))
    assert short.status_code == 422 and short.json()["error"]["problems"][0]["field"] == "new_password"
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200  # nothing revoked


def test_the_sign_in_page_says_when_to_try_again_as_the_api_does(site: Site) -> None:
    attacker = site.client(ATTACKER)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', attacker.get("/login").text)
    assert csrf is not None
    form = {"username": "admin", "password": "guess-guess", "csrf_token": csrf.group(1)}
    for _ in range(5):
        assert attacker.post("/login", data=form, follow_redirects=False).status_code == 401
    throttled = attacker.post("/login", data=form, follow_redirects=False)
    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "1"
    assert "秒后再试" in throttled.text
