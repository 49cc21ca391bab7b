"""The result of a run as plain data: the shape of the result JSON (DESIGN.md)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from loadscout.flows.model import DiscoveryReport


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LatencySummary(_Model):
    p50: float = 0.0
    p90: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    max: float = 0.0
    mean: float = 0.0


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
    requests: int = 0
    errors: int = 0
    latency_ms: LatencySummary = Field(default_factory=LatencySummary)
    latency_uncorrected_ms: LatencySummary | None = None
    ttfb_ms: LatencySummary | None = None
    connect_ms: LatencySummary | None = None
    tls_ms: LatencySummary | None = None


class ErrorSummary(_Model):
    kind: str
    count: int
    example: str = ""


class ThresholdResult(_Model):
    expression: str
    passed: bool
    observed: float | None = None


class TimePoint(_Model):
    t: int
    rps: float
    errors: int
    active_users: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


class LoadOutcome(_Model):
    """What the load engine measured; the orchestrator wraps it into a RunSummary."""

    duration_s: float
    totals: Totals
    steps: list[StepSummary]
    errors: list[ErrorSummary]
    timeseries: list[TimePoint]
    thresholds: list[ThresholdResult] = Field(default_factory=list)
    aborted: str = ""  # why the run stopped early (a failed threshold with --abort-on-fail)


class RunSummary(_Model):
    run_id: str
    target_url: str
    status: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_s: float = 0.0
    users: int = 0
    discovery: DiscoveryReport = Field(default_factory=DiscoveryReport)
    totals: Totals = Field(default_factory=Totals)
    steps: list[StepSummary] = Field(default_factory=list)
    errors: list[ErrorSummary] = Field(default_factory=list)
    thresholds: list[ThresholdResult] = Field(default_factory=list)
    timeseries: list[TimePoint] = Field(default_factory=list)
    reason: str = ""
