"""SVG charts drawn on the server (no JavaScript, no CDN): horizontal bars for the
supervisor's board. Text is escaped; colours are the traffic-light ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

GREEN, YELLOW, RED, GREY, BLUE = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e", "#1565c0"


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[tuple[float, str, str], ...]  # (value, colour, legend)


def stacked_bars(title: str, bars: Sequence[Bar], *, width: int = 640) -> str:
    """One row per bar, segments stacked left to right, with the numbers written in."""
    row, top, label_width = 28, 34, 220
    height = top + row * max(len(bars), 1) + 36
    scale_max = max((sum(v for v, _, _ in bar.segments) for bar in bars), default=0) or 1
    plot = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart" aria-label="{escape(title)}">',
        f'<title>{escape(title)}</title>',
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    legends: dict[str, str] = {}
    for index, bar in enumerate(bars):
        y = top + index * row
        parts.append(f'<text x="0" y="{y + 17}" font-size="12" fill="#222">{escape(bar.label[:18])}</text>')
        x = float(label_width)
        for value, colour, legend in bar.segments:
            legends[legend] = colour
            if value <= 0:
                continue
            w = value / scale_max * plot
            parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="18" fill="{colour}"/>')
            if w > 16:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 17}" font-size="11" fill="#fff" text-anchor="middle">{value:g}</text>'
                )
            x += w
    y = top + row * max(len(bars), 1) + 18
    x = float(label_width)
    for legend, colour in legends.items():
        parts.append(f'<rect x="{x:.0f}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16:.0f}" y="{y}" font-size="12" fill="#222">{escape(legend)}</text>')
        x += 30 + sum(13 if ord(ch) > 0x2E80 else 7 for ch in legend)
    parts.append("</svg>")
    return "".join(parts)


def share_bars(title: str, rows: Sequence[tuple[str, float | None, float]], *, width: int = 640) -> str:
    """Shares (0..1) as bars with the target drawn as a vertical mark on each row."""
    row, top, label_width = 28, 34, 220
    height = top + row * max(len(rows), 1) + 12
    plot = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart" aria-label="{escape(title)}">',
        f'<title>{escape(title)}</title>',
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    for index, (label, share, target) in enumerate(rows):
        y = top + index * row
        parts.append(f'<text x="0" y="{y + 17}" font-size="12" fill="#222">{escape(label[:18])}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{plot}" height="18" fill="#eeeeee"/>')
        if share is not None:
            colour = GREEN if share >= target else RED
            parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{share * plot:.1f}" height="18" fill="{colour}"/>')
            parts.append(f'<text x="{label_width + plot + 6}" y="{y + 17}" font-size="11" fill="#222">{share:.0%}</text>')
        else:
            parts.append(f'<text x="{label_width + plot + 6}" y="{y + 17}" font-size="11" fill="{GREY}">—</text>')
        tx = label_width + target * plot
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 1}" y2="{y + 25}" stroke="{BLUE}" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def budget_bars(
    title: str, rows: Sequence[tuple[str, float, float, str]], legends: Sequence[tuple[str, str]], *, width: int = 640
) -> str:
    """Working days used against a budget, one row per (label, used, budget, colour): a grey
    bar for the budget, the used days over it in the row's colour (running past the budget
    when overdue), the budget marked by a vertical line, the numbers written at the end."""
    row, top, label_width = 28, 34, 220
    height = top + row * max(len(rows), 1) + 36
    scale_max = max((max(used, budget) for _, used, budget, _ in rows), default=0) or 1
    plot = width - label_width - 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    for index, (label, used, budget, colour) in enumerate(rows):
        y = top + index * row
        parts.append(f'<text x="0" y="{y + 17}" font-size="12" fill="#222">{escape(label[:18])}</text>')
        budget_w = budget / scale_max * plot
        used_w = used / scale_max * plot
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{budget_w:.1f}" height="18" fill="#e0e0e0"/>')
        if used_w > 0:
            parts.append(
                f'<rect x="{label_width}" y="{y + 7}" width="{used_w:.1f}" height="12" fill="{escape(colour)}" '
                f'class="used"><title>{escape(label)}: {used:g} / {budget:g}</title></rect>'
            )
        tx = label_width + budget_w
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 1}" y2="{y + 25}" stroke="{BLUE}" stroke-width="2"/>')
        end = label_width + max(budget_w, used_w) + 6
        parts.append(f'<text x="{end:.1f}" y="{y + 17}" font-size="11" fill="#222">{used:g} / {budget:g}</text>')
    y = top + row * max(len(rows), 1) + 18
    x = float(label_width)
    for legend, colour in legends:
        parts.append(f'<rect x="{x:.0f}" y="{y - 10}" width="12" height="12" fill="{escape(colour)}"/>')
        parts.append(f'<text x="{x + 16:.0f}" y="{y}" font-size="12" fill="#222">{escape(legend)}</text>')
        x += 30 + sum(13 if ord(ch) > 0x2E80 else 7 for ch in legend)
    parts.append("</svg>")
    return "".join(parts)
