"""Ready-made domain objects for tests: realistic, fully populated, overridable by keyword."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from loadscout.flows.model import (
    DiscoveryReport,
    Extractor,
    Flow,
    FlowSet,
    FlowVerification,
    SkippedAction,
    Step,
)
from loadscout.metrics.summary import (
    ErrorSummary,
    LatencySummary,
    RunSummary,
    StepSummary,
    ThresholdResult,
    TimePoint,
    Totals,
)
from loadscout.metrics.verdict import Verdict

TARGET = "http://127.0.0.1:8001/"


def make_discovery(**overrides: Any) -> DiscoveryReport:
    fields: dict[str, Any] = {
        "pages": 7,
        "patterns": ["/", "/product/{num}", "/cart"],
        "forms": 2,
        "api_calls": 3,
        "flows": 2,
        "skipped": [SkippedAction(url="/logout", reason="logout")],
        "verification": [
            FlowVerification(flow="browse", passed=True),
            FlowVerification(flow="buy", passed=False, detail="POST /cart returned 500"),
        ],
        "duration_s": 4.25,
    }
    return DiscoveryReport(**{**fields, **overrides})


def make_flowset(**overrides: Any) -> FlowSet:
    """Two flows: a plain browse and a form post that needs a CSRF token from the page before."""
    browse = Flow(
        name="browse",
        weight=3.0,
        steps=[
            Step(name="GET /", url="/"),
            Step(name="GET /product/{num}", url="/product/17", think_time_s=0.5),
        ],
    )
    buy = Flow(
        name="buy",
        steps=[
            Step(
                name="GET /product/{num}",
                url="/product/3",
                extract=[Extractor(name="csrf", source="css", expression="input[name=csrf_token]")],
            ),
            Step(
                name="POST /cart",
                method="POST",
                url="/cart",
                kind="form",
                form={"csrf_token": "${csrf}", "product": "3", "qty": "1"},
                expect_status=303,
            ),
            Step(
                name="POST /api/cart/items",
                method="POST",
                url="/api/cart/items",
                kind="fetch",
                headers={"content-type": "application/json"},
                json_body={"product": 3, "qty": [1, 2], "note": None},
            ),
        ],
    )
    fields: dict[str, Any] = {
        "target_url": TARGET,
        "flows": [browse, buy],
        "discovery": make_discovery(),
    }
    return FlowSet(**{**fields, **overrides})


def _latency(scale: float) -> LatencySummary:
    return LatencySummary(
        p50=1.5 * scale,
        p90=4.25 * scale,
        p95=6.0 * scale,
        p99=12.125 * scale,
        max=40.0 * scale,
        mean=2.5 * scale,
    )


def make_run_summary(**overrides: Any) -> RunSummary:
    """A completed run with per-step numbers, errors, thresholds, timeseries and discovery."""
    steps = [
        StepSummary(
            flow="browse",
            name="GET /",
            method="GET",
            url="/",
            requests=600,
            errors=0,
            latency_ms=_latency(1.0),
        ),
        StepSummary(
            flow="buy",
            name="POST /cart",
            method="POST",
            url="/cart",
            requests=400,
            errors=12,
            latency_ms=_latency(2.0),
        ),
    ]
    fields: dict[str, Any] = {
        "run_id": "1",
        "target_url": TARGET,
        "status": "completed",
        "verdict": Verdict.THRESHOLDS_FAILED,
        "started_at": datetime(2026, 11, 26, 9, 0, 0, 250_000, tzinfo=UTC),
        "finished_at": datetime(2026, 11, 26, 9, 1, 0, 500_000, tzinfo=UTC),
        "duration_s": 60.0,
        "users": 20,
        "discovery": make_discovery(),
        "totals": Totals(
            requests=1000, errors=12, error_rate=0.012, rps=16.5, latency_ms=_latency(1.5)
        ),
        "steps": steps,
        "errors": [
            ErrorSummary(
                kind="http_500",
                count=10,
                example="POST /cart -> 500",
                flow="buy",
                step="POST /cart",
                status=500,
                message="HTTP 500 (expected 2xx)",
                url="/cart",
            ),
            ErrorSummary(kind="timeout", count=2),
        ],
        "thresholds": [
            ThresholdResult(expression="p95 < 500", passed=True, observed=9.0),
            ThresholdResult(expression="error_rate < 0.01", passed=False, observed=0.012),
        ],
        "timeseries": [
            TimePoint(
                t=t,
                rps=16.0 + t,
                errors=t % 2,
                active_users=20,
                p50_ms=1.5,
                p95_ms=6.0,
                p99_ms=12.0,
            )
            for t in range(3)
        ],
    }
    return RunSummary(**{**fields, **overrides})
