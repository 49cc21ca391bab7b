"""Builders for small hand-written FlowSets and plans used by the load tests."""

from __future__ import annotations

from typing import Any

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime


def flowset(target_url: str, *flows: Flow) -> FlowSet:
    return FlowSet(target_url=target_url, flows=list(flows))


def flow(name: str, *steps: Step, weight: float = 1.0) -> Flow:
    return Flow(name=name, weight=weight, steps=list(steps))


def step(name: str, url: str, **kwargs: Any) -> Step:
    return Step(name=name, url=url, **kwargs)


def plan(
    *,
    users: int = 1,
    duration_s: float = 1.0,
    ramp_up_s: float = 0.0,
    think: tuple[float, float] = (0.0, 0.0),
    timeout_s: float = 5.0,
    recorded: bool = True,
    workers: int = 0,
) -> LoadPlan:
    """``recorded``: steps' recorded think times count (a user that may pause never takes the
    callback lane, ``load.lane``)."""
    return LoadPlan(
        profile=ConstantUsers(users=users, duration_s=duration_s, ramp_up_s=ramp_up_s),
        think_time=ThinkTime(min_s=think[0], max_s=think[1], recorded=recorded),
        request_timeout_s=timeout_s,
        workers=workers,
    )
