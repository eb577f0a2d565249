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
        x += 30 + 13 * len(legend)
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
