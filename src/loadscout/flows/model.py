"""The shared vocabulary of discovery and load: flows of executable HTTP steps.

A FlowSet is what discovery writes and the load engine reads; it is plain data, human-editable
as YAML (see docs/flows.md), and carries no recorded session secrets: every dynamic value is
either taken from the virtual user's cookie jar or extracted from an earlier response at replay.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from loadscout.flows.forms import FormPairs, form_pairs
from loadscout.flows.journeys import Journey
from loadscout.plan.options import LoadOptions

FLOWS_FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1: flows only, read as they are

HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
StepKind = Literal["document", "form", "fetch", "websocket", "eventsource"]
STREAM_KINDS = frozenset({"websocket", "eventsource"})
_STREAM_FIELDS = ("messages", "expect_messages", "hold_s")
ExtractorSource = Literal["css", "regex", "header", "cookie", "json", "form"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Extractor(_Frozen):
    """Reads one value out of a response into a variable later steps use as ``${name}``.

    ``css`` takes ``attribute`` of the first element matching ``expression``; ``regex`` takes the
    first capture group; ``header`` and ``cookie`` take that header or cookie; ``json`` follows a
    dotted path (``data.items.0.id``); ``form`` re-reads the live form matched by the css
    ``expression`` and takes its field named ``attribute`` as a browser would submit it
    (its ``index``-th repeat when the form sends that name more than once). When several forms
    match (a GET search and a POST login sharing one action), the optional ``method`` and
    ``fields`` (the recorded form's field names) pick the one that was recorded.
    """

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    source: ExtractorSource
    expression: str = Field(min_length=1)
    attribute: str = "value"
    required: bool = True
    index: int | None = Field(
        default=None,
        ge=1,
        description="form: the repeat of a field named more than once (1 = second)",
    )
    method: Literal["GET", "POST"] | None = Field(
        default=None, description="form: the recorded form's method, among forms the css matches"
    )
    fields: list[str] | None = Field(
        default=None,
        description="form: the recorded form's field names; the matching form sharing most wins",
    )

    @field_validator("method", mode="before")
    @classmethod
    def _upper_method(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _readable_regex(self) -> Extractor:
        if self.source == "regex":
            try:
                re.compile(self.expression)
            except re.error as err:
                raise ValueError(f"extractor {self.name!r}: regex {err}") from None
        return self

    @model_validator(mode="after")
    def _form_only(self) -> Extractor:
        if self.source != "form" and (self.method is not None or self.fields is not None):
            raise ValueError(f"extractor {self.name!r}: method and fields are for source form")
        return self


class Step(_Frozen):
    """One HTTP request of a flow. String values may reference variables as ``${name}``."""

    name: str = Field(min_length=1)
    method: HttpMethod = "GET"
    url: str = Field(min_length=1)
    kind: StepKind = "document"
    headers: dict[str, str] = Field(default_factory=dict)
    form: FormPairs | None = Field(
        default=None, description="Form fields in order as [name, value] pairs; a name may repeat"
    )
    json_body: Any = None
    body: str | None = None
    extract: list[Extractor] = Field(default_factory=list)
    expect_status: int | None = Field(default=None, ge=100, le=599)
    think_time_s: float | None = Field(default=None, ge=0)
    expect_body: str | None = Field(
        default=None, description="A check: the response body must contain this text"
    )
    messages: list[str] | None = Field(
        default=None, description="websocket: text frames to send once connected"
    )
    expect_messages: int | None = Field(
        default=None, ge=0, description="websocket/eventsource: server messages to wait for (1)"
    )
    hold_s: float | None = Field(
        default=None, gt=0, description="websocket/eventsource: longest the stream stays open"
    )

    @field_validator("form", mode="before")
    @classmethod
    def _form_pairs(cls, value: Any) -> Any:
        return form_pairs(value)

    @field_validator("url")
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
            raise ValueError(f"url {value!r}: control characters (line breaks, tabs) are not sent")
        return value

    @field_validator("headers")
    @classmethod
    def _one_line_headers(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            if any(c in name + text for c in "\r\n") or ":" in name or not name.strip():
                raise ValueError(f"header {name!r}: a name without ':' and no line breaks")
        return value

    @model_validator(mode="after")
    def _one_body(self) -> Step:
        bodies = [b for b in (self.form, self.json_body, self.body) if b is not None]
        if len(bodies) > 1:
            raise ValueError(f"step {self.name!r}: give at most one of form, json_body, body")
        return self

    @model_validator(mode="after")
    def _stream_shape(self) -> Step:
        """Streams are replayed by a stream client, not an HTTP request: no body, and no
        response to extract from (the jar, read after the stream, is)."""
        if self.kind not in STREAM_KINDS:
            stray = [n for n in _STREAM_FIELDS if getattr(self, n) is not None]
            if stray:
                names = ", ".join(stray)
                raise ValueError(f"step {self.name!r}: {names} need kind websocket or eventsource")
            return self
        checks = {
            "method must be GET": self.method != "GET",
            "it takes no form, json_body or body": self._has_body(),
            "its extractors may read cookies only": any(e.source != "cookie" for e in self.extract),
            "it takes no expect_body": self.expect_body is not None,
            "only a websocket sends messages": self.kind == "eventsource" and bool(self.messages),
        }
        problems = [text for text, failed in checks.items() if failed]
        if problems:
            raise ValueError(f"{self.kind} step {self.name!r}: {'; '.join(problems)}")
        return self

    def _has_body(self) -> bool:
        return any(b is not None for b in (self.form, self.json_body, self.body))


class Flow(_Frozen):
    """An ordered journey a virtual user repeats; ``weight`` sets how often it is picked (0: only
    as a journey's transaction)."""

    name: str = Field(min_length=1)
    weight: float = Field(default=1.0, ge=0)
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


class PatternCoverage(_Frozen):
    """How much of discovery's budget went to one page pattern."""

    pattern: str
    pages: int = Field(description="Instances of the pattern visited")
    seconds: float = Field(description="Time spent loading and reading them")
    plain_pages: int = Field(
        default=0,
        description="Of them, read over plain HTTP (their raw HTML offers what the browser's "
        "render did), not in the browser",
    )


STOP_REASONS = {  # DiscoveryReport.stop_reason, in words
    "time_budget": "time budget used",
    "page_limit": "page limit reached",
    "explored": "nothing left to explore",
}


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
    warnings: list[str] = Field(
        default_factory=list,
        description="Things to know before trusting the flows (a shared session, a value that "
        "changes between sessions with no source found)",
    )
    budget_s: float | None = Field(default=None, description="The time budget it was given")
    stop_reason: str = Field(
        default="",
        description="Why exploring stopped: time_budget, page_limit or explored (nothing left)",
    )
    coverage: list[PatternCoverage] = Field(
        default_factory=list, description="Per page pattern: instances visited and time spent"
    )


class SetupCookie(_Frozen):
    """A cookie every virtual user's own jar starts with, for the target's origin (copied from
    a browser storage state: all users then share that server session)."""

    name: str = Field(min_length=1)
    value: str
    path: str = "/"


class FlowSet(_Frozen):
    """A versioned set of flows and journeys against one target (the ``flows.yaml`` document).

    Version 1 files (flows only) are read as they are; journeys and pools need version 2."""

    version: int = FLOWS_FORMAT_VERSION
    target_url: str = Field(min_length=1)
    setup: list[Step] = Field(
        default_factory=list,
        description="Steps each virtual user runs once before its first iteration (e.g. its own "
        "login); variables they extract last for the user's lifetime.",
    )
    setup_cookies: list[SetupCookie] = Field(
        default_factory=list,
        description="Cookies each virtual user starts with (its own copy), before its set-up",
    )
    user_data: list[dict[str, str]] = Field(
        default_factory=list,
        description="Rows of per-user values (e.g. credentials.csv); virtual user N gets row "
        "(N-1) mod len, referenced as ${user.COLUMN}. Secret columns (password…) hold "
        "${secret.COLUMN}, resolved before a run (see flows/secrets.py).",
    )
    user_data_file: str | None = Field(
        default=None,
        description="The credentials CSV the secret columns of user_data are read from at run "
        "time (row N of user_data takes row N mod len of the file).",
    )
    storage_state_file: str | None = Field(
        default=None,
        description="The Playwright storage state setup_cookies are read from at run time "
        "(flows files hold ${secret.storage_state} in place of their values).",
    )
    flows: list[Flow] = Field(default_factory=list)
    journeys: list[Journey] = Field(
        default_factory=list,
        description="Probabilistic sessions over page patterns, picked beside flows by weight",
    )
    pools: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Values journeys' forms draw from, one at random per use (${pool.NAME})",
    )
    discovery: DiscoveryReport | None = None
    load: LoadOptions | None = Field(
        default=None,
        description="Default load options for these flows (users, duration_s, stages, "
        "arrival_rate, thresholds, ...); options given on the command line or API win.",
    )

    @field_validator("version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v not in READABLE_VERSIONS:
            raise ValueError(
                f"unsupported flows format version {v}; this loadscout reads versions "
                f"{', '.join(map(str, READABLE_VERSIONS))}"
            )
        return v

    @model_validator(mode="after")
    def _unique_names(self) -> FlowSet:
        names = [f.name for f in self.flows] + [j.name for j in self.journeys]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"flow and journey names must be unique; repeated: {', '.join(dupes)}")
        return self

    @model_validator(mode="after")
    def _journeys_complete(self) -> FlowSet:
        if not self.flows and not self.journeys:
            raise ValueError("a flows file needs at least one flow or journey")
        if self.journeys and self.version < 2:
            raise ValueError("journeys need flows format version 2")
        flows = {f.name for f in self.flows}
        run_by_journeys = {name for j in self.journeys for name in j.flows_used()}
        idle = sorted(f.name for f in self.flows if f.weight == 0 and f.name not in run_by_journeys)
        if idle:
            raise ValueError(
                f"flow {idle[0]!r} has weight 0 and no journey runs it: it would never run"
            )
        for journey in self.journeys:
            for pool in sorted(journey.pools_used()):
                if not self.pools.get(pool):
                    raise ValueError(
                        f"journey {journey.name!r} draws from pool {pool!r}, which is "
                        "missing or empty under pools:"
                    )
            unknown = sorted(journey.flows_used() - flows)
            if unknown:
                raise ValueError(
                    f"journey {journey.name!r} runs flow {unknown[0]!r}, which is not a flow of "
                    f"this file (flows: {', '.join(sorted(flows)) or 'none'})"
                )
        return self
