"""The result of a run as plain data: the shape of the result JSON (DESIGN.md)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from loadscout.flows.model import DiscoveryReport
from loadscout.metrics.realism import RealismReport
from loadscout.metrics.verdict import Verdict
from loadscout.status import RunStatus


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LatencySummary(_Model):
    """Milliseconds; every field is None when no response was measured (missing is not 0)."""

    p50: float | None = None
    p90: float | None = None
    p95: float | None = None
    p99: float | None = None
    max: float | None = None
    mean: float | None = None


class Totals(_Model):
    requests: int = 0
    errors: int = 0
    error_rate: float = 0.0
    rps: float = 0.0
    latency_ms: LatencySummary = Field(default_factory=LatencySummary)
    # open-model runs: latency_ms counts from each iteration's intended start (coordinated
    # omission corrected); this one from the moment the request was actually sent
    latency_uncorrected_ms: LatencySummary | None = None
    dropped_iterations: int = 0
    ttfb_ms: LatencySummary | None = None  # request sent -> first byte of the response
    connect_ms: LatencySummary | None = None  # opening a TCP connection
    tls_ms: LatencySummary | None = None  # the TLS handshake of new https connections
    # page assets (--assets) not fetched because they are outside the run's scope
    # (each URL counted once per virtual user, as its cache would fetch it once)
    assets_skipped: int = 0


class StepSummary(_Model):
    flow: str
    name: str
    method: str
    url: str
    requests: int = 0  # every request sent: retries and redirect hops included
    errors: int = 0
    retried: int = Field(
        default=0, description="Of requests: sent again after a dropped connection"
    )
    redirects: int = Field(default=0, description="Of requests: redirect hops followed")
    latency_ms: LatencySummary = Field(default_factory=LatencySummary)
    latency_uncorrected_ms: LatencySummary | None = None
    ttfb_ms: LatencySummary | None = None
    connect_ms: LatencySummary | None = None
    tls_ms: LatencySummary | None = None


LOW_SAMPLE = 20  # fewer successful responses than this: percentiles are anecdotes, not a p99


class EndpointSummary(_Model):
    """All requests of one method and URL pattern (``GET /products/{num}``), whichever flow
    or journey sent them; percentiles come from the merged histograms, so they are exact."""

    method: str
    pattern: str
    requests: int = 0
    errors: int = 0
    error_rate: float = 0.0
    latency_ms: LatencySummary = Field(default_factory=LatencySummary)
    samples: int = 0  # responses behind the percentiles
    low_sample: bool = True


class ErrorSummary(_Model):
    """Errors of one kind at one step (``http_503`` at ``checkout``), most frequent first.

    ``message`` says what happened in words and ``url`` is one request that got it; ``example``
    is the raw line both come from (``POST /buy: HTTP 503``)."""

    kind: str
    count: int
    example: str = ""
    flow: str = ""
    step: str = ""
    status: int | None = None  # the HTTP status, for http_<code> kinds
    message: str = ""
    url: str = ""


class ThresholdResult(_Model):
    """One threshold's result. ``observed`` is the raw number (an error rate as a fraction);
    ``observed_text`` is the same value for people, with its unit (``30.94 ms``, ``49.50%``,
    ``14.8 req/s``; ``–`` when nothing was measured). Both derive from the expression, so
    whoever judges thresholds only sets ``expression``, ``passed`` and ``observed``."""

    expression: str
    passed: bool
    observed: float | None = None
    unit: str = ""
    observed_text: str = ""
    partial: bool = Field(
        default=False, description="Judged on partial data: a load process or node was lost"
    )

    @model_validator(mode="before")
    @classmethod
    def _with_unit(cls, data: Any) -> Any:
        if isinstance(data, dict) and "expression" in data and not data.get("observed_text"):
            unit, text = observed_with_unit(data["expression"], data.get("observed"))
            data = {**data, "unit": unit, "observed_text": text}
        return data


_METRIC = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)")
MISSING = "–"  # how a value that was never measured is shown (never as 0)


def ms_text(value: float | None) -> str:
    """Milliseconds to one decimal for reports; MISSING when nothing was measured."""
    return MISSING if value is None else f"{value:,.1f}"


def metric_unit(expression: str) -> str:
    """The unit of a threshold's metric: ``ms``, ``%``, ``req/s`` or ``""`` (a count)."""
    match = _METRIC.match(expression)
    metric = match.group(1).lower() if match else ""
    if metric == "error_rate":
        return "%"
    if metric == "rps":
        return "req/s"
    if metric == "requests":
        return ""
    return "ms"


