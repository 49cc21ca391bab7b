"""The shared vocabulary of discovery and load: flows of executable HTTP steps.

A FlowSet is what discovery writes and the load engine reads; it is plain data, human-editable
as YAML (see docs/flows.md), and carries no recorded session secrets: every dynamic value is
either taken from the virtual user's cookie jar or extracted from an earlier response at replay.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FLOWS_FORMAT_VERSION = 1

HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
StepKind = Literal["document", "form", "fetch"]
ExtractorSource = Literal["css", "regex", "header", "cookie", "json", "form"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Extractor(_Frozen):
    """Reads one value out of a response into a variable later steps use as ``${name}``.

    ``css`` takes ``attribute`` of the first element matching ``expression``; ``regex`` takes the
    first capture group; ``header`` and ``cookie`` take that header or cookie; ``json`` follows a
    dotted path (``data.items.0.id``); ``form`` re-reads the live form matched by the css
    ``expression`` and takes its field named ``attribute`` as a browser would submit it.
    """

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    source: ExtractorSource
    expression: str = Field(min_length=1)
    attribute: str = "value"
    required: bool = True


class Step(_Frozen):
    """One HTTP request of a flow. String values may reference variables as ``${name}``."""

    name: str = Field(min_length=1)
    method: HttpMethod = "GET"
    url: str = Field(min_length=1)
    kind: StepKind = "document"
    headers: dict[str, str] = Field(default_factory=dict)
    form: dict[str, str] | None = None
    json_body: Any = None
    body: str | None = None
    extract: list[Extractor] = Field(default_factory=list)
    expect_status: int | None = Field(default=None, ge=100, le=599)
    think_time_s: float | None = Field(default=None, ge=0)
    expect_body: str | None = Field(
        default=None, description="A check: the response body must contain this text"
    )

    @model_validator(mode="after")
    def _one_body(self) -> Step:
        bodies = [b for b in (self.form, self.json_body, self.body) if b is not None]
        if len(bodies) > 1:
            raise ValueError(f"step {self.name!r}: give at most one of form, json_body, body")
        return self


class Flow(_Frozen):
    """An ordered journey a virtual user repeats; ``weight`` sets how often it is picked."""

    name: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    steps: list[Step] = Field(min_length=1)


class SkippedAction(_Frozen):
    """An action discovery saw and deliberately did not take (logout, destructive, write…)."""

    url: str
    method: str = "GET"
    reason: str


class FlowVerification(_Frozen):
    """Replay of one flow in fresh sessions before load; ``fidelity`` is the share of steps
    that returned their recorded status class, ``failed_step`` the first one that did not."""

    flow: str
    passed: bool
    detail: str = ""
    fidelity: float = Field(default=1.0, ge=0, le=1)
    failed_step: str | None = None


class DiscoveryReport(_Frozen):
    """What exploration found; copied into the result JSON's ``discovery`` object."""

    pages: int = 0
    patterns: list[str] = Field(default_factory=list)
    forms: int = 0
    api_calls: int = 0
    flows: int = 0
    skipped: list[SkippedAction] = Field(default_factory=list)
    verification: list[FlowVerification] = Field(default_factory=list)
    duration_s: float = 0.0
    screenshots: list[str] = Field(
        default_factory=list, description="PNG thumbnail paths, one per distinct page pattern"
    )
    routes: list[str] = Field(
        default_factory=list, description="Client-side (pushState) route patterns found"
    )


class FlowSet(_Frozen):
    """A versioned set of flows against one target (the ``flows.yaml`` document)."""

    version: int = FLOWS_FORMAT_VERSION
    target_url: str = Field(min_length=1)
    setup: list[Step] = Field(
        default_factory=list,
        description="Steps each virtual user runs once before its first iteration (e.g. its own "
        "login); variables they extract last for the user's lifetime.",
    )
    user_data: list[dict[str, str]] = Field(
        default_factory=list,
        description="Rows of per-user values (e.g. credentials.csv); virtual user N gets row "
        "(N-1) mod len, referenced as ${user.COLUMN}.",
    )
    flows: list[Flow] = Field(min_length=1)
    discovery: DiscoveryReport | None = None
    load: dict[str, Any] | None = Field(
        default=None,
        description="Default run options for these flows (users, duration_s, stages, "
        "arrival_rate, thresholds, ...); options given on the command line or API win.",
    )

    @field_validator("version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != FLOWS_FORMAT_VERSION:
            raise ValueError(
                f"unsupported flows format version {v}; this loadscout reads version "
                f"{FLOWS_FORMAT_VERSION}"
            )
        return v

    @model_validator(mode="after")
    def _unique_names(self) -> FlowSet:
        names = [f.name for f in self.flows]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"flow names must be unique; repeated: {', '.join(dupes)}")
        return self
