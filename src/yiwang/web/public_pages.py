"""Public pages: the portal's home, search and service guides, the language switch, sign-in
and sign-out. Every page works without JavaScript; every form carries a CSRF token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yiwang.accounts import policy
from yiwang.accounts.errors import AccountError
from yiwang.cases.views import guide_public
from yiwang.error_kinds import describe
from yiwang.web import i18n
from yiwang.web.page_support import _form, _redirect, _safe_next, _text, home_of, render
from yiwang.web.session import (
    LANG_COOKIE,
    clear_session,
    client_address,
    current_account,
    get_services,
    rotate_csrf,
    session_secret,
    set_session,
)

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    services = get_services(request)
    catalog = services.platform.catalogs.current()
    account = current_account(request, services)
    bundles = [b for b in catalog.bundles.values() if policy.may_file_in_catalog(account, catalog, b.code)]
    return render(request, "portal/home.html", bundles=bundles)


@router.get("/lang/{language}")
def switch_language(language: str, next: str = "/") -> Response:
    response = _redirect(_safe_next(next) or "/")
    if language in i18n.LANGUAGES:
        response.set_cookie(LANG_COOKIE, language, max_age=365 * 86400, samesite="lax", httponly=True, path="/")
    return response


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "") -> Response:
    services = get_services(request)
    hits = services.search.search(services.platform.catalogs.current(), q[:50])
    return render(request, "portal/search.html", q=q[:50], hits=hits)


@router.get("/guide/{code}", response_class=HTMLResponse)
def guide(request: Request, code: str) -> Response:
    services = get_services(request)
    catalog = services.platform.catalogs.current()
    if code not in catalog.items and code not in catalog.bundles:
        from yiwang.catalog.errors import UnknownCatalogEntry

        raise UnknownCatalogEntry(code[:120])
    return render(request, "portal/guide.html", guide=guide_public(catalog, code))


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "") -> Response:
    return render(request, "portal/login.html", next=_safe_next(next), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    services = get_services(request)
    form = await _form(request)
    target = _safe_next(_text(form, "next", 300))
    try:
        account = services.accounts.authenticate(
            _text(form, "username", 60), _text(form, "password", 200), client=client_address(request)
        )
    except AccountError as error:
        status, _code, zh, en, _p = describe(error)
        page = render(request, "portal/login.html", status=status, next=target, error=(zh, en), username=_text(form, "username", 60))
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, int):  # as the API's 429 says it: clients and proxies wait that long
            page.headers["Retry-After"] = str(retry_after)
        return page
    old = session_secret(request, services)
    if old:
        services.accounts.end_session(old)
    response = _redirect(target or home_of(account))
    set_session(response, services, services.accounts.start_session(account))
    # A new CSRF token for the new session: one planted before sign-in is worthless after.
    rotate_csrf(request, response, services)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    services = get_services(request)
    await _form(request)
    secret = session_secret(request, services)
    if secret:
        services.accounts.end_session(secret)
    response = _redirect("/")
    clear_session(response)
    return response


# Sign-up, enterprise authorisations and consent requests: yiwang.web.identity_pages.
