"""A sparkline: a small line of a few values, drawn as inline SVG (no script, no style attribute: the
strict CSP holds), with its own words for screen readers; a missing value breaks the line."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()
WIDTH, HEIGHT, PAD = 80, 20, 2


@register.simple_tag
def sparkline(values: Sequence[float | None], label: str = "") -> str:
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return ""
    low = min(v for _i, v in points)
    high = max(v for _i, v in points)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)
    segments: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            if segments[-1]:
                segments.append([])
            continue
        x = PAD + i * step
        y = HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)
        segments[-1].append(f"{x:.1f},{y:.1f}")
    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="#005ea2" stroke-width="1.5"/>',
        ((" ".join(seg),) for seg in segments if len(seg) > 1),
    )
    last_x, last_v = points[-1]
    cx = PAD + last_x * step
    cy = HEIGHT - PAD - (last_v - low) / span * (HEIGHT - 2 * PAD)
    return format_html(
        '<svg class="edlead-spark" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">{}'
        '<circle cx="{}" cy="{}" r="2" fill="#005ea2"/></svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        label,
        lines,
        f"{cx:.1f}",
        f"{cy:.1f}",
    )
