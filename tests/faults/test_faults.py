"""The fault suite: against a server that misbehaves in every way it can, the result reports
exactly the requests the server received, at 2 worker processes."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal

import pytest

from loadscout.flows.model import Flow, FlowSet, Step
from loadscout.load.errors import RETRIED
from loadscout.load.runner import run_load
from loadscout.metrics.snapshot import WORKER_LOST
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
    dropped = sum(e.count for e in outcome.errors if e.step == fault and e.kind == RETRIED)
    assert step.retried == dropped
    if fault == "loop":  # every turn but the one given up on is a redirect followed
        loops = sum(e.count for e in outcome.errors if e.kind == "too_many_redirects")
        assert step.redirects == step.requests - loops > 0
    else:
        assert step.redirects == 0


async def test_a_random_mix_of_faults_is_counted_exactly() -> None:
    async with running_fault_server() as server:
        outcome = await run_load(_flows(server.url, *FAULTS, "ok"), _plan(), seed=9)
        received = dict(server.received)
    assert outcome.totals.requests == sum(received.values()), (received, outcome.errors)
    assert sum(e.count for e in outcome.errors) == outcome.totals.errors


async def test_a_worker_killed_mid_run_loses_no_request() -> None:
    """SIGKILL one of two workers between its snapshots: what it sent but never reported is
    counted from its ledger (``worker_lost``), so the result still equals the server's count,
    and the run says it is partial."""
    plan = _plan().model_copy(update={"profile": ConstantUsers(users=4, duration_s=8.0)})
    async with running_fault_server() as server:

        async def kill_one_when_loading() -> None:
            for _ in range(500):  # load has begun
                if server.total >= 40:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(1.5)  # a snapshot reported, the next one half way
            victim = next(c for c in multiprocessing.active_children() if c.name.endswith("-1"))
            os.kill(victim.pid or 0, signal.SIGKILL)

        killer = asyncio.ensure_future(kill_one_when_loading())
        outcome = await run_load(_flows(server.url, "slow"), plan, seed=5)
        await killer
        received = dict(server.received)
    assert "worker 2 of 2 was lost" in outcome.aborted and "users 2, 4, 6" in outcome.aborted
    assert outcome.partial
    assert outcome.totals.requests == sum(received.values()), (received, outcome.errors)
    lost = sum(e.count for e in outcome.errors if e.kind == WORKER_LOST)
    assert lost > 0  # it had sent requests it never reported


@pytest.mark.parametrize("fault", ["close", "reset"])
async def test_with_resending_off_a_dropped_request_is_not_sent_again(fault: str) -> None:
    plan = _plan().model_copy(update={"resend_dropped": False})
    async with running_fault_server() as server:
        outcome = await run_load(_flows(server.url, fault), plan, seed=4)
        received = dict(server.received)
    assert outcome.totals.requests == sum(received.values()), (received, outcome.errors)
    assert all(s.retried == 0 for s in outcome.steps)
