"""The ASGI guard in front of the app: body limits while streaming, Origin, response headers.

Driven as ASGI directly (no server, no I/O): the ``receive`` side counts how much of the
body the guard pulled, which is what proves that nothing past the limit is read."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from yiwang.http_guard import (
    MAX_FORM_BYTES,
    MAX_MULTIPART_BYTES,
    HttpGuard,
    UnsafeSettings,
    refuse_unsafe_settings,
)
from yiwang.settings import Settings

CHUNK = 64 * 1024


async def _echo_length(request: Request) -> Response:
    body = await request.body()
    return JSONResponse({"length": len(body)})


async def _form(request: Request) -> Response:
    form = await request.form()
    return JSONResponse({"fields": len(form)})


def _inner() -> Starlette:
    return Starlette(routes=[Route("/api/v1/echo", _echo_length, methods=["POST"]), Route("/form", _form, methods=["POST"]),
                             Route("/page", _echo_length, methods=["GET", "POST"])])


class Upload:
    """An endless (or bounded) request body in chunks, counting what the app pulled."""

    def __init__(self, total: int, chunk: int = CHUNK, head: bytes = b"") -> None:
        self.total = total
        self.chunk = chunk
        self.head = head
        self.pulled = 0

    def messages(self) -> Iterator[dict[str, Any]]:
        sent = 0
        while sent < self.total:
            size = min(self.chunk, self.total - sent)
            piece = (self.head + b"x" * size)[:size] if sent == 0 else b"x" * size
            sent += size
            self.pulled = sent
            yield {"type": "http.request", "body": piece, "more_body": sent < self.total}
        yield {"type": "http.request", "body": b"", "more_body": False}


def call(
    app: Any, path: str, *, method: str = "POST", headers: dict[str, str] | None = None, upload: Upload | None = None
) -> tuple[int, dict[str, str], bytes]:
    messages = iter(upload.messages()) if upload is not None else iter([{"type": "http.request", "body": b"", "more_body": False}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        try:
            return next(messages)
        except StopIteration:
            return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in {"host": "yiwang.test", **(headers or {})}.items()],
        "client": ("203.0.113.9", 5000), "server": ("yiwang.test", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_a_chunked_body_over_the_limit_is_cut_off_at_the_limit() -> None:
    upload = Upload(200 * 1024 * 1024)  # 200 MB, no Content-Length: chunked
    status, _, body = call(HttpGuard(_inner()), "/api/v1/echo", headers={"transfer-encoding": "chunked", "content-type": "application/json"}, upload=upload)
    assert status == 413
    error = json.loads(body)["error"]
    assert error["code"] == "request_too_large" and "请求过大" in error["message_zh"] and "too large" in error["message_en"]
    # Nothing past the limit was pulled from the client: one chunk beyond it at most.
    assert upload.pulled <= MAX_FORM_BYTES + CHUNK


def test_a_lying_content_length_does_not_lift_the_limit() -> None:
    upload = Upload(3 * MAX_FORM_BYTES)
    status, _, _ = call(HttpGuard(_inner()), "/api/v1/echo", headers={"content-length": "10", "content-type": "application/json"}, upload=upload)
    assert status == 413 and upload.pulled <= MAX_FORM_BYTES + CHUNK


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    upload = Upload(MAX_MULTIPART_BYTES + 1)
    status, headers, body = call(
        HttpGuard(_inner()), "/form", headers={"content-length": str(MAX_MULTIPART_BYTES + 1), "content-type": "multipart/form-data; boundary=x"}, upload=upload
    )
    assert status == 413 and upload.pulled == 0
    assert headers["content-type"].startswith("text/html") and "请求过大".encode() in body


def test_a_chunked_multipart_upload_over_5_mb_is_refused_without_being_parsed() -> None:
    part = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-'
    upload = Upload(50 * 1024 * 1024, head=part)
    status, _, _ = call(HttpGuard(_inner()), "/form", headers={"content-type": "multipart/form-data; boundary=x"}, upload=upload)
    assert status == 413 and upload.pulled <= MAX_MULTIPART_BYTES + CHUNK


def test_a_body_within_the_limit_passes_whole() -> None:
    status, _, body = call(HttpGuard(_inner()), "/api/v1/echo", headers={"content-type": "application/json"}, upload=Upload(MAX_FORM_BYTES))
    assert status == 200 and json.loads(body) == {"length": MAX_FORM_BYTES}


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"origin": "https://evil.example"}, True),
        ({"origin": "null"}, True),
        ({"origin": "http://yiwang.test.evil.example"}, True),
        ({"referer": "https://evil.example/form"}, True),
        ({"origin": "http://yiwang.test"}, False),
        ({"referer": "http://yiwang.test/login"}, False),
        ({}, False),  # not a browser; the CSRF token still decides
    ],
)
def test_forms_from_another_site_are_refused(headers: dict[str, str], refused: bool) -> None:
    status, _, body = call(HttpGuard(_inner()), "/page", headers=headers)
    assert (status == 403) is refused
    if refused:
        assert "来源" in body.decode()


def test_the_api_is_not_origin_checked_it_takes_no_cookies() -> None:
    status, _, _ = call(HttpGuard(_inner()), "/api/v1/echo", headers={"origin": "https://app.example"})
    assert status == 200


def test_responses_are_not_cached_and_hsts_only_in_production() -> None:
    _, headers, _ = call(HttpGuard(_inner()), "/page", method="GET")
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in headers
    _, headers, _ = call(HttpGuard(_inner(), production=True), "/page", method="GET")
    assert headers["strict-transport-security"].startswith("max-age=31536000")


def test_production_refuses_the_default_or_a_short_secret_key() -> None:
    with pytest.raises(UnsafeSettings, match="YIWANG_SECRET_KEY"):
        refuse_unsafe_settings(Settings(environment="production"))
    with pytest.raises(UnsafeSettings):
        refuse_unsafe_settings(Settings(environment="production", secret_key="short"))
    refuse_unsafe_settings(Settings(environment="production", secret_key="k" * 40))
    refuse_unsafe_settings(Settings())  # development may use the default


@pytest.mark.parametrize("near_miss", ["prod", "Production", "production ", "staging"])
def test_an_unknown_environment_is_refused_not_taken_for_development(near_miss: str) -> None:
    """Issue 12 re-check: ``YIWANG_ENVIRONMENT=prod`` ran with the default secret and no HSTS."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="environment"):
        Settings(environment=near_miss)
