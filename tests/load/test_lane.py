"""The callback lane (``load.lane``) over real sockets on 127.0.0.1: what a run reports is what
the server counted, whatever hands an iteration back to the user's coroutine (a new
connection, a redirect, a dropped connection, a timeout, the run ending).

A user's first request opens its connection (the coroutine's work); from then on its
requests are the lane's, so the tests count the lane's answers exactly where they can."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from loadscout.flows.model import Extractor
from loadscout.load import local
from loadscout.load.errors import EXTRACTION_FAILED, RETRIED, TIMEOUT
from loadscout.load.h1_client import H1Client, Pending
from loadscout.load.lane import CallbackLane
from loadscout.load.runner import run_load
from loadscout.load.state import RunState
from loadscout.plan.profiles import (
    ConstantArrivalRate,
    ConstantUsers,
    LoadPlan,
    RampingUsers,
    Stage,
    ThinkTime,
)
from tests.faults.fault_server import EVERY, running_fault_server
from tests.load.flows import flow, flowset, plan, step
from tests.load.lanes import LaneSpy, assert_nothing_left_dangling, lane_plan
from tests.load.outcomes import assert_consistent, errors_by_kind
from tests.load.target_app import Target, running_target, server_context
from tests.utils.waiting import eventually

LOGIN_PAGE = step(  # sets the session cookie, and gives its csrf token in the page
    "login page",
    "/login",
    extract=[Extractor(name="csrf", source="css", expression="input[name=csrf_token]")],
)
SESSION_FLOW = flow(
    "session",
    LOGIN_PAGE,
    step("account", "/account", kind="fetch", headers={"X-Csrf": "${csrf}"}),
    step(
        "order",
        "/order",
        method="POST",
        kind="form",
        form={"csrf_token": "${csrf}", "item": "${vu}"},
    ),
)


async def test_a_session_flow_runs_in_the_lane_as_the_server_counts_it(
    target: Target, lane: LaneSpy
) -> None:
    """The session cookie (set by step 1, replaced by step 2) and the token extracted from
    step 1's page reach the steps after them (the server answers 403 otherwise)."""
    outcome = await run_load(flowset(target.url, SESSION_FLOW), lane_plan(users=2))

    assert outcome.totals.errors == 0, outcome.errors
    served = {
        "login page": target.count("GET", "/login"),
        "account": target.count("GET", "/account"),
        "order": target.count("POST", "/order"),
    }
    assert {s.name: s.requests for s in outcome.steps} == served
    assert outcome.totals.requests == target.total > 30
    assert len(target.state.bodies) == served["order"]
    assert lane.lanes == 2
    assert lane.answered == outcome.totals.requests - 2 * 3  # all but each first iteration
    assert_consistent(outcome)


SIGN_IN = step(  # 302 to /home
    "sign in",
    "/login",
    method="POST",
    kind="form",
    form={"csrf_token": "${csrf}", "username": "u${vu}"},
)
REDIRECTS = {  # a flow whose 2nd step is redirected once: its request, and the hop's path
    "get": (
        flow("go", step("a", "/a"), step("go", "/go?to=/b"), step("c", "/c")),
        ("GET", "/go"),
        "/b",
    ),
    "post-form": (
        flow("sign in", LOGIN_PAGE, SIGN_IN, step("c", "/c")),
        ("POST", "/login"),
        "/home",
    ),
}


@pytest.mark.parametrize("case", sorted(REDIRECTS))
async def test_a_redirect_is_handed_over_and_counted_hop_by_hop(
    target: Target, lane: LaneSpy, case: str
) -> None:
    redirected_flow, (method, path), hop = REDIRECTS[case]
    outcome = await run_load(flowset(target.url, redirected_flow), lane_plan(users=2))

    assert outcome.totals.errors == 0, outcome.errors
    first, redirected, last = outcome.steps
    hops = target.count("GET", hop)
    assert redirected.redirects == target.count(method, path) == hops > 10
    assert redirected.requests == 2 * hops
    assert last.requests == target.count("GET", "/c")
    assert outcome.totals.requests == target.total
    # after each user's first iteration, step 1 is answered in the lane and step 2 handed
    # over at its 302
    assert lane.answered == first.requests - 2
    assert lane.escalated == [302] * (hops - 2)
    assert_consistent(outcome)


