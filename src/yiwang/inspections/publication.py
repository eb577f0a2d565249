"""The published files of a draw, in one directory (the file adapter of :mod:`.services`).

=========================  ==========  ==================================================
file                       published   content
=========================  ==========  ==================================================
``plan.json``              before      the plan, canonical JSON
``pre-publication.json``   before      plan hash, roster hashes, seed commitment
``roster-enterprises.csv`` after       frozen enterprise roster (public facts only)
``roster-inspectors.csv``  after       inspector pools by staff number
``seed.json``              after       the seed (hex) and the beacon value
``selection.json``         after       strata and drawn enterprises with inspectors
``selection.csv``          after       the same, as open data
=========================  ==========  ==================================================
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from yiwang.inspections.draw import draw
from yiwang.inspections.errors import PublicationError
from yiwang.inspections.models import DrawResult, InspectionPlan
from yiwang.inspections.roster import (
    EnterpriseRoster,
    InspectorRoster,
    read_enterprise_roster,
    read_inspector_roster,
    write_enterprise_roster,
    write_inspector_roster,
)
from yiwang.inspections.schemas import canonical_json, plan_json_bytes
from yiwang.inspections.services import (
    PreDrawPublication,
    VerifyResult,
    pre_publication_from_dict,
    pre_publication_to_dict,
    publish_before,
    seed_from_dict,
    seed_to_dict,
    selection_csv,
    selection_to_dict,
    verify_draw,
)

PLAN_FILE = "plan.json"
PRE_FILE = "pre-publication.json"
ENTERPRISES_FILE = "roster-enterprises.csv"
INSPECTORS_FILE = "roster-inspectors.csv"
SEED_FILE = "seed.json"
SELECTION_FILE = "selection.json"
SELECTION_CSV_FILE = "selection.csv"


@dataclass(frozen=True, slots=True)
class PublishedDraw:
    pre: PreDrawPublication
    result: DrawResult
    directory: Path


def write_before(
    out_dir: Path,
    plan: InspectionPlan,
    enterprises: EnterpriseRoster,
    inspectors: InspectorRoster,
    seed: bytes,
) -> PreDrawPublication:
    """Freeze the roster into canonical files and write the pre-publication."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_bytes = plan_json_bytes(plan)
    (out_dir / PLAN_FILE).write_bytes(plan_bytes)
    with (out_dir / ENTERPRISES_FILE).open("wb") as stream:
        enterprises_sha = write_enterprise_roster(enterprises, stream)
    with (out_dir / INSPECTORS_FILE).open("wb") as stream:
        inspectors_sha = write_inspector_roster(inspectors, stream)
    pre = publish_before(plan, plan_bytes, enterprises_sha, inspectors_sha, seed)
    (out_dir / PRE_FILE).write_bytes(canonical_json(pre_publication_to_dict(pre)))
    return pre


def write_after(out_dir: Path, result: DrawResult, seed: bytes, beacon: str) -> None:
    (out_dir / SEED_FILE).write_bytes(canonical_json(seed_to_dict(seed, beacon)))
    (out_dir / SELECTION_FILE).write_bytes(canonical_json(selection_to_dict(result)))
    (out_dir / SELECTION_CSV_FILE).write_text(selection_csv(result), encoding="utf-8")


def draw_to_directory(
    out_dir: Path,
    plan: InspectionPlan,
    enterprises: EnterpriseRoster,
    inspectors: InspectorRoster,
    seed: bytes,
    beacon: str = "",
) -> PublishedDraw:
    """Pre-publication, draw and post-publication in one go (files in ``out_dir``)."""
    pre = write_before(out_dir, plan, enterprises, inspectors, seed)
    result = draw(plan, pre.plan_sha256, enterprises, inspectors, seed, beacon)
    write_after(out_dir, result, seed, beacon)
    return PublishedDraw(pre, result, out_dir)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise PublicationError(f"缺少文件 {path.name} / missing file {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PublicationError(f"{path.name} 不是有效的 JSON / {path} is not valid JSON") from None


def verify_directory(
    directory: Path,
    pre_publication: Path | None = None,
    *,
    open_roster: Callable[[Path], AbstractContextManager[BinaryIO]] | None = None,
) -> VerifyResult:
    """Verify the draw published in ``directory``.

    ``pre_publication`` is the pre-publication as obtained *before* the draw (for instance
    downloaded then); by default the copy in the directory is used. ``open_roster`` opens the
    enterprise roster (the CLI passes one that shows a progress bar over a large file).
    """
    pre = pre_publication_from_dict(_read_json(pre_publication or directory / PRE_FILE))
    try:
        plan_bytes = (directory / PLAN_FILE).read_bytes()
    except FileNotFoundError:
        raise PublicationError(f"缺少文件 {PLAN_FILE} / missing file {PLAN_FILE}") from None
    seed, beacon = seed_from_dict(_read_json(directory / SEED_FILE))
    selection = _read_json(directory / SELECTION_FILE)
    if not isinstance(selection, dict):
        raise PublicationError(f"{SELECTION_FILE} 应为对象 / {SELECTION_FILE} must be an object")
    try:
        opener = open_roster or (lambda path: path.open("rb"))
        with opener(directory / ENTERPRISES_FILE) as stream:
            enterprises, enterprises_sha = read_enterprise_roster(stream)
        with (directory / INSPECTORS_FILE).open("rb") as stream:
            inspectors, inspectors_sha = read_inspector_roster(stream)
    except FileNotFoundError as exc:
        raise PublicationError(f"缺少名册文件 / missing roster file: {exc.filename}") from None
    return verify_draw(
        pre=pre,
        plan_bytes=plan_bytes,
        enterprises=enterprises,
        enterprises_sha256=enterprises_sha,
        inspectors=inspectors,
        inspectors_sha256=inspectors_sha,
        seed=seed,
        beacon=beacon,
        published_selection=selection,
    )


__all__ = [
    "PublishedDraw",
    "draw_to_directory",
    "verify_directory",
    "write_after",
    "write_before",
]
