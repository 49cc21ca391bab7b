"""RunControl: the facade the API uses to start, watch and cancel runs in the server."""

from __future__ import annotations

import asyncio
import logging

from loadscout.discovery.probe import probe_target
from loadscout.errors import LoadscoutError
from loadscout.orchestrator.observer import Observers
from loadscout.orchestrator.options import RunOptions
from loadscout.orchestrator.pipeline import execute_run
from loadscout.orchestrator.recording import LiveObserver, StoreObserver
from loadscout.orchestrator.status import RunStatus
from loadscout.store.records import RunRecord
from loadscout.store.runs import RunRepository

log = logging.getLogger(__name__)


class RunControl:
    """Runs each submitted run as a background task, at most ``max_concurrent`` at once."""

    def __init__(
        self, *, repo: RunRepository, max_concurrent: int, chromium_path: str | None
    ) -> None:
        self._repo = repo
        self._chromium_path = chromium_path
        self._slots = asyncio.Semaphore(max_concurrent)
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._cancels: dict[int, asyncio.Event] = {}
        self._live: dict[int, LiveObserver] = {}

    async def submit(self, options: RunOptions) -> RunRecord:
        """Check the target answers with HTML, store the run as queued and start it."""
        await probe_target(options.target_url)
        record = await self._repo.create(
            target_url=options.target_url,
            users=options.users,
            duration_s=options.duration_s,
            options=options.model_dump(mode="json", exclude={"flowset"}),
        )
        self._cancels[record.id] = asyncio.Event()
        self._live[record.id] = LiveObserver()
        task = asyncio.create_task(self._execute(record.id, options), name=f"run-{record.id}")
        self._tasks[record.id] = task
        task.add_done_callback(lambda _: self._forget(record.id))
        return record

    def live(self, run_id: int) -> LiveObserver | None:
        return self._live.get(run_id)

    def is_active(self, run_id: int) -> bool:
        return run_id in self._tasks

    async def cancel(self, run_id: int) -> bool:
        """Ask a live run to stop; False when this server is not running it."""
        event = self._cancels.get(run_id)
        if event is None:
            return False
        event.set()
        return True

    async def shutdown(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _execute(self, run_id: int, options: RunOptions) -> None:
        cancel = self._cancels[run_id]
        store = StoreObserver(self._repo, run_id)
        async with self._slots:
            if cancel.is_set():
                await store.on_status(RunStatus.CANCELLED, "cancelled before it started")
                return
            spec = options.spec(str(run_id), chromium_path=self._chromium_path)
            observers = Observers([store, self._live[run_id]])
            try:
                await execute_run(spec, observers, cancel=cancel)
            except LoadscoutError as err:
                log.warning("run %s failed: %s", run_id, err)
            except Exception:
                log.exception("run %s crashed", run_id)

    def _forget(self, run_id: int) -> None:
        self._tasks.pop(run_id, None)
        self._cancels.pop(run_id, None)
        self._live.pop(run_id, None)