async def test_connections_the_server_closes_are_replaced_without_an_error(
    lane: LaneSpy,
) -> None:
    """Every EVERY-th answer on a connection says ``Connection: close``."""
    async with running_fault_server() as server:
        fs = flowset(server.url, flow("tired", step("tired", "/tired")))
        outcome = await run_load(fs, lane_plan(users=2, duration_s=0.5))
        served, connections = server.total, server.connections

    assert outcome.totals.errors == 0, outcome.errors
    assert outcome.totals.requests == served > 30
    # each connection served EVERY requests, but each user's last one (1 to EVERY)
    assert (connections - 2) * EVERY + 2 <= served <= connections * EVERY
    # a connection's first request was the coroutine's (nothing idle to send it on)
    assert lane.answered == served - connections
    assert lane.escalated == []


async def test_a_dropped_get_is_sent_again_once(lane: LaneSpy) -> None:
    """Every EVERY-th request on a connection is read and never answered: the lane hands it
    over, the coroutine sends it once more on a new connection; the lost attempt is a
    request of the step, and an error of its own kind."""
    async with running_fault_server() as server:
        fs = flowset(server.url, flow("flaky", step("flaky", "/flaky")))
        outcome = await run_load(fs, lane_plan(users=2, duration_s=0.5))
        served, connections = server.total, server.connections

    dropped = connections - 2  # each drop cost its user the connection
    assert dropped > 5
    assert lane.escalated == [0] * dropped
    assert outcome.totals.requests == served
    assert errors_by_kind(outcome) == {RETRIED: dropped}
    assert outcome.steps[0].retried == dropped
    assert lane.answered == served - connections - dropped
    assert_consistent(outcome)


async def test_a_dropped_post_fails_and_is_never_sent_again(lane: LaneSpy) -> None:
    async with running_fault_server() as server:
        fs = flowset(server.url, flow("flaky", step("flaky", "/flaky", method="POST")))
        outcome = await run_load(fs, lane_plan(users=2, duration_s=0.5))
        served, connections = server.total, server.connections

    dropped = len(lane.escalated)
    assert lane.escalated == [0] * dropped and dropped > 5
    # a drop ends its iteration; the next one opens a connection, unless the run ended first
    assert connections - 2 <= dropped <= connections
    assert outcome.totals.requests == served
    assert errors_by_kind(outcome) == {"connection_reset": dropped}
    assert outcome.steps[0].retried == 0
    assert_consistent(outcome)


async def test_a_timeout_in_the_lane_fails_that_request_alone(
    target: Target, lane: LaneSpy
) -> None:
    fs = flowset(target.url, flow("s", step("stall", "/stall?at=10", headers={"X-VU": "${vu}"})))
    began = time.monotonic()
    outcome = await run_load(fs, lane_plan(users=2, timeout_s=0.3))

    assert time.monotonic() - began < 2.0
    assert errors_by_kind(outcome) == {TIMEOUT: 1}
    assert "no response within the request timeout" in outcome.errors[0].example
    assert lane.escalated == [0]  # the lane's request, handed over at its deadline
    assert outcome.totals.requests == target.total > 30
    seen = target.state.seen
    stalled = seen[9]
    meanwhile = {s.vu for s in seen if stalled.at < s.at < stalled.at + 0.3}
    assert meanwhile and stalled.vu not in meanwhile  # the other user went on
    assert {s.vu for s in seen if s.at > stalled.at + 0.4} == {"1", "2"}  # then both did


