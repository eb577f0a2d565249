"""Server-rendered pages (Jinja2): applicant portal, clerk window, reviewer workbench,
supervisor board, administration. Every page works without JavaScript; every form carries
a CSRF token; Chinese first with an English switch."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.datastructures import FormData, UploadFile

from yiwang.accounts import policy
from yiwang.accounts.errors import AccountError, Forbidden, NotAuthenticated
from yiwang.accounts.models import Account, Role
from yiwang.bootstrap import Services
from yiwang.cases import legal_operations as legal_ops
from yiwang.cases import operations as ops
from yiwang.cases.completeness import missing_for_approval
from yiwang.cases.errors import (
    CaseError,
    CaseNotFound,
    InvalidCharacters,
    InvalidForm,
    SupplementIncomplete,
    TaskNotFound,
)
from yiwang.cases.events import SupervisionNote
from yiwang.cases.holders import output_holder
from yiwang.cases.naming import Names
from yiwang.cases.views import (
    CHANNEL_ZH,
    LIGHT_ZH,
    MODE_ZH,
    SOURCE_ZH,
    STATUS_ZH,
    actor_names,
    case_light,
    event_text,
    figures_public,
    filter_inbox,
    guide_public,
    item_name,
    kind_zh,
    overdue_first,
    pauses,
    row_light,
    task_light,
)
from yiwang.catalog.models import FieldType
from yiwang.credit import views as credit_views
from yiwang.db.read_models import (
    case_licences,
    data_requests_of_case,
    inbox,
    inbox_summary,
    overdue_count,
    overdue_tasks,
    supervision_figures,
)
from yiwang.error_kinds import ApiError, describe
from yiwang.errors import Refused
from yiwang.identity.errors import FieldProblem
from yiwang.licences import views as licensing
from yiwang.materials.services import MAX_BYTES
from yiwang.metrics import board as project_board
from yiwang.registries import sharing
from yiwang.web import charts, i18n
from yiwang.web.session import (
    LANG_COOKIE,
    check_csrf,
    clear_session,
    client_address,
    csrf_token,
    current_account,
    get_services,
    rotate_csrf,
    session_secret,
    set_session,
    store_csrf,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
router = APIRouter()

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


# --- public ------------------------------------------------------------------------------


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


# --- applicant and clerk -----------------------------------------------------------------


@router.get("/me/cases", response_class=HTMLResponse)
def my_cases(request: Request) -> Response:
    services, account = _user(request, policy.Action.APPLICANT_DESK)
    platform = services.platform
    rows = ops.list_cases(services, account, desk=policy.Action.APPLICANT_DESK)
    catalog = platform.catalogs.current()
    bundles = [b for b in catalog.bundles.values() if policy.may_file_in_catalog(account, catalog, b.code)]
    return render(request, "portal/my_cases.html", cases=rows, catalog=catalog, bundles=bundles)


@router.get("/clerk", response_class=HTMLResponse)
def clerk_home(request: Request) -> Response:
    services, account = _user(request, policy.Action.WINDOW_DESK)
    platform = services.platform
    rows = ops.list_cases(services, account, desk=policy.Action.WINDOW_DESK)
    catalog = platform.catalogs.current()
    bundles = [b for b in catalog.bundles.values() if policy.may_file_in_catalog(account, catalog, b.code)]
    return render(request, "clerk/home.html", cases=rows, catalog=catalog, bundles=bundles)


@router.get("/bank", response_class=HTMLResponse)
def bank_home(request: Request) -> Response:
    """A bank branch as a registration service point: the mortgage items it files and the
    cases filed at the branch (by any of its clerks)."""
    services, account = _user(request, policy.Action.BANK_DESK)
    platform = services.platform
    rows = ops.list_cases(services, account, desk=policy.Action.BANK_DESK)
    catalog = platform.catalogs.current()
    items = [catalog.items[code] for code in policy.BANK_ITEMS if code in catalog.items]
    return render(request, "clerk/bank.html", cases=rows, catalog=catalog, items=items)


def _form_context(services: Services, code: str) -> dict[str, Any]:
    catalog = services.platform.catalogs.current()
    if code not in catalog.items and code not in catalog.bundles:
        from yiwang.catalog.errors import UnknownCatalogEntry

        raise UnknownCatalogEntry(code[:120])
    bundle = catalog.as_bundle(code)
    regions = [(city, catalog.regions.counties(city.code) + catalog.regions.zones(city.code)) for city in catalog.regions.cities]
    # Where the form does not ask for the county, the page offers the service point (办理地),
    # pre-selected from the applicant's registry record.
    asks_region = any(spec.name == "region_code" for spec in bundle.form)
    return {
        "bundle": bundle,
        "regions": regions,
        "scope": list(catalog.business_scope),
        "FieldType": FieldType,
        "asks_service_point": not asks_region,
    }


@router.get("/apply/{code}", response_class=HTMLResponse)
def apply_page(request: Request, code: str) -> Response:
    services, account = _user(request)
    if not policy.can_file_subject(account, code) or not policy.may_file_in_catalog(
        account, services.platform.catalogs.current(), code
    ):
        raise Forbidden()
    context = _form_context(services, code)
    values, sources = ops.prefill_with_sources(services, account, code)
    return render(
        request,
        "portal/apply.html",
        values=values,
        sources=sources,
        problems={},
        key=secrets.token_urlsafe(16),
        on_behalf={},
        service_point=ops.registry_region(services, account.subject_id or "", account.actor) or (account.region_code or ""),
        **context,
    )


@router.post("/apply/{code}")
async def apply(request: Request, code: str) -> Response:
    services, account = _user(request)
    form = await _form(request)
    context = _form_context(services, code)
    values: dict[str, Any] = {}
    for spec in context["bundle"].form:
        if spec.type is FieldType.MULTI_CHOICE:
            chosen = [v for v in form.getlist(spec.name) if isinstance(v, str)]
            if chosen:
                values[spec.name] = chosen[:100]
        else:
            text = _text(form, spec.name, 500).strip()
            if text:
                values[spec.name] = text
    key = _text(form, "idempotency_key", 60) or None
    on_behalf = {"applicant_id": _text(form, "applicant_id", 18), "applicant_name": _text(form, "applicant_name", 60)}
    service_point = _text(form, "service_point", 6) if context["asks_service_point"] else ""
    try:
        submitted = ops.submit(
            services,
            account,
            code,
            values,
            idempotency_key=f"{account.id}:{key}" if key else None,
            channel="online",
            on_behalf_id=on_behalf["applicant_id"],
            on_behalf_name=on_behalf["applicant_name"],
            service_point=service_point,
        )
    except (InvalidForm, InvalidCharacters, ApiError, AccountError) as error:
        status, _code, zh, en, problems = describe(error)
        by_field: dict[str, list[FieldProblem]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem)
        return render(
            request,
            "portal/apply.html",
            status=status,
            values=values,
            sources={},
            problems=by_field,
            error=(zh, en),
            key=secrets.token_urlsafe(16),
            on_behalf=on_behalf,
            service_point=service_point,
            **context,
        )
    return _redirect(f"/cases/{submitted.case_id}")


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str) -> Response:
    services, account = _user(request)
    return render(request, "portal/case.html", **_case_context(request, services, account, case_id))


def _case_context(request: Request, services: Services, account: Account, case_id: str) -> dict[str, Any]:
    case = ops.view_case(services, account, case_id)
    platform = services.platform
    catalog = platform.catalogs.version(case.catalog_version)
    now = platform.clock()
    events = platform.cases.events(case.id)
    materials = services.materials.of_case(case.id)
    all_materials = []
    seen = set()
    for code in catalog.as_bundle(case.subject_code).item_codes():
        for material in catalog.item(code).materials:
            if material.code not in seen:
                seen.add(material.code)
                all_materials.append(material)
    names = sharing.material_names(catalog, case)
    actors = actor_names(services, catalog, (event.actor for event in events))
    licence_cards = [
        (row, Markup(licensing.licence_qr_svg(row, public_base(request), label=f"{row.holder_name} {row.identifier}")))
        for row in case_licences(platform.engine, case.id)
    ]
    return dict(
        attachments=sharing.attachments(services, case),
        shared_names=names,
        licence_cards=licence_cards,
        data_requests=data_requests_of_case(platform.engine, case.id),
        case=case,
        catalog=catalog,
        case_light=case_light(platform, case, now).value,
        task_lights={task.id: task_light(platform, task, now).value for task in case.tasks},
        timeline=[(event, event_text(event, catalog), actors[event.actor]) for event in events],
        pauses=pauses(case, catalog),
        names=Names(catalog),
        materials=materials,
        all_materials=all_materials,
        material_names={m.code: m.name for m in all_materials},
        holders={o.number: output_holder(case, o, catalog)[1] for o in case.outputs},
        can_upload=policy.allows(account, policy.Action.UPLOAD),
        max_mb=MAX_BYTES // (1024 * 1024),
        can_withdraw=legal_ops.may_withdraw(account, case),
        can_halt=legal_ops.may_halt(account, case),
    )


def _upload_file(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


@router.post("/cases/{case_id}/materials")
async def upload_material(request: Request, case_id: str) -> Response:
    services, account = _user(request)
    form = await _form(request)
    file = _upload_file(form, "file")
    if file is None:
        raise ApiError(422, "file_required", "请选择要上传的文件", "choose a file to upload")
    data = await file.read(MAX_BYTES + 1)
    ops.upload(services, account, case_id, _text(form, "material_code", 80), file.filename or "file", data)
    return _redirect(f"/cases/{case_id}#materials")


@router.post("/cases/{case_id}/supplements/{supplement_id}")
async def answer_supplement(request: Request, case_id: str, supplement_id: str) -> Response:
    services, account = _user(request)
    form = await _form(request)
    attachments = []
    case = ops.view_case(services, account, case_id)
    supplement = next((s for s in case.supplements if s.id == supplement_id), None)
    for code in supplement.material_codes if supplement else ():
        file = _upload_file(form, f"file_{code}")
        if file is not None:
            data = await file.read(MAX_BYTES + 1)
            material = ops.upload(services, account, case_id, code, file.filename or "file", data, supplement_id)
            attachments.append(material.id)
    try:
        ops.answer_supplement(services, account, case_id, supplement_id, _text(form, "answer"), attachments)
    except SupplementIncomplete as error:
        # Shown beside the answer form; what was uploaded stays with the case.
        context = _case_context(request, services, account, case_id)
        return render(request, "portal/case.html", status=422, answer_error=(error.message_zh, error.message_en), **context)
    return _redirect(f"/cases/{case_id}")


@router.get("/materials/{material_id}")
def download(request: Request, material_id: str) -> Response:
    services, account = _user(request)
    material, path = ops.material_file(services, account, material_id)
    return FileResponse(
        path,
        media_type=material.content_type,
        filename=material.download_name,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )


# --- reviewer workbench ------------------------------------------------------------------


@router.get("/workbench", response_class=HTMLResponse)
def workbench(request: Request) -> Response:
    services, account = _user(request, policy.Action.REVIEW)
    platform = services.platform
    department = policy.inbox_department(account)
    chosen = {key: request.query_params.get(key, "")[:60] for key in ("item", "status", "light", "applicant")}
    # Item, status and applicant narrow the page in SQL (a page holds 50 matching rows); the
    # light, computed per row, narrows the page shown.
    rows = inbox(
        platform.engine,
        department,
        platform.clock(),
        platform.calendars.current(),
        platform.settings.yellow_share,
        after=_after(request),
        limit=_limit(request),
        item_code=chosen["item"] or None,
        status=chosen["status"] or None,
        applicant=chosen["applicant"].strip() or None,
    )
    summary = inbox_summary(platform.engine, department)
    requests = sharing.inbox_requests(services, account)
    shown = filter_inbox(rows, light=chosen["light"])
    catalog = platform.catalogs.current()
    return render(
        request,
        "workbench/inbox.html",
        tasks=shown,
        total=summary.total,
        chosen=chosen,
        item_choices=list(summary.items),
        status_choices=list(summary.statuses),
        row_light=row_light,
        actors=actor_names(services, catalog, {row.assignee for row in rows if row.assignee} | {r.requested_by for r in requests}),
        catalog=catalog,
        data_requests=requests,
        more=_more(request, rows.after),
    )


def _task_context(services: Services, account: Account, task_id: str) -> dict[str, Any]:
    case, task = ops.view_task(services, account, task_id)
    platform = services.platform
    catalog = platform.catalogs.version(case.catalog_version)
    bundle = catalog.as_bundle(case.subject_code)
    colleagues = [a for a in services.accounts.reviewers_of(task.department_code) if a.actor != account.actor]
    credit = credit_views.credit_public(services, case.applicant_id) if credit_views.is_enterprise(case.applicant_id) else None
    materials = services.materials.of_case(case.id)
    events = platform.cases.events(case.id)
    notes = [event for event in events if isinstance(event, SupervisionNote) and event.task_id == task.id]
    actors = actor_names(services, catalog, [event.actor for event in events] + ([task.assignee] if task.assignee else []))
    item = catalog.item(task.item_code)
    supplied = {m.material_code for m in materials}
    return dict(
        credit=credit,
        consents=services.consents.of_case(case.id),
        attachments=sharing.attachments(services, case),
        shared_names=sharing.material_names(catalog, case),
        conditional_fields=sharing.conditional_fields(catalog),
        subjects=sharing.subjects_of(case),
        data_requests=[r for r in data_requests_of_case(platform.engine, case.id) if r.task_id == task.id],
        case=case,
        task=task,
        item=item,
        bundle=bundle,
        light=task_light(platform, task, platform.clock()).value,
        materials=materials,
        supplied=supplied,
        missing=missing_for_approval(item, supplied=supplied, committed={*case.commitments, *case.promises}),
        supervision_notes=notes,
        actors=actors,
        can_act=policy.can_act_on_task(account, task.department_code, task.assignee) and task.is_open,
        colleagues=colleagues,
        item_name=lambda code: item_name(catalog, code),
        names=Names(catalog),
    )


@router.get("/workbench/tasks/{task_id}", response_class=HTMLResponse)
def task_page(request: Request, task_id: str) -> Response:
    services, account = _user(request)
    return render(request, "workbench/task.html", **_task_context(services, account, task_id), failed=None)


# Which form field an action's refusal belongs beside.
_ACTION_FIELD = {"reject": "reason", "return": "reason", "supplement": "note", "transfer": "to_reviewer", "approve": "comment"}


@router.post("/workbench/tasks/{task_id}")
async def task_action(request: Request, task_id: str) -> Response:
    services, account = _user(request)
    form = await _form(request)
    action = _text(form, "action", 20)
    try:
        case = ops.act(
            services,
            account,
            task_id,
            ops.ActionRequest(
                action=action,
                reason=_text(form, "reason"),
                comment=_text(form, "comment", 500),
                material_codes=tuple(v for v in form.getlist("material_codes") if isinstance(v, str))[:50],
                note=_text(form, "note"),
                to_reviewer=_text(form, "to_reviewer", 60),
            ),
        )
    except (CaseError, Refused, InvalidCharacters) as error:
        if isinstance(error, (CaseNotFound, TaskNotFound)):
            raise
        status, _code, zh, en, _problems = describe(error)
        context = _task_context(services, account, task_id)
        failed = {"action": action, "field": _ACTION_FIELD.get(action, ""), "zh": zh, "en": en}
        return render(request, "workbench/task.html", status=status, failed=failed, **context)
    if action == "accept":
        # The reviewer goes on reviewing the task just accepted.
        return _flashed(f"/workbench/tasks/{task_id}", action, task_id)
    del case
    return _flashed("/workbench", action, task_id)


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


# --- supervisor --------------------------------------------------------------------------


@router.get("/supervision", response_class=HTMLResponse)
def supervision(request: Request) -> Response:
    services, account = _user(request, policy.Action.SUPERVISE)
    platform = services.platform
    prefix = policy.supervision_prefix(account)
    now, calendar, share = platform.clock(), platform.calendars.current(), platform.settings.yellow_share
    figures = [figures_public(platform, f) for f in supervision_figures(platform.engine, prefix, now, calendar, share)]
    page = overdue_tasks(platform.engine, prefix, now, calendar, share, after=_after(request), limit=_limit(request))
    overdue = overdue_first(page)
    # The heading counts the whole list, not the page shown.
    overdue_total = overdue_count(platform.engine, prefix, now)
    catalog = platform.catalogs.current()
    token = i18n.current_language.set(_language(request))
    try:
        load_chart = charts.stacked_bars(
            i18n.gettext("在办任务：正常 / 临期 / 超期"),
            [
                charts.Bar(
                    f.item_name_zh,
                    (
                        (float(f.open - f.due_soon - f.overdue), charts.GREEN, i18n.gettext("正常")),
                        (float(f.due_soon), charts.YELLOW, i18n.gettext("临期")),
                        (float(f.overdue), charts.RED, i18n.gettext("超期")),
                    ),
                )
                for f in figures
            ],
        )
        online_chart = charts.share_bars(
            i18n.gettext("网办率（竖线为目标）"), [(f.item_name_zh, f.online_share, f.target_online_share) for f in figures]
        )
        instant_chart = charts.share_bars(
            i18n.gettext("即办率（竖线为目标）"), [(f.item_name_zh, f.instant_share, f.target_instant_share) for f in figures]
        )
    finally:
        i18n.current_language.reset(token)
    return render(
        request,
        "supervision/board.html",
        figures=figures,
        overdue=overdue,
        overdue_total=overdue_total,
        catalog=catalog,
        prefix=prefix,
        more=_more(request, page.after, "#overdue"),
        charts=[Markup(load_chart), Markup(online_chart), Markup(instant_chart)],
        item_name=lambda code: item_name(catalog, code),
    )


@router.post("/supervision/tasks/{task_id}/note")
async def supervision_note(request: Request, task_id: str) -> Response:
    """督办: the note goes onto the task, where the handling department reads it."""
    services, account = _user(request, policy.Action.SUPERVISE)
    form = await _form(request)
    ops.note_supervision(services, account, task_id, _text(form, "note"))
    return _flashed("/supervision#overdue", "note", task_id)


@router.get("/supervision/projects", response_class=HTMLResponse)
def supervision_projects(request: Request) -> Response:
    """The construction board (R-SVC-CON): stage, working days used against the flow type's
    budget, light; the same rows as `yiwang projects` and GET /api/v1/supervision/projects."""
    services, account = _user(request)
    projects = project_board.board(services, account, after=_after(request), limit=_limit(request))
    colours = {"green": charts.GREEN, "yellow": charts.YELLOW, "red": charts.RED}
    token = i18n.current_language.set(_language(request))
    try:
        chart = charts.budget_bars(
            i18n.gettext("已用工作日 / 审批时限（竖线为时限）"),
            [
                (p.row.project, p.row.days_used, p.row.budget_days, colours.get(p.row.light, charts.GREY))
                for p in projects
            ],
            [
                (i18n.gettext("正常"), charts.GREEN),
                (i18n.gettext("临期"), charts.YELLOW),
                (i18n.gettext("超期"), charts.RED),
                (i18n.gettext("审批时限"), "#e0e0e0"),
            ],
        )
    finally:
        i18n.current_language.reset(token)
    return render(
        request,
        "supervision/projects.html",
        projects=[p.public for p in projects],
        prefix=policy.supervision_prefix(account),
        more=_more(request, projects.after),
        chart=Markup(chart),
    )


# --- administrator -----------------------------------------------------------------------


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request) -> Response:
    services, _admin = _user(request, policy.Action.ADMINISTER)
    return render(request, "admin/accounts.html", accounts=services.accounts.list())


@router.post("/admin/unlock")
async def unlock(request: Request) -> Response:
    services, _admin = _user(request, policy.Action.ADMINISTER)
    form = await _form(request)
    services.accounts.unlock(_text(form, "username", 60))
    return _redirect("/admin")
