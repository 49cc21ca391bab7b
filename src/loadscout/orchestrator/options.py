"""The options of one run, shared by the CLI and the API, and how they become a RunSpec."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from loadscout.discovery.options import DiscoveryOptions
from loadscout.flows.model import FlowSet
from loadscout.flows.secrets import redact_secrets, resolve_secrets
from loadscout.orchestrator.pipeline import RunSpec
from loadscout.plan.options import LOAD_KEYS, make_plan
from loadscout.plan.profiles import LoadPlan


class RunOptions(BaseModel):
    """Everything a user can set for a run; validated once, at the edge."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_url: str = Field(min_length=1, description="Start page of the application under test")
    users: int = Field(gt=0, le=100_000, description="Concurrent virtual users")
    duration_s: float = Field(default=60.0, gt=0, le=86_400, description="Load phase length")
    ramp_up_s: float = Field(default=0.0, ge=0, description="Users start linearly over this time")
    think_time_min_s: float = Field(default=0.5, ge=0)
    think_time_max_s: float = Field(default=1.5, ge=0)
    max_pages: int = Field(default=40, gt=0, le=10_000)
    max_depth: int = Field(default=4, ge=0, le=50)
    max_discovery_s: float = Field(default=60.0, gt=0, le=3_600)
    allow_writes: bool = Field(default=False, description="Let discovery submit non-GET forms")
    scope: str | None = Field(
        default=None, description="Regex of extra URLs discovery may visit and assets come from"
    )
    flowset: FlowSet | None = Field(default=None, description="Replay these flows, skip discovery")
    login_url: str | None = Field(default=None, description="Discovery: page with the login form")
    username: str | None = Field(default=None, description="Discovery: account to log in with")
    password: SecretStr | None = Field(default=None, description="Password (never stored)")
    credentials_file: str | None = Field(
        default=None, description="CSV of username,password: one account per virtual user"
    )
    storage_state_file: str | None = Field(
        default=None, description="Playwright storage state of a logged-in browser"
    )
    data_file: str | None = Field(default=None, description="Form values (JSON/YAML/CSV)")
    har_file: str | None = Field(default=None, description="Build flows from this HAR export")
    force: bool = Field(default=False, description="Keep flows that fail verification")
    ignore_robots: bool = Field(
        default=False, description="Discovery also visits what robots.txt disallows"
    )
    screenshots_dir: str | None = Field(
        default=None, description="Folder for one PNG thumbnail per page pattern"
    )
    # load profile and engine (issue 4); unset ones may come from the flows file's `load:`
    stages: str | None = Field(default=None, description="Ramping users, e.g. 30s:10,1m:50,30s:0")
    arrival_rate: str | None = Field(
        default=None, description="Open model: iterations/s (100) or rate stages (30s:100,1m:100)"
    )
    max_users: int | None = Field(default=None, gt=0, le=100_000, description="Open model cap")
    shape: dict[str, Any] | None = Field(
        default=None, description="A profile object (kind: stages|spike|constant_rate|...)"
    )
    think_time_distribution: Literal["uniform", "exponential"] = "uniform"
    think_time_recorded: bool = Field(default=True, description="Use steps' recorded think time")
    pacing_s: float = Field(default=0.0, ge=0, description="Least time per iteration")
    thresholds: list[str] = Field(default_factory=list, description="e.g. p95<500ms, rps>100")
    abort_on_fail: bool = Field(default=False, description="Stop when a threshold fails")
    workers: int | None = Field(
        default=None, ge=1, le=256, description="Load processes; default one per core"
    )
    fetch_assets: bool = Field(default=False, description="Fetch page assets (per-user cache)")

    @model_validator(mode="after")
    def _consistent(self) -> RunOptions:
        if self.ramp_up_s > self.duration_s:
            raise ValueError("ramp_up_s cannot be longer than duration_s")
        if self.think_time_max_s < self.think_time_min_s:
            raise ValueError("think_time_max_s is below think_time_min_s")
        self.plan()  # profile and thresholds are checked before any run starts
        return self

    def plan(self) -> LoadPlan:
        """The load plan: options set here win over the flows file's ``load:`` section."""
        from_file = dict((self.flowset.load or {}) if self.flowset is not None else {})
        mine = self.model_dump(include=set(LOAD_KEYS) & self.model_fields_set)
        defaults = self.model_dump(include=set(LOAD_KEYS) - self.model_fields_set)
        return make_plan({**defaults, **from_file, **mine})

    def resolved_flowset(self, flowset: FlowSet) -> FlowSet:
        """``flowset`` with its ``${secret.*}`` references filled from ``password``,
        ``credentials_file`` or the environment; BadInput names what is missing."""
        return resolve_secrets(
            flowset,
            password=self.password.get_secret_value() if self.password else None,
            credentials_file=self.credentials_file,
            storage_state_file=self.storage_state_file,
        )

    def check_secrets(self) -> None:
        """Fail before queueing a flowset whose passwords will not survive being stored (the
        database keeps references only) and that nothing else provides."""
        if self.flowset is not None:
            self.resolved_flowset(redact_secrets(self.flowset))

    def spec(
        self, run_id: str, *, chromium_path: str | None, screenshots_dir: Path | None = None
    ) -> RunSpec:
        """The run as the pipeline takes it; ``screenshots_dir`` (chosen by the server, never by
        an API caller) wins over the option of the same name."""
        if self.flowset is not None:
            return RunSpec(
                run_id=run_id,
                target_url=self.target_url,
                plan=self.plan(),
                flowset=self.resolved_flowset(self.flowset),
            )
        discovery = DiscoveryOptions(
            start_url=self.target_url,
            max_pages=self.max_pages,
            max_depth=self.max_depth,
            max_time_s=self.max_discovery_s,
            allow_writes=self.allow_writes,
            scope=self.scope,
            chromium_path=chromium_path,
            login_url=self.login_url,
            username=self.username,
            password=self.password.get_secret_value() if self.password else None,
            credentials_file=self.credentials_file,
            storage_state_file=self.storage_state_file,
            data_file=self.data_file,
            har_file=self.har_file,
            force=self.force,
            ignore_robots=self.ignore_robots,
            screenshots_dir=str(screenshots_dir) if screenshots_dir else self.screenshots_dir,
        )
        return RunSpec(
            run_id=run_id, target_url=self.target_url, plan=self.plan(), discovery=discovery
        )


def run_artifacts_dir(root: Path, run_id: int | str) -> Path:
    """The folder of one run's files (``screenshots/``, ...) under the server's artifacts root."""
    return root / "runs" / str(run_id)
