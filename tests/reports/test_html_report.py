"""The HTML report: one self-contained file with totals, thresholds, steps, errors, discovery."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from loadscout.metrics.summary import DistributionBucket, ErrorSummary, StepSummary, TimePoint
from loadscout.reports.html_report import html_text, write_html
from loadscout.reports.svg_charts import Line, line_chart
from tests.utils.factories import make_run_summary


class _Collect(HTMLParser):
    """Text per section id, plus every URL-bearing attribute (to prove there are none)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


def _flat(html: str) -> str:
    return re.sub(r"\s+", " ", " ".join(_parse(html).text))


def test_shows_totals_thresholds_steps_errors_and_discovery() -> None:
    text = _flat(html_text(make_run_summary()))
    assert text.index("Failed thresholds: 1 of 2 thresholds failed") < text.index("Run #1")
    assert "Run #1 completed" in text
    assert "Requests 1,000" in text and "Errors 12 1.20%" in text
    assert "Throughput 16.5 req/s" in text
    assert "p95 < 500 pass 9.00 ms" in text
    assert "error_rate < 0.01 FAIL 1.20%" in text  # a percentage, like the expression
    assert "POST /cart /cart POST 400 0 0 12 3.0 8.5 12.0 24.2 80.0" in text
    assert "buy / POST /cart http_500 10 HTTP 500 (expected 2xx) /cart" in text
    assert "– timeout 2" in text  # no step known: a dash, not an empty " / "
    assert "Pages 7 URL patterns 3 Forms 2 API calls 3 Flows 2 Actions skipped 1" in text
    assert "buy FAIL POST /cart returned 500" in text
    assert "GET /logout — logout" in text


def test_is_self_contained() -> None:
    html = html_text(make_run_summary())
    parser = _parse(html)
    assert parser.links == []
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "<style>" in html and "<svg" in html


def test_everything_from_the_run_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    summary = make_run_summary(
        target_url=f"http://127.0.0.1/{evil}",
        steps=[StepSummary(flow=evil, name=evil, method="GET", url=f"/{evil}", requests=1)],
        errors=[ErrorSummary(kind=evil, count=1, example=f'"><img src=x onerror=alert(1)>{evil}')],
        reason=evil,
    )
    html = html_text(summary)
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;") >= 6


def test_empty_states_are_spelled_out() -> None:
    text = _flat(html_text(make_run_summary(errors=[], thresholds=[], timeseries=[])))
    assert "No errors." in text and "No thresholds were set." in text
    assert "<svg" not in html_text(make_run_summary(timeseries=[], latency_distribution=[]))


def test_charts_over_time_and_the_distribution_are_inline_svg() -> None:
    series = [
        TimePoint(t=0, rps=16, errors=0, active_users=2, p50_ms=3, p95_ms=9, p99_ms=12),
        TimePoint(t=1, rps=0, errors=5, active_users=2),  # an outage: no latency at all
        TimePoint(t=2, rps=18, errors=0, active_users=2, p50_ms=4, p95_ms=8, p99_ms=11),
    ]
    buckets = [DistributionBucket(le_ms=b, count=n) for b, n in ((1, 3), (2, 10), (5, 1))]
    html = html_text(make_run_summary(timeseries=series, latency_distribution=buckets))
    charts = re.findall(r'<svg class="chart"[^>]*aria-label="([^"]+)"', html)
    assert charts == [
        "Requests per second",
        "Latency percentiles (ms)",
        "Errors per second",
        "Active users",
        "Response times (responses per bucket, ms)",
    ]
    assert "≤2" in html and "since load start" in html and "times in" in html
    assert "<script" not in html and not [u for u in _parse(html).links if "//" in u]


def test_a_gap_in_a_line_is_two_segments_never_a_drop_to_zero() -> None:
    svg = str(line_chart("p95", [0, 1, 2, 3], [Line("p95", "#000", [5, None, 6, 7])], str))
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 1  # [5] alone, then [6, 7]
    assert 'aria-label="p95"' in svg
    hostile = str(line_chart("<b>x</b>", [0, 1], [Line("<i>", "#000", [1, 2])], str))
    assert "<b>" not in hostile and "&lt;b&gt;" in hostile and "<i>" not in hostile


def test_write_html(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    write_html(make_run_summary(), path)
    assert path.read_text(encoding="utf-8").startswith("<!doctype html>")
