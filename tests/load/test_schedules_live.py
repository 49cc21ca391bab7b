"""Profiles, setup and per-user data, run for real against the counting target."""

from __future__ import annotations

from collections import Counter

import pytest

from loadscout.errors import BadInput
from loadscout.flows.model import Extractor, FlowSet
from loadscout.load.runner import run_load
from loadscout.plan.profiles import (
    ConstantArrivalRate,
    LoadPlan,
    RampingUsers,
    Stage,
    ThinkTime,
)
from tests.load.flows import flow, flowset, plan, step
from tests.load.target_app import Target

NO_THINK = ThinkTime(min_s=0, max_s=0)


def open_plan(rate: float, duration_s: float, max_users: int, **kw: float) -> LoadPlan:
    profile = ConstantArrivalRate(rate=rate, duration_s=duration_s, max_users=max_users, **kw)
    return LoadPlan(profile=profile, think_time=NO_THINK, request_timeout_s=5)


async def test_ramping_stages_add_and_retire_users(target: Target) -> None:
    fs = flowset(target.url, flow("a", step("a", "/a", headers={"X-VU": "${vu}"})))
    stages = [
        Stage(duration_s=1, target=3),
        Stage(duration_s=1, target=3),
        Stage(duration_s=0, target=1),
        Stage(duration_s=1, target=1),
    ]
    profile = RampingUsers(stages=stages)
    outcome = await run_load(
        fs, LoadPlan(profile=profile, think_time=ThinkTime(min_s=0.05, max_s=0.05))
    )

    users = [p.active_users for p in outcome.timeseries]
    assert users[:2] == [2, 3]  # added at 1/3 s, 2/3 s and 1 s
    t0 = target.state.seen[0].at
    last = {s.vu: s.at - t0 for s in target.state.seen}
    assert last["3"] < 2.0 and last["2"] < 2.0  # retired when the target fell to 1 at 2 s
    assert last["1"] > last["3"] + 0.3  # user 1 went on (t0 is its first request, at 1/3 s)
    vus = Counter(s.vu for s in target.state.seen)
    assert set(vus) == {"1", "2", "3"}
    assert vus["1"] > vus["3"]  # user 1 ran the whole time, user 3 only ~1.7 s
    assert outcome.totals.requests == target.total


async def test_constant_arrival_rate_starts_exactly_the_scheduled_iterations(
    target: Target,
) -> None:
    fs = flowset(target.url, flow("a", step("a", "/a")))
    outcome = await run_load(fs, open_plan(rate=40, duration_s=1.0, max_users=5))

    assert outcome.totals.requests == 40 == target.count("GET", "/a")
    assert outcome.totals.dropped_iterations == 0
    assert outcome.totals.latency_uncorrected_ms is not None


async def test_arrivals_beyond_max_users_wait_then_are_dropped(target: Target) -> None:
    fs = flowset(target.url, flow("slow", step("slow", "/delay?s=0.2")))
    p = open_plan(rate=20, duration_s=1.0, max_users=1, max_delay_s=10)
    outcome = await run_load(fs, p)

    served = target.count("GET", "/delay")
    assert 4 <= served <= 6  # one user, 0.2 s each
    assert outcome.totals.requests == served
    assert outcome.totals.dropped_iterations == 20 - served  # left waiting at the end
    corrected, raw = outcome.totals.latency_ms, outcome.totals.latency_uncorrected_ms
    assert raw is not None
    assert raw.p50 < 300  # a request itself took ~0.2 s (the median: a busy machine adds outliers)
    assert corrected.max > 500  # but the late ones were meant to start much earlier
    assert corrected.max > 2 * raw.max


async def test_setup_runs_once_per_user_with_its_data_row(target: Target) -> None:
    setup = [
        step(
            "login page",
            "/login",
            extract=[Extractor(name="csrf", source="css", expression="input[name=csrf_token]")],
        ),
        step(
            "sign in",
            "/login",
            method="POST",
            form={"csrf_token": "${csrf}", "username": "${user.name}"},
            extract=[Extractor(name="me", source="json", expression="sid")],
        ),
    ]
    fs = FlowSet(
        target_url=target.url,
        setup=setup,
        user_data=[{"name": "ann"}, {"name": "bob"}],
        flows=[flow("home", step("home", "/home", headers={"X-VU": "${vu}-${me}"}))],
    )
    outcome = await run_load(fs, plan(users=3, duration_s=1.0, think=(0.05, 0.05)))

    assert outcome.totals.errors == 0, outcome.errors
    assert sorted(target.state.logins) == ["ann", "ann", "bob"]  # VU 3 wraps to row 1
    assert target.count("POST", "/login") == 3  # once per user, not per iteration
    homes = [s for s in target.state.seen if s.path == "/home" and s.vu]
    assert all(s.vu.endswith(f"-{s.sid}") for s in homes if s.vu)  # setup variable persists
    setup_steps = [s for s in outcome.steps if s.flow == "(setup)"]
    # the login's redirect is followed and counted with it
    assert [s.requests for s in setup_steps] == [3, 3 + 3]


