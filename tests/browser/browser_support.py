"""Helpers of the browser tests: the site under test, signing in, screenshots for docs/."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page

from yiwang.bootstrap import Platform
from yiwang.clock import SimulatedClock
from yiwang.demo.accounts import DEMO_PASSWORD, DemoAccount, DemoCases

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The README's screenshots are refreshed only by `make screenshots` (YIWANG_SCREENSHOTS=1); a plain
# test run writes them to a temporary folder so `make test` leaves the tracked files untouched.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("YIWANG_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "yiwang-screenshots"
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Site:
    url: str
    platform: Platform
    clock: SimulatedClock
    accounts: dict[str, DemoAccount]
    cases: DemoCases

    @property
    def founder(self) -> str:
        return next(u for u, a in self.accounts.items() if a.role.value == "applicant" and a.scope.startswith("个人"))


def sign_in(browser: Browser, site: Site, username: str, viewport: dict[str, int] = DESKTOP) -> Page:
    context = browser.new_context(viewport=viewport, locale="zh-CN")  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:2000]
    return page


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
