"""账号与安全 in a real Chromium on a phone-sized screen: a token made (its secret shown once)
and revoked, a wrong current password told beside its field, the password changed, and "sign
out everywhere" ending another device's session."""

from __future__ import annotations

import httpx
import pytest
from browser_support import DESKTOP, PHONE, Site, screenshot, sign_in
from playwright.sync_api import Browser, expect

from yiwang.demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.browser

USER = "clerk.jinan"
NEW_PASSWORD = "another-long-passphrase"


def _api_me(site: Site, token: str) -> int:
    return httpx.get(f"{site.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code


def test_the_account_page_on_a_phone(browser: Browser, site: Site) -> None:
    page = sign_in(browser, site, USER, PHONE)
    page.click("a[href='/me/account']")
    expect(page.locator("h1")).to_have_text("账号与安全")
    # A token for a phone app: its secret is shown this once and works on the API.
    page.fill("input[name=label]", "手机应用")
    page.click("form.create-token button[type=submit]")
    expect(page.locator("#new-token")).to_be_visible()
    secret = page.locator("#new-token code.secret").inner_text().strip()
    assert secret.startswith("ywt_") and _api_me(site, secret) == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    screenshot(page, "account_phone")
    page.goto(f"{site.url}/me/account")
    assert secret not in page.content()
    row = page.locator("tr", has_text="手机应用")
    expect(row).to_contain_text("有效")
    row.locator("button", has_text="撤销").click()
    expect(page.locator(".flash")).to_contain_text("令牌已撤销")
    expect(page.locator("tr", has_text="手机应用")).to_contain_text("已撤销")
    assert _api_me(site, secret) == 401

    # The password: a wrong current one is told beside its field.
    page.fill("input[name=current_password]", "not-my-password")
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=new_password_again]", NEW_PASSWORD)
    page.click("form.change-password button[type=submit]")
    expect(page.locator("#current_password-problem")).to_have_text("当前密码不正确")
    expect(page.locator("#current_password")).to_have_attribute("aria-invalid", "true")
    page.fill("input[name=current_password]", DEMO_PASSWORD)
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=new_password_again]", NEW_PASSWORD)
    page.click("form.change-password button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("密码已修改")
    expect(page.locator("h1")).to_have_text("账号与安全")  # still signed in here

    # Another device signs in with the new password; signing out everywhere ends it too.
    other = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()  # type: ignore[arg-type]
    other.goto(f"{site.url}/login")
    other.fill("input[name=username]", USER)
    other.fill("input[name=password]", NEW_PASSWORD)
    other.click("form[action='/login'] button[type=submit]")
    other.goto(f"{site.url}/me/account")
    expect(other.locator("h1")).to_have_text("账号与安全")
    page.click("form.logout-everywhere button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("已在所有设备上退出")
    expect(page.locator("a[href='/login']")).to_be_visible()
    other.goto(f"{site.url}/me/account")
    assert "/login" in other.url
    other.context.close()
    page.context.close()