def observed_with_unit(expression: str, observed: float | None) -> tuple[str, str]:
    """(unit, text) for a threshold's observed value; error rates become percentages."""
    unit = metric_unit(expression)
    if observed is None:
        return unit, MISSING
    if unit == "%":
        return unit, f"{observed * 100:.2f}%"
    if unit == "ms":
        return unit, f"{observed:,.2f} ms"
    if unit == "req/s":
        return unit, f"{observed:,.1f} req/s"
    return unit, f"{observed:,.0f}"


class DistributionBucket(_Model):
    """Responses slower than the previous bucket's ``le_ms`` and at most this one's."""

    le_ms: float
    count: int


class TimePoint(_Model):
    """One second of load; latency is None for a second with no response (a gap, not 0 ms)."""

    t: int
    rps: float
    errors: int
    active_users: int
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None


class NodeSummary(_Model):
    """One machine of a run spread over a Ray cluster (docs/cluster.md): its share and what it
    did. ``lost_at_s``: the load-clock second it was found lost (None: it finished)."""

    node: int = Field(description="1-based, in the order shares were dealt")
    host: str
    cpus: int = Field(description="Its weight in the split: one load process per CPU")
    share: str = Field(description="Its share of the users or arrivals, in words")
    users: int = Field(description="Its share of the peak users")
    requests: int = 0
    errors: int = 0
    cpu_s: float = Field(default=0.0, description="CPU seconds of its agent and load processes")
    lost_at_s: float | None = None


class LoadOutcome(_Model):
    """What the load engine measured; the orchestrator wraps it into a RunSummary."""

    duration_s: float
    totals: Totals
    steps: list[StepSummary]
    errors: list[ErrorSummary]
    timeseries: list[TimePoint]
    endpoints: list[EndpointSummary] = Field(default_factory=list)
    latency_distribution: list[DistributionBucket] = Field(default_factory=list)
    thresholds: list[ThresholdResult] = Field(default_factory=list)
    aborted: str = ""  # why the run stopped early (a failed threshold with --abort-on-fail)
    partial: bool = False  # a worker process was lost: ``aborted`` says which and when
    nodes: list[NodeSummary] = Field(default_factory=list)  # runs on a Ray cluster
    verdict: Verdict | None = None
    realism: RealismReport | None = None  # runs with journeys


class RunSummary(_Model):
    run_id: str
    target_url: str
    status: RunStatus
    # passed / thresholds_failed / errors / aborted (metrics.verdict.Verdict); None when the
    # run never reached its load phase. Separate from ``status``: a completed run can fail.
    verdict: Verdict | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_s: float = 0.0
    users: int = 0
    discovery: DiscoveryReport = Field(default_factory=DiscoveryReport)
    totals: Totals = Field(default_factory=Totals)
    steps: list[StepSummary] = Field(default_factory=list)
    endpoints: list[EndpointSummary] = Field(
        default_factory=list, description="Requests per method and URL pattern, busiest first"
    )
    errors: list[ErrorSummary] = Field(default_factory=list)
    thresholds: list[ThresholdResult] = Field(default_factory=list)
    timeseries: list[TimePoint] = Field(default_factory=list)
    latency_distribution: list[DistributionBucket] = Field(
        default_factory=list, description="Response times on a 1-2-5 ms scale: a histogram"
    )
    reason: str = ""
    partial: bool = Field(
        default=False,
        description="A load process was lost mid-run (reason says which, when and its share): "
        "the numbers are what every process reported, and what it sent unreported as worker_lost",
    )
    realism: RealismReport | None = Field(
        default=None, description="Runs with journeys: how the load compares with the model"
    )
    nodes: list[NodeSummary] = Field(
        default_factory=list, description="Runs on a Ray cluster: one row per node; else empty"
    )
