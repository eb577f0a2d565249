"""The legal actions (行政许可法): 不予受理, 延期, periods that do not count, 撤回, 中止, 终止,
and the case's legal record as the applicant and the office see it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from yiwang.api.deps import CurrentUser, PlatformDep
from yiwang.cases import legal_operations as legal_ops
from yiwang.cases import operations as ops
from yiwang.cases.legal_views import legal_public
from yiwang.schemas import ErrorPublic

router = APIRouter(tags=["legal"])

CaseId = Annotated[str, Path(max_length=40)]
TaskId = Annotated[str, Path(max_length=48)]
_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic},
    403: {"model": ErrorPublic},
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}


class ReasonCreate(BaseModel):
    reason: str = Field(default="", max_length=1000)


class ExtensionCreate(BaseModel):
    approved_by: str = Field(max_length=100, description="the head of the office who approved (负责人)")
    reason: str = Field(max_length=1000)
    working_days: int = Field(ge=1, le=15)
    joint: bool = Field(default=False, description="joint or unified handling (联合办理、集中办理)")


class ExcludedPeriodCreate(BaseModel):
    kind: str = Field(max_length=30, description="hearing | testing | appraisal | expert_review")
    reason: str = Field(max_length=1000)
    notice: str = Field(max_length=2000, description="the written notice to the applicant")


class LegalRecordPublic(BaseModel):
    status: str
    acceptances: dict[str, Any]
    commitments: list[dict[str, Any]]
    extensions: list[dict[str, Any]]
    excluded_periods: list[dict[str, Any]]
    suspensions: list[dict[str, Any]]
    authorisation: dict[str, Any] | None
    supplements: list[dict[str, Any]]


@router.get(
    "/cases/{case_id}/legal",
    responses=_ERRORS,
    summary="The legal record: acceptance, commitment signed, extensions, excluded periods",
)
def legal_record(case_id: CaseId, account: CurrentUser, services: PlatformDep) -> LegalRecordPublic:
    return LegalRecordPublic(**legal_public(ops.view_case(services, account, case_id)))


@router.post("/tasks/{task_id}/refuse-acceptance", responses=_ERRORS, summary="不予受理, with the reason")
def refuse_acceptance(
    task_id: TaskId, body: ReasonCreate, account: CurrentUser, services: PlatformDep
) -> LegalRecordPublic:
    return LegalRecordPublic(
        **legal_public(legal_ops.refuse_acceptance(services, account, task_id, body.reason))
    )


@router.post("/tasks/{task_id}/extension", responses=_ERRORS, summary="延期 with the head's approval (Art. 42)")
def extend(
    task_id: TaskId, body: ExtensionCreate, account: CurrentUser, services: PlatformDep
) -> LegalRecordPublic:
    case = legal_ops.extend(
        services,
        account,
        task_id,
        approved_by=body.approved_by,
        reason=body.reason,
        working_days=body.working_days,
        joint=body.joint,
    )
    return LegalRecordPublic(**legal_public(case))


@router.post("/tasks/{task_id}/excluded-periods", responses=_ERRORS, summary="Start a period that does not count (Art. 45)")
def start_excluded_period(
    task_id: TaskId, body: ExcludedPeriodCreate, account: CurrentUser, services: PlatformDep
) -> LegalRecordPublic:
    case = legal_ops.start_excluded_period(
        services, account, task_id, kind=body.kind, reason=body.reason, notice=body.notice
    )
    return LegalRecordPublic(**legal_public(case))


@router.post("/tasks/{task_id}/excluded-periods/end", responses=_ERRORS, summary="End the open excluded period")
def end_excluded_period(task_id: TaskId, account: CurrentUser, services: PlatformDep) -> LegalRecordPublic:
    return LegalRecordPublic(**legal_public(legal_ops.end_excluded_period(services, account, task_id)))


@router.post("/cases/{case_id}/withdrawal", responses=_ERRORS, summary="撤回 by the applicant")
def withdraw(case_id: CaseId, body: ReasonCreate, account: CurrentUser, services: PlatformDep) -> LegalRecordPublic:
    return LegalRecordPublic(**legal_public(legal_ops.withdraw(services, account, case_id, body.reason)))


@router.post("/cases/{case_id}/suspension", responses=_ERRORS, summary="中止 by the office")
def suspend(case_id: CaseId, body: ReasonCreate, account: CurrentUser, services: PlatformDep) -> LegalRecordPublic:
    return LegalRecordPublic(**legal_public(legal_ops.suspend(services, account, case_id, body.reason)))


@router.post("/cases/{case_id}/resumption", responses=_ERRORS, summary="Resume a suspended case")
def resume(case_id: CaseId, body: ReasonCreate, account: CurrentUser, services: PlatformDep) -> LegalRecordPublic:
    return LegalRecordPublic(**legal_public(legal_ops.resume(services, account, case_id, body.reason)))


@router.post("/cases/{case_id}/termination", responses=_ERRORS, summary="终止 by the office")
def terminate(case_id: CaseId, body: ReasonCreate, account: CurrentUser, services: PlatformDep) -> LegalRecordPublic:
    return LegalRecordPublic(**legal_public(legal_ops.terminate(services, account, case_id, body.reason)))
