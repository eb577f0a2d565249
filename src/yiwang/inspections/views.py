""""双随机、一公开" inspections for the public (R-INSP-1..3): the shipped inspection plans,
the published draws (open data files) and the re-verification of a draw."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from yiwang import schemas as s
from yiwang.inspections.errors import InspectionError, NotPublished
from yiwang.inspections.models import InspectionPlan
from yiwang.inspections.publication import (
    ENTERPRISES_FILE,
    INSPECTORS_FILE,
    PLAN_FILE,
    PRE_FILE,
    SEED_FILE,
    SELECTION_CSV_FILE,
    SELECTION_FILE,
    verify_directory,
)
from yiwang.inspections.schemas import IDENTIFIER

if TYPE_CHECKING:  # typing only: the composition root
    from yiwang.bootstrap import Platform

log = logging.getLogger(__name__)

# --- inspections -------------------------------------------------------------------------

PUBLISHED_FILES: tuple[tuple[str, str, str], ...] = (
    (PRE_FILE, "application/json", "事前公示（计划与名册哈希、种子承诺）"),
    (PLAN_FILE, "application/json", "抽查计划"),
    (ENTERPRISES_FILE, "text/csv; charset=utf-8", "企业名册"),
    (INSPECTORS_FILE, "text/csv; charset=utf-8", "执法人员名录"),
    (SEED_FILE, "application/json", "随机种子"),
    (SELECTION_FILE, "application/json", "抽取结果"),
    (SELECTION_CSV_FILE, "text/csv; charset=utf-8", "抽取结果（CSV）"),
)
MEDIA_TYPES = {name: media for name, media, _ in PUBLISHED_FILES}


def published_root(platform: Platform) -> Path:
    return Path(platform.settings.data_dir) / "published" / "inspections"


def shipped_plans(platform: Platform) -> list[InspectionPlan]:
    """The inspection plans of the current catalog version: parsed and checked with the rest of
    the catalog (`catalog check`), in file order."""
    return list(platform.catalogs.current().inspection_plans.values())


@dataclass(frozen=True)
class PlanView:
    plan: InspectionPlan
    directory: Path | None  # the published draw, if any
    selected_count: int | None


def _selected_count(directory: Path) -> int | None:
    import json

    try:
        selection = json.loads((directory / SELECTION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    selected = selection.get("selected") if isinstance(selection, dict) else None
    return len(selected) if isinstance(selected, list) else None


def plan_views(platform: Platform) -> list[PlanView]:
    root = published_root(platform)
    views = []
    for plan in shipped_plans(platform):
        directory = root / plan.plan_id
        published = directory.is_dir() and (directory / PRE_FILE).is_file()
        views.append(PlanView(plan, directory if published else None, _selected_count(directory) if published else None))
    return views


def plan_public(view: PlanView) -> s.InspectionPlanPublic:
    plan = view.plan
    files = []
    if view.directory is not None:
        files = [
            s.PublishedFilePublic(name=name, url=f"/open-data/inspections/{plan.plan_id}/{name}", media_type=media)
            for name, media, _ in PUBLISHED_FILES
            if (view.directory / name).is_file()
        ]
    return s.InspectionPlanPublic(
        plan_id=plan.plan_id,
        title_zh=plan.title_zh,
        year=plan.year,
        period_start=plan.period_start,
        period_end=plan.period_end,
        departments=[d.name_zh for d in plan.departments],
        published=view.directory is not None,
        selected_count=view.selected_count,
        files=files,
    )


def published_dir(platform: Platform, plan_id: str) -> Path:
    """The directory of a published draw; 404 for anything else (no path tricks)."""
    if not IDENTIFIER.match(plan_id) or plan_id in (".", ".."):
        raise draw_not_found(plan_id)
    known = {view.plan.plan_id: view for view in plan_views(platform)}
    view = known.get(plan_id)
    if view is None or view.directory is None:
        raise draw_not_found(plan_id)
    return view.directory


def published_file(platform: Platform, plan_id: str, name: str) -> tuple[Path, str]:
    directory = published_dir(platform, plan_id)
    if name not in MEDIA_TYPES or not (directory / name).is_file():
        raise NotPublished(f"没有公开文件 {name[:60]}", f"no published file {name[:60]}", code="file_not_found")
    return directory / name, MEDIA_TYPES[name]


def draw_not_found(plan_id: str) -> NotPublished:
    return NotPublished(f"抽查计划 {plan_id[:60]} 尚未公布抽取结果", f"no published draw for plan {plan_id[:60]}")


def verify_draw(platform: Platform, plan_id: str) -> s.DrawVerificationPublic:
    directory = published_dir(platform, plan_id)
    try:
        result = verify_directory(directory)
    except InspectionError as error:
        return s.DrawVerificationPublic(plan_id=plan_id, ok=False, selected_count=0, problems=[str(error)])
    return s.DrawVerificationPublic(
        plan_id=plan_id,
        ok=result.ok,
        selected_count=result.selected_count,
        problems=[f"{p.code}: {p.message}" for p in result.problems],
    )
