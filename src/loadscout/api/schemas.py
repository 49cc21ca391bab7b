"""Request and response bodies of the REST API, one class per direction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loadscout.metrics.summary import RunSummary
from loadscout.orchestrator.options import RunOptions
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
    status: str
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
