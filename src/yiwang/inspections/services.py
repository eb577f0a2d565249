"""Publication and verification of draws (R-INSP-3), and roster facts after a draw.

Before the draw (:func:`publish_before`): the plan (``plan.json``), the SHA-256 of each roster
file and of the pair, and a commitment to the seed, ``SHA-256(seed)``. After the draw: the
seed and beacon, the roster files and the selection (:func:`selection_to_dict`).
:func:`verify_draw` checks every hash against the pre-publication, re-runs the draw and
compares the selection exactly, naming whatever differs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from yiwang.inspections.draw import ALGORITHM, draw
from yiwang.inspections.errors import InspectionError, PublicationError
from yiwang.inspections.models import DrawResult, InspectionPlan, RosterEntry
from yiwang.inspections.roster import EnterpriseRoster, InspectorRoster
from yiwang.inspections.schemas import parse_plan

PRE_FORMAT = "yiwang-draw-pre/1"
SELECTION_FORMAT = "yiwang-draw-selection/1"
SEED_FORMAT = "yiwang-draw-seed/1"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def combined_roster_sha256(enterprises_sha256: str, inspectors_sha256: str) -> str:
    """One hash for the frozen roster: both files' hashes, in a fixed text form."""
    text = f"{ALGORITHM}\nenterprises {enterprises_sha256}\ninspectors {inspectors_sha256}\n"
    return sha256_hex(text.encode("ascii"))


def seed_commitment(seed: bytes) -> str:
    return sha256_hex(seed)


@dataclass(frozen=True, slots=True)
class PreDrawPublication:
    """What is published before the draw: nothing in it reveals the seed."""

    plan_id: str
    algorithm: str
    plan_sha256: str
    enterprises_sha256: str
    inspectors_sha256: str
    roster_sha256: str
    seed_commitment: str
    beacon_source_zh: str


def publish_before(
    plan: InspectionPlan,
    plan_bytes: bytes,
    enterprises_sha256: str,
    inspectors_sha256: str,
    seed: bytes,
) -> PreDrawPublication:
    return PreDrawPublication(
        plan_id=plan.plan_id,
        algorithm=ALGORITHM,
        plan_sha256=sha256_hex(plan_bytes),
        enterprises_sha256=enterprises_sha256,
        inspectors_sha256=inspectors_sha256,
        roster_sha256=combined_roster_sha256(enterprises_sha256, inspectors_sha256),
        seed_commitment=seed_commitment(seed),
        beacon_source_zh=plan.beacon_source_zh,
    )


def pre_publication_to_dict(pre: PreDrawPublication) -> dict[str, Any]:
    return {
        "format": PRE_FORMAT,
        "plan_id": pre.plan_id,
        "algorithm": pre.algorithm,
        "plan_sha256": pre.plan_sha256,
        "enterprises_sha256": pre.enterprises_sha256,
        "inspectors_sha256": pre.inspectors_sha256,
        "roster_sha256": pre.roster_sha256,
        "seed_commitment": pre.seed_commitment,
        "beacon_source_zh": pre.beacon_source_zh,
    }


def _field(document: Mapping[str, Any], name: str, what: str) -> str:
    value = document.get(name)
    if not isinstance(value, str):
        raise PublicationError(f"{what} 缺少字段 {name} / {what}: missing field {name}")
    return value


def pre_publication_from_dict(document: Any) -> PreDrawPublication:
    what = "pre-publication.json"
    if not isinstance(document, Mapping) or document.get("format") != PRE_FORMAT:
        raise PublicationError(f"{what} 格式不是 {PRE_FORMAT} / {what} is not {PRE_FORMAT}")
    return PreDrawPublication(
        plan_id=_field(document, "plan_id", what),
        algorithm=_field(document, "algorithm", what),
        plan_sha256=_field(document, "plan_sha256", what),
        enterprises_sha256=_field(document, "enterprises_sha256", what),
        inspectors_sha256=_field(document, "inspectors_sha256", what),
        roster_sha256=_field(document, "roster_sha256", what),
        seed_commitment=_field(document, "seed_commitment", what),
        beacon_source_zh=str(document.get("beacon_source_zh", "")),
    )


