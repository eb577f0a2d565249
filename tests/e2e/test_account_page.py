"""账号与安全 (/me/account) through the pages, on SQLite and PostgreSQL: API tokens listed
(never their secrets), created (the secret shown once) and revoked; the password changed; "sign
out everywhere". And what an attacker tries: a form without its CSRF token, a wrong current
password, another account's token id, a revoked token on the API, a session that should have
ended."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI

from yiwang.accounts.models import Role
from yiwang.bootstrap import Platform, build_services
from yiwang.server import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-brand-new-passphrase"
PAGE = "/me/account"


@dataclass
class Site:
    platform: Platform
    app: FastAPI

    def client(self) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False)

    def token(self, username: str = "admin", label: str = "api", password: str = PASSWORD) -> str:
        response = self.client().post("/api/v1/tokens", json={"username": username, "password": password, "label": label})
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def token_works(self, token: str) -> bool:
        status = self.client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code
        assert status in (200, 401)
        return status == 200

    def token_ids(self, token: str) -> dict[str, bool]:
        listed = self.client().get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"}).json()
        return {t["id"]: t["active"] for t in listed}


class Browser:
    """A signed-in browser: its cookies, and the CSRF token its forms carry."""

    def __init__(self, site: Site, username: str = "admin", password: str = PASSWORD) -> None:
        self.client = site.client()
        signed_in = self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": self._csrf("/login")}, follow_redirects=False
        )
        assert signed_in.status_code == 303, signed_in.text[:300]
        self.csrf = self._csrf(PAGE)

    def _csrf(self, path: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.client.get(path).text)
        assert found is not None, path
        return found.group(1)

    def post(self, path: str, **data: str) -> Any:
        return self.client.post(path, data={"csrf_token": self.csrf, **data}, follow_redirects=False)

    def signed_in(self) -> bool:
        status = self.client.get(PAGE, follow_redirects=False)
        return status.status_code == 200


@pytest.fixture
def site(platform: Platform) -> Iterator[Site]:
    accounts = build_services(platform).accounts
    accounts.create_staff("admin", PASSWORD, Role.ADMIN, "管理员")
    accounts.create_staff("clerk.jinan", PASSWORD, Role.CLERK, "窗口", region_code="370100")
    yield Site(platform, create_app(platform))


def _problem_beside(page: str, field: str) -> str:
    """The problem shown under the field's input (the field's own block), or ''."""
    block = re.search(rf'<input id="{field}"[^>]*>\s*<p class="problem" role="alert" id="{field}-problem">([^<]+)</p>', page)
    return block.group(1) if block else ""


# --- the page ------------------------------------------------------------------------------


def test_the_page_lists_the_tokens_never_their_secrets_in_both_languages(site: Site) -> None:
    laptop, phone = site.token(label="笔记本"), site.token(label="手机应用")
    browser = Browser(site)
    page = browser.client.get(PAGE)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "账号与安全" in page.text and "笔记本" in page.text and "手机应用" in page.text
    assert laptop not in page.text and phone not in page.text and "ywt_" not in page.text
    for token_id in site.token_ids(laptop):
        assert f'action="/me/account/tokens/{token_id}/revoke"' in page.text
    browser.client.cookies.set("yw_lang", "en")
    english = browser.client.get(PAGE).text
    assert "Account and security" in english and "Sign out everywhere" in english and "Change password" in english


def test_every_signed_in_page_links_to_the_account_page_and_strangers_are_sent_to_sign_in(site: Site) -> None:
    for username, home in (("admin", "/admin"), ("clerk.jinan", "/clerk")):
        assert 'href="/me/account"' in Browser(site, username).client.get(home).text
    stranger = site.client()
    assert stranger.get(PAGE, follow_redirects=False).headers["location"].startswith("/login")
    assert 'href="/me/account"' not in stranger.get("/").text


def test_a_token_made_on_the_page_is_shown_once_and_works_on_the_api(site: Site) -> None:
    browser = Browser(site)
    made = browser.post(f"{PAGE}/tokens", label="银行网点终端")
    assert made.status_code == 201
    assert made.headers["cache-control"] == "no-store"
    secret = re.search(r'<code class="mono secret">(ywt_[\w-]+)</code>', made.text)
    assert secret is not None
    assert site.token_works(secret.group(1))
    # Shown once: the page afterwards lists it by its id and label only.
    again = browser.client.get(PAGE).text
    assert secret.group(1) not in again and "银行网点终端" in again


def test_a_token_needs_a_label_said_beside_the_field(site: Site) -> None:
    browser = Browser(site)
    for label in ("", "   "):
        refused = browser.post(f"{PAGE}/tokens", label=label)
        assert refused.status_code == 422
        assert "请填写令牌用途" in _problem_beside(refused.text, "label")
        assert "ywt_" not in refused.text
    nul = browser.post(f"{PAGE}/tokens", label="a\x00b")
    assert 400 <= nul.status_code < 500
    listed = site.token_ids(site.token())
    assert len(listed) == 1  # only the one just made to look


def test_a_token_revoked_on_the_page_no_longer_works_on_the_api(site: Site) -> None:
    keep, drop = site.token(label="keep"), site.token(label="drop")
    drop_id = _id_of(site, drop, "drop")
    browser = Browser(site)
    revoked = browser.post(f"{PAGE}/tokens/{drop_id}/revoke")
    assert revoked.status_code == 303 and revoked.headers["location"] == PAGE
    told = browser.client.get(PAGE).text
    assert "令牌已撤销" in told
    assert not site.token_works(drop) and site.token_works(keep)
    assert site.token_ids(keep)[drop_id] is False
    # Revoking it again is harmless.
    assert browser.post(f"{PAGE}/tokens/{drop_id}/revoke").status_code == 303


def _id_of(site: Site, token: str, label: str) -> str:
    listed = site.client().get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"}).json()
    return str(next(t["id"] for t in listed if t["label"] == label))


def test_another_accounts_token_id_is_not_found_and_stays_valid(site: Site) -> None:
    admin_token = site.token(label="admin-app")
    admin_token_id = _id_of(site, admin_token, "admin-app")
    clerk = Browser(site, "clerk.jinan")
    answer = clerk.post(f"{PAGE}/tokens/{admin_token_id}/revoke")
    assert answer.status_code == 404
    assert "没有这个令牌" in answer.text
    for bad in ("0" * 16, admin_token_id[:8], "g" * 16, "%25", "a" * 64, admin_token_id.upper() + "00"):
        assert clerk.post(f"{PAGE}/tokens/{bad}/revoke").status_code == 404, bad
    assert site.token_works(admin_token)


def test_every_form_without_its_csrf_token_is_refused_and_changes_nothing(site: Site) -> None:
    token = site.token(label="mine")
    token_id = _id_of(site, token, "mine")
    browser = Browser(site)
    other = Browser(site, "clerk.jinan")  # a valid token of another browser is no better
    forms = {
        f"{PAGE}/tokens": {"label": "forged"},
        f"{PAGE}/tokens/{token_id}/revoke": {},
        f"{PAGE}/password": {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
        f"{PAGE}/logout-everywhere": {},
    }
    for path, data in forms.items():
        for csrf in ({}, {"csrf_token": ""}, {"csrf_token": other.csrf}, {"csrf_token": "x" + browser.csrf}):
            answer = browser.client.post(path, data={**data, **csrf}, follow_redirects=False)
            assert answer.status_code == 403, (path, csrf)
    assert site.token_works(token) and browser.signed_in()
    assert site.token_ids(token) == {token_id: True}  # no token "forged" was made
    assert site.token(password=PASSWORD)  # the password did not change


def test_a_wrong_current_password_is_said_beside_its_field_and_changes_nothing(site: Site) -> None:
    token = site.token()
    browser = Browser(site)
    wrong = browser.post(f"{PAGE}/password", current_password="not-the-password", new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD)
    assert wrong.status_code == 422
    assert _problem_beside(wrong.text, "current_password") == "当前密码不正确"
    short = browser.post(f"{PAGE}/password", current_password=PASSWORD, new_password="short", new_password_again="short")
    assert short.status_code == 422
    assert "至少 8 位" in _problem_beside(short.text, "new_password")
    differ = browser.post(f"{PAGE}/password", current_password=PASSWORD, new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD + "x")
    assert differ.status_code == 422
    assert _problem_beside(differ.text, "new_password_again") == "两次输入的新密码不一致"
    browser.client.cookies.set("yw_lang", "en")
    english = browser.post(f"{PAGE}/password", current_password="nope", new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD)
    assert _problem_beside(english.text, "current_password") == "the current password is wrong"
    assert site.token_works(token) and browser.signed_in()
    assert site.token(password=PASSWORD)


def test_a_password_change_ends_every_other_credential_and_keeps_this_browser(site: Site) -> None:
    token = site.token()
    browser, elsewhere = Browser(site), Browser(site)
    changed = browser.post(f"{PAGE}/password", current_password=PASSWORD, new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD)
    assert changed.status_code == 303 and changed.headers["location"] == PAGE
    # This browser has a new session (the flash shows once, on it).
    after = browser.client.get(PAGE, follow_redirects=False)
    assert after.status_code == 200 and "密码已修改" in after.text
    assert browser.signed_in()
    assert not elsewhere.signed_in()
    assert not site.token_works(token)
    assert site.client().post("/api/v1/tokens", json={"username": "admin", "password": PASSWORD}).status_code == 401
    assert site.token_works(site.token(password=NEW_PASSWORD))


def test_signing_out_everywhere_ends_every_session_and_token(site: Site) -> None:
    first, second = site.token(label="one"), site.token(label="two")
    browser, elsewhere = Browser(site), Browser(site)
    bystander = Browser(site, "clerk.jinan")
    clerk_token = site.token("clerk.jinan")
    done = browser.post(f"{PAGE}/logout-everywhere")
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert "已在所有设备上退出" in browser.client.get("/").text
    assert not browser.signed_in() and not elsewhere.signed_in()
    assert not site.token_works(first) and not site.token_works(second)
    # Another account is untouched.
    assert bystander.signed_in() and site.token_works(clerk_token)
    # The old session cookie, replayed, is refused too.
    replay = site.client()
    replay.cookies.set("yw_session", str(elsewhere.client.cookies.get("yw_session")))
    assert replay.get(PAGE, follow_redirects=False).status_code == 303


def test_a_nul_character_in_a_password_is_refused_with_a_message_not_a_500(site: Site) -> None:
    browser = Browser(site)
    answer = browser.post(f"{PAGE}/password", current_password="a\x00b", new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD)
    assert 400 <= answer.status_code < 500
    assert 'role="alert"' in answer.text and "Traceback" not in answer.text
    assert browser.signed_in() and site.token(password=PASSWORD)
