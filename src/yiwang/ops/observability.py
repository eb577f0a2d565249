"""Operating the platform: request ids, structured JSON logs, health and Prometheus metrics.

Installed on the app by `install`; kept apart from the security middleware so each can change
on its own. With several server processes (``yiwang serve --workers N``) the metrics are
shared through ``PROMETHEUS_MULTIPROC_DIR`` (set by `serve`), so ``/metrics`` on any process
reports all of them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select, text
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yiwang.db import tables as t
from yiwang.db import tables_identity as ti
from yiwang.db.engine import read_connection
from yiwang.db.read_models import OPEN_TASK

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's request id is kept only if it is short and plain (it is written to the logs).
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
access = logging.getLogger("yiwang.access")

REQUESTS = Counter(
    "yiwang_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "yiwang_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SWEPT = Counter("yiwang_sweep_escalated_total", "Overdue tasks escalated by the sweep")
SWEEP_SECONDS = Histogram(
    "yiwang_sweep_duration_seconds", "Time of one escalation sweep", buckets=(0.01, 0.1, 0.5, 1, 2, 5, 10, 30)
)


class WorkCollector(Collector):
    """Gauges read from the database at scrape time: the open overdue tasks, the queue of
    overdue tasks the worker has not yet escalated, and the messages (sign-up codes) waiting in
    the outbox for a worker to send them."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.clock().astimezone(UTC)
        overdue = select(func.count()).where(
            t.tasks.c.status.in_(OPEN_TASK), t.tasks.c.due_at < now
        )
        waiting = overdue.where(t.tasks.c.escalated_at.is_(None))
        # `sending` counts as waiting: a worker that died holding a claim leaves it so until
        # the claim runs out, and a growing number is the sign an operator needs.
        unsent = select(func.count()).where(ti.outbox.c.state.in_(("pending", "sending")))
        try:
            with read_connection(self.engine) as connection:
                overdue_count = connection.execute(overdue).scalar_one()
                queue = connection.execute(waiting).scalar_one()
                outbox_count = connection.execute(unsent).scalar_one()
        except Exception:  # a scrape must not fail because the database is away
            logging.getLogger(__name__).warning("metrics: database unavailable")
            return
        yield GaugeMetricFamily("yiwang_overdue_tasks", "Open tasks past their deadline", value=overdue_count)
        yield GaugeMetricFamily(
            "yiwang_queue_depth",
            "Work waiting for a worker (overdue tasks not yet escalated)",
            value=queue,
        )
        yield GaugeMetricFamily(
            "yiwang_outbox_pending", "Messages (sign-up codes) waiting for a worker to send them", value=outbox_count
        )


def _route_of(request: Request) -> str:
    """The route template (``/api/v1/cases/{case_id}``), never the raw path, so labels stay few."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    if not path:
        return "unmatched"
    # Routes of included routers may carry only their own part of the path.
    full = request.url.path
    for name, value in request.path_params.items():
        full = full.replace(f"/{value}", f"/{{{name}}}", 1)
    return full if full.endswith(str(path)) else str(path)


def install(app: FastAPI, engine: Engine, clock: Callable[[], datetime]) -> None:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    work = WorkCollector(engine, clock)

    # A plain ASGI middleware rather than `@app.middleware("http")`: Starlette's
    # BaseHTTPMiddleware runs the rest of the app in a task of its own with a memory stream
    # per request, a cost every request paid under load.
    app.add_middleware(_Observe)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> Response:
        """Readiness: the database answers (a load balancer sends no traffic otherwise)."""
        try:
            with read_connection(engine) as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:
            logging.getLogger(__name__).warning("not ready: %s", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ready", "database": "up"})

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        scraped = CollectorRegistry()
        scraped.register(work)
        body = generate_latest(registry) + generate_latest(scraped)
        return PlainTextResponse(body, media_type=CONTENT_TYPE_LATEST)


class _Observe:
    """Request id (kept from the client when safe, else new), request count and latency by
    route template, one access-log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        rid = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            # The router has filled in the route on this same scope.
            route = _route_of(Request(scope))
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(elapsed)
            access.info(
                "%s %s %d",
                scope["method"],
                route,
                status,
                extra={"duration_ms": round(elapsed * 1000, 1), "status": status},
            )
            request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and extras."""

    _STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in self._STANDARD and key not in entry:
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(json_logs: bool, level: int = logging.INFO) -> None:
    """Root logging for a server or worker process (JSON lines, or plain text for a terminal)."""
    handler = logging.StreamHandler()
    if json_logs:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
