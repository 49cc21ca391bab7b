"""The agent on each node of a cluster run: a Ray actor that runs the node's share of the
users on the node's own one-process-per-core engine (``workers.run_processes``).

The driver long-polls :meth:`Agent.poll` for what the agent has to say: :class:`NodeReady`
once every load process of the node is ready, then each process's snapshots as they come, then
:class:`NodeDone`. Polling (not a streaming call) works the same through Ray Client.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from dataclasses import dataclass

from loadscout.flows.model import FlowSet
from loadscout.load.workers import NodePart, run_processes
from loadscout.metrics.snapshot import Snapshot
from loadscout.plan.profiles import LoadPlan


@dataclass(frozen=True, slots=True)
class NodeReady:
    node: int
    host: str


@dataclass(frozen=True, slots=True)
class NodeDone:
    node: int
    load_s: float
    failure: str  # "" when every process of the node finished
    cpu_s: float  # the agent's and its load processes' CPU seconds


NodeMessage = NodeReady | NodeDone | Snapshot


@dataclass(frozen=True, kw_only=True)
class AgentPart:
    """What one agent runs: its node's number, its processes' run-wide numbers among ``of``."""

    node: int
    numbers: tuple[int, ...]
    of: int
    flowset_json: str
    plan_json: str
    seed: int | None
    run_tag: str
    interval_s: float
    steps: int
    deadline_s: float  # its load processes exit after this, whatever happens


class _Forward:
    """The node's processes' snapshots go to the driver as they are."""

    def __init__(self, outbox: asyncio.Queue[NodeMessage]) -> None:
        self._outbox = outbox

    def begin(self, start_ns: int) -> None:
        pass

    def add(self, snapshot: Snapshot) -> None:
        self._outbox.put_nowait(snapshot)


class Agent:
    """One per node (an async Ray actor; every method runs on its event loop)."""

    def __init__(self, part: AgentPart) -> None:
        self._part = part
        self._outbox: asyncio.Queue[NodeMessage] = asyncio.Queue()
        self._cancel = asyncio.Event()
        self._started = asyncio.Event()
        self._start_wall_ns = 0
        self._host = _where()

    async def ping(self) -> int:
        """This node's wall clock (ns), for the driver's offset estimate."""
        return time.time_ns()

    async def run(self) -> None:
        """Run the node's share to the end; the outcome goes to the outbox as NodeDone."""
        p = self._part
        before = _cpu_seconds()
        node = NodePart(
            numbers=p.numbers, of=p.of, start_at=self._wait_for_start, deadline_s=p.deadline_s
        )
        load_s, failure = 0.0, ""
        try:
            flowset = FlowSet.model_validate_json(p.flowset_json)
            plan = LoadPlan.model_validate_json(p.plan_json)
            plan = plan.model_copy(update={"workers": len(p.numbers)})
            load_s, failure = await run_processes(
                flowset,
                plan,
                _Forward(self._outbox),
                cancel=self._cancel,
                seed=p.seed,
                run_tag=p.run_tag,
                interval_s=p.interval_s,
                steps=p.steps,
                node=node,
            )
        except Exception as err:  # report, never leave the driver waiting
            failure = f"{type(err).__name__}: {err}"
        cpu_s = _cpu_seconds() - before
        self._outbox.put_nowait(
            NodeDone(node=p.node, load_s=load_s, failure=failure, cpu_s=round(cpu_s, 3))
        )

    async def start(self, wall_ns: int) -> None:
        """Start at ``wall_ns`` on this node's wall clock (the driver corrected the offset)."""
        self._start_wall_ns = wall_ns
        self._started.set()

    async def stop(self) -> None:
        self._cancel.set()

    async def poll(self, wait_s: float) -> list[NodeMessage]:
        """What is new, waiting up to ``wait_s`` for the first item."""
        try:
            items = [await asyncio.wait_for(self._outbox.get(), wait_s)]
        except TimeoutError:
            return []
        while not self._outbox.empty():
            items.append(self._outbox.get_nowait())
        return items

    async def _wait_for_start(self) -> int:
        """Every process here is ready: say so, wait for the start, return it on this node's
        monotonic clock (what the processes share)."""
        self._outbox.put_nowait(NodeReady(node=self._part.node, host=self._host))
        waiter = asyncio.ensure_future(self._started.wait())
        stopper = asyncio.ensure_future(self._cancel.wait())
        await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        stopper.cancel()
        if not self._started.is_set():
            return time.perf_counter_ns()  # stopped before it began: start now, stop at once
        return time.perf_counter_ns() + (self._start_wall_ns - time.time_ns())


def _where() -> str:
    """This node as people can find it: its address and the start of its Ray node id."""
    try:
        import ray

        node_id = ray.get_runtime_context().get_node_id()
        ip = ray.util.get_node_ip_address()  # type: ignore[no-untyped-call]
        return f"{ip} ({node_id[:8]})"
    except Exception:  # outside Ray (tests of the agent alone)
        return socket.gethostname()


def _cpu_seconds() -> float:
    """This process's CPU time and that of its finished children (the load processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
