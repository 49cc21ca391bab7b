"""Load profiles as pure data: each validates itself and computes its schedule.

Closed profiles (a number of users) say when the wanted user count changes
(``user_changes``); open profiles (an arrival rate) say when each iteration should start
(``arrival_times``). The runtime that follows a schedule lives in ``loadscout.load``; nothing
here does I/O, so every schedule is tested on a virtual clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from loadscout.errors import BadInput
from loadscout.plan.egress import EgressPolicy
from loadscout.plan.schedule import arrivals, ramp_points, user_changes, value_at
from loadscout.plan.scope import compile_scope
from loadscout.plan.thresholds import Threshold

MAX_USERS = 100_000
MAX_DURATION_S = 86_400.0


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Stage(_Frozen):
    """Move linearly to ``target`` (users, or iterations per second) over ``duration_s``."""

    duration_s: float = Field(ge=0, le=MAX_DURATION_S)
    target: float = Field(ge=0)


class ClosedProfile(_Frozen):
    """A closed model: users loop over flows; the schedule says how many run when."""

    @property
    def is_open(self) -> bool:
        return False

    def user_changes(self) -> list[tuple[float, int]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def users_at(self, t: float) -> int:
        """How many users the schedule wants running ``t`` seconds after the start."""
        duration: float = getattr(self, "duration_s", 0.0)
        if t < 0 or t >= duration:
            return 0
        return value_at(self.user_changes(), t)


class ConstantUsers(ClosedProfile):
    """A fixed number of virtual users, started linearly over ``ramp_up_s``, for ``duration_s``."""

    kind: Literal["constant"] = "constant"
    users: int = Field(gt=0, le=MAX_USERS)
    duration_s: float = Field(gt=0, le=MAX_DURATION_S)
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

    def user_changes(self) -> list[tuple[float, int]]:
        events: list[tuple[float, int]] = []
        for i, offset in enumerate(self.start_offsets()):
            if events and events[-1][0] == offset:
                events[-1] = (offset, i + 1)
            else:
                events.append((offset, i + 1))
        return events


class RampingUsers(ClosedProfile):
    """Stages of users, like k6's ramping-vus: from ``start_users``, each stage ramps linearly
    to its target; users above a falling target leave after their current iteration."""

    kind: Literal["stages"] = "stages"
    start_users: int = Field(default=0, ge=0, le=MAX_USERS)
    stages: list[Stage] = Field(min_length=1)

    @model_validator(mode="after")
    def _sane(self) -> RampingUsers:
        if self.duration_s <= 0:
            raise ValueError("the stages add up to no time at all")
        if self.duration_s > MAX_DURATION_S:
            raise ValueError(f"the stages last longer than {MAX_DURATION_S:g}s")
        if self.users <= 0:
            raise ValueError("no stage has any users")
        if self.users > MAX_USERS:
            raise ValueError(f"at most {MAX_USERS} users")
        return self

    @property
    def duration_s(self) -> float:
        return sum(s.duration_s for s in self.stages)

    @property
    def users(self) -> int:
        """The most users at any time."""
        return math.floor(max([self.start_users, *(s.target for s in self.stages)]))

    def user_changes(self) -> list[tuple[float, int]]:
        stages = [(s.duration_s, s.target) for s in self.stages]
        return user_changes(ramp_points(self.start_users, stages))


class Spike(ClosedProfile):
    """A steady base load with one sudden spike: ``base_users`` throughout, rising to
    ``peak_users`` at ``spike_at_s`` over ``spike_ramp_s``, held ``spike_hold_s``, then back."""

    kind: Literal["spike"] = "spike"
    base_users: int = Field(ge=0, le=MAX_USERS)
    peak_users: int = Field(gt=0, le=MAX_USERS)
    duration_s: float = Field(gt=0, le=MAX_DURATION_S)
    spike_at_s: float = Field(ge=0)
    spike_ramp_s: float = Field(default=0.0, ge=0)
    spike_hold_s: float = Field(gt=0)

    @model_validator(mode="after")
    def _fits(self) -> Spike:
        end = self.spike_at_s + 2 * self.spike_ramp_s + self.spike_hold_s
        if end > self.duration_s:
            raise ValueError(f"the spike ends at {end:g}s, after the duration {self.duration_s:g}s")
        if self.peak_users < self.base_users:
            raise ValueError("peak_users is below base_users")
        return self

    @property
    def users(self) -> int:
        return self.peak_users

    def as_stages(self) -> RampingUsers:
        b, p, r = self.base_users, self.peak_users, self.spike_ramp_s
        rest = self.duration_s - self.spike_at_s - 2 * r - self.spike_hold_s
        raw = [(self.spike_at_s, b), (r, p), (self.spike_hold_s, p), (r, b), (rest, b)]
        return RampingUsers(start_users=b, stages=[Stage(duration_s=d, target=t) for d, t in raw])

    def user_changes(self) -> list[tuple[float, int]]:
        return self.as_stages().user_changes()


class OpenProfile(_Frozen):
    """An open model: iterations start at a rate, whatever the target's latency; each takes a
    free user, up to ``max_users``; an iteration that finds none within ``max_delay_s`` is
    dropped and counted."""

    max_users: int = Field(default=1000, gt=0, le=MAX_USERS)
    max_delay_s: float = Field(default=10.0, gt=0)

    @property
    def is_open(self) -> bool:
        return True

    @property
    def users(self) -> int:
        return self.max_users

    def rate_points(self) -> list[tuple[float, float]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def arrival_times(self) -> Iterator[float]:
        """When each iteration should start, in seconds from the start (lazy, ordered)."""
        end: float = getattr(self, "duration_s", 0.0)
        for t in arrivals(self.rate_points()):
            if t >= end:
                return
            yield t


class ConstantArrivalRate(OpenProfile):
    kind: Literal["constant_rate"] = "constant_rate"
    rate: float = Field(gt=0, le=1_000_000, description="Iterations started per second")
    duration_s: float = Field(gt=0, le=MAX_DURATION_S)

    def rate_points(self) -> list[tuple[float, float]]:
        return [(0.0, self.rate), (self.duration_s, self.rate)]


class RampingArrivalRate(OpenProfile):
    kind: Literal["ramping_rate"] = "ramping_rate"
    start_rate: float = Field(default=0.0, ge=0)
    stages: list[Stage] = Field(min_length=1)

    @model_validator(mode="after")
    def _sane(self) -> RampingArrivalRate:
        if self.duration_s <= 0:
            raise ValueError("the stages add up to no time at all")
        if max([self.start_rate, *(s.target for s in self.stages)]) <= 0:
            raise ValueError("no stage has a positive rate")
        return self

    @property
    def duration_s(self) -> float:
        return sum(s.duration_s for s in self.stages)

    def rate_points(self) -> list[tuple[float, float]]:
        return ramp_points(self.start_rate, [(s.duration_s, s.target) for s in self.stages])


def _kind(value: Any) -> str:
    """The profile kind; a mapping without one is constant users (the original format)."""
    if isinstance(value, dict):
        return str(value.get("kind", "constant"))
    return str(getattr(value, "kind", "constant"))


Profile = Annotated[
    Annotated[ConstantUsers, Tag("constant")]
    | Annotated[RampingUsers, Tag("stages")]
    | Annotated[Spike, Tag("spike")]
    | Annotated[ConstantArrivalRate, Tag("constant_rate")]
    | Annotated[RampingArrivalRate, Tag("ramping_rate")],
    Discriminator(_kind),
]


class ThinkTime(_Frozen):
    """Pause between steps, in seconds: ``uniform`` between min and max (both 0 turns it off),
    or ``exponential`` with mean ``(min+max)/2`` (memoryless, like independent visitors),
    capped at ten times the mean. A step's recorded think time wins while ``recorded``."""

    min_s: float = Field(default=0.5, ge=0)
    max_s: float = Field(default=1.5, ge=0)
    distribution: Literal["uniform", "exponential"] = "uniform"
    recorded: bool = Field(default=True, description="Use a step's recorded think time")

    @model_validator(mode="after")
    def _ordered(self) -> ThinkTime:
        if self.max_s < self.min_s:
            raise ValueError(f"think time max ({self.max_s:g}s) is below its min ({self.min_s:g}s)")
        return self