async def test_the_run_ends_on_time_with_a_lane_request_in_flight(
    target: Target,
    lane: LaneSpy,
    monkeypatch: pytest.MonkeyPatch,
    recwarn: pytest.WarningsRecorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The 5th request hangs past the run's end and its grace: it is reported as aborted,
    and nothing is left unawaited or unretrieved."""
    monkeypatch.setattr(local, "STOP_GRACE_S", 0.2)  # what the request timeout would give
    states: list[RunState] = []

    class Watched(RunState):
        def __init__(self, *, deadline: float, clock: Callable[[], float]) -> None:
            super().__init__(deadline=deadline, clock=clock)
            states.append(self)

    monkeypatch.setattr(local, "RunState", Watched)
    fs = flowset(target.url, flow("hang", step("hang", "/hang?after=4")))
    began = time.monotonic()
    outcome = await run_load(fs, lane_plan(duration_s=0.5, timeout_s=10))
    elapsed = time.monotonic() - began

    assert elapsed < 1.5
    assert outcome.totals.requests == target.count("GET", "/hang") == 5
    assert errors_by_kind(outcome) == {TIMEOUT: 1}
    assert "aborted when the run stopped" in outcome.errors[0].example
    assert (lane.answered, lane.abandoned) == (3, 1)
    assert states[0].in_flight == 0 and states[0].idle.is_set()

    async def hung_up() -> bool:  # its connection dropped, not left open
        return target.state.hung_up == 1

    await eventually(hung_up, what="the server to see the connection close", timeout_s=2)
    assert_nothing_left_dangling(recwarn, caplog)


async def test_a_user_stopped_right_after_the_lane_handed_a_failure_over(
    lane: LaneSpy,
    monkeypatch: pytest.MonkeyPatch,
    recwarn: pytest.WarningsRecorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The run's grace can end (its users cancelled) between the lane handing a failed
    request over and the user's coroutine taking it up: the request is reported once, its
    failure never logged as lost, its rest never left unawaited."""
    hand_over = CallbackLane.escalated  # the spy's

    def and_stop(self: CallbackLane, pending: Pending) -> None:
        hand_over(self, pending)
        for task in asyncio.all_tasks():
            if task.get_name().startswith("loadscout-vu-"):
                task.cancel()

    monkeypatch.setattr(CallbackLane, "escalated", and_stop)
    async with running_fault_server() as server:
        fs = flowset(server.url, flow("flaky", step("flaky", "/flaky")))
        outcome = await run_load(fs, lane_plan(duration_s=0.3))
        served = server.total

    assert lane.escalated == [0] and lane.abandoned == 1
    assert outcome.totals.requests == served == EVERY  # the dropped one is reported once
    assert errors_by_kind(outcome) == {TIMEOUT: 1}
    assert "aborted when the run stopped" in outcome.errors[0].example
    assert_nothing_left_dangling(recwarn, caplog)


async def test_failed_checks_and_extractions_end_the_iteration(
    target: Target, lane: LaneSpy
) -> None:
    token = step(
        "token",
        "/token",
        extract=[Extractor(name="token", source="regex", expression=r"token=(tok-\d+);")],
    )
    fs = flowset(target.url, flow("t", token, step("use", "/use", headers={"X-Token": "${token}"})))
    outcome = await run_load(fs, lane_plan(users=2))

    tokens, uses = target.count("GET", "/token"), target.count("GET", "/use")
    got, used = outcome.steps
    assert (got.requests, used.requests) == (tokens, uses)
    # every 3rd /token had no token, every 4th /use failed; no 403: each /use sent the token
    # its own iteration had just been given
    assert errors_by_kind(outcome) == {EXTRACTION_FAILED: tokens // 3, "http_500": uses // 4}
    assert (got.errors, used.errors) == (tokens // 3, uses // 4)
    given = tokens - tokens // 3  # only these went on to /use (but at the run's end)
    assert given - 2 <= uses <= given and uses > 20
    total = outcome.totals.requests
    assert total == target.total
    assert total - 2 * 2 <= lane.answered <= total - 2  # all but each first iteration
    assert_consistent(outcome)


async def test_a_step_that_cannot_be_rendered_is_reported_and_never_sent(
    target: Target, lane: LaneSpy
) -> None:
    fs = flowset(target.url, flow("undefined", step("a", "/a"), step("b", "/b?q=${nope}")))
    outcome = await run_load(fs, lane_plan(duration_s=0.5))

    a, b = outcome.steps
    assert a.requests == target.count("GET", "/a") == target.total > 20
    assert target.count("GET", "/b") == 0
    assert a.requests - 1 <= b.requests <= a.requests  # after each /a, but at the run's end
    assert errors_by_kind(outcome) == {EXTRACTION_FAILED: b.requests}
    assert "${nope} is not defined" in outcome.errors[0].example
    assert lane.answered == a.requests - 1  # the lane handed each iteration over at b


async def test_a_retired_user_leaves_after_its_iteration(target: Target, lane: LaneSpy) -> None:
    """Two users, then one from 0.4 s on: the newest finishes its iteration and leaves."""
    stages = [Stage(duration_s=0.4, target=2), Stage(duration_s=0, target=1)]
    profile = RampingUsers(start_users=2, stages=[*stages, Stage(duration_s=0.4, target=1)])
    think = ThinkTime(min_s=0, max_s=0, recorded=False)
    vu = {"X-VU": "${vu}"}
    fs = flowset(target.url, flow("ab", step("a", "/a", headers=vu), step("b", "/b", headers=vu)))
    outcome = await run_load(fs, LoadPlan(profile=profile, think_time=think))

    assert outcome.totals.errors == 0, outcome.errors
    assert outcome.totals.requests == target.total
    seen = target.state.seen
    start = seen[0].at
    retired = [s for s in seen if s.vu == "2"]
    assert retired[-1].path == "/b"  # its iteration finished
    assert start + 0.3 < retired[-1].at < start + 0.5  # then it left
    assert [s for s in seen if s.vu == "1"][-1].at > start + 0.7  # the other stayed on
    assert lane.answered == outcome.totals.requests - 2 * 2


async def test_two_worker_processes_count_what_the_server_counted(target: Target) -> None:
    """Each process's users take the lane as in-process ones do (spied on above; a spy
    cannot reach a spawned process): the merged counts are the server's."""
    fs = flowset(target.url, flow("ab", step("a", "/a"), step("b", "/b")))
    outcome = await run_load(fs, lane_plan(users=4, workers=2))

    assert outcome.totals.errors == 0, outcome.errors
    a, b = outcome.steps
    assert (a.requests, b.requests) == (target.count("GET", "/a"), target.count("GET", "/b"))
    assert outcome.totals.requests == target.total > 100


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a cert")
async def test_the_lane_over_tls(cert: tuple[Path, Path], lane: LaneSpy) -> None:
    async with running_target(server_context(cert)) as target:
        fs = flowset(target.url, flow("ab", step("a", "/a"), step("b", "/b")))
        outcome = await run_load(
            fs,
            lane_plan(users=2, duration_s=0.5),
            make_client=lambda: H1Client(timeout_s=5, verify_tls=False),
        )

    assert target.url.startswith("https://")
    assert outcome.totals.errors == 0, outcome.errors
    assert outcome.totals.requests == target.total > 20
    assert lane.answered == target.total - 2 * 2
    assert outcome.totals.tls_ms is not None


OPEN_MODEL = LoadPlan(
    profile=ConstantArrivalRate(rate=40, duration_s=0.5, max_users=2),
    think_time=ThinkTime(min_s=0, max_s=0, recorded=False),
)


@pytest.mark.parametrize(
    "load_plan",
    [plan(duration_s=0.5, think=(0.01, 0.01), recorded=False), OPEN_MODEL],
    ids=["think-time", "open-model"],
)
async def test_users_that_think_or_arrive_keep_to_the_coroutine(
    target: Target, lane: LaneSpy, load_plan: LoadPlan
) -> None:
    fs = flowset(target.url, flow("ab", step("a", "/a"), step("b", "/b")))
    outcome = await run_load(fs, load_plan)

    assert (lane.lanes, lane.answered) == (0, 0)
    assert outcome.totals.errors == 0, outcome.errors
    assert outcome.totals.requests == target.total > 20


async def test_recorded_think_times_keep_a_user_off_the_lane_only_when_a_step_has_one(
    target: Target, lane: LaneSpy
) -> None:
    """The default (a step's recorded pause wins) takes the lane when no step recorded one."""
    recorded = ThinkTime(min_s=0, max_s=0, recorded=True)
    profile = ConstantUsers(users=1, duration_s=0.4)
    plain = flowset(target.url, flow("ab", step("a", "/a"), step("b", "/b")))
    outcome = await run_load(plain, LoadPlan(profile=profile, think_time=recorded))
    assert lane.lanes == 1
    assert lane.answered == outcome.totals.requests - 2 > 10

    paused = flowset(target.url, flow("ab", step("a", "/a", think_time_s=0.05), step("b", "/b")))
    outcome = await run_load(paused, LoadPlan(profile=profile, think_time=recorded))
    assert lane.lanes == 1  # no second one
    assert outcome.totals.errors == 0, outcome.errors
    assert 0 < outcome.totals.requests <= 2 * 9  # one pause of 50 ms per iteration


async def test_a_connection_closed_under_the_lane_is_not_sent_on_and_frees_its_slot(
    target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uvloop raises on a write to a transport the server's close already shut (before
    ``connection_lost`` marks it): the lane sends nothing, and the coroutine path still can."""
    client = H1Client(timeout_s=5)
    url = f"{target.url}/a"
    await client.send("GET", url)
    (conn,) = next(iter(client._idle.values()))

    def shut(data: bytes, head_only: bool = False) -> None:
        raise RuntimeError("unable to perform operation: the handler is closed")

    monkeypatch.setattr(conn, "put", shut)
    never: list[object] = []
    receiver = type("R", (), {"answered": never.append, "escalated": never.append})()
    assert client.start("GET", url, None, None, None, receiver) is None
    assert conn.closed and conn.lane is None
    assert (await client.send("GET", url)).status == 200
    assert set(client._busy.values()) == {0}
    assert target.count("GET", "/a") == 2 and never == []
    await client.close()
