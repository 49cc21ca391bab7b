"""Observers that keep a run: in the database, and as the latest live numbers in memory."""

from __future__ import annotations

from loadscout.flows.model import FlowSet
from loadscout.metrics.live import LiveStats
from loadscout.metrics.summary import RunSummary
from loadscout.orchestrator.status import RunStatus
from loadscout.store.runs import RunRepository


class StoreObserver:
    """Writes status changes, flows and the final result of one run to the store."""

    def __init__(self, repo: RunRepository, run_id: int) -> None:
        self._repo = repo
        self._run_id = run_id

    async def on_status(self, status: RunStatus, reason: str) -> None:
        await self._repo.set_status(self._run_id, str(status), reason=reason)

    async def on_flows(self, flowset: FlowSet) -> None:
        await self._repo.save_flows(self._run_id, flowset)

    def on_discovery_progress(self, message: str) -> None:
        pass

    def on_load_progress(self, stats: LiveStats) -> None:
        pass

    async def on_result(self, summary: RunSummary) -> None:
        await self._repo.save_result(self._run_id, summary)


class LiveObserver:
    """Keeps the latest live numbers and discovery message of one run for the API."""

    def __init__(self) -> None:
        self.stats: LiveStats | None = None
        self.message: str = ""

    async def on_status(self, status: RunStatus, reason: str) -> None:
        pass

    async def on_flows(self, flowset: FlowSet) -> None:
        pass

    def on_discovery_progress(self, message: str) -> None:
        self.message = message

    def on_load_progress(self, stats: LiveStats) -> None:
        self.stats = stats

    async def on_result(self, summary: RunSummary) -> None:
        pass