class LoadPlan(_Frozen):
    """Everything the load engine needs besides the flows.

    ``workers`` 0 runs the users in the calling process (tests, library use); N >= 1 runs
    them in N worker processes. ``thresholds`` are checked on the merged data.
    """

    profile: Profile
    think_time: ThinkTime = Field(default_factory=ThinkTime)
    request_timeout_s: float = Field(default=30.0, gt=0)
    body_kept_kb: int = Field(default=1024, ge=1, le=1024 * 1024)
    resend_dropped: bool = True
    workers: int = Field(default=0, ge=0, le=256)
    pacing_s: float = Field(default=0.0, ge=0, description="Closed model: least iteration time")
    thresholds: list[Threshold] = Field(default_factory=list)
    abort_on_fail: bool = False
    fetch_assets: bool = False
    scope: str | None = Field(
        default=None, description="Regex of URLs besides the target's origin (page assets)"
    )
    allowed_hosts: frozenset[str] = Field(
        default=frozenset(),
        description="host or host:port the engine may send to (a server's allow-list); empty: "
        "any. Redirects, extracted URLs and assets are held to it too.",
    )
    egress: EgressPolicy = Field(
        default_factory=EgressPolicy.local,
        description="Addresses the engine may connect to (checked once per new connection)",
    )

    @model_validator(mode="after")
    def _scope_compiles(self) -> LoadPlan:
        try:
            compile_scope(self.scope)
        except BadInput as err:
            raise ValueError(str(err)) from None
        return self
