"""Load profiles as pure data: each validates itself and computes its schedule.

The runtime that executes a profile lives in ``loadscout.load``; nothing here does I/O.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ConstantUsers(BaseModel):
    """A fixed number of virtual users, started linearly over ``ramp_up_s``, for ``duration_s``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["constant"] = "constant"
    users: int = Field(gt=0, le=100_000)
    duration_s: float = Field(gt=0, le=86_400)
    ramp_up_s: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _ramp_fits(self) -> ConstantUsers:
        if self.ramp_up_s > self.duration_s:
            raise ValueError(
                f"ramp-up ({self.ramp_up_s:g}s) cannot be longer than the duration "
                f"({self.duration_s:g}s)"
            )
        return self

    def start_offsets(self) -> list[float]:
        """Seconds after the start at which each user begins; evenly spread over the ramp-up."""
        if self.ramp_up_s == 0 or self.users == 1:
            return [0.0] * self.users
        step = self.ramp_up_s / self.users
        return [i * step for i in range(self.users)]

    def users_at(self, t: float) -> int:
        """How many users the schedule has running ``t`` seconds after the start."""
        if t < 0 or t >= self.duration_s:
            return 0
        return sum(1 for offset in self.start_offsets() if offset <= t)


class ThinkTime(BaseModel):
    """Pause between steps: ``uniform`` between min and max seconds; both 0 turns it off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_s: float = Field(default=0.5, ge=0)
    max_s: float = Field(default=1.5, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> ThinkTime:
        if self.max_s < self.min_s:
            raise ValueError(f"think time max ({self.max_s:g}s) is below its min ({self.min_s:g}s)")
        return self


class LoadPlan(BaseModel):
    """Everything the load engine needs besides the flows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    profile: ConstantUsers
    think_time: ThinkTime = Field(default_factory=ThinkTime)
    request_timeout_s: float = Field(default=30.0, gt=0)
