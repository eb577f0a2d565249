"""The plans' numeric targets (``catalog/plans/targets.yaml``): what each domain is measured
against, parsed and validated at once (every problem reported in one `ReportError`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from yiwang.calendar import InvalidTimeLimit, TimeLimit
from yiwang.catalog.models import ItemSpec, Text


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
