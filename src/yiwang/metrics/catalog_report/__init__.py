"""The catalog against the plans' numeric targets (R-CAT-1, R-SVC-MED/RE/TAL/TRADE, R-WF-6).

Pure functions over a `CatalogSpec` and the targets of ``catalog/plans/targets.yaml`` (parsed
by `parse_targets`): per domain and per category, how many items, which share is handled
instantly (即办), which share can be handled online or on the phone (网上办/掌上办), how many
materials an item asks of the applicant against how many it needs in all, and promised
against legal time limits — each beside the plan's target, with a pass/fail verdict.

Split by reason to change: `targets` (the targets file), `figures` (what is counted),
`checks` (each target's verdict), `report` (assembling a domain and the catalog), `render`
(JSON and SVG).
"""

from yiwang.metrics.catalog_report.checks import Check, at_least, days, percent
from yiwang.metrics.catalog_report.figures import (
    UNCATEGORISED,
    Figures,
    Row,
    category_rows,
    figures_of,
    is_online_or_mobile,
    item_figures,
    limit_days,
    select_items,
)
from yiwang.metrics.catalog_report.render import report_json, svg_chart
from yiwang.metrics.catalog_report.report import (
    CatalogReport,
    DomainReport,
    catalog_report,
    domain_report,
)
from yiwang.metrics.catalog_report.targets import (
    BundleTarget,
    DomainTargets,
    LimitTarget,
    MaterialsTarget,
    ReportError,
    Selector,
    ShareTargets,
    Targets,
    Tier,
    parse_targets,
)

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
