"""After PostgreSQL restarts, every pooled connection is dead. The first request that meets one
must still be answered (issue 12: each server process used to answer one request with a 500).
The restart is played for real: the backends of the engine's pooled connections are
terminated from another connection (`pg_terminate_backend`, what a restart does to them)."""

from __future__ import annotations

import datetime as dt
import select
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, event, text

from yiwang.bootstrap import Platform
from yiwang.db.engine import make_engine
from yiwang.identity.numbers import make_id_number
from yiwang.server import create_app

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("db_engine", ["postgresql"], indirect=True)]


def _pooled_backends(engine: Engine, count: int) -> list[int]:
    """Fill the pool with ``count`` connections and return their server process ids."""
    held: list[Connection] = [engine.connect() for _ in range(count)]
    try:
        return [int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in held]
    finally:
        for connection in held:
            connection.close()


def _terminate(pids: list[int]) -> None:
    # Another engine, as an operator's session or the postmaster would be: only the pids
    # this test's engine holds are touched.
    admin = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        with admin.connect() as connection:
            for pid in pids:
                assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
            # Wait until the backends are really gone, as after a restart.
            for _ in range(200):
                alive = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": pids}
                ).scalar_one()
                if not alive:
                    break
                connection.execute(text("SELECT pg_sleep(0.01)"))
    finally:
        admin.dispose()


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield client


def _sign_up(client: TestClient, serial: int) -> int:
    body = {"id_number": make_id_number("370102", dt.date(1980, 1, 1), serial), "name": "王五", "phone": f"1370000{serial:04d}"}
    return client.post("/api/v1/registrations", json=body).status_code


def test_requests_after_a_database_restart_are_answered(platform: Platform, client: TestClient) -> None:
    assert _sign_up(client, 1) == 202
    requests = [
        ("write", lambda: _sign_up(client, 2), 202),
        ("read", lambda: client.get("/api/v1/me", headers={"Authorization": "Bearer yw_nothing"}).status_code, 401),
        ("readiness", lambda: client.get("/readyz").status_code, 200),
        ("write again", lambda: _sign_up(client, 3), 202),
    ]
    for what, request, expected in requests:
        # Each on a pool whose every connection lost its server process.
        _terminate(_pooled_backends(platform.engine, 3))
        assert request() == expected, what


def test_live_pooled_connections_are_kept(platform: Platform, client: TestClient) -> None:
    """The check at checkout costs no round trip and replaces no healthy connection."""
    assert _sign_up(client, 1) == 202
    opened: list[object] = []
    statements: list[str] = []

    def connected(*_: object) -> None:
        opened.append(1)

    def executed(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(platform.engine, "connect", connected)
    event.listen(platform.engine, "before_cursor_execute", executed)
    try:
        for serial in range(2, 12):
            assert _sign_up(client, serial) == 202
            assert client.get("/api/v1/me", headers={"Authorization": "Bearer yw_nothing"}).status_code == 401
    finally:
        event.remove(platform.engine, "connect", connected)
        event.remove(platform.engine, "before_cursor_execute", executed)
    assert opened == []
    # No ping statement either (what pool_pre_ping would send before every checkout).
    assert statements and not [s for s in statements if s.strip().upper() == "SELECT 1"]


def test_a_write_cut_off_mid_transaction_is_a_503_never_a_500(platform: Platform, client: TestClient) -> None:
    """A connection lost after the transaction has begun cannot be retried safely in general:
    the answer is a bilingual 503 with Retry-After, and the next request succeeds."""
    engine = platform.engine
    victims: list[int] = []

    def cut_off(connection: Connection, *_: object) -> None:
        # Once, at the first INSERT of a sign-up: the server process goes away mid-transaction.
        if not victims:
            victims.append(int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()))
            _terminate(victims)

    def before(connection: Connection, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("INSERT INTO signup_challenges"):
            cut_off(connection)

    event.listen(engine, "before_cursor_execute", before)
    try:
        refused = client.post(
            "/api/v1/registrations",
            json={"id_number": make_id_number("370102", dt.date(1980, 1, 1), 7), "name": "王五", "phone": "13700000007"},
        )
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert victims
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"]
    error = refused.json()["error"]
    assert error["code"] == "database_unavailable" and error["message_zh"] and error["message_en"]
    assert _sign_up(client, 8) == 202


def test_a_message_to_a_live_idle_connection_does_not_discard_it(platform: Platform) -> None:
    """Something the server sends a live connection while it idles in the pool (here a
    notification) is read and kept for the driver; the connection stays in use."""
    engine = platform.engine
    with engine.connect() as connection:
        pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
        connection.execute(text("LISTEN yiwang_probe"))
        connection.commit()
        socket = connection.connection.dbapi_connection.pgconn.socket  # type: ignore[union-attr]
    admin = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        with admin.begin() as other:
            other.execute(text("NOTIFY yiwang_probe, 'hello'"))
    finally:
        admin.dispose()
    watch = select.poll()
    watch.register(socket, select.POLLIN)
    assert watch.poll(2000), "the notification should be waiting on the idle connection"
    with engine.connect() as connection:
        assert int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one()) == pid
        connection.execute(text("UNLISTEN *"))
        connection.commit()
