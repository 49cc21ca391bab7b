"""The result as CSV for spreadsheets: a per-step table with a totals row, then thresholds.

Two sections separated by an empty line, like Gatling's and JMeter's summary exports: the
first has one row per step and a final ``TOTAL`` row; the second lists each threshold with
its verdict. Numbers are plain (no thousands separators, latencies in milliseconds).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from loadscout.metrics.summary import LatencySummary, RunSummary

STEP_COLUMNS = (
    "flow",
    "step",
    "method",
    "url",
    "requests",
    "errors",
    "error_rate",
    "rps",
    "p50_ms",
    "p90_ms",
    "p95_ms",
    "p99_ms",
    "max_ms",
    "mean_ms",
    "retried",  # of requests: sent again after a dropped connection
    "redirects",  # of requests: redirect hops followed
)
THRESHOLD_COLUMNS = ("threshold", "passed", "observed")
TOTAL = "TOTAL"


def _num(value: float | None) -> str:
    """Short and exact enough: up to 3 decimals, no trailing zeros; empty when not measured."""
    if value is None:
        return ""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def _latency(lat: LatencySummary) -> list[str]:
    return [_num(v) for v in (lat.p50, lat.p90, lat.p95, lat.p99, lat.max, lat.mean)]


def _rate(errors: int, requests: int) -> str:
    return _num(errors / requests if requests else 0.0)


def csv_text(summary: RunSummary) -> str:
    """The whole CSV document (``\\r\\n`` line ends, as the csv module and RFC 4180 write)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STEP_COLUMNS)
    seconds = summary.duration_s
    for s in summary.steps:
        rps = s.requests / seconds if seconds > 0 else 0.0
        writer.writerow(
            [
                s.flow,
                s.name,
                s.method,
                s.url,
                s.requests,
                s.errors,
                _rate(s.errors, s.requests),
                _num(rps),
                *_latency(s.latency_ms),
                s.retried,
                s.redirects,
            ]
        )
    t = summary.totals
    writer.writerow(
        [
            TOTAL,
            "",
            "",
            summary.target_url,
            t.requests,
            t.errors,
            _num(t.error_rate),
            _num(t.rps),
            *_latency(t.latency_ms),
            sum(s.retried for s in summary.steps),
            sum(s.redirects for s in summary.steps),
        ]
    )
    writer.writerow([])
    writer.writerow(THRESHOLD_COLUMNS)
    for th in summary.thresholds:
        observed = "" if th.observed is None else _num(th.observed)
        writer.writerow([th.expression, "pass" if th.passed else "fail", observed])
    return out.getvalue()


def write_csv(summary: RunSummary, path: Path) -> None:
    path.write_text(csv_text(summary), encoding="utf-8", newline="")
