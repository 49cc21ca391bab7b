"""Run one worker's share of the users in the current event loop.

Used directly for in-process runs and by each worker process. Stopping: at the profile's
end no new request or iteration starts (think times are cut short); requests in flight get
a grace of ``min(request_timeout_s, 5 s)`` (1 s when cancelled); what is still in flight
then is aborted and counted as a ``timeout`` error, so every request sent is counted once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, MutableSequence
from dataclasses import dataclass

from loadscout.flows.model import FlowSet
from loadscout.load import gcfreeze
from loadscout.load.assets import AssetCache
from loadscout.load.client import Client, ClientFactory
from loadscout.load.compiled import compile_flowset, compile_setup
from loadscout.load.drivers import drive_closed, drive_open
from loadscout.load.h1_client import H1Client
from loadscout.load.journey import compile_journeys
from loadscout.load.state import RunState
from loadscout.load.vuser import VirtualUser
from loadscout.metrics.catalog import step_catalog
from loadscout.metrics.recorder import Recorder
from loadscout.metrics.snapshot import Snapshot
from loadscout.plan.profiles import LoadPlan, OpenProfile
from loadscout.plan.scope import Scope

log = logging.getLogger(__name__)

STOP_GRACE_S = 5.0
CANCEL_GRACE_S = 1.0
TICK_LAG_S = 0.02  # after the second ends: responses that ended in it are recorded by then

SnapshotSink = Callable[[Snapshot], None]


@dataclass(frozen=True, kw_only=True)
class WorkerPart:
    """Which share of the run this worker runs, and when the run started (monotonic)."""

    worker: int = 0
    workers: int = 1
    start_ns: int
    run_tag: str
    seed: int | None = None
    ledger: MutableSequence[int] | None = None  # requests sent per step, shared with the parent


async def run_part(
    flowset: FlowSet,
    plan: LoadPlan,
    part: WorkerPart,
    *,
    on_snapshot: SnapshotSink,
    cancel: asyncio.Event,
    interval_s: float = 1.0,
    make_client: ClientFactory | None = None,
) -> tuple[float, bool]:
    """Run until the profile ends or ``cancel`` is set; every ``interval_s`` (and once at the
    end) hand a snapshot to ``on_snapshot``. Returns (seconds of load, cancelled)."""
    loop = asyncio.get_running_loop()
    start = part.start_ns / 1e9
    profile = plan.profile
    recorder = Recorder(start_ns=part.start_ns, worker=part.worker, corrected=profile.is_open)
    state = RunState(deadline=start + profile.duration_s, clock=loop.time)
    state.ledger = part.ledger
    if make_client is None:

        def make_client() -> Client:
            return H1Client(
                timeout_s=plan.request_timeout_s,
                allowed_hosts=plan.allowed_hosts,
                egress=plan.egress,
                body_kept_bytes=plan.body_kept_kb * 1024,
                resend_dropped=plan.resend_dropped,
            )

    make_user = _user_maker(flowset, plan, part, recorder, state, make_client)
    if isinstance(profile, OpenProfile):
        driver = drive_open(
            profile.arrival_times(),
            make_user,
            state,
            recorder,
            start=start,
            start_ns=part.start_ns,
            max_users=profile.max_users,
            max_delay_s=profile.max_delay_s,
            worker=part.worker,
            workers=part.workers,
        )
    else:
        driver = drive_closed(
            profile.user_changes(),
            make_user,
            state,
            start=start,
            worker=part.worker,
            workers=part.workers,
        )
    driving = asyncio.create_task(driver, name=f"loadscout-driver-{part.worker}")
    load_s = profile.duration_s
    gcfreeze.hold()
    try:
        cancelled = await _tick_until_stop(
            state, cancel, recorder, on_snapshot, interval_s, start=start
        )
        load_s = min(load_s, loop.time() - start)
        grace = min(plan.request_timeout_s, CANCEL_GRACE_S if cancelled else STOP_GRACE_S)
        state.stopping = True
        try:
            await asyncio.wait_for(state.idle.wait(), grace)
        except TimeoutError:
            log.info("%d request(s) still in flight after %.1fs; aborting", state.in_flight, grace)
    finally:
        state.stopping = True
        state.stopped.set()
        await asyncio.gather(driving, return_exceptions=True)
        on_snapshot(recorder.snapshot(final=True))
        gcfreeze.release()
    return load_s, cancelled


def _user_maker(
    flowset: FlowSet,
    plan: LoadPlan,
    part: WorkerPart,
    recorder: Recorder,
    state: RunState,
    make_client: ClientFactory,
) -> Callable[[int], VirtualUser]:
    flows = compile_flowset(flowset)
    setup = compile_setup(flowset)
    rows = flowset.user_data
    journeys = compile_journeys(flowset, first_id=sum(len(f.steps) for f in flows) + len(setup))
    assets_id = len(step_catalog(flowset))  # the entry after all others
    scope = Scope(flowset.target_url, plan.scope)

    def make(number: int) -> VirtualUser:
        rng = random.Random(f"{part.seed}-{number}") if part.seed is not None else random.Random()
        return VirtualUser(
            number=number,
            flows=flows,
            journeys=journeys,
            pools=flowset.pools,
            scope=scope,
            think_time=plan.think_time,
            make_client=make_client,
            recorder=recorder,
            state=state,
            rng=rng,
            run_tag=part.run_tag,
            setup=setup,
            user_row=rows[(number - 1) % len(rows)] if rows else None,
            pacing_s=plan.pacing_s,
            assets=AssetCache(assets_id, recorder, scope) if plan.fetch_assets else None,
            cookies=flowset.setup_cookies,
            target_url=flowset.target_url,
            egress=plan.egress,
        )

    return make


async def _tick_until_stop(
    state: RunState,
    cancel: asyncio.Event,
    recorder: Recorder,
    on_snapshot: SnapshotSink,
    interval_s: float,
    *,
    start: float,
) -> bool:
    """Snapshot every ``interval_s`` until the deadline or ``cancel``; True means cancelled.

    Ticks fall just after whole seconds of the load clock, so each snapshot completes a second
    and the live view can show it at once."""
    loop = asyncio.get_running_loop()
    waiter = asyncio.ensure_future(cancel.wait())
    next_tick = start + interval_s + TICK_LAG_S
    try:
        while True:
            now = loop.time()
            if now >= state.deadline:
                return False
            done, _ = await asyncio.wait({waiter}, timeout=min(next_tick, state.deadline) - now)
            if done:
                return True
            if loop.time() >= state.deadline:
                return False
            if loop.time() >= next_tick:
                on_snapshot(recorder.snapshot())
                while next_tick <= loop.time():
                    next_tick += interval_s
    finally:
        if not waiter.done():
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
