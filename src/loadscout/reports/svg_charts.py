"""Inline SVG charts for the HTML report: no script, no network, readable without either.

Each chart is drawn from plain numbers into an SVG string whose only text comes from numbers
and labels escaped here; a value of None (a second without a response) breaks the line into
separate segments, so a gap is drawn as a gap, never as zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 180
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 10, 26


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    color: str
    values: Sequence[float | None]


def _scale(top: float) -> float:
    """A round axis maximum at or above ``top``: 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(top))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= top)


def _segments(xs: Sequence[float], ys: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, y))
    return [r for r in runs if r]


def line_chart(
    title: str, seconds: Sequence[int], lines: Sequence[Line], fmt: Callable[[float], str]
) -> Markup:
    """Lines over seconds since load start; None values are gaps."""
    values = [v for line in lines for v in line.values if v is not None]
    top = _scale(max(values, default=0.0))
    span = max(1, (seconds[-1] - seconds[0]) if seconds else 1)
    first = seconds[0] if seconds else 0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return LEFT + (t - first) / span * plot_w

    def y(v: float) -> float:
        return TOP + plot_h - v / top * plot_h

    parts = [_frame(title, top, fmt, first, first + span)]
    for line in lines:
        for seg in _segments([x(t) for t in seconds], list(line.values)):
            points = " ".join(f"{px:.1f},{y(py):.1f}" for px, py in seg)
            if len(seg) == 1:
                px, py = seg[0]
                parts.append(f'<circle cx="{px:.1f}" cy="{y(py):.1f}" r="2" fill="{line.color}"/>')
            else:
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{line.color}" '
                    'stroke-width="1.6"/>'
                )
    parts.append(_legend(lines))
    return _svg(title, parts)


def bar_chart(title: str, bars: Sequence[tuple[str, int]]) -> Markup:
    """Labelled bars (the response-time distribution)."""
    top = _scale(max((n for _, n in bars), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    width = plot_w / max(1, len(bars))
    parts = [_frame(title, top, lambda v: f"{v:,.0f}", None, None)]
    for i, (label, n) in enumerate(bars):
        h = n / top * plot_h
        x0 = LEFT + i * width
        parts.append(
            f'<rect x="{x0 + 2:.1f}" y="{TOP + plot_h - h:.1f}" width="{width - 4:.1f}" '
            f'height="{h:.1f}" fill="#6366f1"><title>{escape(label)}: {n:,}</title></rect>'
        )
        parts.append(
            f'<text x="{x0 + width / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" '
            f'class="axis">{escape(label)}</text>'
        )
    return _svg(title, parts)


def _frame(
    title: str, top: float, fmt: Callable[[float], str], t0: float | None, t1: float | None
) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    grid = []
    for frac in (0, 0.5, 1):
        gy = TOP + plot_h - frac * plot_h
        grid.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{gy + 4:.1f}" text-anchor="end" class="axis">'
            f"{escape(fmt(top * frac))}</text>"
        )
    if t0 is not None and t1 is not None:
        grid.append(
            f'<text x="{LEFT}" y="{HEIGHT - 8}" class="axis">{t0:.0f} s</text>'
            f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" class="axis">'
            f"{t1:.0f} s since load start</text>"
        )
    return "".join(grid)


def _legend(lines: Sequence[Line]) -> str:
    items = []
    for i, line in enumerate(lines):
        lx = LEFT + 8 + i * 70
        items.append(
            f'<rect x="{lx}" y="{TOP}" width="10" height="3" fill="{line.color}"/>'
            f'<text x="{lx + 14}" y="{TOP + 5}" class="axis">{escape(line.label)}</text>'
        )
    return "".join(items)


def _svg(title: str, parts: list[str]) -> Markup:
    body = "".join(parts)
    # every text in ``parts`` went through escape(): the markup is safe as built
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>'
    )
