"""The reviewer workbench: the department inbox, the task page and the task actions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yiwang.accounts import policy
from yiwang.accounts.models import Account
from yiwang.bootstrap import Services
from yiwang.cases import operations as ops
from yiwang.cases.completeness import missing_for_approval
from yiwang.cases.errors import CaseError, CaseNotFound, InvalidCharacters, TaskNotFound
from yiwang.cases.events import SupervisionNote
from yiwang.cases.naming import Names
from yiwang.cases.views import actor_names, filter_inbox, item_name, row_light, task_light
from yiwang.credit import views as credit_views
from yiwang.db.read_models import data_requests_of_case, inbox, inbox_summary
from yiwang.error_kinds import describe
from yiwang.errors import Refused
from yiwang.registries import sharing
from yiwang.web.page_support import _after, _flashed, _form, _limit, _more, _text, _user, render

router = APIRouter()


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
