"""The HTML report: one self-contained file with totals, thresholds, steps, errors, discovery."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from loadscout.metrics.summary import ErrorSummary, StepSummary
from loadscout.reports.html_report import html_text, sparkline, write_html
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
    assert "POST /cart /cart POST 400 12 3.0 8.5 12.0 24.2 80.0" in text
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
    assert "<svg" not in html_text(make_run_summary(timeseries=[]))


def test_sparkline_scales_to_the_peak() -> None:
    spark = sparkline(make_run_summary().timeseries, height=100)
    assert spark is not None
    assert spark.peak == 18.0 and spark.width == 2
    # rps 16, 17, 18: the peak touches the top (y=0), the others sit proportionally lower
    assert spark.points == "0,11.1 1,5.6 2,0.0"


def test_write_html(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    write_html(make_run_summary(), path)
    assert path.read_text(encoding="utf-8").startswith("<!doctype html>")
