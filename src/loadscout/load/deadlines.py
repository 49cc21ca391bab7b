"""Request deadlines of one event loop, swept a few times a second: one timer for every
request in flight instead of a timer set and cancelled per request (a measurable share of a
request's CPU at tens of thousands of requests per second)."""

from __future__ import annotations

import asyncio
import weakref
from typing import Protocol


class Expires(Protocol):
    """Something other than a future that can time out (a callback lane's connection)."""

    def expire(self) -> None: ...


Waiting = asyncio.Future[None] | Expires


class Deadlines:
    """The deadlines of one loop's waiting futures; a late one fails with TimeoutError at
    most SWEEP_S after its deadline."""

    SWEEP_S = 0.05

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.clock = loop.time  # the loop's clock, which deadlines are in
        self._due: dict[Waiting, float] = {}
        self._timer: asyncio.TimerHandle | None = None

    def add(self, fut: Waiting, deadline: float) -> None:
        self._due[fut] = deadline
        if self._timer is None:
            self._timer = self._loop.call_later(self.SWEEP_S, self._sweep)

    def discard(self, fut: Waiting) -> None:
        self._due.pop(fut, None)

    def _sweep(self) -> None:
        now = self._loop.time()
        try:
            for fut in [f for f, due in self._due.items() if due <= now]:
                del self._due[fut]
                _expire(fut)
        finally:  # one failing expiry must not stop every later deadline
            self._timer = self._loop.call_later(self.SWEEP_S, self._sweep) if self._due else None


_DEADLINES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Deadlines] = (
    weakref.WeakKeyDictionary()
)


def deadlines_for(loop: asyncio.AbstractEventLoop | None = None) -> Deadlines:
    loop = loop or asyncio.get_running_loop()
    found = _DEADLINES.get(loop)
    if found is None:
        found = _DEADLINES[loop] = Deadlines(loop)
    return found


def _expire(waiting: Waiting) -> None:
    if not isinstance(waiting, asyncio.Future):
        waiting.expire()
    elif not waiting.done():
        waiting.set_exception(TimeoutError("no response within the request timeout"))
