"""Worker processes: one event loop (uvloop) per process, each running every N-th user.

The parent spawns the workers, waits until each is ready (the start barrier: a worker is
ready once its flows and plan are parsed and its event loop runs), gives them one absolute
start instant, which is the load clock's 0, then merges the snapshots they send; a cancel
becomes a Stop message. Workers ignore SIGINT: Ctrl-C is the parent's to turn into a graceful stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Protocol

from loadscout.errors import RunFailed
from loadscout.flows.model import FlowSet
from loadscout.load.local import WorkerPart, run_part
from loadscout.load.messages import Done, Failed, Ready, Start, Stop
from loadscout.load.orphans import guard_orphan
from loadscout.metrics.snapshot import Snapshot, lost_snapshot
from loadscout.plan.profiles import LoadPlan

READY_TIMEOUT_S = 60.0
START_MARGIN_NS = 100_000_000


class SnapshotTaker(Protocol):
    """Where the parent hands the run's start instant, then every worker's snapshots."""

    def begin(self, start_ns: int) -> None: ...

    def add(self, snapshot: Snapshot) -> None: ...


@dataclass(frozen=True, kw_only=True)
class NodePart:
    """This machine's processes in a run spread over several machines (``cluster.py``): their
    run-wide numbers among ``of`` (striping deals users and arrivals over all of them), when to
    start once every process is ready (``start_at`` returns the start on this machine's
    monotonic clock), and a hard deadline after which a process exits whatever happens."""

    numbers: tuple[int, ...]
    of: int
    start_at: Callable[[], Awaitable[int]]
    deadline_s: float


async def run_processes(
    flowset: FlowSet,
    plan: LoadPlan,
    taker: SnapshotTaker,
    *,
    cancel: asyncio.Event,
    seed: int | None,
    run_tag: str,
    interval_s: float,
    steps: int,
    node: NodePart | None = None,
) -> tuple[float, str]:
    """Run ``plan.workers`` processes to the end; returns the seconds of load, and why the
    run is partial ("" when every worker finished): a worker that dies stops the others,
    whose results, and everything it had reported, are kept. Each worker also counts the
    requests it sends per step (of ``steps``) in shared memory, so those it sent but never
    reported before it died are counted too (``worker_lost``). ``node``: this machine runs
    part of a cluster run."""
    ctx = multiprocessing.get_context("spawn")  # never fork a process with a running loop
    n = plan.workers if node is None else len(node.numbers)
    numbers = tuple(range(n)) if node is None else node.numbers
    of = n if node is None else node.of
    conns: list[Connection] = []
    procs = []
    ledgers = [ctx.RawArray("q", max(1, steps)) for _ in range(n)]
    for w in range(n):
        mine, theirs = ctx.Pipe()
        args = (
            theirs,
            ledgers[w],
            flowset.model_dump_json(),
            plan.model_dump_json(),
            numbers[w],
            of,
            seed,
            run_tag,
            interval_s,
            None if node is None else (os.getpid(), node.deadline_s),
        )
        proc = ctx.Process(target=worker_main, args=args, name=f"loadscout-worker-{w}")
        proc.daemon = True
        proc.start()
        theirs.close()
        conns.append(mine)
        procs.append(proc)
    try:
        start_at = None if node is None else node.start_at
        return await _supervise(conns, _Ledgers(taker, ledgers, numbers, of), cancel, start_at)
    finally:
        for conn in conns:
            conn.close()
        for proc in procs:
            await asyncio.to_thread(proc.join, 5.0)
            if proc.is_alive():
                proc.kill()
                proc.join()


async def _supervise(
    conns: list[Connection],
    taker: _Ledgers,
    cancel: asyncio.Event,
    start_at: Callable[[], Awaitable[int]] | None,
) -> tuple[float, str]:
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()

    def reader(i: int) -> None:
        try:
            inbox.put_nowait((i, conns[i].recv()))
        except (EOFError, OSError):
            loop.remove_reader(conns[i].fileno())
            inbox.put_nowait((i, Failed(worker=i, error="worker process exited unexpectedly")))

    for i, conn in enumerate(conns):
        loop.add_reader(conn.fileno(), reader, i)
    try:
        ready: set[int] = set()
        deadline = loop.time() + READY_TIMEOUT_S
        while len(ready) < len(conns):
            i, msg = await asyncio.wait_for(inbox.get(), max(0.1, deadline - loop.time()))
            if isinstance(msg, Failed):
                raise RunFailed(f"worker {msg.worker} failed to start: {msg.error}")
            ready.add(i)
        if start_at is None:
            start = Start(start_ns=time.perf_counter_ns() + START_MARGIN_NS)
        else:  # a cluster node: its agent says when, once every node is ready
            start = Start(start_ns=await start_at())
        taker.begin(start.start_ns)
        for conn in conns:
            conn.send(start)
        return await _collect(conns, inbox, taker, cancel, started=loop.time())
    finally:
        for conn in conns:
            if not conn.closed:
                loop.remove_reader(conn.fileno())


async def _collect(
    conns: list[Connection],
    inbox: asyncio.Queue[tuple[int, Any]],
    taker: _Ledgers,
    cancel: asyncio.Event,
    *,
    started: float,
) -> tuple[float, str]:
    done: dict[int, float] = {}
    failure = ""
    stopper = asyncio.ensure_future(cancel.wait())
    try:
        while len(done) < len(conns):
            getter = asyncio.ensure_future(inbox.get())
            await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if stopper.done() and not getter.done():
                getter.cancel()
                _broadcast_stop(conns, done)
                stopper = asyncio.ensure_future(asyncio.Event().wait())
                continue
            i, msg = getter.result()
            if isinstance(msg, Snapshot):
                taker.add(msg)
            elif isinstance(msg, Done):
                done[i] = msg.load_s
            elif isinstance(msg, Failed) and i not in done:  # (EOF after Done is normal)
                taker.lost(i)
                at = asyncio.get_running_loop().time() - started
                number, of = taker.numbers[i], taker.of
                failure = failure or (
                    f"worker {number + 1} of {of} was lost at {at:.1f} s "
                    f"({msg.error}; its share: {_share(number, of)}): "
                    "partial results"
                )
                done[i] = 0.0
                _broadcast_stop(conns, done)
    finally:
        stopper.cancel()
    return max(done.values(), default=0.0), failure


class _Ledgers:
    """Passes snapshots on, noting what each worker reported; when one is lost, what its
    ledger says it sent beyond that becomes failed requests of their steps."""

    def __init__(
        self, taker: SnapshotTaker, ledgers: list[Any], numbers: tuple[int, ...], of: int
    ) -> None:
        self._taker = taker
        self._ledgers = ledgers
        self._reported = [[0] * len(ledger) for ledger in ledgers]
        self._start_ns = 0
        self.numbers = numbers  # the run-wide number of each process, by its position here
        self.of = of
        self._position = {number: i for i, number in enumerate(numbers)}

    def begin(self, start_ns: int) -> None:
        self._start_ns = start_ns
        self._taker.begin(start_ns)

    def add(self, snapshot: Snapshot) -> None:
        reported = self._reported[self._position[snapshot.worker]]
        for step in snapshot.steps:
            reported[step.step] += step.requests
        self._taker.add(snapshot)

    def lost(self, worker: int) -> None:
        sent = list(self._ledgers[worker])
        missing = [s - r for s, r in zip(sent, self._reported[worker], strict=True)]
        if any(m > 0 for m in missing):
            t = max(0, (time.perf_counter_ns() - self._start_ns) // 1_000_000_000)
            self.add(lost_snapshot(self.numbers[worker], missing, t))


def _share(worker: int, workers: int) -> str:
    """The users a worker runs: every ``workers``-th, from its own number."""
    first = worker + 1
    return f"users {first}, {first + workers}, {first + 2 * workers}, …"


def _broadcast_stop(conns: list[Connection], done: dict[int, float]) -> None:
    for i, conn in enumerate(conns):
        if i not in done:
            with contextlib.suppress(OSError):
                conn.send(Stop())


def worker_main(
    conn: Connection,
    ledger: Any,
    flowset_json: str,
    plan_json: str,
    worker: int,
    workers: int,
    seed: int | None,
    run_tag: str,
    interval_s: float,
    guard: tuple[int, float] | None = None,
) -> None:
    """Entry point of a worker process. ``guard`` (parent pid, seconds): die with the parent
    and after the deadline, whatever happens (a cluster node's agent can be killed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if guard is not None:
        guard_orphan(*guard)
    try:
        import uvloop

        runner: Any = uvloop.run
    except ImportError:  # pragma: no cover - uvloop is a dependency; plain asyncio still works
        runner = asyncio.run
    try:
        flowset = FlowSet.model_validate_json(flowset_json)
        plan = LoadPlan.model_validate_json(plan_json)
        runner(_worker(conn, ledger, flowset, plan, worker, workers, seed, run_tag, interval_s))
    except Exception as err:  # report, never leave the parent waiting
        with contextlib.suppress(OSError):
            conn.send(Failed(worker=worker, error=f"{type(err).__name__}: {err}"))
    finally:
        conn.close()


async def _worker(
    conn: Connection,
    ledger: Any,
    flowset: FlowSet,
    plan: LoadPlan,
    worker: int,
    workers: int,
    seed: int | None,
    run_tag: str,
    interval_s: float,
) -> None:
    loop = asyncio.get_running_loop()
    conn.send(Ready(worker=worker))
    start = await asyncio.to_thread(conn.recv)
    if not isinstance(start, Start):
        return
    cancel = asyncio.Event()

    def on_message() -> None:
        try:
            msg = conn.recv()
        except (EOFError, OSError):  # the parent went away: stop
            loop.remove_reader(conn.fileno())
            cancel.set()
            return
        if isinstance(msg, Stop):
            cancel.set()

    loop.add_reader(conn.fileno(), on_message)
    part = WorkerPart(
        worker=worker,
        workers=workers,
        start_ns=start.start_ns,
        run_tag=run_tag,
        seed=seed,
        ledger=ledger,
    )
    try:
        load_s, _ = await run_part(
            flowset, plan, part, on_snapshot=conn.send, cancel=cancel, interval_s=interval_s
        )
    finally:
        loop.remove_reader(conn.fileno())
    conn.send(Done(worker=worker, load_s=load_s))
