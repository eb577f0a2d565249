"""The report for machines (JSON) and for people (an SVG chart): presentation only."""

from __future__ import annotations

from fractions import Fraction
from html import escape

from yiwang.metrics.catalog_report.checks import percent
from yiwang.metrics.catalog_report.figures import Figures
from yiwang.metrics.catalog_report.report import CatalogReport


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
