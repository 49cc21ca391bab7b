"""The realism report in the terminal and the HTML report: present, readable, escaped."""

from __future__ import annotations

from rich.console import Console

from loadscout.metrics.realism import FunnelStep, JourneyRealism, PatternLoad, RealismReport
from loadscout.metrics.summary import RunSummary
from loadscout.reports.console import summary_renderable
from loadscout.reports.html_report import html_text
from loadscout.status import RunStatus

HOSTILE = "/items/<script>alert(1)</script>"


def summary() -> RunSummary:
    report = RealismReport(
        patterns=[
            PatternLoad(
                journey="browse",
                name="detail",
                pattern=HOSTILE,
                requests=400,
                errors=0,
                share=0.5,
                model_share=0.3,
                distinct_urls=180,
                top_url="/items/7",
                top_url_share=0.02,
                p50_ms=3.0,
                p95_ms=None,
                off_model=True,
            )
        ],
        journeys=[
            JourneyRealism(
                name="browse",
                sessions=90,
                median_pages=4,
                mean_pages=4.4,
                model_mean_pages=4.6,
                lengths=[(4, 90)],
                funnel=[FunnelStep(state="home", sessions=90, reached=1.0, exits=20)],
                searches=50,
                searches_found=48,
                search_hit_rate=0.96,
            )
        ],
        think_mean_s=1.25,
        unloaded_patterns=["/admin/{num}"],
        warnings=["detail: 50.0% of requests against the model's 30.0%"],
    )
    return RunSummary(
        run_id="7", target_url="http://127.0.0.1:9/", status=RunStatus.COMPLETED, realism=report
    )


def test_the_terminal_shows_coverage_funnel_and_warnings() -> None:
    console = Console(width=140, record=True)
    console.print(summary_renderable(summary()))
    text = console.export_text()
    assert "Load coverage (journeys)" in text
    assert "180" in text and "50.0%" in text and "30.0%" in text
    assert "90 sessions, median 4 pages" in text
    assert "searches found results 96% of 50" in text
    assert "no load: /admin/{num}" in text
    assert "think time: mean 1.25s" in text


def test_the_html_report_has_the_section_escaped() -> None:
    html = html_text(summary())
    assert 'id="realism"' in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "96% of 50" in html and "<code>/admin/{num}</code>" in html


def test_no_journeys_no_section() -> None:
    plain = summary().model_copy(update={"realism": None})
    assert 'id="realism"' not in html_text(plain)


def test_endpoints_in_the_terminal_and_html_with_totals_and_few_samples() -> None:
    from loadscout.metrics.summary import EndpointSummary, LatencySummary, Totals

    rows = [
        EndpointSummary(
            method="GET",
            pattern="/items/{id}",
            requests=900,
            errors=1,
            latency_ms=LatencySummary(p50=3, p95=9, p99=12, max=20),
            samples=899,
            low_sample=False,
        ),
        EndpointSummary(
            method="POST",
            pattern="/pay",
            requests=2,
            errors=0,
            latency_ms=LatencySummary(p50=40, p95=41, p99=41, max=41),
            samples=2,
            low_sample=True,
        ),
    ]
    totals = Totals(requests=902, errors=1, latency_ms=LatencySummary(p50=3, p95=9, p99=30, max=41))
    run = summary().model_copy(update={"endpoints": rows, "totals": totals, "realism": None})
    console = Console(width=140, record=True)
    console.print(summary_renderable(run))
    text = console.export_text()
    assert "Per endpoint" in text and "GET /items/{id}" in text
    assert "POST /pay  few samples (2)" in text
    total = next(line for line in text.splitlines() if line.startswith("│ total"))
    assert [cell.strip() for cell in total.split("│")[2:4]] == ["902", "1"]
    html = html_text(run)
    assert (
        'id="endpoints"' in html
        and "few samples (2)" in html
        and "<code>GET /items/{id}</code>" in html
    )
