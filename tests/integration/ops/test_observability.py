"""What an operator's tools read: health, readiness, Prometheus metrics, request ids."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from support import submit_startup
from yiwang.bootstrap import Platform
from yiwang.clock import SimulatedClock
from yiwang.server import create_app

pytestmark = pytest.mark.integration


def metric(body: str, name: str) -> float:
    lines = [line for line in body.splitlines() if line.startswith(name + " ") or line.startswith(name + "{")]
    assert lines, f"{name} missing from /metrics"
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


def test_health_readiness_metrics_and_request_ids(platform: Platform, clock: SimulatedClock) -> None:
    case_id = submit_startup(platform)
    open_tasks = [task for task in platform.cases.get(case_id).tasks if task.is_open]
    clock.advance(timedelta(days=3))  # every open task is now overdue, none escalated yet
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["database"] == "up"

        # A caller's plain request id is echoed (and logged); anything else is replaced.
        assert client.get("/healthz", headers={"X-Request-ID": "lb-42.a"}).headers["X-Request-ID"] == "lb-42.a"
        replaced = client.get("/healthz", headers={"X-Request-ID": "x\r\nSet-Cookie: a=b"}).headers["X-Request-ID"]
        assert len(replaced) == 32 and "\n" not in replaced

        client.get("/api/v1/catalog/entries/bundle.enterprise_startup")
        body = client.get("/metrics").text
        assert metric(body, "yiwang_overdue_tasks") == len(open_tasks)
        assert metric(body, "yiwang_queue_depth") == len(open_tasks)
        # Routes are labelled by template, so ids do not multiply the series.
        assert 'route="/api/v1/catalog/entries/{code}"' in body
        assert metric(body, "yiwang_http_request_duration_seconds_count") >= 4

        platform.cases.sweep()
        body = client.get("/metrics").text
        assert metric(body, "yiwang_overdue_tasks") == len(open_tasks)
        assert metric(body, "yiwang_queue_depth") == 0


def test_readiness_fails_when_the_database_is_gone(platform: Platform) -> None:
    from fastapi import FastAPI
    from sqlalchemy import create_engine

    from yiwang.ops import observability

    # Nothing listens on port 1: the database is unreachable.
    broken = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    lone = FastAPI()
    observability.install(lone, broken, platform.clock)
    with TestClient(lone, raise_server_exceptions=False) as client:
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json() == {"status": "unavailable", "database": "down"}
        assert client.get("/healthz").status_code == 200
