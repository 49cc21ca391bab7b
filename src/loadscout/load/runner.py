"""Run a FlowSet as load: start users on the profile's schedule, tick progress, stop cleanly.

Stopping. At ``profile.duration_s`` no new request or iteration starts (think times are cut
short); requests already in flight get a grace period of ``min(request_timeout_s, 5 s)`` to
finish. When ``cancel`` is set the grace is ``min(request_timeout_s, 1 s)`` so the run returns
within 2 s. Whatever is still in flight after the grace is aborted and counted as a
``timeout`` error, so every request sent is counted exactly once, as a response or an error.
``duration_s`` of the outcome is the wall time from the start until every user has stopped;
the timeseries covers the seconds of load (until the deadline or the cancel).
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
from collections.abc import Callable

from loadscout.flows.model import FlowSet
from loadscout.load.compiled import compile_flowset
from loadscout.load.http_client import HttpClient
from loadscout.load.state import RunState
from loadscout.load.vuser import ClientFactory, VirtualUser
from loadscout.metrics.aggregate import Aggregator
from loadscout.metrics.catalog import step_catalog
from loadscout.metrics.live import LiveStats
from loadscout.metrics.recorder import Recorder
from loadscout.metrics.summary import LoadOutcome
from loadscout.plan.profiles import LoadPlan

log = logging.getLogger(__name__)

STOP_GRACE_S = 5.0
CANCEL_GRACE_S = 1.0

ProgressCallback = Callable[[LiveStats], None]


async def run_load(
    flowset: FlowSet,
    plan: LoadPlan,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: asyncio.Event | None = None,
    progress_interval_s: float = 1.0,
    seed: int | None = None,
    make_client: ClientFactory | None = None,
) -> LoadOutcome:
    """Replay ``flowset`` under ``plan`` and return what was measured (partial if cancelled).

    ``seed`` makes flow picks and think times repeatable; ``make_client`` swaps the HTTP stack.
    """
    loop = asyncio.get_running_loop()
    start = loop.time()
    recorder = Recorder(start_ns=time.perf_counter_ns())
    aggregator = Aggregator(step_catalog(flowset))
    state = RunState(deadline=start + plan.profile.duration_s, clock=loop.time)
    factory = make_client or (lambda: HttpClient(timeout_s=plan.request_timeout_s))
    users = _make_users(flowset, plan, recorder, state, factory, seed)
    tasks = [
        asyncio.create_task(user.run(start_delay_s=offset), name=f"loadscout-vu-{user.number}")
        for user, offset in zip(users, plan.profile.start_offsets(), strict=True)
    ]
    ticker = _Ticker(recorder, aggregator, on_progress, plan.profile.duration_s, start, loop)
    load_s = plan.profile.duration_s
    try:
        cancelled = await _wait_for_stop(state, cancel, ticker, progress_interval_s)
        load_s = min(load_s, loop.time() - start)
        grace = min(plan.request_timeout_s, CANCEL_GRACE_S if cancelled else STOP_GRACE_S)
        state.stopping = True
        try:
            await asyncio.wait_for(state.idle.wait(), grace)
        except TimeoutError:
            log.info("%d request(s) still in flight after %.1fs; aborting", state.in_flight, grace)
    finally:
        state.stopping = True
        await _stop_users(tasks)
    aggregator.add(recorder.snapshot())
    return aggregator.outcome(duration_s=loop.time() - start, load_s=load_s)


def _make_users(
    flowset: FlowSet,
    plan: LoadPlan,
    recorder: Recorder,
    state: RunState,
    make_client: ClientFactory,
    seed: int | None,
) -> list[VirtualUser]:
    flows = compile_flowset(flowset)
    seeder = random.Random(seed)
    run_tag = secrets.token_hex(3)
    return [
        VirtualUser(
            number=n,
            flows=flows,
            think_time=plan.think_time,
            make_client=make_client,
            recorder=recorder,
            state=state,
            rng=random.Random(seeder.getrandbits(64)),
            run_tag=run_tag,
        )
        for n in range(1, plan.profile.users + 1)
    ]


class _Ticker:
    """Moves recorder snapshots into the aggregator and reports live stats."""

    def __init__(
        self,
        recorder: Recorder,
        aggregator: Aggregator,
        on_progress: ProgressCallback | None,
        duration_s: float,
        start: float,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self._recorder = recorder
        self._aggregator = aggregator
        self._on_progress = on_progress
        self._duration_s = duration_s
        self._start = start
        self._loop = loop

    def tick(self) -> None:
        self._aggregator.add(self._recorder.snapshot())
        if self._on_progress is None:
            return
        elapsed = self._loop.time() - self._start
        stats = self._aggregator.live(elapsed_s=elapsed, duration_s=self._duration_s)
        try:
            self._on_progress(stats)
        except Exception:  # a broken progress display must not end the run
            log.exception("on_progress callback failed")


async def _wait_for_stop(
    state: RunState, cancel: asyncio.Event | None, ticker: _Ticker, interval_s: float
) -> bool:
    """Tick until the deadline or until ``cancel`` is set; True means cancelled."""
    loop = asyncio.get_running_loop()
    waiter = asyncio.ensure_future(cancel.wait()) if cancel is not None else None
    next_tick = loop.time() + interval_s
    try:
        while True:
            now = loop.time()
            if now >= state.deadline:
                return False
            timeout = min(next_tick, state.deadline) - now
            if waiter is not None:
                done, _ = await asyncio.wait({waiter}, timeout=timeout)
                if done:
                    return True
            else:
                await asyncio.sleep(timeout)
            if loop.time() >= state.deadline:
                return False
            if loop.time() >= next_tick:
                ticker.tick()
                while next_tick <= loop.time():
                    next_tick += interval_s
    finally:
        if waiter is not None and not waiter.done():
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)


async def _stop_users(tasks: list[asyncio.Task[None]]) -> None:
    """Cancel every user (aborting what is still in flight) and wait until all are closed."""
    for task in tasks:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, Exception):
            log.error("virtual user crashed", exc_info=result)
