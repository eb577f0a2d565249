"""`yiwang serve`: the web platform and API (uvicorn). On a fresh database it migrates, and
with ``--demo`` seeds the demo province, the demo accounts (one per role, and a bank branch
clerk), a few cases in flight and three construction projects, then prints the accounts and
the address."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Annotated

import typer

from yiwang.cli.common import console, fail

if TYPE_CHECKING:
    from fastapi import FastAPI

    from yiwang.bootstrap import Platform
    from yiwang.identity.sms import SmsGateway

log = logging.getLogger(__name__)

app = typer.Typer(help="服务 Serve the web platform and the REST API.")


@app.callback(invoke_without_command=True)
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Seed the demo province and accounts.")
    ] = True,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (PostgreSQL for more than one).")
    ] = 1,
) -> None:
    import os
    import tempfile

    import uvicorn

    from yiwang.bootstrap import bootstrap, default_sms_gateway, is_production
    from yiwang.demo.accounts import (
        DemoRealNameVerifier,
        demo_guide,
        demo_signup_person,
        seed_demo_accounts,
        seed_demo_cases,
        seed_demo_projects,
    )
    from yiwang.demo.inspections import publish_demo_draws
    from yiwang.demo.province import ensure_signing_keys, seed_demo_province, seed_service_cases
    from yiwang.identity.sms import LoggingSmsGateway
    from yiwang.ops.observability import configure_logging
    from yiwang.server import create_app

    if demo and is_production():
        fail("refusing to seed demo accounts with YIWANG_ENVIRONMENT=production; use --no-demo")
    from yiwang.http_guard import UnsafeSettings, refuse_unsafe_settings

    try:
        platform = bootstrap()
    except Exception as error:  # a broken database URL or catalog: one line, no traceback
        fail(f"cannot start: {error}")
    try:
        refuse_unsafe_settings(platform.settings)
    except UnsafeSettings as error:
        platform.dispose()
        fail(str(error))
    settings = platform.settings
    configure_logging(settings.log_format == "json")
    if workers > 1 and platform.engine.dialect.name == "sqlite":
        fail(
            "多个服务进程需要 PostgreSQL（YIWANG_DATABASE_URL） / several server processes need "
            "PostgreSQL (YIWANG_DATABASE_URL); SQLite serves one"
        )
    verifier = None
    if demo:
        population = seed_demo_province(platform)
        ensure_signing_keys(platform)  # demo departments sign licences with keys under data_dir
        accounts = seed_demo_accounts(platform, population)
        seed_demo_cases(platform, population)
        # Construction projects for the supervisor's board, also on a database seeded before.
        seed_demo_projects(platform, population)
        # One case of each further service (real estate, medical insurance, talent, trade,
        # internal work), so every department's inbox has work.
        seed_service_cases(platform, population)
        # 双随机、一公开: a published draw of each shipped plan, for /inspections.
        drawn = publish_demo_draws(platform)
        verifier = DemoRealNameVerifier(population)
        # Plain lines, not a table: user names must never be cut short on a narrow terminal.
        console.print(
            f"演示账号 Demo accounts — 密码 password: {accounts[0].password}",
            style="bold",
            highlight=False,
        )
        for account in accounts:
            console.print(
                f"  {account.role.label_zh} {account.role.value:<13} {account.username:<24} "
                f"{account.display_name} {account.scope}",
                highlight=False,
                soft_wrap=True,
            )
        trial = demo_signup_person(population)
        console.print(
            f"  试用实名注册 try sign-up at /register: {trial.name} {trial.id_number} {trial.phone}"
            "（验证码显示在本窗口 the code appears here）",
            highlight=False,
            soft_wrap=True,
        )
        console.print("按服务选用账号 Which account for which service:", style="bold", highlight=False)
        for line in demo_guide(platform, accounts):
            console.print(f"  {line}", highlight=False, soft_wrap=True)
        for plan_id in drawn:
            console.print(
                f"  抽查抽取已公布 draw published: {plan_id}", highlight=False, soft_wrap=True
            )
    console.print(
        f"一网通办 Yiwang: http://{host}:{port}/", style="bold", highlight=False, soft_wrap=True
    )
    console.print(f"API: http://{host}:{port}/api/v1/openapi.json", highlight=False, soft_wrap=True)
    # Demo sign-ups: the one-time code is printed here, so a person can register by hand. The
    # request only writes it to the outbox; this process's worker thread sends it, woken by
    # each sign-up (with several server processes, within a second of its poll).
    sms = (
        LoggingSmsGateway(echo=lambda line: console.print(line, highlight=False, soft_wrap=True))
        if demo
        else default_sms_gateway(platform)
    )
    wake = threading.Event()
    start_sweeper(platform, sms=sms, wake=wake)
    log_config = None if settings.log_format == "json" else uvicorn.config.LOGGING_CONFIG
    # uvicorn's "auto" HTTP parser and event loop are httptools and uvloop (dependencies)
    # when installed, h11 and asyncio otherwise: the first pair costs less CPU per request.
    if workers == 1:
        app = create_app(platform, verifier=verifier, nudge=wake.set)
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="info",
            log_config=log_config,
            access_log=log_config is not None,
        )
        return
    # Each process builds its own platform from the settings (environment variables): the
    # migrations and demo data are done above, once. Metrics are shared through a folder.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="yiwang-metrics-")
    if verifier is not None:
        os.environ["YIWANG_DEMO_VERIFIER"] = "1"
    uvicorn.run(
        "yiwang.cli.serve:create_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=log_config,
        access_log=log_config is not None,
    )


def create_from_environment() -> FastAPI:
    """The app factory of each process of `serve --workers N`: its own platform from the
    environment (the parent has migrated and seeded already)."""
    from yiwang.bootstrap import bootstrap
    from yiwang.demo.accounts import DemoRealNameVerifier
    from yiwang.demo.province import seed_demo_province
    from yiwang.ops.observability import configure_logging
    from yiwang.server import create_app

    platform = bootstrap(migrate=False)
    configure_logging(platform.settings.log_format == "json")
    verifier = None
    if platform.settings.demo_verifier:
        # Seeded by the parent already: this only regenerates the (deterministic) population.
        verifier = DemoRealNameVerifier(seed_demo_province(platform))
    return create_app(platform, verifier=verifier)


def start_sweeper(
    platform: Platform,
    stop: threading.Event | None = None,
    sms: SmsGateway | None = None,
    wake: threading.Event | None = None,
) -> threading.Event | None:
    """Escalate overdue work (R-SUP-1) while the server runs: `DeadlineMissed` once per task;
    and, given ``sms``, deliver the outbox, at once when ``wake`` is set.
    ``YIWANG_SWEEP_INTERVAL_SECONDS=0`` leaves both to separate `yiwang worker` processes.

    Returns the event that stops the sweeper (None when sweeping is switched off).
    """
    from yiwang.ops import worker

    interval = platform.settings.sweep_interval_seconds
    if interval <= 0:
        return None
    stop = stop or threading.Event()
    threading.Thread(
        target=worker.run,
        args=(platform, interval, stop),
        kwargs={"sms": sms, "wake": wake},
        name="yiwang-sweeper",
        daemon=True,
    ).start()
    return stop
