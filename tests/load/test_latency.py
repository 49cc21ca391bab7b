"""Latency honesty against a target in its own process: exact figures for a 20 ms server,
and coordinated omission: a 1 s stall shows in the corrected p99, not the uncorrected one."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator

import aiohttp
import pytest

from loadscout.load.runner import run_load
from loadscout.plan.profiles import ConstantArrivalRate, LoadPlan, ThinkTime
from tests.load.flows import flow, flowset, step


@pytest.fixture(scope="module")
def slow_server() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.load.slow_server"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()


async def served(url: str) -> int:
    async with aiohttp.ClientSession() as s, s.get(f"{url}/count") as r:
        return int(await r.text())


def rate_plan(rate: float, duration_s: float, max_users: int, workers: int = 0) -> LoadPlan:
    profile = ConstantArrivalRate(rate=rate, duration_s=duration_s, max_users=max_users)
    return LoadPlan(profile=profile, think_time=ThinkTime(min_s=0, max_s=0), workers=workers)


async def test_a_20ms_server_reads_20ms_at_1000_rps(slow_server: str) -> None:
    before = await served(slow_server)
    fs = flowset(slow_server, flow("s", step("sleep", "/sleep?ms=20")))
    outcome = await run_load(fs, rate_plan(1000, 2.0, 200, workers=1))

    assert outcome.totals.errors == 0, outcome.errors
    assert outcome.totals.requests == await served(slow_server) - before
    assert outcome.totals.requests + outcome.totals.dropped_iterations == 2000
    lat = outcome.totals.latency_ms
    print("20 ms server:", lat, outcome.totals.latency_uncorrected_ms)
    raw = outcome.totals.latency_uncorrected_ms
    assert raw is not None
    # Never below the truth, and close to it. The exact bars (p50 within 1 ms, p99
    # within 3 ms) need a quiet machine: `make bench` checks them; a shared 2-core CI box
    # cannot promise them to a test.
    assert 20.0 <= raw.p50 <= lat.p50 < 30.0
    assert lat.p50 - raw.p50 < 5.0  # the generator itself adds little lag (~0.2 ms when idle)


async def test_a_stall_shows_in_the_corrected_p99_only(slow_server: str) -> None:
    fs = flowset(slow_server, flow("f", step("fast", "/fast")))
    run = asyncio.ensure_future(run_load(fs, rate_plan(400, 3.0, 4)))
    await asyncio.sleep(1.0)
    async with aiohttp.ClientSession() as s, s.get(f"{slow_server}/stall?s=1") as r:
        assert r.status == 200
    outcome = await run

    corrected, raw = outcome.totals.latency_ms, outcome.totals.latency_uncorrected_ms
    assert raw is not None
    print("stall:", corrected, raw)
    assert outcome.totals.requests + outcome.totals.dropped_iterations == 1200
    assert outcome.totals.dropped_iterations < 60
    assert corrected.p99 > 500  # arrivals queued behind the stall were meant to go earlier
    assert raw.p99 < 200  # only the few requests caught in the stall took ~1 s themselves
