"""The options of one run, shared by the CLI and the API, and how they become a RunSpec."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from loadscout.discovery.options import DiscoveryOptions
from loadscout.flows.model import FlowSet
from loadscout.orchestrator.pipeline import RunSpec
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime


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
    scope: str | None = Field(default=None, description="Regex of extra URLs discovery may visit")
    flowset: FlowSet | None = Field(default=None, description="Replay these flows, skip discovery")

    @model_validator(mode="after")
    def _consistent(self) -> RunOptions:
        if self.ramp_up_s > self.duration_s:
            raise ValueError("ramp_up_s cannot be longer than duration_s")
        if self.think_time_max_s < self.think_time_min_s:
            raise ValueError("think_time_max_s is below think_time_min_s")
        return self

    def plan(self) -> LoadPlan:
        return LoadPlan(
            profile=ConstantUsers(
                users=self.users, duration_s=self.duration_s, ramp_up_s=self.ramp_up_s
            ),
            think_time=ThinkTime(min_s=self.think_time_min_s, max_s=self.think_time_max_s),
        )

    def spec(self, run_id: str, *, chromium_path: str | None) -> RunSpec:
        if self.flowset is not None:
            return RunSpec(
                run_id=run_id, target_url=self.target_url, plan=self.plan(), flowset=self.flowset
            )
        discovery = DiscoveryOptions(
            start_url=self.target_url,
            max_pages=self.max_pages,
            max_depth=self.max_depth,
            max_time_s=self.max_discovery_s,
            allow_writes=self.allow_writes,
            scope=self.scope,
            chromium_path=chromium_path,
        )
        return RunSpec(
            run_id=run_id, target_url=self.target_url, plan=self.plan(), discovery=discovery
        )
