"""Supervision figures (R-SUP-2), the overdue list and the construction board (R-SVC-CON),
for the supervisor's region."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from yiwang.accounts import policy
from yiwang.api.deps import After, CurrentUser, Limit, PlatformDep, Supervisor, link_next
from yiwang.cases.views import figures_public, inbox_task_public
from yiwang.db.read_models import overdue_count, overdue_tasks, supervision_figures
from yiwang.metrics import board as project_board
from yiwang.schemas import ErrorPublic, InboxTaskPublic, ProjectPublic, SupervisionPublic

router = APIRouter(prefix="/supervision", tags=["supervision"])
_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic},
    403: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}


@router.get("/figures", responses=_ERRORS, summary="Open, due soon, overdue, days used, shares, targets")
def figures(account: Supervisor, services: PlatformDep) -> SupervisionPublic:
    platform = services.platform
    prefix = policy.supervision_prefix(account)
    rows = supervision_figures(platform.engine, prefix, platform.clock(), platform.calendars.current(), platform.settings.yellow_share)
    return SupervisionPublic(region_prefix=prefix, figures=[figures_public(platform, row) for row in rows])


_TOTAL = {
    "X-Total-Count": {
        "description": "how many overdue tasks the region holds on all pages",
        "schema": {"type": "integer", "minimum": 0},
    }
}


@router.get(
    "/overdue",
    responses={**_ERRORS, 200: {"headers": _TOTAL}},
    summary="Overdue open tasks in the region, most overdue first",
)
def overdue(
    request: Request, response: Response, account: Supervisor, services: PlatformDep, after: After = None, limit: Limit = None
) -> list[InboxTaskPublic]:
    """One page (50 unless `limit` says otherwise); the next page's address is in `Link`,
    the number of overdue tasks on all pages in `X-Total-Count`."""
    platform = services.platform
    catalog = platform.catalogs.current()
    prefix, now = policy.supervision_prefix(account), platform.clock()
    rows = overdue_tasks(
        platform.engine,
        prefix,
        now,
        platform.calendars.current(),
        platform.settings.yellow_share,
        after=after,
        limit=limit,
    )
    link_next(request, response, rows.after)
    response.headers["X-Total-Count"] = str(overdue_count(platform.engine, prefix, now))
    return [inbox_task_public(catalog, r) for r in rows]


@router.get(
    "/projects",
    responses=_ERRORS,
    summary="Construction projects in the region: stage, working days used against the flow type's budget, light",
)
def projects(
    request: Request, response: Response, account: CurrentUser, services: PlatformDep, after: After = None, limit: Limit = None
) -> list[ProjectPublic]:
    """One page of projects, newest first (the most urgent first on each page); the next
    page's address is in `Link`."""
    page = project_board.board(services, account, after=after, limit=limit)
    link_next(request, response, page.after)
    return [project.public for project in page]
