"""Request and response bodies of the REST API, one class per direction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from loadscout.flows.model import FlowSet
from loadscout.metrics.summary import RunSummary
from loadscout.metrics.verdict import Verdict
from loadscout.orchestrator.options import DiscoveryOptions, LoadOptions, RunOptions
from loadscout.status import RunStatus
from loadscout.store.records import RunRecord


def _as_in(model: type[BaseModel], name: str, *, required: bool = False) -> Any:
    """A request field exactly as the domain model defines it (type checks, default,
    description), so the wire format cannot drift from what the run accepts."""
    info = FieldInfo.merge_field_infos(model.model_fields[name])
    if required:
        info.default = PydanticUndefined
    return info


class RunCreate(BaseModel):
    """A new run, as one flat object (the names the dashboard and scripts send); it maps onto
    the run options with :meth:`to_options`. Load options left out come from the flowset's
    ``load:`` section, then from the defaults."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [{"target_url": "http://127.0.0.1:8001/", "users": 10, "duration_s": 20}]
        },
    )

    target_url: str = _as_in(RunOptions, "target_url")
    users: int = _as_in(LoadOptions, "users", required=True)
    duration_s: float = _as_in(LoadOptions, "duration_s")
    ramp_up_s: float = _as_in(LoadOptions, "ramp_up_s")
    think_time_min_s: float = _as_in(LoadOptions, "think_time_min_s")
    think_time_max_s: float = _as_in(LoadOptions, "think_time_max_s")
    max_pages: int = _as_in(DiscoveryOptions, "max_pages")
    max_depth: int = _as_in(DiscoveryOptions, "max_depth")
    max_discovery_s: float = _as_in(DiscoveryOptions, "max_time_s")
    allow_writes: bool = _as_in(DiscoveryOptions, "allow_writes")
    scope: str | None = _as_in(LoadOptions, "scope")
    flowset: FlowSet | None = _as_in(RunOptions, "flowset")
    login_url: str | None = _as_in(DiscoveryOptions, "login_url")
    username: str | None = _as_in(DiscoveryOptions, "username")
    password: SecretStr | None = _as_in(DiscoveryOptions, "password")
    credentials_file: str | None = _as_in(DiscoveryOptions, "credentials_file")
    storage_state_file: str | None = _as_in(DiscoveryOptions, "storage_state_file")
    data_file: str | None = _as_in(DiscoveryOptions, "data_file")
    har_file: str | None = _as_in(DiscoveryOptions, "har_file")
    force: bool = _as_in(DiscoveryOptions, "force")
    ignore_robots: bool = _as_in(DiscoveryOptions, "ignore_robots")
    journeys: bool = _as_in(DiscoveryOptions, "journeys")
    screenshots_dir: str | None = _as_in(DiscoveryOptions, "screenshots_dir")
    stages: str | None = _as_in(LoadOptions, "stages")
    arrival_rate: str | None = _as_in(LoadOptions, "arrival_rate")
    max_users: int | None = _as_in(LoadOptions, "max_users")
    shape: dict[str, Any] | None = _as_in(LoadOptions, "shape")
    think_time_distribution: Literal["uniform", "exponential"] = _as_in(
        LoadOptions, "think_time_distribution"
    )
    think_time_recorded: bool = _as_in(LoadOptions, "think_time_recorded")
    pacing_s: float = _as_in(LoadOptions, "pacing_s")
    thresholds: list[str] = _as_in(LoadOptions, "thresholds")
    abort_on_fail: bool = _as_in(LoadOptions, "abort_on_fail")
    workers: int | None = _as_in(LoadOptions, "workers")
    fetch_assets: bool = _as_in(LoadOptions, "fetch_assets")
    ray_address: str | None = _as_in(RunOptions, "ray_address")
    ray_nodes: int | None = _as_in(RunOptions, "ray_nodes")

    @model_validator(mode="after")
    def _consistent(self) -> RunCreate:
        self.to_options()  # ramp-up within the duration, the profile and thresholds readable
        return self

    def to_options(self) -> RunOptions:
        """The run options this request sets; fields it leaves out stay unset."""
        given = {name: getattr(self, name) for name in self.model_fields_set}
        return RunOptions.from_document(given)


class LivePublic(BaseModel):
    elapsed_s: float
    active_users: int
    requests: int
    errors: int
    rps: float = Field(description="Requests in the latest complete second of load")
    p50_ms: float | None = Field(description="Null until a response was measured")
    p95_ms: float | None


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
    verdict: Verdict | None = Field(
        None, description="Pass/fail of a finished load, separate from status; see Verdict"
    )
    created_by: str = Field("", description="Who started it: an email, or an API token")

    @classmethod
    def from_record(cls, record: RunRecord) -> RunPublic:
        return cls.model_validate(record, from_attributes=True)


class AuditEntry(BaseModel):
    """One line of a run's audit trail."""

    at: datetime
    actor: str
    action: str


class RunDetail(RunPublic):
    live: LivePublic | None = None
    discovery_message: str = ""
    summary: RunSummary | None = None
    audit: list[AuditEntry] = []


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
    """One second of load; ``t`` counts from the first scheduled request (the load clock).
    Latencies are null for a second with no response; live points are written once the
    second is complete, and the exact series replaces them when the run ends."""

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
    p50_ms: float | None = Field(None, description="Null for a second with no response")
    p95_ms: float | None = None
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
