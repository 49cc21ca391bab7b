"""The result as one self-contained HTML file: inline CSS, an inline SVG sparkline, no scripts.

Everything taken from the run (URLs, step names, error examples) is escaped by Jinja2's
autoescape, so a hostile target cannot inject markup into the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import jinja2

from loadscout import __version__
from loadscout.metrics.summary import LOW_SAMPLE, MISSING, RunSummary, StepSummary, TimePoint
from loadscout.reports.html_template import TEMPLATE
from loadscout.reports.phases import phases
from loadscout.reports.realism_html import realism_section

_ENV = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
)
_TEMPLATE = _ENV.from_string(TEMPLATE)


@dataclass(frozen=True, kw_only=True)
class Sparkline:
    """An SVG polyline of requests/s: x is the second, y is flipped so up means more."""

    points: str
    width: int
    height: int
    peak: float


def sparkline(series: list[TimePoint], height: int = 100) -> Sparkline | None:
    if len(series) < 2:
        return None
    peak = max(p.rps for p in series)
    scale = height / peak if peak > 0 else 0.0
    points = " ".join(f"{i},{height - p.rps * scale:.1f}" for i, p in enumerate(series))
    return Sparkline(points=points, width=len(series) - 1, height=height, peak=peak)


def _by_flow(steps: list[StepSummary]) -> Iterator[tuple[str, list[StepSummary]]]:
    for flow, group in groupby(steps, key=lambda s: s.flow):
        yield flow, list(group)


def _ms(value: float | None) -> str:
    return MISSING if value is None else f"{value:,.1f}"


def html_text(summary: RunSummary) -> str:
    return _TEMPLATE.render(
        s=summary,
        t=summary.totals,
        d=summary.discovery,
        flows=list(_by_flow(summary.steps)),
        spark=sparkline(summary.timeseries),
        ms=_ms,
        phases=phases(summary.totals),
        version=__version__,
        failed=[th for th in summary.thresholds if not th.passed],
        realism=realism_section(summary.realism),
        low_sample=LOW_SAMPLE,
    )


def write_html(summary: RunSummary, path: Path) -> None:
    path.write_text(html_text(summary), encoding="utf-8")
