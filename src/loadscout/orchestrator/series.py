"""Live per-second points of a run, written to the store every second (settings) during the load.

The load engine reports LiveStats about once a second; each report carries the latest second
every worker has completed (``stats.point``, on the load clock), which becomes its point.
Writing in batches keeps the store's load small, and a crash loses at most the last batch.
The exact series from the final outcome replaces these points at the end.
"""

from __future__ import annotations

import asyncio
import logging

from loadscout.metrics.live import LiveStats
from loadscout.metrics.summary import TimePoint
from loadscout.store.series import SeriesPoint, SeriesRepository

log = logging.getLogger(__name__)


class SeriesRecorder:
    def __init__(self, series: SeriesRepository, run_id: int, *, flush_s: float = 1.0) -> None:
        self._series = series
        self._run_id = run_id
        self._flush_s = flush_s
        self._pending: list[SeriesPoint] = []
        self._last_t = -1
        self._task: asyncio.Task[None] | None = None

    def add(self, stats: LiveStats) -> None:
        """Buffer the latest complete second, once (never blocks)."""
        point = stats.point
        if point is None or point.t <= self._last_t:
            return
        self._pending.append(SeriesPoint(**point.model_dump()))
        self._last_t = point.t

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=f"series-{self._run_id}")

    async def stop(self) -> None:
        """Stop the writer and write what is still buffered."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self.flush()

    async def flush(self) -> None:
        points, self._pending = self._pending, []
        try:
            await self._series.append(self._run_id, points)
        except Exception:  # the store is down for a moment: keep the points for the next try
            log.warning("run %s: could not write %d series points", self._run_id, len(points))
            self._pending = points + self._pending

    async def replace(self, timeseries: list[TimePoint]) -> None:
        """Replace the live points with the exact series of the finished load."""
        self._pending = []
        await self._series.replace(
            self._run_id, [SeriesPoint(**p.model_dump()) for p in timeseries]
        )

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._flush_s)
            await self.flush()
