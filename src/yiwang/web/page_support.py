"""What every page module shares: the Jinja2 environment and `render`, the signed-in
account and the policy check (`_user`), CSRF-checked forms, redirects with a one-time
confirmation, the error page and the paged-list links. The routes live in the *_pages modules."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from yiwang.accounts import policy
from yiwang.accounts.errors import NotAuthenticated
from yiwang.accounts.models import Account, Role
from yiwang.bootstrap import Services
from yiwang.cases import operations as ops
from yiwang.cases.naming import Names
from yiwang.cases.views import CHANNEL_ZH, LIGHT_ZH, MODE_ZH, SOURCE_ZH, STATUS_ZH, kind_zh
from yiwang.credit import views as credit_views
from yiwang.error_kinds import ApiError
from yiwang.licences import views as licensing
from yiwang.registries import sharing
from yiwang.web import i18n
from yiwang.web.session import (
    LANG_COOKIE,
    check_csrf,
    csrf_token,
    current_account,
    get_services,
    store_csrf,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"

_env: Environment | None = None


def environment() -> Environment:
    global _env
    if _env is None:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
        env.globals.update(
            pick=i18n.pick,
            status_zh=lambda s: i18n.gettext(STATUS_ZH.get(s) or s),
            light_zh=lambda s: i18n.gettext(LIGHT_ZH.get(s) or s),
            mode_zh=lambda s: i18n.gettext(MODE_ZH.get(s) or s),
            source_zh=lambda s: i18n.gettext(SOURCE_ZH.get(s) or s),
            kind_zh=lambda k: i18n.gettext(kind_zh(k)),
            channel_zh=lambda c: i18n.gettext(CHANNEL_ZH.get(c) or c),
            is_enterprise=credit_views.is_enterprise,
            mask_subject=sharing.mask_subject,
            prefill_source=lambda s: i18n.pick(*ops.PREFILL_SOURCES.get(s, (s, s))),
        )
        _env = env
    return _env


def _language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "")
    return lang if lang in i18n.LANGUAGES else "zh"


def _local(services: Services) -> ZoneInfo:
    return ZoneInfo(services.platform.settings.timezone)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    services = get_services(request)
    token = i18n.current_language.set(_language(request))
    try:
        zone = _local(services)

        def when(value: datetime | None) -> str:
            return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "—"

        context.setdefault("names", Names(services.platform.catalogs.current()))
        html = environment().get_template(template).render(
            request=request,
            account=current_account(request, services),
            csrf=csrf_token(request, services),
            lang=_language(request),
            path=request.url.path,
            when=when,
            flash=_flash_message(request),
            **context,
        )
    finally:
        i18n.current_language.reset(token)
    response = HTMLResponse(html, status_code=status)
    store_csrf(request, response, services)
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


# What a reviewer or supervisor is told after an action (a one-time cookie carries the
# action and the task id across the redirect; the words are ours, never the cookie's).
FLASH_COOKIE = "yw_flash"
FLASH_WORDS: dict[str, tuple[str, str]] = {
    "accept": ("已受理，请审核后作出决定", "accepted: review it and decide"),
    "approve": ("已通过", "approved"),
    "reject": ("已作出不予许可决定", "refused"),
    "supplement": ("已发出一次性告知，申请人补正前时限暂停", "supplement notice sent; the clock stops until the applicant answers"),
    "return": ("已退回部门队列", "returned to the department's queue"),
    "transfer": ("已转办", "transferred"),
    "note": ("督办意见已送达办理部门", "the note was sent to the handling department"),
    # 账号与安全 (yiwang.web.account_pages)
    "token_revoked": ("令牌已撤销，使用它的应用须重新登录", "the token is revoked: apps using it must sign in again"),
    "password": (
        "密码已修改；所有 API 令牌已撤销，其他设备上的登录已退出",
        "password changed: every API token is revoked and other devices are signed out",
    ),
    "everywhere": (
        "已在所有设备上退出，所有 API 令牌已撤销，请重新登录",
        "signed out everywhere and every API token revoked: sign in again",
    ),
}


def _flash_message(request: Request) -> tuple[str, str, str] | None:
    """(zh, en, task id) of the confirmation to show once, or None."""
    action, _, task_id = request.cookies.get(FLASH_COOKIE, "").partition(":")
    words = FLASH_WORDS.get(action)
    if words is None:
        return None
    return words[0], words[1], task_id[:60]


def _flashed(url: str, action: str, task_id: str) -> RedirectResponse:
    response = _redirect(url)
    response.set_cookie(FLASH_COOKIE, f"{action}:{task_id}"[:80], max_age=60, samesite="lax", httponly=True, path="/")
    return response


def error_page(request: Request, status: int, zh: str, en: str) -> Response:
    if status == 401:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    try:
        return render(request, "shared/error.html", status=status, status_code=status, message_zh=zh, message_en=en)
    except Exception:  # the error page itself must never fail
        return HTMLResponse(f"<h1>{status}</h1><p>{zh} / {en}</p>", status_code=status)


def public_base(request: Request) -> str:
    """The address licence QR codes open (the setting, else where this page was served)."""
    return licensing.public_base(get_services(request), str(request.base_url))


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _user(request: Request, action: policy.Action | None = None) -> tuple[Services, Account]:
    """The signed-in account (else the sign-in page) and, when the page belongs to one
    function (a desk, the inbox, the board), the policy's leave to use it (else 403)."""
    services = get_services(request)
    account = current_account(request, services)
    if account is None:
        raise NotAuthenticated()
    # An enterprise account acts only while its user stands for the enterprise.
    account = services.authority.admit(account)
    if action is not None:
        policy.require(account, action)
    return services, account


async def _form(request: Request) -> FormData:
    services = get_services(request)
    form = await request.form(max_files=5, max_fields=300)
    check_csrf(request, services, form.get("csrf_token"))
    return form


def _text(form: FormData, name: str, limit: int = 1000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def home_of(account: Account) -> str:
    return {
        Role.APPLICANT: "/me/cases",
        Role.CLERK: "/clerk",
        Role.BANK_CLERK: "/bank",
        Role.REVIEWER: "/workbench",
        Role.LEAD_REVIEWER: "/workbench",
        Role.SUPERVISOR: "/supervision",
        Role.ADMIN: "/admin",
    }[account.role]


def _safe_next(target: str) -> str:
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return target


# --- paged lists ----------------------------------------------------------------------------


def _after(request: Request) -> str | None:
    """The position of the page asked for (`?after=`, given by the previous page's link)."""
    value = request.query_params.get("after")
    return value[:401] if value else None


def _limit(request: Request) -> int | None:
    """Rows per page when `?limit=` asks (1 to 200; checked by the read model)."""
    value = request.query_params.get("limit")
    if value is None:
        return None
    if not value.isdigit() or len(value) > 4:
        raise ApiError(422, "invalid_limit", "每页条数须为 1 到 200 的整数", "limit must be a whole number from 1 to 200")
    return int(value)


def _more(request: Request, after: str | None, anchor: str = "") -> str | None:
    """The address of the next page, or None on the last one."""
    if after is None:
        return None
    url = request.url.include_query_params(after=after)
    return f"{url.path}?{url.query}{anchor}"
