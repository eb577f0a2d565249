"""The catalog against the plans' numeric targets (R-CAT-1, R-SVC-MED/RE/TAL/TRADE, R-WF-6).

Pure functions over a `CatalogSpec` and the targets of ``catalog/plans/targets.yaml`` (parsed
by `parse_targets`): per domain and per category, how many items, which share is handled
instantly (即办), which share can be handled online or on the phone (网上办/掌上办), how many
materials an item asks of the applicant against how many it needs in all, and promised
against legal time limits — each beside the plan's target, with a pass/fail verdict.

Shares are compared exactly (as fractions), so "at least 58%" passes at 58% and fails one
item below it. Time limits are compared in nominal working time (`TimeLimit.
working_seconds_nominal`): an instant item counts as 0 working days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from html import escape
from types import MappingProxyType
from typing import Any

from yiwang.calendar import InvalidTimeLimit, OfficeHours, TimeLimit
from yiwang.catalog.models import CatalogSpec, HandlingMode, ItemSpec, Text

UNCATEGORISED = "(未分类)"
_REMOTE_MODES = frozenset({HandlingMode.ONLINE, HandlingMode.MOBILE})


class ReportError(Exception):
    """A targets file that cannot be read, or a question the report cannot answer."""

    def __init__(self, message_zh: str, message_en: str, problems: Sequence[str] = ()) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.problems = tuple(problems)
        text = f"{message_zh} / {message_en}"
        if self.problems:
            text += ": " + "; ".join(self.problems)
        super().__init__(text)


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True, slots=True)
class Selector:
    """Which items belong to a domain: every given criterion must hold."""

    files: tuple[str, ...] = ()
    code_prefixes: tuple[str, ...] = ()
    category_prefixes: tuple[str, ...] = ()

    def matches(self, item: ItemSpec) -> bool:
        if not (self.files or self.code_prefixes or self.category_prefixes):
            return False
        return (
            (not self.files or item.source_file in self.files)
            and (not self.code_prefixes or item.code.startswith(self.code_prefixes))
            and (not self.category_prefixes or item.category.startswith(self.category_prefixes))
        )


@dataclass(frozen=True, slots=True)
class ShareTargets:
    """Minimum shares (fractions); None where the plan sets none."""

    instant: Fraction | None = None
    online_or_mobile: Fraction | None = None
    materials_not_asked: Fraction | None = None


@dataclass(frozen=True, slots=True)
class LimitTarget:
    item: str
    promised_max: TimeLimit
    legal: TimeLimit | None = None
    # A form that selects one of the item's limit variants (e.g. first-class exporters).
    form: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    note: str = ""


@dataclass(frozen=True, slots=True)
class Tier:
    limit: TimeLimit
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MaterialsTarget:
    item: str
    total_max: int
    before: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class BundleTarget:
    bundle: str
    total_max: TimeLimit
    stages: int | None = None
    parallel_min: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class DomainTargets:
    code: str
    name: Text
    select: Selector
    plan: int | None = None
    expect_items: int | None = None
    expect_categories: int | None = None
    shares: ShareTargets = ShareTargets()
    compression: Fraction | None = None
    limits: tuple[LimitTarget, ...] = ()
    tiers: tuple[Tier, ...] = ()
    outside_tiers: tuple[str, ...] = ()
    materials_max: tuple[MaterialsTarget, ...] = ()
    bundles: tuple[BundleTarget, ...] = ()


@dataclass(frozen=True, slots=True)
class Targets:
    domains: Mapping[str, DomainTargets]


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{self.source} {where}: {message}")


def _mapping(value: Any, where: str, problems: _Problems) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(where, "应为映射 / expected a mapping")
        return {}
    return value


def _list(value: Any, where: str, problems: _Problems) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, "应为列表 / expected a list")
        return []
    return value


def _strings(value: Any, where: str, problems: _Problems) -> tuple[str, ...]:
    values = _list(value, where, problems)
    if not all(isinstance(v, str) and v for v in values):
        problems.add(where, "应为文本列表 / expected a list of texts")
        return ()
    return tuple(values)


def _share(value: Any, where: str, problems: _Problems) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.add(where, f"应为0到1之间的比例 / expected a share from 0 to 1, got {value!r}")
        return None
    try:
        share = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        problems.add(where, f"应为0到1之间的比例 / expected a share from 0 to 1, got {value!r}")
        return None
    if not 0 <= share <= 1:
        problems.add(where, f"比例须在0到1之间 / a share lies from 0 to 1, got {value!r}")
        return None
    return share


def _limit(value: Any, where: str, problems: _Problems) -> TimeLimit | None:
    if value is None:
        return None
    try:
        return TimeLimit.parse(str(value))
    except (InvalidTimeLimit, ValueError) as error:
        problems.add(where, f"时限格式错误 / bad time limit {value!r}: {error}")
        return None


def _count(value: Any, where: str, problems: _Problems) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.add(where, f"应为非负整数 / expected a non-negative integer, got {value!r}")
        return None
    return value


def _text(value: Any, fallback: str, where: str, problems: _Problems) -> Text:
    if value is None:
        return Text(fallback, fallback)
    data = _mapping(value, where, problems)
    zh, en = data.get("zh"), data.get("en")
    if not isinstance(zh, str) or not isinstance(en, str):
        problems.add(where, "需要 zh 与 en 两种文字 / needs both zh and en")
        return Text(fallback, fallback)
    return Text(zh, en)


def _domain(code: str, raw: Any, problems: _Problems) -> DomainTargets:
    where = f"domains.{code}"
    data = _mapping(raw, where, problems)
    select_raw = _mapping(data.get("select"), f"{where}.select", problems)
    select = Selector(
        files=_strings(select_raw.get("files"), f"{where}.select.files", problems),
        code_prefixes=_strings(
            select_raw.get("code_prefixes"), f"{where}.select.code_prefixes", problems
        ),
        category_prefixes=_strings(
            select_raw.get("category_prefixes"), f"{where}.select.category_prefixes", problems
        ),
    )
    if not (select.files or select.code_prefixes or select.category_prefixes):
        problems.add(
            f"{where}.select",
            "须指明 files、code_prefixes 或 category_prefixes / needs a criterion",
        )
    expect = _mapping(data.get("expect"), f"{where}.expect", problems)
    shares_raw = _mapping(data.get("shares"), f"{where}.shares", problems)
    for key in shares_raw:
        if key not in ("instant", "online_or_mobile", "materials_not_asked"):
            problems.add(f"{where}.shares.{key}", "未知比例 / unknown share")
    shares = ShareTargets(
        instant=_share(shares_raw.get("instant"), f"{where}.shares.instant", problems),
        online_or_mobile=_share(
            shares_raw.get("online_or_mobile"), f"{where}.shares.online_or_mobile", problems
        ),
        materials_not_asked=_share(
            shares_raw.get("materials_not_asked"), f"{where}.shares.materials_not_asked", problems
        ),
    )
    limits: list[LimitTarget] = []
    for index, raw_limit in enumerate(_list(data.get("limits"), f"{where}.limits", problems)):
        at = f"{where}.limits[{index}]"
        entry = _mapping(raw_limit, at, problems)
        item = entry.get("item")
        promised = _limit(entry.get("promised_max"), f"{at}.promised_max", problems)
        if not isinstance(item, str) or promised is None:
            problems.add(at, "需要 item 与 promised_max / needs item and promised_max")
            continue
        form = _mapping(entry.get("form"), f"{at}.form", problems)
        limits.append(
            LimitTarget(
                item=item,
                promised_max=promised,
                legal=_limit(entry.get("legal"), f"{at}.legal", problems),
                form=MappingProxyType({str(k): str(v) for k, v in form.items()}),
                note=str(entry.get("note") or ""),
            )
        )
    tiers: list[Tier] = []
    for index, raw_tier in enumerate(_list(data.get("tiers"), f"{where}.tiers", problems)):
        at = f"{where}.tiers[{index}]"
        entry = _mapping(raw_tier, at, problems)
        tier_limit = _limit(entry.get("limit"), f"{at}.limit", problems)
        if tier_limit is None:
            problems.add(at, "需要 limit / needs a limit")
            continue
        tiers.append(Tier(tier_limit, _strings(entry.get("items"), f"{at}.items", problems)))
    materials: list[MaterialsTarget] = []
    for index, raw_m in enumerate(
        _list(data.get("materials_max"), f"{where}.materials_max", problems)
    ):
        at = f"{where}.materials_max[{index}]"
        entry = _mapping(raw_m, at, problems)
        item = entry.get("item")
        total_max = _count(entry.get("total_max"), f"{at}.total_max", problems)
        if not isinstance(item, str) or total_max is None:
            problems.add(at, "需要 item 与 total_max / needs item and total_max")
            continue
        materials.append(
            MaterialsTarget(
                item,
                total_max,
                _count(entry.get("before"), f"{at}.before", problems),
                str(entry.get("note") or ""),
            )
        )
    bundles: list[BundleTarget] = []
    for index, raw_b in enumerate(_list(data.get("bundles"), f"{where}.bundles", problems)):
        at = f"{where}.bundles[{index}]"
        entry = _mapping(raw_b, at, problems)
        bundle = entry.get("bundle")
        bundle_max = _limit(entry.get("total_max"), f"{at}.total_max", problems)
        if not isinstance(bundle, str) or bundle_max is None:
            problems.add(at, "需要 bundle 与 total_max / needs bundle and total_max")
            continue
        bundles.append(
            BundleTarget(
                bundle,
                bundle_max,
                _count(entry.get("stages"), f"{at}.stages", problems),
                _count(entry.get("parallel_min"), f"{at}.parallel_min", problems),
                str(entry.get("note") or ""),
            )
        )
    plan = data.get("plan")
    return DomainTargets(
        code=code,
        name=_text(data.get("name"), code, f"{where}.name", problems),
        select=select,
        plan=_count(plan, f"{where}.plan", problems),
        expect_items=_count(expect.get("items"), f"{where}.expect.items", problems),
        expect_categories=_count(expect.get("categories"), f"{where}.expect.categories", problems),
        shares=shares,
        compression=_share(data.get("compression"), f"{where}.compression", problems),
        limits=tuple(limits),
        tiers=tuple(tiers),
        outside_tiers=_strings(data.get("outside_tiers"), f"{where}.outside_tiers", problems),
        materials_max=tuple(materials),
        bundles=tuple(bundles),
    )


def parse_targets(data: Any, source: str = "plans/targets.yaml") -> Targets:
    """Targets from the loaded YAML; every problem is reported at once (`ReportError`)."""
    problems = _Problems(source)
    top = _mapping(data, "", problems)
    domains_raw = _mapping(top.get("domains"), "domains", problems)
    if not domains_raw and not problems.items:
        problems.add("domains", "至少一个领域 / at least one domain")
    domains = {str(code): _domain(str(code), raw, problems) for code, raw in domains_raw.items()}
    if problems.items:
        raise ReportError("目标文件有误", "the targets file is invalid", problems.items)
    return Targets(MappingProxyType(domains))


# --------------------------------------------------------------------------- figures


def limit_days(limit: TimeLimit, office: OfficeHours) -> Fraction:
    """A limit in nominal working days: :meth:`TimeLimit.nominal_working_days`, the one
    definition (kept under this name for the report's callers)."""
    return limit.nominal_working_days(office)


def _share_of(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def is_online_or_mobile(item: ItemSpec) -> bool:
    return bool(_REMOTE_MODES.intersection(item.handling_modes))


@dataclass(frozen=True, slots=True)
class Figures:
    """Counts over a set of items; shares are None over nothing."""

    items: int = 0
    instant: int = 0
    online_or_mobile: int = 0
    materials: int = 0
    materials_asked: int = 0
    promised_days: Fraction = Fraction(0)
    legal_days: Fraction = Fraction(0)
    non_instant: int = 0
    non_instant_promised_days: Fraction = Fraction(0)
    non_instant_legal_days: Fraction = Fraction(0)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.items + other.items,
            self.instant + other.instant,
            self.online_or_mobile + other.online_or_mobile,
            self.materials + other.materials,
            self.materials_asked + other.materials_asked,
            self.promised_days + other.promised_days,
            self.legal_days + other.legal_days,
            self.non_instant + other.non_instant,
            self.non_instant_promised_days + other.non_instant_promised_days,
            self.non_instant_legal_days + other.non_instant_legal_days,
        )

    @property
    def instant_share(self) -> Fraction | None:
        return _share_of(self.instant, self.items)

    @property
    def online_share(self) -> Fraction | None:
        return _share_of(self.online_or_mobile, self.items)

    @property
    def materials_not_asked_share(self) -> Fraction | None:
        return _share_of(self.materials - self.materials_asked, self.materials)

    @property
    def materials_per_item(self) -> Fraction | None:
        return _share_of(self.materials, self.items)

    @property
    def materials_asked_per_item(self) -> Fraction | None:
        return _share_of(self.materials_asked, self.items)

    @property
    def mean_promised_days(self) -> Fraction | None:
        return self.promised_days / self.items if self.items else None

    @property
    def mean_legal_days(self) -> Fraction | None:
        return self.legal_days / self.items if self.items else None

    @property
    def compression(self) -> Fraction | None:
        """1 − promised/legal over the non-instant items (how much the limits were cut)."""
        if not self.non_instant_legal_days:
            return None
        return 1 - self.non_instant_promised_days / self.non_instant_legal_days


def item_figures(item: ItemSpec, office: OfficeHours) -> Figures:
    promised = limit_days(item.promised_limit, office)
    legal = limit_days(item.legal_limit, office)
    asked = sum(1 for material in item.materials if material.asked_of_applicant)
    return Figures(
        items=1,
        instant=int(item.is_instant),
        online_or_mobile=int(is_online_or_mobile(item)),
        materials=len(item.materials),
        materials_asked=asked,
        promised_days=promised,
        legal_days=legal,
        non_instant=0 if item.is_instant else 1,
        non_instant_promised_days=Fraction(0) if item.is_instant else promised,
        non_instant_legal_days=Fraction(0) if item.is_instant else legal,
    )


def figures_of(items: Iterable[ItemSpec], office: OfficeHours) -> Figures:
    total = Figures()
    for item in items:
        total = total + item_figures(item, office)
    return total


def select_items(catalog: CatalogSpec, selector: Selector) -> tuple[ItemSpec, ...]:
    """The items of a domain, in catalog order."""
    return tuple(item for item in catalog.items.values() if selector.matches(item))


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a domain's table: the total (level 0), a group such as ``employee``
    (level 1) or a category such as ``employee/参保登记`` (level 2)."""

    key: str
    level: int
    label: str
    figures: Figures


def category_rows(items: Sequence[ItemSpec], office: OfficeHours) -> tuple[Row, ...]:
    """Total first, then each group (the category's part before "/") with its categories,
    in the order the items come; categories without "/" sit directly under the total."""
    by_category: dict[str, list[ItemSpec]] = {}
    for item in items:
        by_category.setdefault(item.category or UNCATEGORISED, []).append(item)
    groups: dict[str, list[str]] = {}
    for category in by_category:
        group = category.split("/", 1)[0] if "/" in category else ""
        groups.setdefault(group, []).append(category)
    rows = [Row("", 0, "合计 total", figures_of(items, office))]
    for group, categories in groups.items():
        if group:
            group_items = [item for category in categories for item in by_category[category]]
            rows.append(Row(group, 1, group, figures_of(group_items, office)))
        for category in categories:
            label = category.split("/", 1)[1] if "/" in category else category
            rows.append(Row(category, 2, label, figures_of(by_category[category], office)))
    return tuple(rows)


# --------------------------------------------------------------------------- checks


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


def _domain_checks(
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


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class DomainReport:
    code: str
    name: Text
    plan: int | None
    targets: DomainTargets
    rows: tuple[Row, ...]
    checks: tuple[Check, ...]

    @property
    def total(self) -> Figures:
        return self.rows[0].figures

    @property
    def passed(self) -> bool:
        return all(check.passed is not False for check in self.checks)

    def marks(self, figures: Figures) -> dict[str, bool | None]:
        """Pass/fail of one row's figures against the domain's share and compression
        targets (None where the domain has no such target or the row nothing to measure)."""
        shares = self.targets.shares
        compression = self.targets.compression
        return {
            "instant_share": at_least(figures.instant_share, shares.instant),
            "online_share": at_least(figures.online_share, shares.online_or_mobile),
            "materials_not_asked": at_least(
                figures.materials_not_asked_share, shares.materials_not_asked
            ),
            "compression": at_least(figures.compression, compression),
        }


@dataclass(frozen=True, slots=True)
class CatalogReport:
    catalog_version: str
    domains: tuple[DomainReport, ...]

    @property
    def passed(self) -> bool:
        return all(domain.passed for domain in self.domains)


def domain_report(
    catalog: CatalogSpec, targets: DomainTargets, office: OfficeHours | None = None
) -> DomainReport:
    office = office or OfficeHours.default()
    items = select_items(catalog, targets.select)
    rows = category_rows(items, office)
    checks = _domain_checks(catalog, targets, items, rows[0].figures, office)
    return DomainReport(targets.code, targets.name, targets.plan, targets, rows, tuple(checks))


def catalog_report(
    catalog: CatalogSpec,
    targets: Targets,
    domain: str | None = None,
    office: OfficeHours | None = None,
) -> CatalogReport:
    """Every domain of the targets, or only ``domain`` (`ReportError` when unknown)."""
    if domain is not None and domain not in targets.domains:
        known = ", ".join(targets.domains)
        raise ReportError(
            f"没有领域 {domain}（可选：{known}）", f"no domain {domain!r} (known: {known})"
        )
    chosen = [targets.domains[domain]] if domain is not None else list(targets.domains.values())
    return CatalogReport(
        catalog.version, tuple(domain_report(catalog, target, office) for target in chosen)
    )


def _figures_json(figures: Figures) -> dict[str, object]:
    def number(value: Fraction | None, digits: int = 4) -> float | None:
        return None if value is None else round(float(value), digits)

    return {
        "items": figures.items,
        "instant": figures.instant,
        "instant_share": number(figures.instant_share),
        "online_or_mobile": figures.online_or_mobile,
        "online_share": number(figures.online_share),
        "materials": figures.materials,
        "materials_asked": figures.materials_asked,
        "materials_per_item": number(figures.materials_per_item, 2),
        "materials_asked_per_item": number(figures.materials_asked_per_item, 2),
        "materials_not_asked_share": number(figures.materials_not_asked_share),
        "mean_promised_days": number(figures.mean_promised_days, 2),
        "mean_legal_days": number(figures.mean_legal_days, 2),
        "compression": number(figures.compression),
    }


def report_json(report: CatalogReport) -> dict[str, object]:
    return {
        "catalog_version": report.catalog_version,
        "passed": report.passed,
        "domains": [
            {
                "code": domain.code,
                "name": {"zh": domain.name.zh, "en": domain.name.en},
                "plan": domain.plan,
                "passed": domain.passed,
                "rows": [
                    {
                        "key": row.key,
                        "level": row.level,
                        "label": row.label,
                        **_figures_json(row.figures),
                        "marks": domain.marks(row.figures),
                    }
                    for row in domain.rows
                ],
                "checks": [check.to_json() for check in domain.checks],
            }
            for domain in report.domains
        ],
    }


# --------------------------------------------------------------------------- SVG


INSTANT_COLOUR, ONLINE_COLOUR, TARGET_COLOUR = "#1565c0", "#2e7d32", "#c62828"


def _bar(x: float, y: float, width: float, colour: str, tip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="9" '
        f'fill="{colour}"><title>{escape(tip)}</title></rect>'
    )


def svg_chart(report: CatalogReport, *, width: int = 760) -> str:
    """Horizontal bars per category: instant share and online/mobile share, with the
    domain's targets as red marks. Plain SVG text, no plotting library, text escaped."""
    label_width, right = 230, 70
    plot = width - label_width - right
    row_height, domain_gap = 26, 30
    parts: list[str] = []
    y = 48.0

    def mark(share: Fraction | None, top: float, what: str) -> None:
        if share is None:
            return
        x = label_width + float(share) * plot
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 2:.1f}" y2="{top + 11:.1f}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="2"><title>{escape(what)}</title></line>'
        )

    for domain in report.domains:
        parts.append(
            f'<text x="0" y="{y:.0f}" font-size="14" font-weight="bold" fill="#222">'
            f"{escape(domain.name.zh)} / {escape(domain.name.en)}</text>"
        )
        y += 12
        shares = domain.targets.shares
        for row in domain.rows:
            figures = row.figures
            indent = "  " * row.level
            parts.append(
                f'<g class="row" data-domain="{escape(domain.code)}" data-key="{escape(row.key)}">'
            )
            parts.append(
                f'<text x="{4 * row.level}" y="{y + 15:.0f}" font-size="12" fill="#222">'
                f"{escape(indent + row.label)} ({figures.items})</text>"
            )
            instant = figures.instant_share or Fraction(0)
            online = figures.online_share or Fraction(0)
            parts.append(
                _bar(
                    label_width,
                    y + 3,
                    float(instant) * plot,
                    INSTANT_COLOUR,
                    f"即办 instant {percent(figures.instant_share)}",
                )
            )
            parts.append(
                _bar(
                    label_width,
                    y + 13,
                    float(online) * plot,
                    ONLINE_COLOUR,
                    f"网上/掌上 online/mobile {percent(figures.online_share)}",
                )
            )
            parts.append(
                f'<text x="{width - right + 6}" y="{y + 11:.0f}" font-size="10" fill="#222">'
                f"{percent(figures.instant_share)}</text>"
                f'<text x="{width - right + 6}" y="{y + 21:.0f}" font-size="10" fill="#222">'
                f"{percent(figures.online_share)}</text>"
            )
            mark(shares.instant, y + 3, f"目标 target ≥ {percent(shares.instant)}")
            mark(
                shares.online_or_mobile, y + 13, f"目标 target ≥ {percent(shares.online_or_mobile)}"
            )
            parts.append("</g>")
            y += row_height
        y += domain_gap
    height = int(y)
    title = "服务目录对标 / Catalog against the plans' targets"
    legend = (
        f'<rect x="0" y="22" width="12" height="9" fill="{INSTANT_COLOUR}"/>'
        f'<text x="16" y="31" font-size="11" fill="#222">即办占比 instant share</text>'
        f'<rect x="180" y="22" width="12" height="9" fill="{ONLINE_COLOUR}"/>'
        f'<text x="196" y="31" font-size="11" fill="#222">网上/掌上占比 online or mobile share</text>'
        f'<line x1="420" x2="420" y1="20" y2="33" stroke="{TARGET_COLOUR}" stroke-width="2"/>'
        f'<text x="426" y="31" font-size="11" fill="#222">方案目标 target</text>'
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<text x="0" y="14" font-size="15" font-weight="bold" fill="#222">{escape(title)}</text>'
    )
    return head + legend + "".join(parts) + "</svg>\n"


__all__ = [
    "UNCATEGORISED",
    "BundleTarget",
    "CatalogReport",
    "Check",
    "DomainReport",
    "DomainTargets",
    "Figures",
    "LimitTarget",
    "MaterialsTarget",
    "ReportError",
    "Row",
    "Selector",
    "ShareTargets",
    "Targets",
    "Tier",
    "at_least",
    "catalog_report",
    "category_rows",
    "days",
    "domain_report",
    "figures_of",
    "is_online_or_mobile",
    "item_figures",
    "limit_days",
    "parse_targets",
    "percent",
    "report_json",
    "select_items",
    "svg_chart",
]
