"""The construction board (R-SVC-CON) for supervisors: each project of the supervisor's
region with its stage, working days used against its flow type's budget, its light, and the
open tasks by kind (early intervention runs outside the project's clock). Shared by
``GET /api/v1/supervision/projects`` and the ``/supervision/projects`` page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from yiwang import schemas as s
from yiwang.accounts import policy
from yiwang.accounts.models import Account
from yiwang.cases.models import Case
from yiwang.cases.views import item_name, kind_zh, task_light
from yiwang.metrics.projects import ProjectRow, project_row
from yiwang.paging import Page, page_size

if TYPE_CHECKING:  # typing only: the composition root builds what the use cases run on
    from yiwang.bootstrap import Services

CONSTRUCTION_BUNDLE = "bundle.construction_project"
# Order on the board: the most urgent first.
_LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2, "none": 3}


@dataclass(frozen=True)
class Project:
    row: ProjectRow
    case: Case
    public: s.ProjectPublic


def board(services: Services, account: Account, *, after: str | None = None, limit: int | None = None) -> Page[Project]:
    """One page of the projects of the account's region (the province for an administrator):
    the newest submitted first, by pages of 50 (at a province's volume a city has a hundred
    thousand projects, and building each costs about a millisecond); on each page the most
    urgent first. `after` is the position the previous page returned."""
    policy.require(account, policy.Action.SUPERVISE)
    platform = services.platform
    now = platform.clock()
    calendar = platform.calendars.current()
    share = platform.settings.yellow_share
    summaries = services.reads.case_summaries(
        now,
        calendar,
        share,
        region_prefix=policy.supervision_prefix(account),
        subject_code=CONSTRUCTION_BUNDLE,
        limit=page_size(limit),
        after=after,
    )
    projects: Page[Project] = Page()
    projects.after = summaries.after
    # One query for all the projects' cases and one for their tasks (not one load per case).
    with platform.unit_of_work(read_only=True) as uow:
        cases = uow.cases.get_many([summary.id for summary in summaries])
    for case in cases:
        catalog = platform.catalogs.version(case.catalog_version)
        row = project_row(case, catalog, calendar, now, share)
        bundle = catalog.as_bundle(case.subject_code)
        variant = bundle.variants.choose(case.form) if bundle.variants else None
        stage = case.current_stage
        open_tasks = [
            s.ProjectTaskPublic(
                id=task.id,
                item_code=task.item_code,
                item_name_zh=item_name(catalog, task.item_code),
                item_name_en=item.name.en if (item := catalog.items.get(task.item_code)) else task.item_code,
                department_code=task.department_code,
                kind=task.kind.value,
                kind_zh=kind_zh(task.kind.value),
                status=task.status.value,
                due_at=task.deadline.due_at,
                light=task_light(platform, task, now).value,
            )
            for task in case.tasks
            if task.is_open
        ]
        public = s.ProjectPublic(
            case_id=row.case_id,
            project=row.project,
            applicant_name=case.applicant_name,
            region_code=case.region_code,
            flow_type=row.flow_type,
            flow_type_en=variant.label.en if variant else "",
            stage=row.stage,
            stage_en=stage.name_en if stage else ("concluded" if case.is_closed else "early intervention"),
            days_used=row.days_used,
            budget_days=row.budget_days,
            share_used=round(row.share_used, 3),
            light=row.light,
            status=row.status,
            priority=case.priority,
            open_tasks=open_tasks,
        )
        projects.append(Project(row, case, public))
    projects.sort(key=lambda p: (_LIGHT_ORDER.get(p.row.light, 9), -p.row.share_used, p.row.case_id))
    return projects
