"""One load clock: the target's own request log is the truth for count, rate and duration."""

from __future__ import annotations

import pytest

from loadscout.load.runner import run_load
from loadscout.metrics.live import LiveStats
from loadscout.plan.profiles import ConstantUsers, LoadPlan, ThinkTime
from tests.load.flows import flow, flowset, step
from tests.load.target_app import Target


@pytest.mark.parametrize(("ramp_up_s", "workers"), [(0.0, 1), (2.0, 2)])
async def test_rate_and_duration_match_the_servers_log(
    target: Target, ramp_up_s: float, workers: int
) -> None:
    fs = flowset(target.url, flow("a", step("a", "/a")))
    profile = ConstantUsers(users=4, duration_s=6.0, ramp_up_s=ramp_up_s)
    p = LoadPlan(profile=profile, workers=workers, think_time=ThinkTime(min_s=0.02, max_s=0.03))
    ticks: list[LiveStats] = []
    outcome = await run_load(fs, p, on_progress=ticks.append, seed=3)

    times = [s.at for s in target.state.seen]
    first, last = min(times), max(times)
    served_s = last - first
    assert outcome.totals.errors == 0, outcome.errors
    assert outcome.totals.requests == len(times) > 100
    # worker start-up is outside the clock: duration and rate agree with the server's view
    assert abs(outcome.duration_s - served_s) / served_s < 0.01, (outcome.duration_s, served_s)
    served_rps = len(times) / served_s
    assert abs(outcome.totals.rps - served_rps) / served_rps < 0.01, (
        outcome.totals.rps,
        served_rps,
    )
    assert len(outcome.timeseries) == 6
    # the live view: on the load clock, a non-zero rate from the second second on
    assert ticks and all(0 <= t.elapsed_s <= 6.0 for t in ticks)
    shown = [t for t in ticks if t.elapsed_s >= 1.0]
    assert len(shown) >= 4 and all(t.point is not None and t.rps > 0 for t in shown), shown[:2]
    assert all(t.point is not None and t.point.t == int(t.elapsed_s) - 1 for t in shown)
