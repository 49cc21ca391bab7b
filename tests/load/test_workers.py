"""Worker processes: the same results as one process, every request counted once."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import time

from loadscout.load.runner import run_load
from loadscout.plan.profiles import ConstantArrivalRate, ConstantUsers, LoadPlan, ThinkTime
from tests.load.flows import flow, flowset, step
from tests.load.target_app import Target


async def test_two_processes_count_what_the_server_counted(target: Target) -> None:
    fs = flowset(
        target.url,
        flow("a", step("a", "/a", headers={"X-VU": "${vu}"})),
        flow("b", step("b", "/b", headers={"X-VU": "${vu}"})),
    )
    p = LoadPlan(
        profile=ConstantUsers(users=4, duration_s=1.5),
        workers=2,
        think_time=ThinkTime(min_s=0.01, max_s=0.02),
    )
    ticks = []
    began = time.monotonic()
    outcome = await run_load(fs, p, on_progress=ticks.append, seed=5)

    assert time.monotonic() - began < 15
    assert outcome.totals.errors == 0, outcome.errors
    assert outcome.totals.requests == target.total > 50
    assert sum(s.requests for s in outcome.steps) == outcome.totals.requests
    assert {s.vu for s in target.state.seen} == {"1", "2", "3", "4"}  # users split, numbered once
    assert max(p.active_users for p in outcome.timeseries) == 4
    assert ticks and ticks[-1].requests <= outcome.totals.requests
    # a report waits for both workers' share of a second: never a 0 rate mid-run
    assert all(t.rps > 0 for t in ticks if t.elapsed_s >= 1.0), ticks


async def test_open_model_arrivals_split_across_processes(target: Target) -> None:
    fs = flowset(target.url, flow("a", step("a", "/a")))
    p = LoadPlan(
        profile=ConstantArrivalRate(rate=30, duration_s=1.0, max_users=4),
        workers=2,
        think_time=ThinkTime(min_s=0, max_s=0),
    )
    outcome = await run_load(fs, p)

    assert outcome.totals.requests == target.count("GET", "/a")
    # every scheduled iteration ran, or (on a starved machine, at the very end) was dropped
    assert outcome.totals.requests + outcome.totals.dropped_iterations == 30
    assert outcome.totals.requests >= 25
    assert outcome.totals.latency_uncorrected_ms is not None


async def test_cancel_reaches_every_worker(target: Target) -> None:
    fs = flowset(target.url, flow("slow", step("slow", "/delay?s=10")))
    p = LoadPlan(
        profile=ConstantUsers(users=2, duration_s=60),
        workers=2,
        request_timeout_s=30,
        think_time=ThinkTime(min_s=0, max_s=0),
    )
    cancel = asyncio.Event()

    async def cancel_once_both_wait() -> float:
        # both workers' users are in their 10 s request (however long the processes took to start)
        for _ in range(600):  # 30 s at most
            if target.count("GET", "/delay") >= 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        cancel.set()
        return time.monotonic()

    canceller = asyncio.ensure_future(cancel_once_both_wait())
    outcome = await run_load(fs, p, cancel=cancel)
    asked = await canceller

    assert time.monotonic() - asked < 5
    assert outcome.totals.requests == 2 == target.count("GET", "/delay")
    assert {e.kind: e.count for e in outcome.errors} == {"timeout": 2}  # aborted, still counted


async def test_a_killed_worker_leaves_partial_results_not_nothing(target: Target) -> None:
    """A worker killed mid-run: the others stop, what everyone reported is kept, and the run
    says it is partial (verdict aborted, naming the worker) instead of losing it all."""
    fs = flowset(target.url, flow("a", step("a", "/a", headers={"X-VU": "${vu}"})))
    p = LoadPlan(
        profile=ConstantUsers(users=4, duration_s=6.0),
        workers=2,
        think_time=ThinkTime(min_s=0.01, max_s=0.02),
    )

    async def kill_one_when_loading() -> None:
        for _ in range(200):  # load has begun
            if target.total >= 50:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.2)  # a snapshot or two reported
        victim = next(c for c in multiprocessing.active_children() if c.name.endswith("-1"))
        os.kill(victim.pid or 0, signal.SIGKILL)

    killer = asyncio.ensure_future(kill_one_when_loading())
    began = time.monotonic()
    outcome = await run_load(fs, p, seed=3)
    await killer
    assert time.monotonic() - began < 15  # the run stopped early, it did not wait 6 s out
    assert outcome.verdict is not None and outcome.verdict.value == "aborted"
    assert "worker 2 of 2 was lost" in outcome.aborted and "partial" in outcome.aborted
    # everything reported is kept: at most the killed worker's last second is missing
    assert 0.5 * target.total < outcome.totals.requests <= target.total
