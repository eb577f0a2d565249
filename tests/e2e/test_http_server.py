"""The body limit and the response headers through a real uvicorn server, for each HTTP
parser it may run with: `yiwang serve` uses httptools when it is installed (it is a
dependency, for throughput) and h11 otherwise. The in-process tests drive the ASGI app
directly; these check that what the parser hands the app still meets the guard: a declared
length over the limit, a chunked stream that passes it, a length together with chunked
encoding (request smuggling), all on raw sockets, loopback only."""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from yiwang.bootstrap import bootstrap
from yiwang.http_guard import MAX_FORM_BYTES
from yiwang.server import create_app
from yiwang.settings import Settings

PARSERS = [
    "h11",
    pytest.param(
        "httptools",
        marks=pytest.mark.skipif(importlib.util.find_spec("httptools") is None, reason="httptools not installed"),
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=PARSERS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[int]:
    platform = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'yiwang.db'}", data_dir=tmp_path / "var"))
    port = _free_port()
    config = uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, http=request.param, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        running.should_exit = True
        thread.join(timeout=10)
        platform.dispose()


def _exchange(port: int, head: bytes, body_pieces: Iterator[bytes] = iter(())) -> bytes:
    """Send a request (stopping the body as soon as the server answers) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head)
        connection.setblocking(False)
        answer = b""
        for piece in body_pieces:
            with contextlib.suppress(BlockingIOError):
                answer += connection.recv(65536)
            if answer:
                break
            try:
                connection.sendall(piece)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
        connection.setblocking(True)
        connection.settimeout(10)
        while b"\r\n\r\n" not in answer:
            try:
                more = connection.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not more:
                break
            answer += more
        return answer


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def test_a_declared_length_over_the_limit_is_413_before_the_body(server: int) -> None:
    head = (
        b"POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(200 * 1024 * 1024).encode() + b"\r\n\r\n"
    )
    assert _status(_exchange(server, head)) == 413


def test_a_chunked_stream_over_the_limit_is_cut_off_with_413(server: int) -> None:
    head = (
        b"POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b" " * 64 * 1024)
    # Four times the limit at most: the answer must come before the stream ends.
    answer = _exchange(server, head, iter([chunk] * (4 * MAX_FORM_BYTES // (64 * 1024))))
    assert _status(answer) == 413


def test_a_length_with_chunked_encoding_is_framed_by_the_chunks_or_refused(server: int) -> None:
    # Both framings at once is how requests are smuggled past a proxy. RFC 9112 (6.3) lets a
    # server refuse it (httptools: 400) or frame the body by the chunks alone (h11: an empty
    # body, so 422 here); reading it by the length would be the smuggling.
    head = (
        b"POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    )
    assert _status(_exchange(server, head)) in (0, 400, 422)


def test_answers_carry_the_security_headers(server: int) -> None:
    answer = _exchange(server, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert _status(answer) == 200
    answer = answer.lower()
    assert b"x-content-type-options: nosniff" in answer
    assert b"content-security-policy:" in answer and b"cache-control: no-store" in answer
