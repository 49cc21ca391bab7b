"""Run a FlowSet as load: in this process or in worker processes, merge their snapshots,
report live progress, judge thresholds and return the outcome.

``plan.workers`` 0 runs the users in the calling event loop; N >= 1 starts N processes (see
``workers.py``). Either way the result has the same shape: snapshots from every worker are
merged by one :class:`Aggregator`. One load clock serves everything: t = 0 is the first
scheduled request, after every worker is ready (the start barrier in ``workers.py``); the
outcome's ``duration_s``, its rates, the per-second series, the live view and thresholds
all count from there, so worker start-up never dilutes a rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from loadscout.errors import BadInput
from loadscout.flows.model import FlowSet
from loadscout.load.client import ClientFactory
from loadscout.load.local import WorkerPart, run_part
from loadscout.metrics.aggregate import Aggregator
from loadscout.metrics.catalog import step_catalog
from loadscout.metrics.live import LiveStats
from loadscout.metrics.realism_report import realism_report
from loadscout.metrics.snapshot import Snapshot
from loadscout.metrics.summary import LoadOutcome
from loadscout.metrics.thresholds import can_abort, check_names, evaluate
from loadscout.metrics.verdict import judge as judge_run
from loadscout.plan.profiles import LoadPlan

if TYPE_CHECKING:
    from loadscout.load.cluster import ClusterRun

log = logging.getLogger(__name__)

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
    ray_address: str | None = None,
    ray_nodes: int | None = None,
) -> LoadOutcome:
    """Replay ``flowset`` under ``plan`` and return what was measured (partial if cancelled).

    ``seed`` makes flow picks and think times repeatable; ``make_client`` swaps the HTTP stack
    (in-process runs only). ``ray_address``: run on that Ray cluster's nodes (``ray_nodes``
    of them, default all; see ``cluster.py``). Raises BadInput for a threshold naming an
    unknown step or flow.
    """
    async with _cluster(ray_address, ray_nodes) as cluster:
        return await _run_load(
            flowset,
            plan,
            on_progress=on_progress,
            cancel=cancel,
            progress_interval_s=progress_interval_s,
            seed=seed,
            make_client=make_client,
            cluster=cluster,
        )


@contextlib.asynccontextmanager
async def _cluster(address: str | None, nodes: int | None) -> AsyncIterator[ClusterRun | None]:
    if address is None:
        yield None
        return
    from loadscout.load.cluster import on_cluster  # Ray only when a cluster is asked for

    async with on_cluster(address, nodes) as cluster:
        yield cluster


async def _run_load(
    flowset: FlowSet,
    plan: LoadPlan,
    *,
    on_progress: ProgressCallback | None,
    cancel: asyncio.Event | None,
    progress_interval_s: float,
    seed: int | None,
    make_client: ClientFactory | None,
    cluster: ClusterRun | None,
) -> LoadOutcome:
    processes = max(1, plan.workers) if cluster is None else cluster.processes
    aggregator = Aggregator(step_catalog(flowset, assets=plan.fetch_assets), workers=processes)
    try:
        check_names(plan.thresholds, aggregator.catalog)
    except ValueError as err:
        raise BadInput(str(err)) from None
    stop = asyncio.Event()
    judge = _Judge(plan, aggregator, on_progress, stop)
    judge.set_interval(progress_interval_s)
    watcher = asyncio.ensure_future(_relay(cancel, stop)) if cancel is not None else None
    run_tag = secrets.token_hex(3)
    lost = ""  # why the results are partial: a worker process (or node) was lost
    try:
        if cluster is None and plan.workers == 0:
            part = WorkerPart(start_ns=time.perf_counter_ns(), run_tag=run_tag, seed=seed)
            judge.begin(part.start_ns)
            load_s, _ = await run_part(
                flowset,
                plan,
                part,
                on_snapshot=judge.add,
                cancel=stop,
                interval_s=progress_interval_s,
                make_client=make_client,
            )
        else:  # worker processes: this machine's, or every node's of a cluster
            from loadscout.load.workers import run_processes

            execute = run_processes if cluster is None else cluster.run
            load_s, lost = await execute(
                flowset,
                plan,
                judge,
                cancel=stop,
                seed=seed,
                run_tag=run_tag,
                interval_s=progress_interval_s,
                steps=len(aggregator.catalog),
            )
    finally:
        if watcher is not None:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
    load_s = max(load_s, 0.0)  # cancelled before the start time came: no load at all
    outcome = aggregator.outcome(duration_s=load_s)
    results = evaluate(plan.thresholds, aggregator, max(load_s, 1e-9))
    if lost:  # judged on what the processes still running reported
        results = [r.model_copy(update={"partial": True}) for r in results]
    verdict = judge_run(
        thresholds=results,
        requests=outcome.totals.requests,
        errors=outcome.totals.errors,
        aborted=stop.is_set() or bool(lost),
        threshold_stop=judge.aborted != "" and not lost,
    )
    realism = realism_report(flowset, aggregator.journeys, outcome.steps, aggregator.catalog)
    return outcome.model_copy(
        update={
            "thresholds": results,
            "aborted": judge.aborted or lost,
            "partial": bool(lost),
            "verdict": verdict,
            "realism": realism,
            "nodes": cluster.summaries() if cluster is not None else [],
        }
    )


async def _relay(source: asyncio.Event, target: asyncio.Event) -> None:
    await source.wait()
    target.set()


class _Judge:
    """Takes every snapshot: merges it, reports progress once every worker's snapshot of an
    interval is in, and aborts on a failed threshold when asked to (``abort_on_fail``; judged on the
    merged data, after the first second)."""

    def __init__(
        self,
        plan: LoadPlan,
        aggregator: Aggregator,
        on_progress: ProgressCallback | None,
        stop: asyncio.Event,
    ) -> None:
        self.plan = plan
        self.aggregator = aggregator
        self.on_progress = on_progress
        self.stop = stop
        self.start: float | None = None  # the load clock's 0 (monotonic s), set by begin()
        self.aborted = ""
        self._interval_s = 1.0
        self._last_tick = 0.0
        self._fresh: set[int] = set()  # workers whose snapshot arrived since the last report
        self._abortable = [t for t in plan.thresholds if can_abort(t)] if plan.abort_on_fail else []

    def set_interval(self, seconds: float) -> None:
        self._interval_s = seconds

    def begin(self, start_ns: int) -> None:
        """The load clock starts at ``start_ns`` (the instant every worker was told)."""
        self.start = self._last_tick = start_ns / 1e9

    def add(self, snapshot: Snapshot) -> None:
        """Merge a snapshot; at most once per interval also judge and report progress."""
        self.aggregator.add(snapshot)
        if snapshot.final:
            return
        now = time.perf_counter_ns() / 1e9
        self._fresh.add(snapshot.worker)
        # report once every worker has sent its snapshot of this interval (the first worker's
        # alone would show a second the others have not reported yet), or when one is late
        since = now - self._last_tick
        everyone = len(self._fresh) >= self.aggregator.workers
        due = (everyone and since >= self._interval_s * 0.5) or since >= self._interval_s * 1.5
        if self.start is not None and due:
            self._last_tick = now
            self._fresh.clear()
            duration = self.plan.profile.duration_s
            self._tick(min(max(0.0, now - self.start), duration))

    def _tick(self, elapsed: float) -> None:
        if self._abortable and not self.aborted and elapsed >= 1.0:
            for verdict in evaluate(self._abortable, self.aggregator, elapsed):
                if not verdict.passed:
                    seen = verdict.observed_text
                    self.aborted = f"threshold {verdict.expression} failed (observed {seen})"
                    self.stop.set()
                    break
        if self.on_progress is None:
            return
        stats = self.aggregator.live(elapsed_s=elapsed, duration_s=self.plan.profile.duration_s)
        try:
            self.on_progress(stats)
        except Exception:  # a broken progress display must not end the run
            log.exception("on_progress callback failed")