async def test_failed_setup_is_counted_and_retried(target: Target) -> None:
    fs = FlowSet(
        target_url=target.url,
        setup=[step("login", "/status/500")],
        flows=[flow("home", step("a", "/a"))],
    )
    outcome = await run_load(fs, plan(users=1, duration_s=0.6, think=(0.1, 0.1)))

    (login,) = [s for s in outcome.steps if s.flow == "(setup)"]
    assert login.requests == login.errors == target.count("GET", "/status/500") >= 4
    assert target.count("GET", "/a") == 0


async def test_thresholds_are_judged_and_can_abort(target: Target) -> None:
    fs = flowset(target.url, flow("a", step("fast", "/a")), flow("b", step("boom", "/status/500")))
    thresholds = ["p95<2s", "error_rate<1%", "p99[step=fast]<1s", "rps>1000000"]
    p = LoadPlan.model_validate(
        {
            "profile": {"users": 2, "duration_s": 0.8},
            "think_time": {"min_s": 0.01, "max_s": 0.01},
            "thresholds": thresholds,
        }
    )
    outcome = await run_load(fs, p, seed=1)

    verdicts = {t.expression: t.passed for t in outcome.thresholds}
    assert verdicts == {
        "p95<2s": True,
        "error_rate<1%": False,
        "p99[step=fast]<1s": True,
        "rps>1000000": False,
    }
    error_rate = next(t for t in outcome.thresholds if t.expression == "error_rate<1%")
    assert error_rate.observed == pytest.approx(0.5, abs=0.1)

    aborting = p.model_copy(
        update={"abort_on_fail": True, "profile": p.profile.model_copy(update={"duration_s": 20})}
    )
    outcome = await run_load(fs, aborting, seed=1)
    assert outcome.duration_s < 4
    assert "error_rate<1%" in outcome.aborted


async def test_threshold_on_an_unknown_step_is_rejected_before_the_run(target: Target) -> None:
    fs = flowset(target.url, flow("a", step("fast", "/a")))
    p = LoadPlan.model_validate(
        {"profile": {"users": 1, "duration_s": 1}, "thresholds": ["p95[step=nope]<1s"]}
    )
    with pytest.raises(BadInput, match="no step named 'nope'"):
        await run_load(fs, p)
    assert target.total == 0


async def test_assets_are_fetched_once_per_user_from_the_same_host(target: Target) -> None:
    fs = flowset(target.url, flow("p", step("page", "/page"), step("a", "/a", kind="fetch")))
    p = plan(users=2, duration_s=0.8, think=(0.05, 0.05)).model_copy(update={"fetch_assets": True})
    outcome = await run_load(fs, p)

    (assets,) = [s for s in outcome.steps if s.flow == "(assets)"]
    statics = {
        path: n
        for key, n in target.state.counts.items()
        for path in [key.split(" ")[1]]
        if path.startswith("/static/")
    }
    assert statics == {
        "/static/a.css": 2,
        "/static/b.js": 2,
        "/static/c.png": 2,
        "/static/missing.png": 2,
    }
    assert target.count("GET", "/page") > 4  # pages again and again, assets only once
    assert assets.requests == 8 and assets.errors == 2  # the 404s
    assert outcome.totals.requests == target.total


async def test_time_to_first_byte_and_connect_times(target: Target) -> None:
    fs = flowset(target.url, flow("slow", step("slow", "/delay?s=0.05")))
    outcome = await run_load(fs, plan(users=2, duration_s=0.5))

    ttfb, connect = outcome.totals.ttfb_ms, outcome.totals.connect_ms
    assert ttfb is not None and connect is not None
    assert 50 <= ttfb.p50 <= outcome.totals.latency_ms.p50
    assert 0 < connect.max < 50  # two users, one new connection each, on loopback
    (step_summary,) = outcome.steps
    assert step_summary.ttfb_ms == ttfb
