"""The outbox (issue 12): what a sign-up wrote down is sent once by the workers, however
many run at once, and failures are recorded and retried. Real threads on both databases."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import insert, select

from yiwang.bootstrap import Platform
from yiwang.clock import SimulatedClock
from yiwang.db import tables_identity as ti
from yiwang.identity.sms import MemorySmsGateway, SmsMessage
from yiwang.ops import outbox


def _write(platform: Platform, count: int, state: str = "pending") -> None:
    now = platform.clock()
    rows = [
        {
            "channel": "sms",
            "recipient": f"1380000{i:04d}",
            "body": None if state == "void" else f"code {i:06d}",
            "state": state,
            "attempts": 0,
            "last_error": None,
            "created_at": now,
            "due_at": now,
            "expires_at": now + timedelta(minutes=10),
            "sent_at": None,
        }
        for i in range(count)
    ]
    with platform.engine.begin() as connection:
        connection.execute(insert(ti.outbox), rows)


def _rows(platform: Platform) -> list[tuple[str, int, str | None, str | None]]:
    table = ti.outbox
    with platform.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(table.c.state, table.c.attempts, table.c.body, table.c.last_error).order_by(table.c.id))]  # type: ignore[misc]


class Flaky:
    """A gateway that fails its first ``failures`` calls, as an operator's network may."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[SmsMessage] = []

    def send(self, phone: str, text: str) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("gateway timed out")
        self.sent.append(SmsMessage(phone, text))


def test_two_workers_at_once_send_each_message_exactly_once(platform: Platform) -> None:
    _write(platform, 30)
    _write(platform, 5, state="void")
    gateway = MemorySmsGateway()
    lock = threading.Lock()

    class Shared:  # both workers' sends, recorded under a lock
        def send(self, phone: str, text: str) -> None:
            with lock:
                gateway.send(phone, text)

    gate = threading.Barrier(2)

    def worker(_: int) -> int:
        gate.wait()
        return sum(outbox.deliver(platform, Shared()) for _ in range(3))

    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(worker, range(2)))
    assert sum(counts) == 30, counts
    assert sorted(m.text for m in gateway.sent) == [f"code {i:06d}" for i in range(30)]
    # Another round sends nothing more; sent codes are no longer in the database.
    assert outbox.deliver(platform, gateway) == 0 and len(gateway.sent) == 30
    assert {row[:3] for row in _rows(platform)} == {("sent", 1, None), ("void", 0, None)}


def test_a_failed_delivery_is_recorded_and_retried_until_sent(platform: Platform, clock: SimulatedClock) -> None:
    _write(platform, 1)
    gateway = Flaky(failures=2)
    assert outbox.deliver(platform, gateway) == 0
    assert _rows(platform) == [("pending", 1, "code 000000", "ConnectionError: gateway timed out")]
    assert outbox.deliver(platform, gateway) == 0  # not due before its back-off
    clock.advance(seconds=5)
    assert outbox.deliver(platform, gateway) == 0
    assert _rows(platform)[0][:2] == ("pending", 2)
    clock.advance(seconds=10)
    assert outbox.deliver(platform, gateway) == 1
    assert [m.text for m in gateway.sent] == ["code 000000"]
    assert _rows(platform) == [("sent", 3, None, None)]


def test_delivery_gives_up_after_the_last_attempt_and_never_sends_an_expired_code(platform: Platform, clock: SimulatedClock) -> None:
    _write(platform, 1)
    gateway = Flaky(failures=outbox.MAX_ATTEMPTS)
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert outbox.deliver(platform, gateway) == 0
        clock.advance(seconds=outbox.retry_delay(attempt).total_seconds())
    assert _rows(platform) == [("failed", outbox.MAX_ATTEMPTS, None, "ConnectionError: gateway timed out")]
    _write(platform, 1)
    clock.advance(minutes=11)
    assert outbox.deliver(platform, MemorySmsGateway()) == 0
    assert _rows(platform)[1][:3] == ("expired", 0, None)


def test_a_dead_workers_claim_runs_out_and_the_message_is_sent(platform: Platform, clock: SimulatedClock) -> None:
    from yiwang.db import outbox_repo

    _write(platform, 1)
    assert len(outbox_repo.claim(platform.engine, clock(), 10, outbox.LEASE)) == 1  # then the worker dies
    gateway = MemorySmsGateway()
    assert outbox.deliver(platform, gateway) == 0  # still claimed
    clock.advance(seconds=outbox.LEASE.total_seconds())
    assert outbox.deliver(platform, gateway) == 1 and len(gateway.sent) == 1


def test_the_serve_worker_thread_sends_as_soon_as_a_sign_up_wakes_it(platform: Platform) -> None:
    from yiwang.ops import worker

    gateway = MemorySmsGateway()
    stop, wake = threading.Event(), threading.Event()
    # A minute between polls: only the wake-up can make it send within the test.
    thread = threading.Thread(target=worker.run, args=(platform, 3600.0, stop), kwargs={"sms": gateway, "wake": wake, "deliver_every": 60.0})
    thread.start()
    try:
        stop.wait(0.5)  # its first round (an empty outbox) is over: it now sleeps
        _write(platform, 1)
        wake.set()
        for _ in range(100):
            if gateway.sent:
                break
            threading.Event().wait(0.05)
        assert [m.text for m in gateway.sent] == ["code 000000"]
    finally:
        stop.set()
        wake.set()
        thread.join(10)
    assert not thread.is_alive()


def test_the_messages_waiting_are_a_prometheus_gauge(platform: Platform) -> None:
    from fastapi.testclient import TestClient

    from yiwang.server import create_app

    _write(platform, 3)
    _write(platform, 2, state="void")  # nothing to send: not waiting
    with TestClient(create_app(platform)) as client:
        scraped = client.get("/metrics").text
        assert "yiwang_outbox_pending 3.0" in scraped.splitlines()
        outbox.deliver(platform, MemorySmsGateway())
        assert "yiwang_outbox_pending 0.0" in client.get("/metrics").text.splitlines()
