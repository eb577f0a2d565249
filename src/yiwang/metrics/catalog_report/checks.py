"""Each target of a domain against the catalog, with a pass/fail verdict.

Shares are compared exactly (as fractions), so "at least 58%" passes at 58% and fails one
item below it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from yiwang.calendar import OfficeHours, TimeLimit
from yiwang.catalog.models import CatalogSpec, ItemSpec, Text
from yiwang.metrics.catalog_report.figures import Figures, limit_days
from yiwang.metrics.catalog_report.targets import (
    BundleTarget,
    DomainTargets,
    LimitTarget,
    MaterialsTarget,
)


@dataclass(frozen=True, slots=True)
class Check:
    """One target and its verdict; ``passed`` is None when there was nothing to measure."""

    code: str
    label: Text
    value: str
    target: str
    passed: bool | None
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": {"zh": self.label.zh, "en": self.label.en},
            "value": self.value,
            "target": self.target,
            "passed": self.passed,
            "detail": self.detail,
        }


def percent(share: Fraction | None) -> str:
    """58.8% (one decimal); — for nothing."""
    if share is None:
        return "—"
    return f"{float(share) * 100:.1f}%"


def days(value: Fraction | None) -> str:
    if value is None:
        return "—"
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def at_least(share: Fraction | None, target: Fraction | None) -> bool | None:
    if share is None or target is None:
        return None
    return share >= target


def _share_check(
    code: str, label: Text, share: Fraction | None, target: Fraction, detail: str = ""
) -> Check:
    return Check(
        code, label, percent(share), f"≥ {percent(target)}", at_least(share, target), detail
    )


def _fits(limit: TimeLimit, maximum: TimeLimit, office: OfficeHours) -> bool:
    return limit.working_seconds_nominal(office) <= maximum.working_seconds_nominal(office)


def _missing(code: str, label: Text, what: str, target: str) -> Check:
    return Check(
        code, label, "缺失 missing", target, False, f"目录中没有 / not in the catalog: {what}"
    )


def domain_checks(
    catalog: CatalogSpec,
    targets: DomainTargets,
    items: Sequence[ItemSpec],
    total: Figures,
    office: OfficeHours,
) -> list[Check]:
    checks: list[Check] = []
    if targets.expect_items is not None:
        checks.append(
            Check(
                "items",
                Text("事项数", "items"),
                str(total.items),
                f"= {targets.expect_items}",
                total.items == targets.expect_items,
            )
        )
    if targets.expect_categories is not None:
        count = len({item.category for item in items if item.category})
        checks.append(
            Check(
                "categories",
                Text("类别数", "categories"),
                str(count),
                f"= {targets.expect_categories}",
                count == targets.expect_categories,
            )
        )
    shares = targets.shares
    if shares.instant is not None:
        checks.append(
            _share_check(
                "instant_share",
                Text("即办事项占比", "instant share"),
                total.instant_share,
                shares.instant,
                f"{total.instant}/{total.items}",
            )
        )
    if shares.online_or_mobile is not None:
        checks.append(
            _share_check(
                "online_share",
                Text("网上办/掌上办占比", "online or mobile share"),
                total.online_share,
                shares.online_or_mobile,
                f"{total.online_or_mobile}/{total.items}",
            )
        )
    if shares.materials_not_asked is not None:
        checks.append(
            _share_check(
                "materials_not_asked",
                Text("免于申请人提交的材料占比", "materials not asked of the applicant"),
                total.materials_not_asked_share,
                shares.materials_not_asked,
                f"{total.materials - total.materials_asked}/{total.materials}",
            )
        )
    if targets.compression is not None:
        checks.append(_compression_check(items, targets.compression, office))
    for limit in targets.limits:
        checks.append(_limit_check(catalog, limit, office))
    checks.extend(_tier_checks(catalog, targets, items, office))
    for materials in targets.materials_max:
        checks.append(_materials_check(catalog, materials))
    for bundle in targets.bundles:
        checks.append(_bundle_check(catalog, bundle, office))
    return checks


def _compression_check(items: Sequence[ItemSpec], target: Fraction, office: OfficeHours) -> Check:
    label = Text("非即办事项时限压缩（逐项）", "non-instant limits cut (each item)")
    worst: Fraction | None = None
    failing: list[str] = []
    for item in items:
        if item.is_instant:
            continue
        legal = limit_days(item.legal_limit, office)
        if not legal:
            continue
        cut = 1 - limit_days(item.promised_limit, office) / legal
        worst = cut if worst is None or cut < worst else worst
        if cut < target:
            failing.append(f"{item.code} {percent(cut)}")
    return Check(
        "compression",
        label,
        f"min {percent(worst)}",
        f"≥ {percent(target)}",
        None if worst is None else not failing,
        "; ".join(failing),
    )


def _limit_check(catalog: CatalogSpec, target: LimitTarget, office: OfficeHours) -> Check:
    suffix = "".join(f" {k}={v}" for k, v in target.form.items())
    code = f"limit:{target.item}{suffix.replace(' ', '|') if suffix else ''}"
    label = Text(f"{target.note or '承诺时限'}", f"promised limit {target.item}{suffix}")
    wanted = f"≤ {target.promised_max}" + (f", legal {target.legal}" if target.legal else "")
    item = catalog.items.get(target.item)
    if item is None:
        return _missing(code, label, target.item, wanted)
    promised = item.limit_for(dict(target.form)) if target.form else item.promised_limit
    passed = _fits(promised, target.promised_max, office)
    value = str(promised)
    detail = ""
    if target.legal is not None:
        value += f" / legal {item.legal_limit}"
        if item.legal_limit != target.legal:
            passed = False
            detail = f"法定时限应为 {target.legal} / legal limit should be {target.legal}"
    return Check(code, label, value, wanted, passed, detail)


def _tier_checks(
    catalog: CatalogSpec, targets: DomainTargets, items: Sequence[ItemSpec], office: OfficeHours
) -> list[Check]:
    if not targets.tiers:
        return []
    checks = []
    placed: set[str] = set(targets.outside_tiers)
    for tier in targets.tiers:
        placed.update(tier.items)
        failing = []
        for code in tier.items:
            item = catalog.items.get(code)
            if item is None:
                failing.append(f"{code} 缺失 missing")
            elif not _fits(item.promised_limit, tier.limit, office):
                failing.append(f"{code} {item.promised_limit}")
        checks.append(
            Check(
                f"tier:{tier.limit}",
                Text(
                    f"{tier.limit} 档（{len(tier.items)} 项）",
                    f"tier {tier.limit} ({len(tier.items)} items)",
                ),
                f"{len(tier.items) - len(failing)}/{len(tier.items)}",
                f"≤ {tier.limit}",
                not failing,
                "; ".join(failing),
            )
        )
    unplaced = [item.code for item in items if item.code not in placed]
    checks.append(
        Check(
            "tiers:complete",
            Text("每个事项归入一档", "every item is in a tier"),
            f"{len(items) - len(unplaced)}/{len(items)}",
            "all",
            not unplaced,
            "; ".join(unplaced),
        )
    )
    return checks


def _materials_check(catalog: CatalogSpec, target: MaterialsTarget) -> Check:
    code = f"materials:{target.item}"
    label = Text(target.note or "材料数", f"materials of {target.item}")
    wanted = f"≤ {target.total_max}" + (f" (was {target.before})" if target.before else "")
    item = catalog.items.get(target.item)
    if item is None:
        return _missing(code, label, target.item, wanted)
    count = len(item.materials)
    asked = sum(1 for m in item.materials if m.asked_of_applicant)
    return Check(code, label, f"{count} (asked {asked})", wanted, count <= target.total_max)


def _bundle_check(catalog: CatalogSpec, target: BundleTarget, office: OfficeHours) -> Check:
    code = f"bundle:{target.bundle}"
    label = Text(target.note or "一件事", f"bundle {target.bundle}")
    parts = [f"≤ {target.total_max}"]
    if target.stages is not None:
        parts.append(f"{target.stages} stage(s)")
    if target.parallel_min is not None:
        parts.append(f"≥ {target.parallel_min} in parallel")
    wanted = ", ".join(parts)
    bundle = catalog.bundles.get(target.bundle)
    if bundle is None:
        return _missing(code, label, target.bundle, wanted)
    widest = max((len(stage.items) for stage in bundle.stages), default=0)
    problems = []
    if not _fits(bundle.total_limit, target.total_max, office):
        problems.append(f"总时限 total {bundle.total_limit}")
    if target.stages is not None and len(bundle.stages) != target.stages:
        problems.append(f"阶段 stages {len(bundle.stages)}")
    if target.parallel_min is not None and widest < target.parallel_min:
        problems.append(f"并行 parallel {widest}")
    leads = ", ".join(stage.lead_department_kind for stage in bundle.stages)
    value = (
        f"{bundle.total_limit}, {len(bundle.stages)} stage(s), {widest} in parallel, lead {leads}"
    )
    return Check(code, label, value, wanted, not problems, "; ".join(problems))
