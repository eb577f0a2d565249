"""Double-random inspections (双随机、一公开, plan 9, R-INSP-1..3).

Plans (:mod:`.schemas`), frozen rosters (:mod:`.roster`), the verifiable draw (:mod:`.draw`,
algorithm ``yiwang-draw-v1`` documented there), publication and verification
(:mod:`.services`, files in :mod:`.publication`), results and open data (:mod:`.results`).
The vectorised draw is ``yiwang.inspections.draw.draw`` (not re-exported here, so the name
keeps meaning the module).
"""

from yiwang.inspections.draw import ALGORITHM, reference_draw
from yiwang.inspections.models import (
    DrawResult,
    InspectionPlan,
    InspectionResult,
    Inspector,
    ItemOutcome,
    RosterEntry,
)
from yiwang.inspections.roster import EnterpriseRoster, InspectorRoster
from yiwang.inspections.schemas import load_plan_text, parse_plan, plan_json_bytes
from yiwang.inspections.services import publish_before, verify_draw

__all__ = [
    "ALGORITHM",
    "DrawResult",
    "EnterpriseRoster",
    "InspectionPlan",
    "InspectionResult",
    "Inspector",
    "InspectorRoster",
    "ItemOutcome",
    "RosterEntry",
    "load_plan_text",
    "parse_plan",
    "plan_json_bytes",
    "publish_before",
    "reference_draw",
    "verify_draw",
]
