"""The applicant's pages: my cases, the application form, the case page (materials, the
answer to a supplement notice) and material downloads. A window clerk files through the
same form and case page."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData, UploadFile

from yiwang.accounts import policy
from yiwang.accounts.errors import AccountError, Forbidden
from yiwang.accounts.models import Account
from yiwang.bootstrap import Services
from yiwang.cases import legal_operations as legal_ops
from yiwang.cases import operations as ops
from yiwang.cases.errors import InvalidCharacters, InvalidForm, SupplementIncomplete
from yiwang.cases.holders import output_holder
from yiwang.cases.naming import Names
from yiwang.cases.views import actor_names, case_light, event_text, pauses, task_light
from yiwang.catalog.models import FieldType
from yiwang.db.read_models import case_licences, data_requests_of_case
from yiwang.error_kinds import ApiError, describe
from yiwang.identity.errors import FieldProblem
from yiwang.licences import views as licensing
from yiwang.materials.services import MAX_BYTES
from yiwang.registries import sharing
from yiwang.web.page_support import _form, _redirect, _text, _user, public_base, render

router = APIRouter()


@router.get("/me/cases", response_class=HTMLResponse)
def my_cases(request: Request) -> Response:
    services, account = _user(request, policy.Action.APPLICANT_DESK)
    platform = services.platform
    rows = ops.list_cases(services, account, desk=policy.Action.APPLICANT_DESK)
    catalog = platform.catalogs.current()
    bundles = [b for b in catalog.bundles.values() if policy.may_file_in_catalog(account, catalog, b.code)]
    return render(request, "portal/my_cases.html", cases=rows, catalog=catalog, bundles=bundles)


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
