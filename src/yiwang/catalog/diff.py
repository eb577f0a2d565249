"""Comparing two catalog versions (R-CAT-5): what the re-engineering removed, in numbers.

The plans set targets in these terms (items -1/3, materials -50% for construction, -30% for
medical insurance, time -50%), so the report counts per item and in total: items, materials
asked of the applicant, procedure steps, and promised time limits, each with the change in
percent of the old value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yiwang.calendar import OfficeHours
from yiwang.catalog.models import CatalogSpec, ImplementationEntry, ItemSpec, MaterialSource


@dataclass(frozen=True, slots=True)
class Change:
    """Before/after of one quantity; ``percent`` is the change relative to ``before``."""

    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def percent(self) -> float | None:
        if self.before == 0:
            return None
        return round(100.0 * self.delta / self.before, 1)

    def to_json(self) -> dict[str, float | None]:
        return {
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
            "percent": self.percent,
        }


@dataclass(frozen=True, slots=True)
class ItemDiff:
    code: str
    name: str
    status: str  # "added" | "removed" | "changed" | "unchanged"
    materials_removed: tuple[str, ...] = ()
    materials_added: tuple[str, ...] = ()
    # Materials still listed but no longer asked of the applicant (now shared or promised).
    materials_no_longer_asked: tuple[str, ...] = ()
    steps_removed: tuple[str, ...] = ()
    steps_added: tuple[str, ...] = ()
    legal_limit: tuple[str, str] | None = None
    promised_limit: tuple[str, str] | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "status": self.status,
            "materials_removed": list(self.materials_removed),
            "materials_added": list(self.materials_added),
            "materials_no_longer_asked": list(self.materials_no_longer_asked),
            "steps_removed": list(self.steps_removed),
            "steps_added": list(self.steps_added),
            "legal_limit": list(self.legal_limit) if self.legal_limit else None,
            "promised_limit": list(self.promised_limit) if self.promised_limit else None,
        }


@dataclass(frozen=True, slots=True)
class ListChange:
    """One change of a regional implementation list (实施清单)."""

    region_code: str
    item_code: str
    change: str  # "added" | "removed" | "changed"
    before: str
    after: str
    since: str
    legal_basis: str

    def to_json(self) -> dict[str, str]:
        return {
            "region": self.region_code,
            "item": self.item_code,
            "change": self.change,
            "before": self.before,
            "after": self.after,
            "since": self.since,
            "legal_basis": self.legal_basis,
        }


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    old_version: str
    new_version: str
    items: tuple[ItemDiff, ...]
    totals: dict[str, Change] = field(default_factory=dict)
    lists: tuple[ListChange, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "totals": {name: change.to_json() for name, change in self.totals.items()},
            "items": [item.to_json() for item in self.items if item.status != "unchanged"],
            "implementation_lists": [change.to_json() for change in self.lists],
        }


def _placement(entry: ImplementationEntry | None) -> str:
    if entry is None:
        return ""
    text = f"{entry.level.value} (window {entry.window.value})"
    return text + (f", reviewed at {entry.review.value}" if entry.review else "")


def diff_lists(old: CatalogSpec, new: CatalogSpec) -> tuple[ListChange, ...]:
    changes = []
    for region in sorted(set(old.implementation) | set(new.implementation)):
        before = old.implementation[region].entries if region in old.implementation else {}
        after = new.implementation[region].entries if region in new.implementation else {}
        for code in sorted(set(before) | set(after)):
            was, now = before.get(code), after.get(code)
            if was == now:
                continue
            kind = "added" if was is None else "removed" if now is None else "changed"
            basis = now or was
            assert basis is not None
            changes.append(
                ListChange(
                    region,
                    code,
                    kind,
                    _placement(was),
                    _placement(now),
                    basis.since,
                    basis.legal_basis,
                )
            )
    return tuple(changes)


def _asked(item: ItemSpec) -> set[str]:
    return {m.code for m in item.materials if m.source is MaterialSource.APPLICANT}


def _limit_days(item: ItemSpec, office: OfficeHours) -> float:
    return float(item.promised_limit.nominal_working_days(office))


def _legal_days(item: ItemSpec, office: OfficeHours) -> float:
    return float(item.legal_limit.nominal_working_days(office))


def diff_catalogs(
    old: CatalogSpec, new: CatalogSpec, office: OfficeHours | None = None
) -> CatalogDiff:
    office = office or OfficeHours.default()
    diffs: list[ItemDiff] = []
    for code in sorted(set(old.items) | set(new.items)):
        before, after = old.items.get(code), new.items.get(code)
        if before is None and after is not None:
            diffs.append(
                ItemDiff(
                    code,
                    after.name.zh,
                    "added",
                    materials_added=tuple(m.code for m in after.materials),
                    steps_added=tuple(s.code for s in after.procedure),
                )
            )
            continue
        if after is None and before is not None:
            diffs.append(
                ItemDiff(
                    code,
                    before.name.zh,
                    "removed",
                    materials_removed=tuple(m.code for m in before.materials),
                    steps_removed=tuple(s.code for s in before.procedure),
                )
            )
            continue
        assert before is not None and after is not None
        old_materials = {m.code for m in before.materials}
        new_materials = {m.code for m in after.materials}
        old_steps = [s.code for s in before.procedure]
        new_steps = [s.code for s in after.procedure]
        legal = (
            (str(before.legal_limit), str(after.legal_limit))
            if before.legal_limit != after.legal_limit
            else None
        )
        promised = (
            (str(before.promised_limit), str(after.promised_limit))
            if before.promised_limit != after.promised_limit
            else None
        )
        no_longer = tuple(sorted((_asked(before) - _asked(after)) & new_materials))
        item_diff = ItemDiff(
            code=code,
            name=after.name.zh,
            status="changed",
            materials_removed=tuple(sorted(old_materials - new_materials)),
            materials_added=tuple(sorted(new_materials - old_materials)),
            materials_no_longer_asked=no_longer,
            steps_removed=tuple(s for s in old_steps if s not in new_steps),
            steps_added=tuple(s for s in new_steps if s not in old_steps),
            legal_limit=legal,
            promised_limit=promised,
        )
        changed = any(
            (
                item_diff.materials_removed,
                item_diff.materials_added,
                no_longer,
                item_diff.steps_removed,
                item_diff.steps_added,
                legal,
                promised,
            )
        )
        diffs.append(item_diff if changed else ItemDiff(code, after.name.zh, "unchanged"))
    totals = {
        "items": Change(len(old.items), len(new.items)),
        "materials": Change(
            sum(len(i.materials) for i in old.items.values()),
            sum(len(i.materials) for i in new.items.values()),
        ),
        "materials_asked_of_applicant": Change(
            sum(len(_asked(i)) for i in old.items.values()),
            sum(len(_asked(i)) for i in new.items.values()),
        ),
        "steps": Change(
            sum(len(i.procedure) for i in old.items.values()),
            sum(len(i.procedure) for i in new.items.values()),
        ),
        "promised_working_days": Change(
            round(sum(_limit_days(i, office) for i in old.items.values()), 3),
            round(sum(_limit_days(i, office) for i in new.items.values()), 3),
        ),
        "legal_working_days": Change(
            round(sum(_legal_days(i, office) for i in old.items.values()), 3),
            round(sum(_legal_days(i, office) for i in new.items.values()), 3),
        ),
    }
    return CatalogDiff(old.version, new.version, tuple(diffs), totals, diff_lists(old, new))
