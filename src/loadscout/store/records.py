"""What the store hands out: frozen snapshots of rows, detached from any session."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from loadscout.status import RunStatus


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RunRecord(_Record):
    """One row of ``test_runs`` for list and detail views; the summary numbers are None until
    the run has a result."""

    id: int
    target_url: str
    status: RunStatus
    users: int
    duration_s: float
    options: dict[str, Any]
    created_at: AwareDatetime
    started_at: AwareDatetime | None = None
    finished_at: AwareDatetime | None = None
    reason: str = ""
    requests: int | None = None
    errors: int | None = None
    error_rate: float | None = None
    rps: float | None = None
    p95_ms: float | None = None
    verdict: str | None = None  # a metrics.verdict.Verdict value, once the run has a result
    team_id: int = 1
    created_by: str = ""


class RunEvent(_Record):
    """One status change of a run, in the order it happened."""

    run_id: int
    at: AwareDatetime
    status: RunStatus
    reason: str = ""


class RunNotFound(LookupError):
    """A write named a run that does not exist (reads return None instead)."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"run {run_id} does not exist")
        self.run_id = run_id
