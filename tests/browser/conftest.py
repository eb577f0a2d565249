"""Browser fixtures: the platform served by uvicorn in a background thread on a free port
(SQLite file, demo province, demo accounts, in-flight demo cases) and Debian's Chromium
driven by Playwright. Without /usr/bin/chromium the tests FAIL: run `make test`, which
installs it."""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import uvicorn
from argon2 import PasswordHasher
from browser_support import CHROMIUM, CHROMIUM_ARGS, Site

from yiwang.accounts import services as account_services
from yiwang.bootstrap import bootstrap
from yiwang.clock import SimulatedClock
from yiwang.demo.accounts import seed_demo_accounts, seed_demo_cases
from yiwang.demo.province import ensure_signing_keys, seed_demo_province
from yiwang.server import create_app
from yiwang.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from playwright.sync_api import Browser, Playwright, sync_playwright


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    account_services._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    root = tmp_path_factory.mktemp("site")
    clock = SimulatedClock(datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    platform = bootstrap(Settings(database_url=f"sqlite:///{root / 'yiwang.db'}", data_dir=root / "var"), clock=clock)
    population = seed_demo_province(platform, people=800, enterprises=200)
    ensure_signing_keys(platform)
    accounts = seed_demo_accounts(platform, population)
    cases = seed_demo_cases(platform, population)
    assert cases is not None
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", platform, clock, {a.username: a for a in accounts}, cases)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        platform.dispose()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or `apt-get install -y chromium fonts-noto-cjk`")
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()
