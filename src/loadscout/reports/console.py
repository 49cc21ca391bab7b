"""Rich tables for the terminal: the end-of-run summary and the discovery summary."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from loadscout.flows.journeys import Journey
from loadscout.flows.model import STOP_REASONS, DiscoveryReport
from loadscout.metrics.summary import RunSummary, ms_text
from loadscout.metrics.verdict import Verdict
from loadscout.reports.phases import phases
from loadscout.reports.realism_console import realism_renderables


def verdict_text(summary: RunSummary) -> Text:
    """The first line of a report: the verdict as a badge (green only when it passed)."""
    verdict = summary.verdict
    if verdict is None:
        return Text.assemble(("■ NO VERDICT", "bold yellow"), f"  run {summary.status}")
    style = "bold green" if verdict is Verdict.PASSED else "bold red"
    failed = [t for t in summary.thresholds if not t.passed]
    detail = f"  {len(failed)} of {len(summary.thresholds)} thresholds failed" if failed else ""
    if verdict is Verdict.ERRORS:
        detail = f"  error rate {summary.totals.error_rate:.2%}"
    return Text.assemble((f"■ {verdict.label.upper()}", style), detail)


def thresholds_table(summary: RunSummary) -> Table:
    table = Table(title="Thresholds", title_justify="left", header_style="bold")
    table.add_column("threshold")
    table.add_column("result")
    table.add_column("observed", justify="right")
    for th in summary.thresholds:
        result = Text("pass", style="green") if th.passed else Text("FAIL", style="bold red")
        if th.partial:
            result.append(" (partial data)", style="yellow")
        table.add_row(th.expression, result, th.observed_text)
    return table


def nodes_table(summary: RunSummary) -> Table:
    """A run on a Ray cluster: each node's share and what it did."""
    table = Table(title="Per node", title_justify="left", header_style="bold")
    for name in ("node", "host", "CPUs", "share", "requests", "errors", "CPU s", "lost at"):
        table.add_column(name, justify="left" if name in ("host", "share") else "right")
    for n in summary.nodes:
        lost = Text("–") if n.lost_at_s is None else Text(f"{n.lost_at_s:g} s", style="bold red")
        table.add_row(
            str(n.node),
            n.host,
            str(n.cpus),
            n.share,
            f"{n.requests:,}",
            f"{n.errors:,}",
            f"{n.cpu_s:.1f}",
            lost,
        )
    return table


def steps_table(summary: RunSummary) -> Table:
    """One bold row per flow with its steps indented under it, so the table fits 80 columns."""
    table = Table(title="Per step", title_justify="left", header_style="bold")
    table.add_column("flow / step", overflow="fold", ratio=1)
    resent = any(s.retried or s.redirects for s in summary.steps)  # else two columns of 0
    counts = ("reqs", "retried", "redirects") if resent else ("reqs",)
    for col in (*counts, "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"):
        table.add_column(col, justify="right", no_wrap=True)
    flow = None
    for s in summary.steps:
        if s.flow != flow:
            flow = s.flow
            table.add_row(Text(flow, style="bold"))
        lat = s.latency_ms
        sent = (f"{s.requests:,}", f"{s.retried:,}", f"{s.redirects:,}")
        table.add_row(
            f"  {s.name}",
            *(sent if resent else sent[:1]),
            f"{s.errors:,}",
            ms_text(lat.p50),
            ms_text(lat.p95),
            ms_text(lat.p99),
            ms_text(lat.max),
        )
    return table


