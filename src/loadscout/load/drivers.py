"""Follow a profile's schedule in one worker: start and retire users (closed model) or start
iterations at their arrival times (open model).

Worker ``w`` of ``W`` takes every W-th user (global numbers w+1, w+1+W, ...) and every W-th
arrival (``plan.striping``), so N workers together follow exactly the schedule one would.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import Callable, Iterable

from loadscout.load.state import RunState
from loadscout.load.vuser import VirtualUser
from loadscout.metrics.recorder import Recorder
from loadscout.plan.striping import Striping

log = logging.getLogger(__name__)

# Event-loop timers fire up to 1 ms late (epoll and libuv count whole milliseconds), which an
# open model would report as the generator's own lag; so an arrival is released when it is
# within EARLY_S of its time. Latency then counts from the actual send (the recorder never
# counts from an intended time later than the send), so being early never flatters results.
EARLY_S = 0.001

UserMaker = Callable[[int], VirtualUser]  # global user number -> user


async def drive_closed(
    changes: Iterable[tuple[float, int]],
    make_user: UserMaker,
    state: RunState,
    *,
    start: float,
    worker: int = 0,
    workers: int = 1,
) -> None:
    """Keep this worker's share of the wanted users running; newest users retire first."""
    loop = asyncio.get_running_loop()
    users: list[VirtualUser] = []
    tasks: set[asyncio.Task[None]] = set()
    striping = Striping.even(workers)
    made = 0
    try:
        for at, total in changes:
            wait = start + at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if state.should_stop():
                break
            want = striping.share(total, worker)
            users = [u for u in users if not u.retired]
            while len(users) < want:
                user = make_user(striping.item(worker, made))
                made += 1
                users.append(user)
                task = asyncio.create_task(user.run(), name=f"loadscout-vu-{user.number}")
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            while len(users) > want:
                users.pop().retired = True
    finally:
        await _finish(tasks, state)


async def drive_open(
    arrival_times: Iterable[float],
    make_user: UserMaker,
    state: RunState,
    recorder: Recorder,
    *,
    start: float,
    start_ns: int,
    max_users: int,
    max_delay_s: float,
    worker: int = 0,
    workers: int = 1,
) -> None:
    """Start an iteration at each of this worker's arrival times on a free user.

    With no free user and ``max_users`` busy, the arrival waits in a queue (its latency keeps
    counting from the intended time: coordinated omission correction); one that has waited
    longer than ``max_delay_s`` is dropped and counted.
    """
    pool = _OpenPool(
        make_user,
        state,
        recorder,
        start=start,
        start_ns=start_ns,
        limit=max(1, Striping.even(workers).share(max_users, worker)),
        max_delay_s=max_delay_s,
        worker=worker,
        workers=workers,
    )
    await pool.follow(arrival_times)


class _OpenPool:
    """The users of an open-model worker: idle ones take queued arrivals; new ones are made
    while under the limit."""

    def __init__(
        self,
        make_user: UserMaker,
        state: RunState,
        recorder: Recorder,
        *,
        start: float,
        start_ns: int,
        limit: int,
        max_delay_s: float,
        worker: int,
        workers: int,
    ) -> None:
        self._make_user = make_user
        self._state = state
        self._recorder = recorder
        self._start = start
        self._start_ns = start_ns
        self._limit = limit
        self._max_delay_s = max_delay_s
        self._worker = worker
        self._striping = Striping.even(workers)
        self._idle: list[VirtualUser] = []
        self._users: list[VirtualUser] = []
        self._waiting: collections.deque[float] = collections.deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._freed = asyncio.Event()

    async def follow(self, arrival_times: Iterable[float]) -> None:
        loop = asyncio.get_running_loop()
        w, mine = self._worker, self._striping.owner
        arrivals = iter(arrival_times)
        i = -1
        current = 0  # 1 while the arrival in hand is neither waiting nor started
        try:
            for i, at in enumerate(arrivals):
                if mine(i + 1) != w:
                    continue
                current = 1
                if not await self._wait_for(at):
                    return
                self._waiting.append(at)
                current = 0
                self._dispatch(loop.time())
            while not self._state.should_stop():
                self._freed.clear()
                self._dispatch(loop.time())
                timeout = min(0.5, max(0.01, self._state.remaining_s()))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._freed.wait(), timeout)
        finally:
            # scheduled but never started (the run ended first): dropped, so that requests
            # plus dropped iterations always add up to the schedule
            late = sum(1 for j, _ in enumerate(arrivals, start=i + 2) if mine(j) == w)
            self._recorder.dropped(len(self._waiting) + late + current)
            self._waiting.clear()
            await _finish(self._tasks, self._state)
            for user in self._users:
                await user.close()

    async def _wait_for(self, at: float) -> bool:
        """Serve the queue until arrival ``at`` is due; False when the run stops first."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            if self._state.should_stop():
                return False
            self._dispatch(now)
            wait = self._start + at - now
            if wait <= EARLY_S:
                return True
            self._freed.clear()
            if self._waiting:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._freed.wait(), wait - EARLY_S)
            else:
                await asyncio.sleep(wait - EARLY_S)

    def _dispatch(self, now: float) -> None:
        waiting = self._waiting
        while waiting:
            if now - (self._start + waiting[0]) > self._max_delay_s:
                waiting.popleft()
                self._recorder.dropped()
                continue
            if self._idle:
                self._launch(self._idle.pop(), waiting.popleft(), first=False)
            elif len(self._users) < self._limit:
                user = self._make_user(self._striping.item(self._worker, len(self._users)))
                self._users.append(user)
                self._launch(user, waiting.popleft(), first=True)
            else:
                return

    def _launch(self, user: VirtualUser, at: float, *, first: bool) -> None:
        task = asyncio.create_task(self._one(user, at, first))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _one(self, user: VirtualUser, at: float, first: bool) -> None:
        if first:
            await user.open()
        await user.iterate(self._start_ns + int(at * 1e9), think_last=False)
        self._idle.append(user)
        self._freed.set()


async def _finish(tasks: set[asyncio.Task[None]], state: RunState) -> None:
    """Wait until the runner stops the run, then cancel what is still running."""
    await state.stopped.wait()
    pending = list(tasks)
    for task in pending:
        task.cancel()
    results = await asyncio.gather(*pending, return_exceptions=True)
    for result in results:
        if isinstance(result, Exception):
            log.error("virtual user crashed", exc_info=result)
