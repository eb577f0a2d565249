"""The supervisor's pages: the board (figures, charts, the overdue list), 督办 notes on a
task and the construction project board."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from yiwang.accounts import policy
from yiwang.cases import operations as ops
from yiwang.cases.views import figures_public, item_name, overdue_first
from yiwang.db.read_models import overdue_count, overdue_tasks, supervision_figures
from yiwang.metrics import board as project_board
from yiwang.web import charts, i18n
from yiwang.web.page_support import (
    _after,
    _flashed,
    _form,
    _language,
    _limit,
    _more,
    _text,
    _user,
    render,
)

router = APIRouter()


@router.get("/supervision", response_class=HTMLResponse)
def supervision(request: Request) -> Response:
    services, account = _user(request, policy.Action.SUPERVISE)
    platform = services.platform
    prefix = policy.supervision_prefix(account)
    now, calendar, share = platform.clock(), platform.calendars.current(), platform.settings.yellow_share
    figures = [figures_public(platform, f) for f in supervision_figures(platform.engine, prefix, now, calendar, share)]
    page = overdue_tasks(platform.engine, prefix, now, calendar, share, after=_after(request), limit=_limit(request))
    overdue = overdue_first(page)
    # The heading counts the whole list, not the page shown.
    overdue_total = overdue_count(platform.engine, prefix, now)
    catalog = platform.catalogs.current()
    token = i18n.current_language.set(_language(request))
    try:
        load_chart = charts.stacked_bars(
            i18n.gettext("在办任务：正常 / 临期 / 超期"),
            [
                charts.Bar(
                    f.item_name_zh,
                    (
                        (float(f.open - f.due_soon - f.overdue), charts.GREEN, i18n.gettext("正常")),
                        (float(f.due_soon), charts.YELLOW, i18n.gettext("临期")),
                        (float(f.overdue), charts.RED, i18n.gettext("超期")),
                    ),
                )
                for f in figures
            ],
        )
        online_chart = charts.share_bars(
            i18n.gettext("网办率（竖线为目标）"), [(f.item_name_zh, f.online_share, f.target_online_share) for f in figures]
        )
        instant_chart = charts.share_bars(
            i18n.gettext("即办率（竖线为目标）"), [(f.item_name_zh, f.instant_share, f.target_instant_share) for f in figures]
        )
    finally:
        i18n.current_language.reset(token)
    return render(
        request,
        "supervision/board.html",
        figures=figures,
        overdue=overdue,
        overdue_total=overdue_total,
        catalog=catalog,
        prefix=prefix,
        more=_more(request, page.after, "#overdue"),
        charts=[Markup(load_chart), Markup(online_chart), Markup(instant_chart)],
        item_name=lambda code: item_name(catalog, code),
    )


@router.post("/supervision/tasks/{task_id}/note")
async def supervision_note(request: Request, task_id: str) -> Response:
    """督办: the note goes onto the task, where the handling department reads it."""
    services, account = _user(request, policy.Action.SUPERVISE)
    form = await _form(request)
    ops.note_supervision(services, account, task_id, _text(form, "note"))
    return _flashed("/supervision#overdue", "note", task_id)


@router.get("/supervision/projects", response_class=HTMLResponse)
def supervision_projects(request: Request) -> Response:
    """The construction board (R-SVC-CON): stage, working days used against the flow type's
    budget, light; the same rows as `yiwang projects` and GET /api/v1/supervision/projects."""
    services, account = _user(request)
    projects = project_board.board(services, account, after=_after(request), limit=_limit(request))
    colours = {"green": charts.GREEN, "yellow": charts.YELLOW, "red": charts.RED}
    token = i18n.current_language.set(_language(request))
    try:
        chart = charts.budget_bars(
            i18n.gettext("已用工作日 / 审批时限（竖线为时限）"),
            [
                (p.row.project, p.row.days_used, p.row.budget_days, colours.get(p.row.light, charts.GREY))
                for p in projects
            ],
            [
                (i18n.gettext("正常"), charts.GREEN),
                (i18n.gettext("临期"), charts.YELLOW),
                (i18n.gettext("超期"), charts.RED),
                (i18n.gettext("审批时限"), "#e0e0e0"),
            ],
        )
    finally:
        i18n.current_language.reset(token)
    return render(
        request,
        "supervision/projects.html",
        projects=[p.public for p in projects],
        prefix=policy.supervision_prefix(account),
        more=_more(request, projects.after),
        chart=Markup(chart),
    )
