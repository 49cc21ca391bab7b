"""The once-a-second progress view the CLI prints and the API serves while a run loads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from loadscout.metrics.summary import TimePoint


class LiveStep(BaseModel):
    """One step's totals so far, for the live table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flow: str
    name: str
    requests: int
    errors: int
    p50_ms: float | None  # None until a response was measured (missing is not 0 ms)
    p95_ms: float | None


class LiveStats(BaseModel):
    """Totals so far; ``rps`` is the last complete second, percentiles cover the run so far.

    ``elapsed_s`` is on the load clock (0 at the first scheduled request); ``point`` is the
    latest second every worker has reported in full, None until there is one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    elapsed_s: float
    duration_s: float
    active_users: int
    requests: int
    errors: int
    rps: float
    p50_ms: float | None  # None until a response was measured (missing is not 0 ms)
    p95_ms: float | None
    p99_ms: float | None = None
    dropped_iterations: int = 0
    steps: list[LiveStep] = Field(default_factory=list)  # the busiest few, most requests first
    point: TimePoint | None = None
