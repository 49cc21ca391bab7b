"""VirtualUser on a virtual clock: think times, pacing and stopping, with no real sleeping.

The client is a stand-in that answers every request at once (pure logic under test: what the
user waits for and when it stops); the real HTTP path is covered by test_runner and friends.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Mapping
from typing import Any

import pytest

from loadscout.load.client import HttpResponse
from loadscout.load.compiled import compile_flowset
from loadscout.load.state import RunState
from loadscout.load.vuser import VirtualUser
from loadscout.metrics.recorder import Recorder
from loadscout.plan.profiles import ThinkTime
from tests.load.flows import flow, flowset, step

TARGET = "http://127.0.0.1:9/"


class VirtualClock:
    """Time that moves only when a user sleeps; every request takes ``request_s``."""

    def __init__(self, *, request_s: float = 0.0) -> None:
        self.now = 0.0
        self.request_s = request_s
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class InstantClient:
    """Answers 200 to everything, advancing the virtual clock by one request's time."""

    def __init__(self, clock: VirtualClock) -> None:
        self._clock = clock
        self.sent: list[str] = []

    async def send(self, method: str, url: str, **_: Any) -> HttpResponse:
        self.sent.append(url)
        self._clock.now += self._clock.request_s
        return HttpResponse(status=200, url=url, headers={}, body=b"ok", charset=None)

    def cookie(self, name: str, url: str | None = None) -> str | None:
        return None

    def cookie_header(self, url: str) -> str | None:
        return None

    def add_cookie(self, name: str, value: str, *, url: str, path: str = "/") -> None:
        return None

    async def close(self) -> None:
        return None


def make_user(
    clock: VirtualClock,
    *,
    think: ThinkTime,
    steps: int = 2,
    deadline: float = 1e9,
    pacing_s: float = 0.0,
    seed: int = 7,
    recorded: Mapping[int, float] | None = None,
) -> tuple[VirtualUser, InstantClient, RunState]:
    recorded = recorded or {}
    fs = flowset(
        TARGET,
        flow(
            "f",
            *(step(f"s{i}", f"/p{i}", think_time_s=recorded.get(i)) for i in range(steps)),
        ),
    )
    client = InstantClient(clock)
    state = RunState(deadline=deadline, clock=clock.time)
    user = VirtualUser(
        number=1,
        flows=compile_flowset(fs),
        think_time=think,
        make_client=lambda: client,
        recorder=Recorder(start_ns=0),
        state=state,
        rng=random.Random(seed),
        run_tag="t",
        pacing_s=pacing_s,
        clock=clock.time,
        sleep=clock.sleep,
    )
    return user, client, state


async def iterations(user: VirtualUser, count: int) -> None:
    await user.open()
    try:
        for _ in range(count):
            assert await user.iterate()
    finally:
        await user.close()


async def test_uniform_think_time_stays_within_bounds_and_centres_on_the_mean() -> None:
    clock = VirtualClock()
    user, _, _ = make_user(clock, think=ThinkTime(min_s=1.0, max_s=3.0, recorded=False))
    await iterations(user, 500)
    assert len(clock.sleeps) == 1000  # one pause after each of the two steps
    assert min(clock.sleeps) >= 1.0
    assert max(clock.sleeps) <= 3.0
    assert statistics.mean(clock.sleeps) == pytest.approx(2.0, abs=0.1)
    # spread over the whole range, not a constant
    assert statistics.pstdev(clock.sleeps) == pytest.approx(2 / 12**0.5, rel=0.15)


async def test_exponential_think_time_has_the_configured_mean_and_a_cap() -> None:
    clock = VirtualClock()
    think = ThinkTime(min_s=0.5, max_s=1.5, distribution="exponential", recorded=False)
    user, _, _ = make_user(clock, think=think)
    await iterations(user, 1000)
    mean = 1.0
    assert statistics.mean(clock.sleeps) == pytest.approx(mean, rel=0.1)
    assert max(clock.sleeps) <= 10 * mean
    # memoryless: about e^-1 of the pauses are longer than the mean
    longer = sum(1 for s in clock.sleeps if s > mean) / len(clock.sleeps)
    assert longer == pytest.approx(0.368, abs=0.05)


async def test_recorded_think_time_wins_while_recorded_is_on() -> None:
    clock = VirtualClock()
    think = ThinkTime(min_s=5.0, max_s=9.0, recorded=True)
    user, _, _ = make_user(clock, think=think, recorded={0: 0.25, 1: 0.75})
    await iterations(user, 3)
    assert clock.sleeps == [0.25, 0.75] * 3


async def test_no_think_time_means_no_pause_at_all() -> None:
    clock = VirtualClock()
    user, client, _ = make_user(clock, think=ThinkTime(min_s=0, max_s=0, recorded=False))
    await iterations(user, 4)
    assert clock.sleeps == []
    assert len(client.sent) == 8


async def test_pacing_makes_each_iteration_last_at_least_pacing_s() -> None:
    clock = VirtualClock(request_s=0.1)
    user, client, state = make_user(
        clock, think=ThinkTime(min_s=0, max_s=0, recorded=False), deadline=10.0, pacing_s=2.0
    )
    await user.run()
    # 2 requests of 0.1 s, then the user waits out the rest of the 2 s: 5 iterations in 10 s
    assert len(client.sent) == 10
    assert clock.sleeps[:4] == pytest.approx([1.8] * 4)
    assert state.should_stop()


async def test_a_user_never_sleeps_past_the_end_of_the_run() -> None:
    clock = VirtualClock()
    user, client, _ = make_user(
        clock, think=ThinkTime(min_s=4.0, max_s=4.0, recorded=False), deadline=10.0
    )
    await user.run()
    assert clock.now == pytest.approx(10.0)
    assert sum(clock.sleeps) == pytest.approx(10.0)
    assert clock.sleeps[-1] == pytest.approx(2.0)  # cut to what was left, not 4 s
    assert len(client.sent) == 3


async def test_a_start_delay_is_waited_on_the_injected_clock_and_a_stopped_run_never_opens() -> (
    None
):
    clock = VirtualClock()
    user, client, state = make_user(
        clock, think=ThinkTime(min_s=0, max_s=0, recorded=False), deadline=5.0
    )
    state.stopping = True
    await user.run(start_delay_s=3.0)
    assert clock.sleeps == [3.0]
    assert client.sent == []


async def test_a_retired_user_finishes_its_iteration_then_leaves() -> None:
    clock = VirtualClock(request_s=0.5)
    user, client, _ = make_user(clock, think=ThinkTime(min_s=0, max_s=0, recorded=False))
    original = client.send

    async def send_then_retire(method: str, url: str, **kwargs: Any) -> HttpResponse:
        user.retired = True
        return await original(method, url, **kwargs)

    client.send = send_then_retire  # type: ignore[method-assign]
    await user.run()
    assert client.sent == ["http://127.0.0.1:9/p0", "http://127.0.0.1:9/p1"]
