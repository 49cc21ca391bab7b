"""A run's progress in the terminal: a live table on a TTY, a line every few seconds otherwise."""

from __future__ import annotations

import time

from rich import box
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from loadscout.flows.model import FlowSet
from loadscout.metrics.live import LiveStats
from loadscout.metrics.summary import RunSummary, ms_text
from loadscout.reports.console import discovery_text
from loadscout.status import RunStatus

PLAIN_EVERY_S = 5.0


def progress_line(s: LiveStats) -> Text:
    return Text(
        f"[{s.elapsed_s:5.1f}s/{s.duration_s:.0f}s] users {s.active_users}  "
        f"requests {s.requests:,}  errors {s.errors:,}  {s.rps:,.1f} req/s  "
        f"p50 {ms_text(s.p50_ms)} ms  p95 {ms_text(s.p95_ms)} ms"
    )


def progress_table(s: LiveStats) -> Group:
    """The live view on a terminal: the totals line, then the busiest steps."""
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
    for column in ("flow", "step"):
        table.add_column(column, overflow="ellipsis", max_width=28)
    for column in ("requests", "errors", "p50 ms", "p95 ms"):
        table.add_column(column, justify="right")
    for step in s.steps:
        errors = f"[red]{step.errors:,}[/]" if step.errors else "0"
        table.add_row(
            step.flow,
            step.name,
            f"{step.requests:,}",
            errors,
            ms_text(step.p50_ms),
            ms_text(step.p95_ms),
        )
    line = progress_line(s)
    if s.dropped_iterations:
        line.append(f"  dropped iterations {s.dropped_iterations:,}", style="yellow")
    return Group(line, table) if s.steps else Group(line)


class ConsoleObserver:
    def __init__(self, console: Console) -> None:
        self._console = console
        self._live: Live | None = None
        self._last_plain = 0.0
        self._discovered = False  # a flows file's old discovery report is not this run's

    async def on_status(self, status: RunStatus, reason: str) -> None:
        if status is RunStatus.DISCOVERING:
            self._discovered = True
        if status is RunStatus.LOADING and self._console.is_terminal:
            self._live = Live(
                Text("starting load…"), console=self._console, transient=False, refresh_per_second=4
            )
            self._live.start()
        if status.is_final and self._live is not None:
            self._live.stop()
            self._live = None
        suffix = f": {reason}" if reason else ""
        self._console.print(f"[bold]{status}[/]{suffix}")

    async def on_flows(self, flowset: FlowSet) -> None:
        if flowset.discovery is not None and self._discovered:
            self._console.print(discovery_text(flowset.discovery, flowset.journeys))
        walks = "".join(f", journey {j.name!r}" for j in flowset.journeys)
        self._console.print(
            f"{len(flowset.flows)} flows to replay{walks}: "
            + ", ".join(f.name for f in flowset.flows[:8])
            + (" …" if len(flowset.flows) > 8 else "")
        )

    def on_discovery_progress(self, message: str) -> None:
        now = time.monotonic()
        if self._console.is_terminal or now - self._last_plain >= PLAIN_EVERY_S:
            self._last_plain = now
            self._console.print(f"  {message}", style="dim", highlight=False)

    def on_load_progress(self, stats: LiveStats) -> None:
        if self._live is not None:
            self._live.update(progress_table(stats))
            return
        line = progress_line(stats)
        now = time.monotonic()
        if now - self._last_plain >= PLAIN_EVERY_S:
            self._last_plain = now
            self._console.print(line, highlight=False)

    async def on_result(self, summary: RunSummary) -> None:
        pass
