"""In a real Chromium: a phone opens a licence's QR address; a reviewer filters the workbench,
accepts and reads the confirmation; a supervisor sees overdue work at the top of the board."""

from __future__ import annotations

import pytest
from browser_support import DESKTOP, PHONE, Site, sign_in
from playwright.sync_api import Browser, expect

from yiwang.licences.qr import verification_address

pytestmark = pytest.mark.browser


def test_a_phone_opens_the_qr_address_and_reads_the_verdict(browser: Browser, site: Site) -> None:
    with site.platform.unit_of_work(read_only=True) as uow:
        signed = uow.licences.get(site.cases.licence_id)
    assert signed is not None
    address = verification_address(site.url, signed.qr_text)
    assert address.startswith("HTTP://127.0.0.1:")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")  # type: ignore[arg-type]
    page = context.new_page()  # a camera app opens the address: no sign-in
    page.goto(address)
    expect(page.locator(".verdict-status")).to_have_text("有效")
    # The printed number works on the same page.
    page.goto(f"{site.url}/verify")
    page.fill("textarea[name=qr_text]", site.cases.licence_id.lower())
    page.click("form.verify button[type=submit]")
    expect(page.locator(".verdict-status")).to_have_text("有效")
    context.close()


def test_reviewer_filters_accepts_and_is_told(browser: Browser, site: Site) -> None:
    page = sign_in(browser, site, "reviewer.market.jinan", DESKTOP)
    rows = page.locator("table.inbox tbody tr")
    total = rows.count()
    assert total >= 2
    name = page.locator("table.inbox tbody tr td[data-label='申请人']").first.inner_text()
    page.fill("#filters input[name=applicant]", name)
    page.click("#filters button[type=submit]")
    expect(page.locator("table.inbox tbody tr td[data-label='申请人']").first).to_have_text(name)
    assert page.locator("table.inbox tbody tr").count() < total or total == 1
    page.goto(f"{site.url}/workbench?status=pending")
    page.locator("table.inbox a[href^='/workbench/tasks/']").first.click()
    page.click("form:has(input[value=accept]) button")
    expect(page.locator(".flash")).to_contain_text("已受理")
    page.context.close()


def test_supervisor_sees_overdue_work_first(browser: Browser, site: Site) -> None:
    page = sign_in(browser, site, "supervisor.jinan", DESKTOP)
    overdue = page.locator("#overdue")
    box = overdue.bounding_box()
    assert box is not None and box["y"] < DESKTOP["height"]  # on the first screen
    expect(page.locator("#overdue-first")).not_to_contain_text("提前介入")
    page.context.close()
