"""What a run reports while it executes; the store, the console and the live view listen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from loadscout.flows.model import FlowSet
from loadscout.metrics.live import LiveStats
from loadscout.metrics.summary import RunSummary
from loadscout.status import RunStatus


class RunObserver(Protocol):
    async def on_status(self, status: RunStatus, reason: str) -> None: ...

    async def on_flows(self, flowset: FlowSet) -> None: ...

    def on_discovery_progress(self, message: str) -> None:
        """Called from the discovery loop: must not block."""

    def on_load_progress(self, stats: LiveStats) -> None:
        """Called about once a second from the load loop: must not block."""

    async def on_result(self, summary: RunSummary) -> None: ...


class Observers:
    """Fans every event out to several observers in order."""

    def __init__(self, observers: Sequence[RunObserver]) -> None:
        self._observers = list(observers)

    async def on_status(self, status: RunStatus, reason: str) -> None:
        for o in self._observers:
            await o.on_status(status, reason)

    async def on_flows(self, flowset: FlowSet) -> None:
        for o in self._observers:
            await o.on_flows(flowset)

    def on_discovery_progress(self, message: str) -> None:
        for o in self._observers:
            o.on_discovery_progress(message)

    def on_load_progress(self, stats: LiveStats) -> None:
        for o in self._observers:
            o.on_load_progress(stats)

    async def on_result(self, summary: RunSummary) -> None:
        for o in self._observers:
            await o.on_result(summary)

    async def on_note(self, status: RunStatus, reason: str) -> None:
        """A remark for the run's history that is not a status change (a retry).

        Optional for observers: only those with an ``on_note`` method hear it.
        """
        for o in self._observers:
            note = getattr(o, "on_note", None)
            if note is not None:
                await note(status, reason)
