"""The guard in front of every request: a pure ASGI middleware (no request is buffered here).

- **Body limit.** The bytes of the ``http.request`` messages are counted as they arrive,
  whatever the transfer encoding (``Content-Length``, chunked, or a lying length). A declared
  length over the limit is answered 413 before anything is read; a stream that passes the
  limit is cut off with 413 at the message that would pass it, so a 200 MB chunked body never
  reaches a parser or the temporary folder.
- **Origin check.** A state-changing browser request (a form on the pages) whose ``Origin``
  (or, without one, ``Referer``) is another site is refused 403, on top of the CSRF token.
  The API is not cookie-authenticated, so it is not checked.
- **Response headers.** ``Cache-Control: no-store`` on everything that does not choose its own
  caching (personal pages and JSON must not stay in shared or browser caches), the security
  headers, and HSTS in production.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yiwang.errors import BilingualError
from yiwang.settings import Settings

# Forms and JSON: generous for the largest merged form, tiny next to an upload.
MAX_FORM_BYTES = 1024 * 1024
# Multipart requests carry at most one 5 MB file plus form fields and part headers.
MAX_MULTIPART_BYTES = 5 * 1024 * 1024 + 256 * 1024

TOO_LARGE_ZH = "请求过大：表单不超过 1 MB，单个文件不超过 5 MB"
TOO_LARGE_EN = "the request is too large: at most 1 MB for a form, 5 MB per file"
FOREIGN_ORIGIN_ZH = "请求来源不是本站，已拒绝"
FOREIGN_ORIGIN_EN = "the request did not come from this site and was refused"

_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

SECURITY_HEADERS: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Everything is served by the platform itself; no inline script anywhere.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
}
HSTS = "max-age=31536000; includeSubDomains"


DEFAULT_SECRET_KEY = Settings.model_fields["secret_key"].default
MIN_SECRET_LENGTH = 32


class UnsafeSettings(BilingualError):
    code = "unsafe_settings"


def refuse_unsafe_settings(settings: Settings) -> None:
    """Production must not sign cookies and CSRF tokens with the key published in the source
    (anyone could forge them), nor with a short one."""
    if settings.environment != "production":
        return
    key = settings.secret_key
    if key == DEFAULT_SECRET_KEY or len(key) < MIN_SECRET_LENGTH:
        raise UnsafeSettings(
            f"生产环境必须设置 YIWANG_SECRET_KEY（至少 {MIN_SECRET_LENGTH} 个随机字符），不能使用默认密钥",
            f"production needs YIWANG_SECRET_KEY set to at least {MIN_SECRET_LENGTH} random characters, "
            "not the default key",
        )


class BodyTooLarge(HTTPException):
    """Raised inside ``receive`` when the stream passes the limit. An HTTPException so that
    FastAPI's body parsing lets it through instead of turning it into a 400."""

    def __init__(self) -> None:
        super().__init__(413, f"{TOO_LARGE_ZH} / {TOO_LARGE_EN}")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def body_limit(scope: Scope) -> int:
    content_type = (_header(scope, b"content-type") or "").lower()
    return MAX_MULTIPART_BYTES if content_type.startswith("multipart/") else MAX_FORM_BYTES


def _is_api(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith("/api/")


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def foreign_origin(scope: Scope) -> bool:
    """True when a browser says the request comes from another site (or from nowhere:
    ``Origin: null`` is what sandboxed frames and some redirects send)."""
    host = (_header(scope, b"host") or "").lower()
    if not host:
        return False
    origin = _header(scope, b"origin")
    if origin is None:
        referer = _header(scope, b"referer")
        if referer is None:
            return False  # a non-browser client; the CSRF token still has to match
        claimed = _origin_of(referer)
    else:
        claimed = None if origin.strip().lower() == "null" else _origin_of(origin.strip())
    if claimed is None:
        return True
    return claimed.split("://", 1)[1] != host


def _body(scope: Scope, status: int, code: str, zh: str, en: str) -> tuple[bytes, bytes]:
    if _is_api(scope):
        payload = {"error": {"code": code, "message_zh": zh, "message_en": en, "problems": []}}
        return json.dumps(payload, ensure_ascii=False).encode(), b"application/json"
    page = (
        '<!doctype html><html lang="zh"><meta charset="utf-8"><title>' + str(status) + "</title>"
        f"<h1>{status}</h1><p>{zh}</p><p lang=\"en\">{en}</p></html>"
    )
    return page.encode(), b"text/html; charset=utf-8"


class HttpGuard:
    def __init__(self, app: ASGIApp, *, production: bool = False) -> None:
        self.app = app
        self.production = production

    async def _refuse(self, scope: Scope, send: Send, status: int, code: str, zh: str, en: str) -> None:
        body, content_type = _body(scope, status, code, zh, en)
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        headers += self._extra_headers([])
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _extra_headers(self, existing: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        present = {bytes(key).lower() for key, _ in existing}
        added = [
            (name.lower().encode(), value.encode())
            for name, value in SECURITY_HEADERS.items()
            if name.lower().encode() not in present
        ]
        if b"cache-control" not in present:
            added.append((b"cache-control", b"no-store"))
        if self.production and b"strict-transport-security" not in present:
            added.append((b"strict-transport-security", HSTS.encode()))
        return added

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = str(scope.get("method", "GET")).upper()
        if method in _UNSAFE and not _is_api(scope) and foreign_origin(scope):
            await self._refuse(scope, send, 403, "foreign_origin", FOREIGN_ORIGIN_ZH, FOREIGN_ORIGIN_EN)
            return
        limit = body_limit(scope)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await self._refuse(scope, send, 413, "request_too_large", TOO_LARGE_ZH, TOO_LARGE_EN)
            return

        received = 0
        too_large = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise BodyTooLarge()
            return message

        response_started = False

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if too_large:
                # Whatever the app made of the exception, the client gets the guard's 413.
                if message["type"] == "http.response.start" and not response_started:
                    response_started = True
                    await self._refuse(scope, send, 413, "request_too_large", TOO_LARGE_ZH, TOO_LARGE_EN)
                return
            if message["type"] == "http.response.start":
                response_started = True
                headers = list(message.get("headers", []))
                headers += self._extra_headers(headers)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            # Raised where no handler turned it into a response (outside a route).
            if response_started:
                return
            await self._refuse(scope, send, 413, "request_too_large", TOO_LARGE_ZH, TOO_LARGE_EN)
