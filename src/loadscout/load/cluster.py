"""Run one load test on the nodes of a Ray cluster: one agent per node, each running its share
on the node's own one-process-per-core engine; the driver merges what they report as it
merges local worker processes' snapshots.

Shares: every load process of the run gets a run-wide number; node ``k`` owns the numbers of
its slots in one period of ``Striping(cpus)``, so users and arrivals are dealt to nodes by
weight (CPUs) and, within a node, evenly to its processes: the parts always sum to the whole.
Start barrier: every agent ready (its processes started), then one start instant on the
driver's wall clock, sent to each node corrected by its clock offset (lowest-round-trip
ping). Snapshots carry seconds of the shared load clock, so they merge by second number.
A node that stops answering is lost: reported with its share and when, the others stopped,
the result partial. Nothing is retried (a load call sent twice would be counted once).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from loadscout.errors import RunFailed
from loadscout.flows.model import FlowSet
from loadscout.load.cluster_agent import Agent, AgentPart, NodeDone, NodeMessage, NodeReady
from loadscout.load.cluster_ray import (
    AgentHandle,
    NodeInfo,
    Placement,
    RayError,
    connected,
    nodes_with_cpus,
)
from loadscout.load.local import STOP_GRACE_S
from loadscout.load.workers import READY_TIMEOUT_S, SnapshotTaker
from loadscout.metrics.snapshot import Snapshot
from loadscout.metrics.summary import NodeSummary
from loadscout.plan.profiles import LoadPlan, OpenProfile
from loadscout.plan.striping import Striping

log = logging.getLogger(__name__)

PLACE_TIMEOUT_S = 30.0
POLL_WAIT_S = 0.5
SILENCE_S = 10.0  # a node that answers no poll for this long is lost
PINGS = 5
START_MARGIN_S = 0.3


@dataclass(frozen=True, kw_only=True)
class Shares:
    """How a run is dealt over nodes of ``cpus`` CPUs: node ``k``'s processes' run-wide
    numbers (``numbers[k]``) among ``processes``."""

    cpus: tuple[int, ...]

    @functools.cached_property
    def striping(self) -> Striping:
        return Striping(self.cpus)

    @property
    def processes(self) -> int:
        return sum(self.cpus)

    def numbers(self, node: int) -> tuple[int, ...]:
        return tuple(i for i, owner in enumerate(self.striping.period) if owner == node)

    def users(self, total: int, node: int) -> int:
        return self.striping.share(total, node)

    def text(self, plan: LoadPlan, node: int) -> str:
        total = plan.profile.users
        if isinstance(plan.profile, OpenProfile):
            mine, every = self.cpus[node], self.processes
            return f"{mine} of every {every} arrivals, at most {self.users(total, node)} users"
        return f"users {self.users(total, node)} of {total}"


@dataclass
class _Node:
    info: NodeInfo
    handle: AgentHandle
    host: str = ""  # as the agent names its node (where its bundle landed)
    offset_ns: int = 0  # its wall clock minus the driver's
    ready: bool = False
    done: NodeDone | None = None
    lost_at_s: float | None = None
    requests: int = 0
    errors: int = 0
    heard: float = field(default_factory=time.monotonic)


@contextlib.asynccontextmanager
async def on_cluster(address: str, nodes: int | None) -> AsyncIterator[ClusterRun]:
    """Connected to the cluster with one bundle placed per node (``nodes``: that many, the
    ones with most CPUs; None: every node with a CPU); fails fast when that cannot be."""
    stack = contextlib.ExitStack()
    try:
        await asyncio.to_thread(stack.enter_context, connected(address))
    except RayError as err:
        raise RunFailed(f"cannot connect to the Ray cluster at {address}: {err}") from None
    try:
        found = nodes_with_cpus()
        wanted = len(found) if nodes is None else nodes
        if not found or wanted > len(found):
            hosts = ", ".join(f"{n.host} ({n.cpus} CPU)" for n in found) or "none"
            raise RunFailed(
                f"asked for {wanted} nodes, but the Ray cluster at {address} has "
                f"{len(found)} with a CPU ({hosts}): ask for fewer (--ray-nodes) or add nodes"
            )
        chosen = found[:wanted]
        placement = Placement([n.cpus for n in chosen])
        stack.callback(placement.remove)
        if not await asyncio.to_thread(placement.ready, PLACE_TIMEOUT_S):
            raise RunFailed(
                f"the Ray cluster at {address} could not give {wanted} nodes "
                f"({', '.join(str(n.cpus) for n in chosen)} CPUs each, one per node) within "
                f"{PLACE_TIMEOUT_S:g} s: are other jobs holding their CPUs?"
            )
        run = ClusterRun(chosen, placement)
        stack.callback(run.kill)
        yield run
    finally:
        await asyncio.to_thread(stack.close)


class ClusterRun:
    """The placed agents of one run, and what each node did."""

    def __init__(self, chosen: list[NodeInfo], placement: Placement) -> None:
        self._chosen = chosen
        self._placement = placement
        self.shares = Shares(cpus=tuple(n.cpus for n in chosen))
        self._nodes: list[_Node] = []
        self._plan: LoadPlan | None = None

    @property
    def processes(self) -> int:
        return self.shares.processes

    async def run(
        self,
        flowset: FlowSet,
        plan: LoadPlan,
        taker: SnapshotTaker,
        *,
        cancel: asyncio.Event,
        seed: int | None,
        run_tag: str,
        interval_s: float,
        steps: int,
    ) -> tuple[float, str]:
        """Like ``workers.run_processes``: the seconds of load, and why the run is partial."""
        self._plan = plan
        deadline = READY_TIMEOUT_S * 2 + plan.profile.duration_s + STOP_GRACE_S + 30
        for k, info in enumerate(self._chosen):
            part = AgentPart(
                node=k,
                numbers=self.shares.numbers(k),
                of=self.processes,
                flowset_json=flowset.model_dump_json(),
                plan_json=plan.model_dump_json(),
                seed=seed,
                run_tag=run_tag,
                interval_s=interval_s,
                steps=steps,
                deadline_s=deadline,
            )
            handle = self._placement.start(Agent, k, info.cpus, part=part)
            self._nodes.append(_Node(info=info, handle=handle))
        runs = [asyncio.ensure_future(n.handle.call("run")) for n in self._nodes]
        try:
            await self._all_ready()
            start_ns = await self._start()
            taker.begin(start_ns)
            return await _Collector(self._nodes, taker, start_ns, self.shares, plan).collect(cancel)
        finally:
            for r in runs:
                r.cancel()
            await asyncio.gather(*runs, return_exceptions=True)

    def summaries(self) -> list[NodeSummary]:
        plan = self._plan
        if plan is None:
            return []
        return [
            NodeSummary(
                node=k + 1,
                host=n.host or n.info.host,
                cpus=n.info.cpus,
                share=self.shares.text(plan, k),
                users=self.shares.users(plan.profile.users, k),
                requests=n.requests,
                errors=n.errors,
                cpu_s=n.done.cpu_s if n.done is not None else 0.0,
                lost_at_s=n.lost_at_s,
            )
            for k, n in enumerate(self._nodes)
        ]

    def kill(self) -> None:
        for n in self._nodes:
            n.handle.kill()

    async def _all_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S + 30
        for k, n in enumerate(self._nodes):
            while not n.ready:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RunFailed(f"node {k + 1} ({n.info.host}) was not ready in time")
                try:
                    items = await asyncio.wait_for(n.handle.call("poll", POLL_WAIT_S), left)
                except (RayError, TimeoutError) as err:
                    what = f"node {k + 1} ({n.info.host})"
                    raise RunFailed(f"{what} failed to start: {err!r}") from None
                for item in items:
                    if isinstance(item, NodeDone):
                        raise RunFailed(
                            f"node {k + 1} ({n.info.host}) failed to start: {item.failure}"
                        )
                    if isinstance(item, NodeReady):
                        n.ready, n.host = True, item.host

    async def _start(self) -> int:
        """Measure each node's clock offset, send each one start instant; returns it on this
        process's monotonic clock."""
        worst_rtt = 0
        for n in self._nodes:
            best: tuple[int, int] | None = None  # (round trip, offset)
            for _ in range(PINGS):
                sent = time.time_ns()
                theirs = await n.handle.call("ping")
                back = time.time_ns()
                sample = (back - sent, theirs - (sent + back) // 2)
                best = sample if best is None or sample < best else best
            assert best is not None
            worst_rtt = max(worst_rtt, best[0])
            n.offset_ns = best[1]
        start_wall = time.time_ns() + int(START_MARGIN_S * 1e9) + 4 * worst_rtt
        starts = [n.handle.call("start", start_wall + n.offset_ns) for n in self._nodes]
        await asyncio.gather(*starts)
        return time.perf_counter_ns() + (start_wall - time.time_ns())


class _Collector:
    """Polls every node until each is done or lost; hands snapshots to the taker."""

    def __init__(
        self,
        nodes: list[_Node],
        taker: SnapshotTaker,
        start_ns: int,
        shares: Shares,
        plan: LoadPlan,
    ) -> None:
        self._nodes = nodes
        self._taker = taker
        self._start_ns = start_ns
        self._shares = shares
        self._plan = plan
        self._node_of = {w: k for k in range(len(nodes)) for w in shares.numbers(k)}
        self.failure = ""

    async def collect(self, cancel: asyncio.Event) -> tuple[float, str]:
        stopper = asyncio.ensure_future(self._stop_on(cancel))
        try:
            await asyncio.gather(*(self._follow(k) for k in range(len(self._nodes))))
        finally:
            stopper.cancel()
            await asyncio.gather(stopper, return_exceptions=True)
        load_s = max((n.done.load_s for n in self._nodes if n.done is not None), default=0.0)
        return load_s, self.failure

    async def _stop_on(self, cancel: asyncio.Event) -> None:
        await cancel.wait()
        await self._stop_all()

    async def _stop_all(self) -> None:
        live = [n for n in self._nodes if n.done is None and n.lost_at_s is None]
        await asyncio.gather(*(n.handle.call("stop") for n in live), return_exceptions=True)

    async def _follow(self, k: int) -> None:
        n = self._nodes[k]
        while n.done is None:
            try:
                items = await asyncio.wait_for(n.handle.call("poll", POLL_WAIT_S), SILENCE_S)
            except (RayError, TimeoutError) as err:
                await self._lost(k, err)
                return
            n.heard = time.monotonic()
            for item in items:
                self._take(n, item)
            if n.done is not None and n.done.failure:
                self.failure = self.failure or (
                    f"node {k + 1} of {len(self._nodes)} ({n.host}) had a failure "
                    f"({n.done.failure}; its share: {self._shares.text(self._plan, k)}): "
                    "partial results"
                )
                await self._stop_all()

    def _take(self, n: _Node, item: NodeMessage) -> None:
        if isinstance(item, Snapshot):
            for step in item.steps:
                n.requests += step.requests
                n.errors += step.errors
            self._taker.add(item)
        elif isinstance(item, NodeDone):
            n.done = item

    async def _lost(self, k: int, err: BaseException) -> None:
        n = self._nodes[k]
        now = time.perf_counter_ns()
        at = max(0.0, (now - self._start_ns) / 1e9)
        silent = time.monotonic() - n.heard
        n.lost_at_s = round(at, 1)
        log.warning("node %d lost: %r", k + 1, err)
        reason = type(err).__name__ if isinstance(err, TimeoutError) else f"{type(err).__name__}"
        self.failure = self.failure or (
            f"node {k + 1} of {len(self._nodes)} ({n.host}) was lost at {at:.1f} s "
            f"({reason}; last heard {silent:.1f} s before; its share: "
            f"{self._shares.text(self._plan, k)}; what it sent since its last report is not "
            "counted): partial results"
        )
        await self._stop_all()
