"""Data sharing: materials obtained by sharing, conditional-sharing requests and answers,
and the access log of the signed-in person or enterprise ("who read my data")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from yiwang.api.deps import CurrentUser, PlatformDep
from yiwang.cases import operations as ops
from yiwang.db.read_models import data_request
from yiwang.registries import sharing
from yiwang.schemas import (
    AttachmentPublic,
    DataReadPublic,
    DataRequestAnswerCreate,
    DataRequestCreate,
    DataRequestPublic,
    ErrorPublic,
)

router = APIRouter(tags=["data sharing"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic},
    403: {"model": ErrorPublic},
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}


@router.get(
    "/cases/{case_id}/attachments",
    responses=_ERRORS,
    summary="Materials obtained by data sharing, with source, reference and time (personal data masked)",
)
def attachments(
    case_id: Annotated[str, Path(max_length=40)], account: CurrentUser, services: PlatformDep
) -> list[AttachmentPublic]:
    case = ops.view_case(services, account, case_id)
    names = sharing.material_names(services.platform.catalogs.version(case.catalog_version), case)
    return [sharing.attachment_public(row, names) for row in sharing.attachments(services, case)]


@router.get(
    "/me/data-reads",
    responses=_ERRORS,
    summary="Who read my data: reads of the account's person or enterprise data, newest first",
)
def data_reads(account: CurrentUser, services: PlatformDep) -> list[DataReadPublic]:
    return [sharing.read_public(read) for read in sharing.reads_of(services, account)]


@router.post(
    "/tasks/{task_id}/data-requests",
    status_code=201,
    responses=_ERRORS,
    summary="Ask the owning department for a conditionally shared dataset field (有条件共享)",
)
def request_data(
    task_id: Annotated[str, Path(max_length=48)], body: DataRequestCreate, account: CurrentUser, services: PlatformDep
) -> DataRequestPublic:
    _case, request_id = sharing.request_data(services, account, task_id, body)
    row = data_request(services.platform.engine, request_id)
    assert row is not None
    return sharing.request_public(row)


@router.get("/data-requests", responses=_ERRORS, summary="Sharing requests waiting for the department's answer")
def pending(account: CurrentUser, services: PlatformDep) -> list[DataRequestPublic]:
    return [sharing.request_public(row) for row in sharing.inbox_requests(services, account)]


@router.post(
    "/data-requests/{request_id}/answer",
    responses=_ERRORS,
    summary="Grant or refuse a sharing request (the owning department; a refusal needs a note)",
)
def answer(
    request_id: Annotated[str, Path(max_length=60)], body: DataRequestAnswerCreate, account: CurrentUser, services: PlatformDep
) -> DataRequestPublic:
    sharing.answer_request(services, account, request_id, body.granted, body.note)
    row = data_request(services.platform.engine, request_id)
    assert row is not None
    return sharing.request_public(row)
