"""The supervisor's construction board (R-SVC-CON) in a real Chromium: each demo project
with its stage, working days used against its flow type's budget and its light, drawn as a
server-side SVG chart. Screenshot: docs/screenshots/projects.png."""

from __future__ import annotations

import pytest
from browser_support import DESKTOP, PHONE, Site, screenshot, sign_in
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_supervisor_opens_the_construction_board(browser: Browser, site: Site) -> None:
    page = sign_in(browser, site, "supervisor.jinan", DESKTOP)
    page.click("a[href='/supervision/projects']")
    expect(page.locator("h1")).to_have_text("工程建设项目看板")
    rows = page.locator("table.projects tbody tr")
    expect(rows).to_have_count(len(site.cases.project_ids))
    overdue = page.locator(f"[id='project-{site.cases.overdue_project_id}']")
    expect(overdue.locator(".light-red").first).to_have_text("超期")
    expect(overdue).to_contain_text("简易低风险")
    expect(overdue).to_contain_text("提前介入（不计时）")
    used = float(overdue.locator(".days-used").inner_text())
    assert used > float(overdue.locator(".budget").inner_text()) == 20
    # The most urgent first; one bar per project in the chart, coloured by its light.
    expect(rows.first).to_have_attribute("id", f"project-{site.cases.overdue_project_id}")
    chart = page.locator("svg.chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.used")).to_have_count(len(site.cases.project_ids))
    assert chart.locator("rect.used").first.get_attribute("fill") == "#c62828"
    screenshot(page, "projects")
    page.context.close()


def test_construction_board_fits_a_phone(browser: Browser, site: Site) -> None:
    page = sign_in(browser, site, "supervisor.jinan", PHONE)
    page.goto(f"{site.url}/supervision/projects")
    expect(page.locator("svg.chart")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    page.context.close()
