"""One virtual user: its own session, its setup (e.g. its login) once, then iterations.

Any error ends the current iteration (later steps depend on earlier ones: cookies, tokens,
ids), then the user thinks and starts a fresh one. Variables extracted by setup steps and the
user's data row (``${user.COLUMN}``) last the user's lifetime; an iteration's own variables
shadow them. A failed setup is counted like any failed step and retried before the next
iteration. In a closed model a user loops (:meth:`run`); in an open model the scheduler hands
it one iteration at a time (:meth:`iterate`) with the time the iteration was meant to start.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import random
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any

from loadscout.flows.journeys import StateThink
from loadscout.flows.model import SetupCookie
from loadscout.load.assets import AssetCache
from loadscout.load.client import Client, ClientFactory, HttpResponse, seed_cookies
from loadscout.load.compiled import CompiledFlow, CompiledStep
from loadscout.load.h1_client import H1Client
from loadscout.load.journey import CompiledJourney, Session, drive, session, walk
from loadscout.load.lane import CallbackLane, lane_steps
from loadscout.load.state import RunState
from loadscout.load.step import PageAssets, execute_step
from loadscout.load.streams import StreamClient
from loadscout.metrics.journey_tally import JourneyTally
from loadscout.metrics.recorder import Recorder
from loadscout.plan.egress import EgressPolicy
from loadscout.plan.profiles import ThinkTime
from loadscout.plan.scope import Scope

Sleep = Callable[[float], Awaitable[None]]


class VirtualUser:
    """The life of one user; owns its client, shares the recorder and run state."""

    def __init__(
        self,
        *,
        number: int,
        flows: Sequence[CompiledFlow],
        think_time: ThinkTime,
        make_client: ClientFactory,
        recorder: Recorder,
        state: RunState,
        rng: random.Random,
        run_tag: str,
        setup: Sequence[CompiledStep] = (),
        user_row: Mapping[str, str] | None = None,
        pacing_s: float = 0.0,
        assets: AssetCache | None = None,
        cookies: Sequence[SetupCookie] = (),
        target_url: str = "",
        clock: Callable[[], float] | None = None,
        sleep: Sleep = asyncio.sleep,
        journeys: Sequence[CompiledJourney] = (),
        pools: Mapping[str, Sequence[str]] | None = None,
        scope: Scope | None = None,
        egress: EgressPolicy | None = None,
    ) -> None:
        """``clock`` (seconds; the event loop's by default) times pacing; ``sleep`` waits out
        start delays, think times and pacing: tests pass virtual ones."""
        self.number = number
        self._cookies = (tuple(cookies), target_url)
        self.iteration = 0
        self.retired = False  # closed model: leave after the current iteration
        # a flow of weight 0 runs only as a journey's transaction
        picks: list[CompiledFlow | CompiledJourney] = [*flows, *journeys]
        self._flows = [f for f in picks if f.weight > 0]
        self._cum_weights = list(itertools.accumulate(f.weight for f in self._flows))
        self._pools = pools or {}
        self._within = scope or Scope(target_url or "http://127.0.0.1/")
        self._think = think_time
        self._thinks = think_time.max_s > 0 or (  # else no pause to take
            think_time.recorded and _recorded_pauses(self._flows, setup)
        )
        self._make_client = make_client
        self._client: Client | None = None
        self._clock = clock
        self._wait = sleep
        self._recorder = recorder
        self._state = state
        self.rng = self._rng = rng
        self._run_tag = run_tag
        self._counter = 0
        self._setup = tuple(setup)
        self._persist = {f"user.{k}": v for k, v in (user_row or {}).items()}
        self._pacing_s = pacing_s
        self._intended_ns: int | None = None
        self._assets = assets
        self._streams: StreamClient | None = None  # opened by the user's first stream step
        self._egress = egress  # the stream steps' policy (the HTTP client has its own)

    async def open(self) -> None:
        self._client = self._make_client()
        seed_cookies(self._client, *self._cookies)
        self._recorder.user_started()

    async def close(self) -> None:
        if self._client is not None:
            self._recorder.user_stopped()
            client, self._client = self._client, None
            await client.close()
        if self._streams is not None:
            streams, self._streams = self._streams, None
            await streams.close()

    async def run(self, *, start_delay_s: float = 0.0) -> None:
        """Closed model: wait for this user's start, then iterate until the run stops or the
        user is retired. The client is opened only once the user starts and always closed."""
        if start_delay_s > 0:
            await self._wait(start_delay_s)
        if self._state.should_stop() or self.retired:
            return
        await self.open()
        clock = self._clock or asyncio.get_running_loop().time
        pacing_s, state = self._pacing_s, self._state
        lane = self._lane()
        try:
            while not state.should_stop() and not self.retired:
                began = clock() if pacing_s > 0 else 0.0
                if lane is not None and not self._setup:
                    ok = await self._through(lane)
                else:
                    ok = await self.iterate()
                if pacing_s > 0:
                    await self._sleep(pacing_s - (clock() - began))
                if not ok:
                    await asyncio.sleep(0)  # never starve the loop when every step fails at once
        finally:
            await self.close()

    def iterate(
        self, intended_ns: int | None = None, *, think_last: bool = True
    ) -> Coroutine[Any, Any, bool]:
        """One iteration (preceded by the setup while it has not succeeded yet).

        ``intended_ns`` (open model) is when the iteration should have started; the first
        request's corrected latency counts from then. False when a step failed. A plain
        function returning the iteration's coroutine: one coroutine less per iteration.
        """
        self._intended_ns = intended_ns
        if self._setup:
            return self._set_up_then(think_last)
        return self._iteration(think_last)

    async def _set_up_then(self, think_last: bool) -> bool:
        if not await self._run_steps(self._setup, self._persist, think_last=True):
            return False
        self._setup = ()
        return await self._iteration(think_last)

    def _iteration(self, think_last: bool) -> Coroutine[Any, Any, bool]:
        picked, scope = self._begin_iteration()
        if isinstance(picked, CompiledJourney):
            return walk(picked, self, scope, self._pools, self._within, think_last=think_last)
        return self._run_steps(picked.steps, scope, think_last=think_last)

    def _begin_iteration(self) -> tuple[CompiledFlow | CompiledJourney, dict[str, str]]:
        self.iteration += 1
        scope = dict(self._persist) if self._persist else {}
        return self._flows[0] if len(self._flows) == 1 else self._pick(), scope

    # the callback lane (``load.lane``): iterations without a pause run from the connection's
    # callbacks; what the lane hands back, this coroutine finishes

    def _lane(self) -> CallbackLane | None:
        client = self._client
        plain = all(isinstance(f, CompiledJourney) or lane_steps(f.steps) for f in self._flows)
        if not isinstance(client, H1Client) or not plain or not self._flows:
            return None
        if self._thinks or self._pacing_s > 0 or self._assets is not None:
            return None
        return CallbackLane(self, client, self._state)

    def next_iteration(self) -> tuple[Sequence[CompiledStep], Session | None, dict[str, str]]:
        picked, scope = self._begin_iteration()
        if type(picked) is CompiledJourney:
            walking = session(picked, self, scope, self._pools, self._within, think_last=True)
            return (), walking, scope
        assert type(picked) is CompiledFlow
        return picked.steps, None, scope

    async def _through(self, lane: CallbackLane) -> bool:
        """Iterations in the lane; the one it hands back, finished here."""
        resume = await lane.iterations()
        if resume is None:
            return True
        steps, index, scope, sent, walking, todo = resume
        if walking is not None and todo is not None:
            return await drive(walking, todo, self, scope, sent)
        return await self._run_steps(steps[index:], scope, think_last=False, sent=sent)

    def _pick(self) -> CompiledFlow | CompiledJourney:
        if len(self._flows) == 1:
            return self._flows[0]
        first = self._state.coverage_pick(len(self._flows))
        if first is not None:
            return self._flows[first]
        x = self._rng.random() * self._cum_weights[-1]
        return self._flows[bisect.bisect_right(self._cum_weights, x)]

    async def _run_steps(
        self,
        steps: Sequence[CompiledStep],
        scope: dict[str, str],
        *,
        think_last: bool,
        sent: tuple[Coroutine[Any, Any, HttpResponse], int] | None = None,
    ) -> bool:
        """``sent``: the first step's request is on the wire already (``load.lane``)."""
        client, state, assets = self._client, self._state, self._assets
        assert client is not None, "steps run only between open() and close()"
        last = len(steps) - 1
        for i, step in enumerate(steps):
            if sent is not None:
                on_wire, sent = sent, None
                ok = await execute_step(step, scope, client, self, state, assets, sent=on_wire)
            elif state.should_stop():
                return False
            else:
                ok = await execute_step(step, scope, client, self, state, assets)
            if self._thinks and (i < last or think_last or not ok):
                await self._sleep(self._planned(step))
            if not ok:
                return False
        return True

    # the Walker side of a journey

    def step_context(self) -> tuple[Client, RunState, PageAssets | None]:
        client = self._client
        assert client is not None, "steps run only between open() and close()"
        return client, self._state, self._assets

    def think_s(self, think: StateThink | None, step: CompiledStep) -> float:
        if think is None:
            return self._planned(step) if self._thinks else 0.0
        mean, cap = think.mean_s, think.max_s
        if think.distribution == "exponential":
            return min(self._rng.expovariate(1 / mean), cap) if mean > 0 else 0.0
        return self._rng.uniform(0, min(2 * mean, cap))

    async def pause(self, seconds: float) -> None:
        await self._sleep(seconds)

    async def run_steps(self, steps: Sequence[CompiledStep], scope: dict[str, str]) -> bool:
        return await self._run_steps(steps, scope, think_last=False)

    def thinks(self) -> bool:
        return self._thinks

    def tally(self) -> JourneyTally:
        return self._recorder.journeys

    # the StepUser side of execute_step: outcomes go to the recorder, the first one of an
    # open-model iteration counted from when the iteration was meant to start

    def failure(self, step: CompiledStep, kind: str, where: str, detail: str) -> None:
        self._intended_ns = None
        self._recorder.failure(step.id, kind, f"{where}: {detail}")

    def response(
        self,
        step: CompiledStep,
        start_ns: int,
        end_ns: int,
        kind: str | None,
        where: str,
        detail: str,
        ttfb_ns: int = 0,
        connect_ns: int = 0,
        tls_ns: int = 0,
    ) -> None:
        intended, self._intended_ns = self._intended_ns, None
        example = "" if kind is None else f"{where}: {detail}"
        self._recorder.response(
            step.id, start_ns, end_ns, kind, example, intended, ttfb_ns, connect_ns, tls_ns
        )

    def resent(self, step: CompiledStep, retried: int, redirects: int) -> None:
        self._recorder.resent(step.id, retried, redirects)

    def streams(self) -> StreamClient:
        if self._streams is None:
            self._streams = StreamClient(egress=self._egress)
        return self._streams

    def unique(self) -> str:
        self._counter += 1
        return f"{self._run_tag}-{self.number}-{self.iteration}-{self._counter}"

    def _planned(self, step: CompiledStep) -> float:
        """The run's think time (or the step's recorded one), in seconds."""
        think = self._think
        seconds = step.think_time_s if think.recorded else None
        if seconds is None:
            low, high = think.min_s, think.max_s
            if high <= 0:
                return 0.0
            if think.distribution == "exponential":
                mean = (low + high) / 2
                return min(self._rng.expovariate(1 / mean), 10 * mean)
            return low if low == high else self._rng.uniform(low, high)
        return seconds

    async def _sleep(self, seconds: float) -> None:
        """Think or pace, never past the run's end."""
        seconds = min(seconds, self._state.remaining_s())
        if seconds > 0:
            await self._wait(seconds)


def _recorded_pauses(
    picks: Sequence[CompiledFlow | CompiledJourney], setup: Sequence[CompiledStep]
) -> bool:
    """Whether any step has a recorded think time to take (a journey may: its own steps)."""
    steps = [*setup, *(s for f in picks if isinstance(f, CompiledFlow) for s in f.steps)]
    journeys = any(isinstance(f, CompiledJourney) for f in picks)
    return journeys or any(step.think_time_s for step in steps)
