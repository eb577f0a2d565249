"""Figures over a set of items: counts, shares, nominal working days, and the table rows
(total, group, category) a domain's report is made of.

Time limits are compared in nominal working time (`TimeLimit.working_seconds_nominal`): an
instant item counts as 0 working days."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from yiwang.calendar import OfficeHours, TimeLimit
from yiwang.catalog.models import CatalogSpec, HandlingMode, ItemSpec
from yiwang.metrics.catalog_report.targets import Selector

UNCATEGORISED = "(未分类)"
_REMOTE_MODES = frozenset({HandlingMode.ONLINE, HandlingMode.MOBILE})


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
