"""Cases: submit (idempotent), follow, upload materials, answer supplement notices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Path, Request, Response, UploadFile
from fastapi.responses import FileResponse

from yiwang.api.deps import After, CurrentUser, Limit, PlatformDep, link_next
from yiwang.cases import operations as ops
from yiwang.cases.views import actor_names, case_public, event_public, material_public
from yiwang.error_kinds import ApiError
from yiwang.materials.services import MAX_BYTES
from yiwang.paging import page_size
from yiwang.schemas import (
    CaseCreate,
    CaseDetailPublic,
    CaseSummaryPublic,
    ErrorPublic,
    EventPublic,
    MaterialPublic,
    SupplementAnswerCreate,
)

router = APIRouter(tags=["cases"])

CaseId = Annotated[str, Path(max_length=40)]
_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic},
    403: {"model": ErrorPublic},
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}


@router.post("/cases", status_code=201, responses=_ERRORS, summary="Submit an application (bundle or item)")
def submit(
    body: CaseCreate,
    account: CurrentUser,
    services: PlatformDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=120)] = None,
) -> CaseDetailPublic:
    if idempotency_key is not None and not idempotency_key.strip():
        raise ApiError(422, "invalid_idempotency_key", "Idempotency-Key 不能为空", "Idempotency-Key must not be empty")
    key = f"{account.id}:{idempotency_key.strip()}" if idempotency_key else None
    submitted = ops.submit(
        services,
        account,
        body.subject_code,
        body.form,
        idempotency_key=key,
        channel=body.channel,
        on_behalf_id=body.applicant_id,
        on_behalf_name=body.applicant_name,
        service_point=body.region_code,
    )
    if not submitted.created:
        response.status_code = 200
    # A new case is answered as the submission built and stored it (nothing else can have
    # changed it yet); reading it back cost three statements per submission under load.
    case = submitted.case if submitted.case is not None else services.platform.cases.get(submitted.case_id)
    result = case_public(services.platform, case, with_form=True)
    assert isinstance(result, CaseDetailPublic)
    return result


@router.get("/cases", responses=_ERRORS, summary="Cases the account may follow, newest first, by pages")
def list_cases(
    request: Request, response: Response, account: CurrentUser, services: PlatformDep, after: After = None, limit: Limit = None
) -> list[CaseSummaryPublic]:
    """One page (50 unless `limit` says otherwise); the next page's address is in `Link`."""
    rows = ops.list_cases(services, account, limit=page_size(limit), after=after)
    link_next(request, response, rows.after)
    return [
        CaseSummaryPublic(
            id=r.id,
            subject_code=r.subject_code,
            applicant_name=r.applicant_name,
            status=r.status,
            channel=r.channel,
            submitted_at=r.submitted_at,
            due_at=r.due_at,
            light=r.light.value,
            priority=r.priority,
        )
        for r in rows
    ]


@router.get("/cases/{case_id}", responses=_ERRORS, summary="A case: status, stages, tasks, deadlines, outputs")
def get_case(case_id: CaseId, account: CurrentUser, services: PlatformDep) -> CaseDetailPublic:
    case = ops.view_case(services, account, case_id)
    result = case_public(services.platform, case, with_form=True)
    assert isinstance(result, CaseDetailPublic)
    return result


@router.get("/cases/{case_id}/timeline", responses=_ERRORS, summary="The case's history, oldest first")
def timeline(case_id: CaseId, account: CurrentUser, services: PlatformDep) -> list[EventPublic]:
    events = ops.case_events(services, account, case_id)
    case = services.platform.cases.get(case_id)
    catalog = services.platform.catalogs.version(case.catalog_version)
    actors = actor_names(services, catalog, (event.actor for event in events))
    return [event_public(event, catalog, actors.get(event.actor)) for event in events]


@router.post(
    "/cases/{case_id}/materials",
    status_code=201,
    responses={**_ERRORS, 413: {"model": ErrorPublic}, 415: {"model": ErrorPublic}},
    summary="Upload a material (PDF, PNG or JPEG, at most 5 MB)",
)
async def upload(
    case_id: CaseId,
    account: CurrentUser,
    services: PlatformDep,
    material_code: Annotated[str, Form(max_length=80)],
    file: Annotated[UploadFile, File()],
    supplement_id: Annotated[str | None, Form(max_length=60)] = None,
) -> MaterialPublic:
    data = await file.read(MAX_BYTES + 1)
    material = ops.upload(services, account, case_id, material_code, file.filename or "file", data, supplement_id)
    return material_public(material)


@router.get("/cases/{case_id}/materials", responses=_ERRORS, summary="Materials uploaded to a case")
def list_materials(case_id: CaseId, account: CurrentUser, services: PlatformDep) -> list[MaterialPublic]:
    return [material_public(m) for m in ops.materials_of(services, account, case_id)]


@router.get(
    "/materials/{material_id}",
    responses={**_ERRORS, 200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}}},
    response_class=FileResponse,
    summary="Download a material (only for those who may see its case)",
)
def download(
    material_id: Annotated[str, Path(max_length=40)], account: CurrentUser, services: PlatformDep
) -> FileResponse:
    material, path = ops.material_file(services, account, material_id)
    return FileResponse(
        path,
        media_type=material.content_type,
        filename=material.download_name,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )


@router.post(
    "/cases/{case_id}/supplements/{supplement_id}/answer",
    responses=_ERRORS,
    summary="Answer a supplement notice (一次性告知); the clocks run again",
)
def answer(
    case_id: CaseId,
    supplement_id: Annotated[str, Path(max_length=60)],
    body: SupplementAnswerCreate,
    account: CurrentUser,
    services: PlatformDep,
) -> CaseDetailPublic:
    case = ops.answer_supplement(services, account, case_id, supplement_id, body.answer, body.attachments)
    result = case_public(services.platform, case, with_form=True)
    assert isinstance(result, CaseDetailPublic)
    return result