def seed_to_dict(seed: bytes, beacon: str) -> dict[str, Any]:
    return {"format": SEED_FORMAT, "seed": seed.hex(), "beacon": beacon}


def seed_from_dict(document: Any) -> tuple[bytes, str]:
    what = "seed.json"
    if not isinstance(document, Mapping) or document.get("format") != SEED_FORMAT:
        raise PublicationError(f"{what} 格式不是 {SEED_FORMAT} / {what} is not {SEED_FORMAT}")
    try:
        seed = bytes.fromhex(_field(document, "seed", what))
    except ValueError:
        raise PublicationError(f"{what} 种子不是十六进制 / {what}: the seed is not hex") from None
    beacon = document.get("beacon", "")
    if not isinstance(beacon, str):
        raise PublicationError(f"{what} beacon 应为文本 / {what}: beacon must be text")
    return seed, beacon


def selection_to_dict(result: DrawResult) -> dict[str, Any]:
    """The published selection (``selection.json``), also the open-data JSON of a draw."""
    return {
        "format": SELECTION_FORMAT,
        "algorithm": result.algorithm,
        "plan_id": result.plan_id,
        "plan_sha256": result.plan_sha256,
        "strata": [
            {
                "credit_class": s.credit_class.value,
                "roster_count": s.roster_count,
                "eligible_count": s.eligible_count,
                "rate": str(s.rate),
                "selected_count": s.selected_count,
            }
            for s in result.strata
        ],
        "selected": [
            {
                "credit_code": e.credit_code,
                "name": e.name,
                "credit_class": e.credit_class.value,
                "sector": e.sector,
                "county": e.county,
                "rank": e.rank,
                "key": f"{e.key:016x}",
                "inspectors": {a.department_id: list(a.staff_nos) for a in e.assignments},
                "shortage": [a.department_id for a in e.assignments if a.shortage],
            }
            for e in result.selected
        ],
    }


def selection_csv(result: DrawResult) -> str:
    """Open data: one row per drawn enterprise (inspectors as ``dept:no|no;dept:no|no``)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["plan_id", "credit_code", "name", "credit_class", "sector", "county", "rank",
                     "key", "inspectors", "shortage"])
    for e in result.selected:
        writer.writerow([
            result.plan_id, e.credit_code, e.name, e.credit_class.value, e.sector, e.county,
            e.rank, f"{e.key:016x}",
            ";".join(f"{a.department_id}:{'|'.join(a.staff_nos)}" for a in e.assignments),
            ";".join(a.department_id for a in e.assignments if a.shortage),
        ])
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class VerifyProblem:
    """One reason a draw does not verify; ``code`` is stable for scripts."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    problems: tuple[VerifyProblem, ...]
    selected_count: int

    @property
    def ok(self) -> bool:
        return not self.problems


