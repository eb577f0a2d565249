"""The construction board (R-SVC-CON): each project's stage, working days used against its
flow type's budget, and its light."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yiwang.calendar import WorkingCalendar
from yiwang.cases.engine import light
from yiwang.cases.models import Case
from yiwang.catalog.models import CatalogSpec


@dataclass(frozen=True, slots=True)
class ProjectRow:
    case_id: str
    project: str
    flow_type: str
    stage: str
    days_used: float
    budget_days: float
    light: str
    status: str

    @property
    def share_used(self) -> float:
        return self.days_used / self.budget_days if self.budget_days else 0.0


def project_row(
    case: Case, catalog: CatalogSpec, calendar: WorkingCalendar, now: datetime, yellow_share: float
) -> ProjectRow:
    bundle = catalog.as_bundle(case.subject_code)
    variant = bundle.variants.choose(case.form) if bundle.variants else None
    day = calendar.office_hours.day_seconds
    budget = float(bundle.total_limit_for(case.form).nominal_working_days(calendar.office_hours))
    used = case.deadline.clock.used_working_seconds(case.closed_at or now, calendar) / day
    stage = case.current_stage
    return ProjectRow(
        case_id=case.id,
        project=str(case.form.get("project_name", case.applicant_name)),
        flow_type=variant.label.zh if variant else "",
        stage=stage.name_zh if stage else ("已办结" if case.is_closed else "提前介入"),
        days_used=round(used, 2),
        budget_days=round(budget, 2),
        light=light(case.deadline, now, calendar, yellow_share).value
        if not case.is_closed
        else "none",
        status=case.status.value,
    )
