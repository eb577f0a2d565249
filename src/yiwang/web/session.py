"""Browser sessions and CSRF protection.

The session cookie holds a random secret, signed (itsdangerous) and HttpOnly, SameSite=Lax;
the server keeps only its SHA-256. Every form carries a CSRF token equal to a second,
signed, HttpOnly, SameSite=Strict cookie (signed double submit); a POST without the
matching pair is refused.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

from yiwang.accounts.models import Account
from yiwang.bootstrap import Services
from yiwang.error_kinds import ApiError

SESSION_COOKIE = "yw_session"
CSRF_COOKIE = "yw_csrf"
LANG_COOKIE = "yw_lang"


def get_services(request: Request) -> Services:
    """The services the application factory stored on the app (the pages' own getter, so that
    ``web`` does not depend on ``api``)."""
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


def _serializer(services: Services, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(services.platform.settings.secret_key, salt=salt)


def _secure(services: Services) -> bool:
    return services.platform.settings.environment == "production"


def current_account(request: Request, services: Services) -> Account | None:
    if getattr(request.state, "account_resolved", False):
        cached: Account | None = request.state.account
        return cached
    account = None
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        try:
            secret = _serializer(services, "session").loads(raw)
        except BadSignature:
            secret = None
        if isinstance(secret, str):
            account = services.accounts.resolve_session(secret)
    request.state.account = account
    request.state.account_resolved = True
    return account


def session_secret(request: Request, services: Services) -> str | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        secret = _serializer(services, "session").loads(raw)
    except BadSignature:
        return None
    return secret if isinstance(secret, str) else None


def set_session(response: Response, services: Services, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        _serializer(services, "session").dumps(secret),
        httponly=True,
        samesite="lax",
        secure=_secure(services),
        max_age=8 * 3600,
        path="/",
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def csrf_token(request: Request, services: Services) -> str:
    """The token for this browser; created (and set on the response by `render`) if new."""
    existing = getattr(request.state, "csrf", None)
    if isinstance(existing, str):
        return existing
    raw = request.cookies.get(CSRF_COOKIE, "")
    token = raw
    try:
        _serializer(services, "csrf").loads(raw)
    except BadSignature:
        token = _serializer(services, "csrf").dumps(secrets.token_urlsafe(24))
        request.state.new_csrf = token
    request.state.csrf = token
    return token


def store_csrf(request: Request, response: Response, services: Services) -> None:
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(
            CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(services), path="/", max_age=86400
        )


def rotate_csrf(request: Request, response: Response, services: Services) -> None:
    """Replace the browser's CSRF token (at sign-in), so a token fixed by an attacker before
    the victim signed in is void afterwards."""
    token = _serializer(services, "csrf").dumps(secrets.token_urlsafe(24))
    request.state.csrf = token
    request.state.new_csrf = token
    store_csrf(request, response, services)


def client_address(request: Request) -> str:
    """The peer address (uvicorn fills it from X-Forwarded-For only for trusted proxies)."""
    return request.client.host if request.client is not None else ""


def check_csrf(request: Request, services: Services, submitted: object) -> None:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    valid = False
    if isinstance(submitted, str) and cookie:
        try:
            _serializer(services, "csrf").loads(cookie)
            valid = hmac.compare_digest(cookie.encode(), submitted.encode())
        except BadSignature:
            valid = False
    if not valid:
        raise ApiError(
            403,
            "csrf_failed",
            "页面已过期或来源不明，请刷新页面后重新提交",
            "the form has expired or did not come from this site; reload the page and submit again",
        )
