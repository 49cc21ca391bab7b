"""Request and response bodies of the REST API, one class per direction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loadscout.metrics.summary import RunSummary
from loadscout.orchestrator.options import RunOptions
from loadscout.status import RunStatus
from loadscout.store.records import RunRecord


class RunCreate(RunOptions):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [{"target_url": "http://127.0.0.1:8001/", "users": 10, "duration_s": 20}]
        },
    )


class LivePublic(BaseModel):
    elapsed_s: float
    active_users: int
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float


class RunPublic(BaseModel):
    id: int
    target_url: str
    status: RunStatus
    users: int
    duration_s: float
    options: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    reason: str
    requests: int | None = Field(None, description="Known once the run has finished")
    errors: int | None = None
    error_rate: float | None = None
    rps: float | None = None
    p95_ms: float | None = None

    @classmethod
    def from_record(cls, record: RunRecord) -> RunPublic:
        return cls.model_validate(record, from_attributes=True)


class RunDetail(RunPublic):
    live: LivePublic | None = None
    discovery_message: str = ""
    summary: RunSummary | None = None


class RunsPublic(BaseModel):
    data: list[RunPublic]
    count: int


class Message(BaseModel):
    detail: str


class EventPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"at": "2026-11-26T10:00:03Z", "status": RunStatus.LOADING, "reason": ""},
                {"at": "2026-11-26T10:01:03Z", "status": RunStatus.FAILED, "reason": "interrupted"},
            ]
        }
    )

    at: datetime
    status: RunStatus
    reason: str


class EventsPublic(BaseModel):
    data: list[EventPublic]
    count: int


class MetricPoint(BaseModel):
    """One second of load; ``t`` counts from the start of the load phase. ``p99_ms`` is null
    for live points (the exact per-second series replaces them when the run ends)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "t": 4,
                    "rps": 182.0,
                    "errors": 1,
                    "active_users": 20,
                    "p50_ms": 8.1,
                    "p95_ms": 21.7,
                    "p99_ms": 40.2,
                }
            ]
        }
    )

    t: int
    rps: float
    errors: int
    active_users: int
    p50_ms: float
    p95_ms: float
    p99_ms: float | None = None


class MetricsPublic(BaseModel):
    data: list[MetricPoint]
    count: int
    status: RunStatus = Field(description="The run's status when the series was read")
    live: LivePublic | None = None


class ValidationIssue(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. 'users'")
    reason: str
    loc: list[str | int]
    msg: str
    type: str


class ValidationFailed(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": [
                        {
                            "field": "users",
                            "reason": "Input should be greater than 0",
                            "loc": ["body", "users"],
                            "msg": "Input should be greater than 0",
                            "type": "greater_than",
                        }
                    ]
                }
            ]
        }
    )

    detail: list[ValidationIssue]


class Health(BaseModel):
    status: str
    version: str = ""
    checks: dict[str, str] = Field(default_factory=dict)
