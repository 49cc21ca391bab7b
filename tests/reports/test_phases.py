"""The time-phase breakdown every report shows: only the phases the client measured."""

from __future__ import annotations

from rich.console import Console

from loadscout.metrics.summary import LatencySummary, RunSummary
from loadscout.reports.console import summary_renderable
from loadscout.reports.html_report import html_text
from loadscout.reports.phases import phases
from tests.utils.factories import make_run_summary


def _with_phases(*, tls: bool, assets_skipped: int = 0) -> RunSummary:
    summary = make_run_summary()
    totals = summary.totals.model_copy(
        update={
            "ttfb_ms": LatencySummary(p50=3.25, p95=7.5, p99=9.75),
            "connect_ms": LatencySummary(p50=0.5, p95=0.75, p99=1.25),
            "tls_ms": LatencySummary(p50=4.5, p95=6.25, p99=8.5) if tls else None,
            "assets_skipped": assets_skipped,
        }
    )
    return summary.model_copy(update={"totals": totals})


def _console(summary: RunSummary) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(summary_renderable(summary))
    return console.export_text()


def test_only_measured_phases_are_listed() -> None:
    assert phases(make_run_summary().totals) == []
    labels = [label for label, _ in phases(_with_phases(tls=False).totals)]
    assert labels == ["waiting (TTFB)", "connecting (TCP)"]
    assert len(phases(_with_phases(tls=True).totals)) == 3


def test_console_shows_phases_and_skipped_assets() -> None:
    text = _console(_with_phases(tls=True, assets_skipped=1234))
    assert "waiting (TTFB) ms  p50 3.2  p95 7.5  p99 9.8" in text
    assert "TLS handshake ms  p50 4.5  p95 6.2  p99 8.5" in text
    assert "1,234 off-scope assets not fetched" in text
    plain = _console(make_run_summary())
    assert "TTFB" not in plain and "off-scope" not in plain


def test_html_shows_phases_and_skipped_assets() -> None:
    html = html_text(_with_phases(tls=False, assets_skipped=3))
    assert 'aria-label="Where request time went"' in html
    assert "<td>connecting (TCP)</td>" in html and "TLS handshake" not in html
    assert "3 off-scope assets not fetched" in html
    assert "Where request time went" not in html_text(make_run_summary())
