"""Supervision figures (R-SUP-2) and the overdue list, for the supervisor's region."""

from __future__ import annotations

from fastapi import APIRouter

from yiwang.accounts import policy
from yiwang.accounts.errors import Forbidden
from yiwang.api.deps import CurrentUser, PlatformDep
from yiwang.api.present import figures_public, item_name
from yiwang.api.schemas import ErrorPublic, InboxTaskPublic, SupervisionPublic
from yiwang.db.read_models import overdue_tasks, supervision_figures

router = APIRouter(prefix="/supervision", tags=["supervision"])
_ERRORS: dict[int | str, dict[str, object]] = {401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}}


@router.get("/figures", responses=_ERRORS, summary="Open, due soon, overdue, days used, shares, targets")
def figures(account: CurrentUser, services: PlatformDep) -> SupervisionPublic:
    if not policy.can_supervise(account):
        raise Forbidden()
    platform = services.platform
    prefix = policy.supervision_prefix(account)
    rows = supervision_figures(platform.engine, prefix, platform.clock(), platform.calendars.current(), platform.settings.yellow_share)
    return SupervisionPublic(region_prefix=prefix, figures=[figures_public(platform, row) for row in rows])


@router.get("/overdue", responses=_ERRORS, summary="Overdue open tasks in the region, most overdue first")
def overdue(account: CurrentUser, services: PlatformDep) -> list[InboxTaskPublic]:
    if not policy.can_supervise(account):
        raise Forbidden()
    platform = services.platform
    catalog = platform.catalogs.current()
    rows = overdue_tasks(
        platform.engine, policy.supervision_prefix(account), platform.clock(), platform.calendars.current(), platform.settings.yellow_share
    )
    return [
        InboxTaskPublic(
            id=r.id,
            case_id=r.case_id,
            item_code=r.item_code,
            item_name_zh=item_name(catalog, r.item_code),
            status=r.status,
            assignee=r.assignee,
            applicant_name=r.applicant_name,
            opened_at=r.opened_at,
            due_at=r.due_at,
            light=r.light.value,
        )
        for r in rows
    ]