def endpoints_table(summary: RunSummary) -> Table:
    """Requests per method and URL pattern across flows, with a totals row; percentiles of
    fewer than LOW_SAMPLE responses are marked (a p99 of 2 samples is not a p99)."""
    table = Table(title="Per endpoint", title_justify="left", header_style="bold")
    table.add_column("endpoint", overflow="fold", ratio=1)
    for col in ("reqs", "errors", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(col, justify="right", no_wrap=True)
    for e in summary.endpoints:
        lat = e.latency_ms
        name = Text(f"{e.method} {e.pattern}")
        if e.low_sample:
            name.append(f"  few samples ({e.samples})", style="yellow")
        table.add_row(
            name,
            f"{e.requests:,}",
            f"{e.errors:,}",
            ms_text(lat.p50),
            ms_text(lat.p95),
            ms_text(lat.p99),
        )
    t = summary.totals
    table.add_row(
        Text("total", style="bold"),
        f"{t.requests:,}",
        f"{t.errors:,}",
        ms_text(t.latency_ms.p50),
        ms_text(t.latency_ms.p95),
        ms_text(t.latency_ms.p99),
    )
    return table


def totals_text(summary: RunSummary) -> Text:
    t = summary.totals
    lat = t.latency_ms
    return Text.assemble(
        ("Run ", "bold"),
        (f"{summary.run_id} {summary.status}", "bold cyan"),
        f"  {summary.users} users, {summary.duration_s:.1f}s\n",
        f"requests {t.requests:,}  errors {t.errors:,} ({t.error_rate:.2%})  {t.rps:,.1f} req/s\n",
        f"latency ms  p50 {ms_text(lat.p50)}  p90 {ms_text(lat.p90)}  p95 {ms_text(lat.p95)}  "
        f"p99 {ms_text(lat.p99)}  max {ms_text(lat.max)}",
        *(
            f"\n  {label} ms  p50 {ms_text(p.p50)}  p95 {ms_text(p.p95)}  p99 {ms_text(p.p99)}"
            for label, p in phases(t)
        ),
        f"\n{t.assets_skipped:,} off-scope assets not fetched (--scope)"
        if t.assets_skipped
        else "",
    )


def errors_table(summary: RunSummary) -> Table:
    table = Table(title="Errors", title_justify="left", header_style="bold")
    table.add_column("step", overflow="fold")
    table.add_column("kind")
    table.add_column("count", justify="right")
    table.add_column("message / example", overflow="fold")
    for e in summary.errors:
        where = f"{e.flow} / {e.step}" if e.step else "–"
        detail = e.message + (f"\n{e.url}" if e.url else "")
        table.add_row(where, e.kind, f"{e.count:,}", detail)
    return table


def summary_renderable(summary: RunSummary) -> Group:
    parts: list[Table | Text] = [verdict_text(summary), totals_text(summary)]
    if summary.thresholds:
        parts.append(thresholds_table(summary))
    parts.append(steps_table(summary))
    if summary.nodes:
        parts.append(nodes_table(summary))
    if summary.endpoints:
        parts.append(endpoints_table(summary))
    if summary.realism is not None:
        parts += realism_renderables(summary.realism)
    if summary.errors:
        parts.append(errors_table(summary))
    if summary.reason:
        parts.append(Text(f"reason: {summary.reason}", style="yellow"))
    return Group(*parts)


def discovery_text(report: DiscoveryReport, journeys: Sequence[Journey] = ()) -> Text:
    walks = "".join(f", a journey over {len(j.states)} page patterns" for j in journeys)
    return Text(
        f"Discovery: {report.pages} pages, {len(report.patterns)} URL patterns, "
        f"{report.forms} forms, {report.api_calls} API calls, {report.flows} flows{walks}, "
        f"{len(report.skipped)} actions skipped ({report.duration_s:.1f}s"
        + (f" of {report.budget_s:g}s" if report.budget_s else "")
        + (
            f"; stopped: {STOP_REASONS.get(report.stop_reason, report.stop_reason)})"
            if report.stop_reason
            else ")"
        )
    )


SKIPPED_SHOWN = 20


def skipped_lines(report: DiscoveryReport) -> list[str]:
    """The actions discovery counted as skipped, one line each (the first SKIPPED_SHOWN)."""
    lines = [f"  skipped {a.method} {a.url}: {a.reason}" for a in report.skipped[:SKIPPED_SHOWN]]
    if len(report.skipped) > SKIPPED_SHOWN:
        lines.append(f"  … and {len(report.skipped) - SKIPPED_SHOWN} more (see the flows file)")
    return lines
