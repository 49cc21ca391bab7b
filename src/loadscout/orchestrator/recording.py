"""Observers that keep a run: in the database, and as the latest live numbers in memory."""

from __future__ import annotations

import asyncio
import logging
import os
import socket

from loadscout.flows.model import FlowSet
from loadscout.metrics.live import LiveStats
from loadscout.metrics.summary import RunSummary
from loadscout.orchestrator.series import SeriesRecorder
from loadscout.status import RunStatus
from loadscout.store.runs import RunRepository

log = logging.getLogger(__name__)
LEASE_HOLDER = f"process:{socket.gethostname()}:{os.getpid()}"


class StoreObserver:
    """Writes status changes, notes, flows, the live series and the final result to the store.

    With a ``series`` recorder, per-second points are written every few seconds while the run
    loads (so they survive a crash) and replaced by the exact series at the end. With
    ``own_lease_s`` (the default, for runs outside a server such as ``loadscout run``) it holds
    the run's lease itself while the run is active, so a server marks the run "interrupted" if
    this process dies; a server's RunControl passes None, its heartbeat holds the lease.
    """

    def __init__(
        self,
        repo: RunRepository,
        run_id: int,
        *,
        series: SeriesRecorder | None = None,
        own_lease_s: float | None = 15.0,
    ) -> None:
        self._repo = repo
        self._run_id = run_id
        self._series = series
        self._lease_s = own_lease_s
        self._lease_task: asyncio.Task[None] | None = None

    async def on_status(self, status: RunStatus, reason: str) -> None:
        await self._repo.set_status(self._run_id, status, reason=reason)
        if self._series is not None and status is RunStatus.LOADING:
            self._series.start()
        if status.is_final:
            await self._release()
        elif status is not RunStatus.QUEUED and self._lease_task is None and self._lease_s:
            await self._repo.hold(self._run_id, LEASE_HOLDER, lease_s=self._lease_s)
            self._lease_task = asyncio.create_task(self._keep_lease(self._lease_s))

    async def _keep_lease(self, lease_s: float) -> None:
        while True:
            await asyncio.sleep(lease_s / 3)
            try:
                await self._repo.hold(self._run_id, LEASE_HOLDER, lease_s=lease_s)
            except Exception:  # the database is away for a moment: the next beat may work
                log.warning("run %s: could not renew its lease", self._run_id)

    async def _release(self) -> None:
        if self._lease_task is not None:
            self._lease_task.cancel()
            await asyncio.gather(self._lease_task, return_exceptions=True)
            self._lease_task = None

    async def on_note(self, status: RunStatus, reason: str) -> None:
        await self._repo.add_event(self._run_id, status, reason)

    async def on_flows(self, flowset: FlowSet) -> None:
        await self._repo.save_flows(self._run_id, flowset)

    def on_discovery_progress(self, message: str) -> None:
        pass

    def on_load_progress(self, stats: LiveStats) -> None:
        if self._series is not None:
            self._series.add(stats)

    async def on_result(self, summary: RunSummary) -> None:
        if self._series is not None:
            await self._series.stop()
            if summary.timeseries:
                await self._series.replace(summary.timeseries)
        await self._repo.save_result(self._run_id, summary)


class LiveObserver:
    """Keeps the latest live numbers and discovery message of one run for the API."""

    def __init__(self) -> None:
        self.stats: LiveStats | None = None
        self.message: str = ""
        self.status: RunStatus = RunStatus.QUEUED

    async def on_status(self, status: RunStatus, reason: str) -> None:
        self.status = status

    async def on_flows(self, flowset: FlowSet) -> None:
        pass

    def on_discovery_progress(self, message: str) -> None:
        self.message = message

    def on_load_progress(self, stats: LiveStats) -> None:
        self.stats = stats

    async def on_result(self, summary: RunSummary) -> None:
        pass
