"""What the runner and its virtual users share: when to stop and how many requests are out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, MutableSequence


class RunState:
    """Stop signal plus an in-flight counter, so the runner can wait for requests to finish.

    Users check ``should_stop()`` and call ``begin()`` with no await in between, so once
    ``stopping`` is set and ``idle`` fires no new request can start.
    """

    __slots__ = (
        "_clock",
        "_coverage_picks",
        "_wires",
        "deadline",
        "idle",
        "in_flight",
        "ledger",
        "stopped",
        "stopping",
    )

    def __init__(self, *, deadline: float, clock: Callable[[], float]) -> None:
        self.deadline = deadline
        self._clock = clock
        self.stopping = False
        self.in_flight = 0
        self.idle = asyncio.Event()
        self.idle.set()
        self.stopped = asyncio.Event()  # set once the grace for in-flight requests is over
        self._coverage_picks = 0
        # requests sent per step id, in memory the parent process reads if this worker dies
        self.ledger: MutableSequence[int] | None = None
        self._wires: dict[int, Callable[[], None]] = {}

    def coverage_pick(self, flows: int) -> int | None:
        """The first ``flows`` iterations of the whole run take each flow once, in order, so a
        short run still loads every flow; after that users pick by weight (None)."""
        if self._coverage_picks >= flows:
            return None
        self._coverage_picks += 1
        return self._coverage_picks - 1

    def should_stop(self) -> bool:
        return self.stopping or self._clock() >= self.deadline

    def remaining_s(self) -> float:
        return 0.0 if self.stopping else max(0.0, self.deadline - self._clock())

    def begin(self) -> None:
        self.in_flight += 1
        if self.in_flight == 1:
            self.idle.clear()

    def on_wire(self, step: int) -> Callable[[], None] | None:
        """What the client calls as it hands a request of ``step`` to the socket (each resend
        and redirect too). Counting there, not when the step begins, keeps a worker killed
        while it connects or waits for a connection from counting a request no server got."""
        ledger = self.ledger
        if ledger is None:
            return None
        wire = self._wires.get(step)
        if wire is None:

            def wire() -> None:
                ledger[step] += 1

            self._wires[step] = wire
        return wire

    def count(self, step: int) -> None:
        """A request of ``step`` reported without reaching a socket (it could not connect,
        say): the ledger counts what the reports count."""
        if self.ledger is not None:
            self.ledger[step] += 1

    def end(self) -> None:
        self.in_flight -= 1
        if self.in_flight == 0:
            self.idle.set()