def _describe_selection_difference(published: Mapping[str, Any],
                                   recomputed: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for name in ("format", "algorithm", "plan_id", "plan_sha256"):
        if published.get(name) != recomputed.get(name):
            parts.append(f"{name}: published {published.get(name)!r}, "
                         f"recomputed {recomputed.get(name)!r}")
    if published.get("strata") != recomputed.get("strata"):
        parts.append("strata summaries differ")
    pub_rows = published.get("selected")
    new_rows = recomputed["selected"]
    if not isinstance(pub_rows, list):
        parts.append("published selection has no list of selected enterprises")
        return "; ".join(parts)
    pub_codes = [row.get("credit_code") if isinstance(row, Mapping) else None for row in pub_rows]
    new_codes = [row["credit_code"] for row in new_rows]
    extra = sorted({str(c) for c in pub_codes} - set(new_codes))
    missing = sorted(set(new_codes) - {str(c) for c in pub_codes})
    if extra:
        parts.append(f"published but not drawn: {', '.join(extra[:5])}")
    if missing:
        parts.append(f"drawn but not published: {', '.join(missing[:5])}")
    if not extra and not missing:
        for pub_row, new_row in zip(pub_rows, new_rows, strict=False):
            if pub_row != new_row:
                parts.append(f"entry {new_row['credit_code']} differs (rank, key or inspectors)")
                break
        if len(pub_rows) != len(new_rows):
            parts.append(f"{len(pub_rows)} published rows, {len(new_rows)} recomputed")
    return "; ".join(parts) or "selection differs"


def verify_draw(
    *,
    pre: PreDrawPublication,
    plan_bytes: bytes,
    enterprises: EnterpriseRoster,
    enterprises_sha256: str,
    inspectors: InspectorRoster,
    inspectors_sha256: str,
    seed: bytes,
    beacon: str,
    published_selection: Mapping[str, Any],
) -> VerifyResult:
    """Check a published draw against its pre-publication and re-run it."""
    problems: list[VerifyProblem] = []

    def problem(code: str, zh: str, en: str) -> None:
        problems.append(VerifyProblem(code, f"{zh} / {en}"))

    if pre.algorithm != ALGORITHM:
        problem("algorithm", f"算法 {pre.algorithm} 不受支持", f"unsupported algorithm "
                f"{pre.algorithm} (this verifier implements {ALGORITHM})")
    plan_sha = sha256_hex(plan_bytes)
    if plan_sha != pre.plan_sha256:
        problem("plan_hash", "抽查计划文件的哈希与事前公布的不一致",
                f"plan.json hash {plan_sha[:16]}… differs from the pre-published "
                f"{pre.plan_sha256[:16]}…")
    if enterprises_sha256 != pre.enterprises_sha256:
        problem("roster_hash", "企业名册的哈希与事前公布的不一致",
                f"enterprise roster hash {enterprises_sha256[:16]}… differs from the "
                f"pre-published roster hash {pre.enterprises_sha256[:16]}…")
    if inspectors_sha256 != pre.inspectors_sha256:
        problem("inspector_roster_hash", "执法人员名录的哈希与事前公布的不一致",
                f"inspector roster hash {inspectors_sha256[:16]}… differs from the "
                f"pre-published {pre.inspectors_sha256[:16]}…")
    if combined_roster_sha256(pre.enterprises_sha256, pre.inspectors_sha256) \
            != pre.roster_sha256:
        problem("pre_publication", "事前公布的名册总哈希与分项哈希不符",
                "the pre-published roster hash does not match its two parts")
    if seed_commitment(seed) != pre.seed_commitment:
        problem("seed_commitment", "种子与事前公布的种子承诺不符",
                "SHA-256 of the seed differs from the pre-published seed commitment")
    try:
        plan = parse_plan(json.loads(plan_bytes.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PublicationError("plan.json 不是有效的 JSON / plan.json is not valid JSON") from None
    if plan.plan_id != pre.plan_id:
        problem("plan_id", "计划编号与事前公布的不一致",
                f"plan id {plan.plan_id} differs from the pre-published {pre.plan_id}")
    try:
        result = draw(plan, plan_sha, enterprises, inspectors, seed, beacon)
    except InspectionError as exc:
        problem("draw_failed", "无法重新抽取", f"the draw cannot be re-run: {exc}")
        return VerifyResult(tuple(problems), 0)
    recomputed = selection_to_dict(result)
    if dict(published_selection) != recomputed:
        problem("selection", "重新抽取的结果与公布的结果不一致",
                "the re-run selection differs from the published one: "
                + _describe_selection_difference(published_selection, recomputed))
    return VerifyResult(tuple(problems), len(result.selected))


def mark_inspected(
    entries: Iterable[RosterEntry], result: DrawResult, year: int
) -> tuple[RosterEntry, ...]:
    """Roster facts for the next draw: drawn enterprises were randomly inspected in ``year``
    by the assigned inspectors (their last visit, for recusal)."""
    drawn = {e.credit_code: e for e in result.selected}
    updated = []
    for entry in entries:
        chosen = drawn.get(entry.credit_code)
        if chosen is None:
            updated.append(entry)
            continue
        staff = tuple(sorted({n for a in chosen.assignments for n in a.staff_nos}))
        updated.append(replace(entry, last_random_joint_year=year, last_inspectors=staff))
    return tuple(updated)
