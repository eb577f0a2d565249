"""Reviewers' inbox and task actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from yiwang.accounts import policy
from yiwang.api.deps import After, CurrentUser, Limit, PlatformDep, Reviewer, link_next
from yiwang.bootstrap import Services
from yiwang.cases import operations as ops
from yiwang.cases.models import Case, Task
from yiwang.cases.views import (
    case_public,
    inbox_task_public,
    material_public,
    material_spec_public,
    task_public,
)
from yiwang.db.read_models import inbox
from yiwang.schemas import (
    CaseDetailPublic,
    ErrorPublic,
    InboxTaskPublic,
    TaskActionCreate,
    TaskDetailPublic,
)

router = APIRouter(prefix="/tasks", tags=["tasks"])

TaskId = Annotated[str, Path(max_length=48)]
_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic},
    403: {"model": ErrorPublic},
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}


@router.get(
    "",
    responses=_ERRORS,
    summary="The department's open tasks: the green channel (绿色通道) first, then soonest deadline",
)
def list_inbox(
    request: Request, response: Response, account: Reviewer, services: PlatformDep, after: After = None, limit: Limit = None
) -> list[InboxTaskPublic]:
    """One page (50 unless `limit` says otherwise); the next page's address is in `Link`."""
    platform = services.platform
    catalog = platform.catalogs.current()
    rows = inbox(
        platform.engine,
        policy.inbox_department(account),
        platform.clock(),
        platform.calendars.current(),
        platform.settings.yellow_share,
        after=after,
        limit=limit,
    )
    link_next(request, response, rows.after)
    return [inbox_task_public(catalog, r) for r in rows]


@router.get("/{task_id}", responses=_ERRORS, summary="A task with the form data and the materials")
def get_task(task_id: TaskId, account: CurrentUser, services: PlatformDep) -> TaskDetailPublic:
    case, task = ops.view_task(services, account, task_id)
    return _task_detail(services, case, task)


def _task_detail(services: Services, case: Case, task: Task) -> TaskDetailPublic:
    platform = services.platform
    catalog = platform.catalogs.version(case.catalog_version)
    detail = case_public(platform, case, with_form=True)
    assert isinstance(detail, CaseDetailPublic)
    return TaskDetailPublic(
        task=task_public(platform, catalog, task, platform.clock()),
        case=detail,
        materials=[material_public(m) for m in services.materials.of_case(case.id)],
        item_materials=material_spec_public(catalog.item(task.item_code)),
    )


@router.post("/{task_id}/actions", responses=_ERRORS, summary="Accept, approve, reject, request supplement, return, transfer")
def act(task_id: TaskId, body: TaskActionCreate, account: CurrentUser, services: PlatformDep) -> TaskDetailPublic:
    case = ops.act(
        services,
        account,
        task_id,
        ops.ActionRequest(
            action=body.action,
            reason=body.reason,
            comment=body.comment,
            material_codes=tuple(body.material_codes),
            note=body.note,
            to_reviewer=body.to_reviewer,
        ),
    )
    # The answer is built from the case as the action left it. ops.act checked this
    # account's token, the policy and the task's scope in this request, and no action moves
    # a task to another department or a case to another region, so reading the scope and
    # the case again (four statements, two connections) would add only round trips. The
    # outputs are read again because an action returns only its own until the case closes.
    if not case.is_closed:
        case.outputs = services.platform.cases.outputs(case.id)
    return _task_detail(services, case, next(task for task in case.tasks if task.id == task_id))
