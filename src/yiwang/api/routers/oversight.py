"""Credit classes (R-CRED-1) and published random inspections (R-INSP-3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from yiwang.api.deps import CreditReader, CurrentUser, PlatformDep
from yiwang.cases.operations import view_task
from yiwang.credit import views as credit_views
from yiwang.error_kinds import ApiError
from yiwang.inspections import views as oversight
from yiwang.schemas import (
    CreditPublic,
    DrawVerificationPublic,
    ErrorPublic,
    InspectionPlanPublic,
)

router = APIRouter(tags=["credit and inspections"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic},
    403: {"model": ErrorPublic},
    404: {"model": ErrorPublic},
}
PlanId = Annotated[str, Path(max_length=64)]


@router.get("/me/credit", responses=_ERRORS, summary="The enterprise's credit class, the rule and the records behind it")
def own_credit(account: CurrentUser, services: PlatformDep) -> CreditPublic:
    return credit_views.own_credit(services, account)


@router.get(
    "/tasks/{task_id}/applicant-credit",
    responses=_ERRORS,
    summary="The credit class of the task's enterprise applicant (reviewers, supervisors)",
)
def applicant_credit(task_id: Annotated[str, Path(max_length=48)], account: CreditReader, services: PlatformDep) -> CreditPublic:
    case, _task = view_task(services, account, task_id)
    if not credit_views.is_enterprise(case.applicant_id):
        raise ApiError(404, "not_an_enterprise", "申请人不是市场主体，没有信用分类", "the applicant is not an enterprise; no credit class")
    return credit_views.credit_public(services, case.applicant_id)


@router.get("/inspections/plans", summary="Shipped inspection plans and their published draws (open data)")
def plans(services: PlatformDep) -> list[InspectionPlanPublic]:
    return [oversight.plan_public(view) for view in oversight.plan_views(services.platform)]


@router.get(
    "/inspections/plans/{plan_id}/verification",
    responses={404: {"model": ErrorPublic}},
    summary="Re-run the published draw from the published files and compare",
)
def verification(plan_id: PlanId, services: PlatformDep) -> DrawVerificationPublic:
    return oversight.verify_draw(services.platform, plan_id)
