"""The result as one self-contained HTML file: inline CSS, inline SVG charts, no scripts.

Everything taken from the run (URLs, step names, error examples) is escaped by Jinja2's
autoescape, so a hostile target cannot inject markup into the report.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path

import jinja2
from markupsafe import Markup

from loadscout import __version__
from loadscout.flows.model import STOP_REASONS
from loadscout.metrics.summary import LOW_SAMPLE, RunSummary, StepSummary, ms_text
from loadscout.reports.html_template import TEMPLATE
from loadscout.reports.phases import phases
from loadscout.reports.realism_html import realism_section
from loadscout.reports.svg_charts import Line, bar_chart, line_chart

_ENV = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
)
_TEMPLATE = _ENV.from_string(TEMPLATE)


def charts(summary: RunSummary) -> list[Markup]:
    """Throughput, latency percentiles, errors and users over time, and the distribution."""
    series = summary.timeseries
    if len(series) < 2:
        return []
    t = [p.t for p in series]
    latency = [
        Line("p50", "#10b981", [p.p50_ms for p in series]),
        Line("p95", "#f59e0b", [p.p95_ms for p in series]),
        Line("p99", "#a855f7", [p.p99_ms for p in series]),
    ]
    drawn = [
        line_chart(
            "Requests per second", t, [Line("req/s", "#6366f1", [p.rps for p in series])], _rate
        ),
        line_chart("Latency percentiles (ms)", t, latency, _plain),
        line_chart(
            "Errors per second", t, [Line("errors", "#f43f5e", [p.errors for p in series])], _plain
        ),
        line_chart(
            "Active users", t, [Line("users", "#0ea5e9", [p.active_users for p in series])], _plain
        ),
    ]
    if summary.latency_distribution:
        bars = [(_bound(b.le_ms), b.count) for b in summary.latency_distribution]
        drawn.append(bar_chart("Response times (responses per bucket, ms)", bars))
    return drawn


def _rate(v: float) -> str:
    return f"{v:,.0f}/s"


def _plain(v: float) -> str:
    return f"{v:,.0f}" if v >= 10 else f"{v:,.1f}"


def _bound(ms: float) -> str:
    return f"≤{ms / 1000:g}s" if ms >= 1000 else f"≤{ms:g}"


def local_time(moment: datetime) -> str:
    """A stored (UTC) time in the zone of the machine writing the report."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def zone_name() -> str:
    now = datetime.now().astimezone()
    return f"{now.strftime('%Z')}, UTC{now.strftime('%z')[:3]}:{now.strftime('%z')[3:]}"


def _by_flow(steps: list[StepSummary]) -> Iterator[tuple[str, list[StepSummary]]]:
    for flow, group in groupby(steps, key=lambda s: s.flow):
        yield flow, list(group)


@dataclass(frozen=True)
class TrailEntry:
    """One line of who did what to the run (the server's audit log)."""

    at: datetime
    actor: str
    action: str


_ACTIONS = {"run.create": "started", "run.cancel": "cancelled", "run.delete": "deleted"}


def html_text(summary: RunSummary, trail: Sequence[TrailEntry] = ()) -> str:
    """The report; ``trail`` (on a server) says who started and who stopped the run."""
    return _TEMPLATE.render(
        trail=[(_ACTIONS.get(e.action, e.action), e.actor, local_time(e.at)) for e in trail],
        s=summary,
        t=summary.totals,
        d=summary.discovery,
        flows=list(_by_flow(summary.steps)),
        charts=charts(summary),
        peak_rps=max((p.rps for p in summary.timeseries), default=0.0),
        local=local_time,
        zone=zone_name(),
        ms=ms_text,
        phases=phases(summary.totals),
        version=__version__,
        failed=[th for th in summary.thresholds if not th.passed],
        realism=realism_section(summary.realism),
        low_sample=LOW_SAMPLE,
        stopped=STOP_REASONS,
    )


def write_html(summary: RunSummary, path: Path) -> None:
    path.write_text(html_text(summary), encoding="utf-8")
