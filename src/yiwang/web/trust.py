"""Pages of trust and transparency: licence verification (亮证核验) and the published keys,
the card wallet (电子卡包) and printable licences, "who read my data", the enterprise's credit
class, the published random inspections, and conditional data-sharing requests."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from markupsafe import Markup

from yiwang.accounts import policy
from yiwang.cases.views import actor_names
from yiwang.catalog.models import CatalogSpec
from yiwang.credit import views as credit_views
from yiwang.inspections import views as oversight
from yiwang.licences import views as licensing
from yiwang.registries import sharing
from yiwang.schemas import DataRequestCreate
from yiwang.web.page_support import _form, _redirect, _text, _user, public_base, render
from yiwang.web.session import get_services

router = APIRouter()

_PUBLIC_JSON_HEADERS = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}


# --- public: keys, revocations, verification ---------------------------------------------


@router.get(licensing.KEYS_PATH)
def published_keys(request: Request) -> Response:
    return JSONResponse(licensing.keys_document(get_services(request)), headers=_PUBLIC_JSON_HEADERS)


@router.get(licensing.REVOCATIONS_PATH)
def published_revocations(request: Request) -> Response:
    return JSONResponse(licensing.revocations_document(get_services(request)), headers=_PUBLIC_JSON_HEADERS)


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request) -> Response:
    return render(request, "public/verify.html", result=None, qr_text="")


@router.post("/verify")
async def verify(request: Request) -> Response:
    services = get_services(request)
    form = await _form(request)
    qr_text = _text(form, "qr_text", licensing.MAX_QR_TEXT).strip()
    result = licensing.verify_text(services, qr_text) if qr_text else None
    status = 200 if qr_text else 422
    return render(request, "public/verify.html", status=status, result=result, qr_text=qr_text, empty=not qr_text)


@router.get("/V/{code:path}", response_class=HTMLResponse)
@router.get("/v/{code:path}", response_class=HTMLResponse)
def verify_address(request: Request, code: str) -> Response:
    """What a phone camera opens from a licence's QR code: the verdict on the signed code
    carried in the address (a GET, no sign-in and no JavaScript needed)."""
    result = licensing.verify_text(get_services(request), code)
    return render(request, "public/verify.html", result=result, qr_text=code[: licensing.MAX_QR_TEXT])


# --- the card wallet and printable licences ------------------------------------------------


@router.get("/me/wallet", response_class=HTMLResponse)
def wallet(request: Request) -> Response:
    services, account = _user(request)
    rows = licensing.wallet(services, account)
    base = public_base(request)
    cards = [(row, Markup(licensing.licence_qr_svg(row, base, label=f"{row.holder_name} {row.identifier}"))) for row in rows]
    return render(request, "portal/wallet.html", cards=cards)


@router.get("/licences/{identifier}")
def printable_licence(request: Request, identifier: str) -> Response:
    services, account = _user(request)
    row = licensing.visible_licence(services, account, identifier)
    html, csp = licensing.printable_page(services, row, public_base(request))
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "Cache-Control": "private, no-store"})


# --- who read my data, credit --------------------------------------------------------------


@router.get("/me/data-reads", response_class=HTMLResponse)
def data_reads(request: Request) -> Response:
    services, account = _user(request)
    reads = sharing.reads_of(services, account)
    catalog = services.platform.catalogs.current()
    readers = actor_names(services, catalog, {r.reader for r in reads})
    return render(request, "portal/data_reads.html", reads=reads, readers=readers, dataset_names=_dataset_names(catalog))


# Reads logged outside the catalog's datasets (pre-filling from earlier applications) and
# fields the registries answer that the catalog lists under another name.
_OTHER_READS: dict[str, tuple[str, str]] = {
    "cases": ("此前的申请", "earlier applications"),
    "cases.form": ("申请表", "application form"),
}
_COMMON_FIELDS: dict[str, tuple[str, str]] = {
    "region_code": ("所在区县", "county"),
    "legal_rep_id": ("法定代表人身份号码", "legal representative's ID number"),
    "address": ("住所", "address"),
    "name": ("名称", "name"),
    "phone": ("手机号码", "mobile phone"),
}


def _dataset_names(catalog: CatalogSpec) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = dict(_OTHER_READS)
    for dataset in catalog.datasets.values():
        for code, label in _COMMON_FIELDS.items():
            names.setdefault(f"{dataset.code}.{code}", label)
        names[dataset.code] = (dataset.name_zh, dataset.name_en)
        for field in dataset.fields:
            names[f"{dataset.code}.{field.code}"] = (field.name_zh, field.name_en)
    return names


@router.get("/me/credit", response_class=HTMLResponse)
def credit(request: Request) -> Response:
    services, account = _user(request)
    return render(request, "portal/credit.html", credit=credit_views.own_credit(services, account))


# --- inspections (public) -------------------------------------------------------------------


@router.get("/inspections", response_class=HTMLResponse)
def inspections(request: Request) -> Response:
    services = get_services(request)
    views = [oversight.plan_public(view) for view in oversight.plan_views(services.platform)]
    return render(request, "public/inspections.html", plans=views, verification=None, labels=_file_labels())


def _file_labels() -> dict[str, str]:
    return {name: label for name, _media, label in oversight.PUBLISHED_FILES}


@router.post("/inspections/{plan_id}/verify")
async def verify_draw(request: Request, plan_id: str) -> Response:
    services = get_services(request)
    await _form(request)
    verification = oversight.verify_draw(services.platform, plan_id[:64])
    views = [oversight.plan_public(view) for view in oversight.plan_views(services.platform)]
    return render(request, "public/inspections.html", plans=views, verification=verification, labels=_file_labels())


@router.get("/open-data/inspections/{plan_id}/{name}")
def published_file(request: Request, plan_id: str, name: str) -> Response:
    services = get_services(request)
    path, media_type = oversight.published_file(services.platform, plan_id[:64], name[:60])
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"})


# --- conditional data sharing (reviewers) -------------------------------------------------


@router.post("/workbench/tasks/{task_id}/data-request")
async def request_data(request: Request, task_id: str) -> Response:
    services, account = _user(request)
    form = await _form(request)
    body = DataRequestCreate.model_construct(
        registry_field=_text(form, "registry_field", 60),
        subject_id=_text(form, "subject_id", 18),
        purpose=_text(form, "purpose", 300),
    )
    sharing.request_data(services, account, task_id[:48], body)
    return _redirect(f"/workbench/tasks/{task_id[:48]}")


@router.post("/workbench/data-requests/{request_id}")
async def answer_data_request(request: Request, request_id: str) -> Response:
    services, account = _user(request, policy.Action.REVIEW)
    form = await _form(request)
    decision = _text(form, "decision", 10)
    sharing.answer_request(services, account, request_id[:60], decision == "grant", _text(form, "note"))
    return _redirect("/workbench#data-requests")


