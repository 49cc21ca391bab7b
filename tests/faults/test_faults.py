"""The fault suite: against a server that misbehaves in every way it can, the result reports
exactly the requests the server received, at 2 worker processes."""

from __future__ import annotations

import pytest

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.runner import run_load
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime
from tests.faults.fault_server import running_fault_server

FAULTS = ["reset", "close", "stall", "slow", "garbage", "half", "chunks", "loop", "huge"]


def _plan() -> LoadPlan:
    return LoadPlan(
        profile=ConstantUsers(users=2, duration_s=1.5),
        workers=2,
        think_time=ThinkTime(min_s=0.02, max_s=0.05),
        request_timeout_s=0.5,
    )


def _flows(base: str, *faults: str) -> FlowSet:
    """Each fault after a good request, so it lands on a kept-alive connection too."""
    flows = [
        Flow(name=f, steps=[Step(name="ok", url="/ok"), Step(name=f, url=f"/{f}")]) for f in faults
    ]
    return FlowSet(target_url=base, flows=flows)


@pytest.mark.parametrize("fault", FAULTS)
async def test_the_server_count_is_the_reported_count(fault: str) -> None:
    async with running_fault_server() as server:
        outcome = await run_load(_flows(server.url, fault), _plan(), seed=4)
        received = dict(server.received)
    assert outcome.totals.requests == sum(received.values()), (received, outcome.errors)
    step = next(s for s in outcome.steps if s.name == fault)
    assert step.requests == received.get(f"/{fault}", 0) > 0
    if fault not in ("slow", "huge"):  # these answer, late or long
        assert step.errors > 0, outcome.errors
    else:
        assert step.errors == 0, outcome.errors


async def test_a_random_mix_of_faults_is_counted_exactly() -> None:
    async with running_fault_server() as server:
        outcome = await run_load(_flows(server.url, *FAULTS, "ok"), _plan(), seed=9)
        received = dict(server.received)
    assert outcome.totals.requests == sum(received.values()), (received, outcome.errors)
    assert sum(e.count for e in outcome.errors) == outcome.totals.errors
