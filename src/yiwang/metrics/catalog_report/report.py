"""A domain's report (its rows and checks) and the catalog's (every domain of the targets)."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.calendar import OfficeHours
from yiwang.catalog.models import CatalogSpec, Text
from yiwang.metrics.catalog_report.checks import Check, at_least, domain_checks
from yiwang.metrics.catalog_report.figures import Figures, Row, category_rows, select_items
from yiwang.metrics.catalog_report.targets import DomainTargets, ReportError, Targets


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
    checks = domain_checks(catalog, targets, items, rows[0].figures, office)
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
