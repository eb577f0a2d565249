"""亮证 in a real Chromium: the holder opens the card wallet (电子卡包) with the licence's QR
code; anyone, not signed in, pastes the code on the public verification page and reads
"有效", then "已撤销" once the licence is revoked. Screenshots: docs/screenshots/wallet.png,
verify.png."""

from __future__ import annotations

import pytest
from browser_support import DESKTOP, PHONE, Site, screenshot, sign_in
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


def _enterprise(site: Site) -> str:
    return next(u for u, a in site.accounts.items() if a.role.value == "applicant" and a.scope.startswith("企业"))


def _qr_text(site: Site) -> str:
    with site.platform.unit_of_work(read_only=True) as uow:
        signed = uow.licences.get(site.cases.licence_id)
    assert signed is not None
    return signed.qr_text


def _verify(page: Page, site: Site, code: str) -> None:
    page.goto(f"{site.url}/verify")
    page.fill("textarea[name=qr_text]", code)
    page.click("form.verify button[type=submit]")
    page.wait_for_load_state()


def test_wallet_shows_the_licence_with_its_qr_code(browser: Browser, site: Site) -> None:
    page = sign_in(browser, site, _enterprise(site), PHONE)
    page.click("a[href='/me/wallet']")
    card = page.locator(f"[id='licence-{site.cases.licence_id}']")
    expect(card).to_contain_text("有效")
    expect(card.locator("svg")).to_be_visible()
    box = card.locator("svg").bounding_box()
    assert box is not None and box["width"] >= 150  # large enough to scan from a phone
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    screenshot(page, "wallet")
    # The printable licence opens from the wallet, with its stylesheet (allowed by hash).
    page.click(f"a[href='/licences/{site.cases.licence_id}']")
    expect(page.locator("h1")).to_contain_text("营业执照")
    border = page.evaluate("getComputedStyle(document.querySelector('main.licence')).borderTopStyle")
    assert border == "double"
    page.context.close()


def test_public_verification_valid_then_revoked(browser: Browser, site: Site) -> None:
    code = _qr_text(site)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")  # type: ignore[arg-type]
    page = context.new_page()  # not signed in: anyone may verify
    _verify(page, site, code)
    expect(page.locator(".verdict-status")).to_have_text("有效")
    expect(page.locator("#verdict")).to_contain_text(site.cases.licence_id)
    screenshot(page, "verify")
    with site.platform.unit_of_work() as uow:
        assert uow.licences.revoke(site.cases.licence_id, reason="营业执照被吊销", by="reviewer.market.jinan", at=site.clock())
        uow.commit()
    _verify(page, site, code)
    expect(page.locator(".verdict-status")).to_have_text("已撤销")
    expect(page.locator(".verdict-message")).to_contain_text("营业执照被吊销")
    _verify(page, site, code[:50])
    expect(page.locator(".verdict-status")).to_have_text("无法识别的证照码")
    context.close()
