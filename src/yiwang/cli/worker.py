"""`yiwang worker`: periodic work (the escalation sweep, the SMS outbox) in a process of its own; run as many
copies as wanted, on as many machines, against one PostgreSQL."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from yiwang.cli.common import console, fail


def worker(
    interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between sweeps.")
    ] = 30.0,
    once: Annotated[bool, typer.Option("--once", help="Sweep once and exit.")] = False,
    metrics_port: Annotated[
        int, typer.Option(min=0, max=65535, help="Serve Prometheus metrics on this port (0: none).")
    ] = 0,
) -> None:
    """工作进程 Run the periodic work (escalation sweep, SMS outbox) until stopped."""
    from prometheus_client import start_http_server

    from yiwang.bootstrap import bootstrap, default_sms_gateway
    from yiwang.ops import worker as work
    from yiwang.ops.observability import configure_logging

    try:
        platform = bootstrap()
    except Exception as error:  # a broken database URL: one line, no traceback
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        fail(f"无法启动 / cannot start: {first}")
    configure_logging(platform.settings.log_format == "json")
    sms = default_sms_gateway(platform)  # an operator's gateway is plugged in here
    if once:
        work.keep_partitions(platform)
        recorded = work.sweep_once(platform)
        delivered = work.deliver_once(platform, sms)
        console.print(f"已提请督查 escalated: {recorded}; 短信已发送 messages sent: {delivered}", highlight=False)
        return
    if metrics_port:
        start_http_server(metrics_port, addr="127.0.0.1")
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    work.run(platform, interval, stop, sms=sms)
    platform.dispose()
