"""RunControl: the facade the API uses to queue, watch and cancel runs.

Runs wait in the database (store/queue.py). Each server claims the oldest queued run whenever
it has a free slot, renews its leases with a heartbeat, and on start (and every lease period)
marks runs whose server vanished as failed, "interrupted". Any number of servers may share one
PostgreSQL database: a claim is atomic, so no run ever runs twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from loadscout.errors import BadInput, LoadscoutError
from loadscout.flows.model import FlowSet
from loadscout.orchestrator.artifacts import remove_run_artifacts
from loadscout.orchestrator.control_config import ControlConfig
from loadscout.orchestrator.observer import Observers
from loadscout.orchestrator.options import RunOptions, run_artifacts_dir
from loadscout.orchestrator.pipeline import RunSpec, check_target, execute_run
from loadscout.orchestrator.policy import RunPolicy
from loadscout.orchestrator.recording import LiveObserver, StoreObserver
from loadscout.orchestrator.series import SeriesRecorder
from loadscout.orchestrator.target_gate import TargetNotVerified
from loadscout.status import RunStatus
from loadscout.store.queue import CancelOutcome, RunQueue
from loadscout.store.quotas import QuotaExceeded, check_size
from loadscout.store.records import RunRecord
from loadscout.store.runs import RunOwner, RunRepository
from loadscout.store.series import SeriesRepository
from loadscout.store.targets import TargetRepository

log = logging.getLogger(__name__)


SECRET_NAMES = ("password",)  # kept in this server's memory only, never in the database


def submitted_options(options: RunOptions) -> dict[str, Any]:
    """The fields the user set, for the server that will execute the run (unset fields stay
    unset, so a flows file's ``load:`` section still applies); secrets are left out: they
    would linger in the database's journal even after the column is cleared."""
    given = options.document(given_only=True)
    return {k: v for k, v in given.items() if k not in SECRET_NAMES}


def run_secrets(options: RunOptions) -> dict[str, str]:
    given = options.document(secrets=True, given_only=True)
    return {k: given[k] for k in SECRET_NAMES if given.get(k)}


def holder_is_dead(holder: str) -> bool:
    """Whether a lease holder ("host:pid:tag" for a server, "process:host:pid" for
    ``loadscout run``) was a process on this machine that no longer exists.

    Lets a restarted server fail its predecessor's runs at once instead of after the lease.
    A holder on another machine, or a pid that is alive (perhaps reused), is left to its lease.
    """
    parts = holder.split(":")
    if parts[0] == "process":
        parts = parts[1:]
    if len(parts) < 2 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class RerunRefused(LoadscoutError):
    """A run that cannot be run again (not finished, or no flows were kept)."""


class RunControl:
    """Claims queued runs from the database and runs each as a task, ``max_concurrent`` at once."""

    def __init__(
        self,
        *,
        repo: RunRepository,
        queue: RunQueue,
        series: SeriesRepository,
        config: ControlConfig,
        targets: TargetRepository | None = None,
    ) -> None:
        self._repo = repo
        self._targets = targets
        self._queue = queue
        self._series = series
        self.config = config
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._cancels: dict[int, asyncio.Event] = {}
        self._live: dict[int, LiveObserver] = {}
        self._secrets: dict[int, dict[str, str]] = {}  # run id -> its passwords, in memory only
        self._wake = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []
        self._last_upkeep = float("-inf")

    async def start(self) -> None:
        """Recover what a crashed server left behind, then start claiming runs."""
        await self._upkeep()
        self._loops = [
            asyncio.create_task(self._dispatch_loop(), name="loadscout-dispatch"),
            asyncio.create_task(self._heartbeat_loop(), name="loadscout-heartbeat"),
        ]

    async def submit(self, options: RunOptions, owner: RunOwner | None = None) -> RunRecord:
        """Check limits and that the target answers with HTML, then queue the run: the
        ``owner`` team's run when given, within its quotas (QuotaExceeded)."""
        self.config.limits.check(options)
        if owner is not None:
            profile = options.plan().profile
            check_size(owner.quotas, users=profile.users, duration_s=profile.duration_s)
            await self._check_owned(owner.team_id, options)
        options.check_secrets()
        await check_target(
            options.target_url, self.config.limits.allowed_targets, self.config.egress
        )
        record = await self._repo.create(
            target_url=options.target_url,
            users=options.load.users,
            duration_s=options.plan().profile.duration_s,
            options=options.document(),
            flowset=options.flowset,
            submitted=submitted_options(options),
            owner=owner,
        )
        if secrets := run_secrets(options):
            self._secrets[record.id] = secrets
        self._wake.set()
        return record

    async def _check_owned(self, team_id: int, options: RunOptions) -> None:
        """In team mode, TargetNotVerified unless the run is small or its host proved the
        team's (checked now, again)."""
        if self.config.target_gate is None or self._targets is None:
            return
        profile = options.plan().profile
        await self.config.target_gate.check(
            self._targets,
            team_id=team_id,
            url=options.target_url,
            users=profile.users,
            duration_s=profile.duration_s,
        )

    async def rerun(self, run_id: int, owner: RunOwner | None = None) -> RunRecord | None:
        """Queue a new run with a finished run's settings and its very flows (no discovery:
        discovery is not deterministic, so like-for-like comparisons replay the same flows).
        None for an unknown run; RerunRefused when it cannot be replayed."""
        record = await self._repo.get(run_id)
        if record is None:
            return None
        if not RunStatus(record.status).is_final:
            raise RerunRefused(
                f"run {run_id} is {record.status}: run it again once it has finished"
            )
        flows = await self._repo.get_flows(run_id)
        if flows is None:
            raise RerunRefused(
                f"run {run_id} has no flows to replay (it ended before discovery finished); "
                "start a new run instead"
            )
        submitted = await self._repo.get_submitted(run_id) or record.options
        given = {k: v for k, v in submitted.items() if k not in SECRET_NAMES}  # masked ones
        try:
            options = RunOptions.from_document({**given, "flowset": flows})
            return await self.submit(options, owner)
        except QuotaExceeded:
            raise
        except BadInput as err:
            raise RerunRefused(f"run {run_id} cannot run again as it was: {err}") from None

    def live(self, run_id: int) -> LiveObserver | None:
        return self._live.get(run_id)

    def active_runs(self) -> dict[int, LiveObserver]:
        return dict(self._live)

    @property
    def running(self) -> bool:
        """Whether this server is claiming runs (its loops are alive)."""
        return bool(self._loops) and not any(t.done() for t in self._loops)

    def is_active(self, run_id: int) -> bool:
        return run_id in self._tasks

    async def cancel(self, run_id: int) -> CancelOutcome:
        """Stop a run wherever it is: here at once, on another server at its next heartbeat."""
        outcome = await self._queue.request_cancel(run_id)
        event = self._cancels.get(run_id)
        if event is not None:
            event.set()
        return outcome

    async def edit_flows(
        self, run_id: int, flowset: FlowSet
    ) -> RunStatus | Literal["starting"] | None:
        """Replace a queued run's flows; the status it was in (edited only if still queued).
        OptionRejected if the flowset breaks this server's limits."""
        self.config.limits.check_flowset(flowset)
        return await self._queue.edit_flows(run_id, flowset)

    def run_folder(self, run_id: int) -> Path | None:
        """The folder of the run's files (page thumbnails); None when this server keeps none."""
        root = self.config.artifacts_dir
        return None if root is None else run_artifacts_dir(root, run_id)

    async def remove_artifacts(self, run_id: int) -> None:
        """Delete the run's files, for a run being deleted."""
        await remove_run_artifacts(self.config.artifacts_dir, run_id)

    async def shutdown(self) -> None:
        for loop_task in self._loops:
            loop_task.cancel()
        tasks = [*self._loops, *self._tasks.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _dispatch_loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self._upkeep_if_due()
                await self._claim_while_free()
            except Exception:  # the database is unreachable for a moment: try again soon
                log.exception("claiming runs failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.poll_s)

    async def _claim_while_free(self) -> None:
        while len(self._tasks) < self.config.max_concurrent:
            record = await self._queue.claim(self.config.worker_id, lease_s=self.config.lease_s)
            if record is None:
                return
            self._launch(record)

    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(self.config.heartbeat_s)
            try:
                wanted = await self._queue.heartbeat(
                    self.config.worker_id, lease_s=self.config.lease_s
                )
            except Exception:
                log.exception("heartbeat failed")
                continue
            for run_id in wanted:
                if (event := self._cancels.get(run_id)) is not None:
                    event.set()

    async def _upkeep_if_due(self) -> None:
        now = asyncio.get_running_loop().time()
        if now - self._last_upkeep >= self.config.lease_s / 2:
            self._last_upkeep = now
            await self._upkeep()

    async def _upkeep(self) -> None:
        lost = await self._queue.recover_orphans()
        for run_id, holder in (await self._queue.holders()).items():
            if holder_is_dead(holder) and await self._queue.interrupt(run_id, holder):
                lost.append(run_id)
        if lost:
            log.warning("marked %d interrupted run(s) failed: %s", len(lost), lost)
        if self.config.retention is not None:
            purged = await self._repo.purge_finished_before(
                datetime.now(UTC) - self.config.retention
            )
            if purged:
                log.info("retention: deleted %d old run(s)", purged)

    def _launch(self, record: RunRecord) -> None:
        run_id = record.id
        self._cancels[run_id] = asyncio.Event()
        self._live[run_id] = LiveObserver()
        task = asyncio.create_task(self._execute(record), name=f"run-{run_id}")
        self._tasks[run_id] = task
        task.add_done_callback(lambda _: self._forget(run_id))

    async def _execute(self, record: RunRecord) -> None:
        run_id = record.id
        series = SeriesRecorder(self._series, run_id, flush_s=self.config.series_flush_s)
        store = StoreObserver(self._repo, run_id, series=series, own_lease_s=None)
        try:
            submitted = await self._repo.get_submitted(run_id) or record.options
            secrets = self._secrets.get(run_id, {})
            if record.options.get("password") and not secrets:
                raise BadInput(
                    "its password was kept in the memory of the server that queued it, which "
                    "no longer has it (restarted, or another server claimed the run): "
                    "start the run again"
                )
            flows = await self._repo.get_flows(run_id)
            given = {k: v for k, v in submitted.items() if k not in SECRET_NAMES}
            options = RunOptions.from_document({**given, **secrets, "flowset": flows})
            spec = self._spec(run_id, options)
        except Exception as err:  # stored by another version, or a file that vanished
            await store.on_status(RunStatus.FAILED, f"the run's options are unusable: {err}")
            return
        try:  # proved when submitted; a queued run may start much later
            await self._check_owned(record.team_id, options)
        except TargetNotVerified as err:
            await store.on_status(RunStatus.FAILED, f"not started: {err}")
            return
        observers = Observers([store, self._live[run_id]])
        try:
            await execute_run(
                spec, observers, cancel=self._cancels[run_id], policy=self._policy(spec)
            )
        except LoadscoutError as err:
            log.warning("run %s failed: %s", run_id, err)
        except Exception:
            log.exception("run %s crashed", run_id)
        finally:
            await series.stop()

    def _spec(self, run_id: int, options: RunOptions) -> RunSpec:
        folder = self.run_folder(run_id)
        shots = None if folder is None else folder / "screenshots"
        spec = options.spec(
            str(run_id), chromium_path=self.config.chromium_path, screenshots_dir=shots
        )
        if self.config.load_workers is not None:
            plan = spec.plan.model_copy(update={"workers": self.config.load_workers})
            spec = replace(spec, plan=plan)
        if spec.ray_address is None and self.config.ray_address is not None:
            spec = replace(spec, ray_address=self.config.ray_address)
        # held at every request (allow-list) and every new connection (egress)
        allowed = {
            "allowed_hosts": self.config.limits.allowed_targets,
            "egress": self.config.egress,
        }
        spec = replace(spec, plan=spec.plan.model_copy(update=allowed))
        if spec.discovery is None:
            return spec
        pages = min(spec.discovery.concurrency, self.config.max_browser_pages)
        update = {"concurrency": pages, **allowed}
        return replace(spec, discovery=spec.discovery.model_copy(update=update))

    def _policy(self, spec: RunSpec) -> RunPolicy:
        grace = self.config.phase_timeout_grace_s
        discovery = None if spec.discovery is None else spec.discovery.max_time_s + grace
        return RunPolicy(
            discovery_timeout_s=discovery,
            load_timeout_s=spec.plan.profile.duration_s + grace,
            run_timeout_s=self.config.run_timeout_s,
            max_attempts=self.config.max_attempts,
        )

    def _forget(self, run_id: int) -> None:
        self._secrets.pop(run_id, None)
        self._tasks.pop(run_id, None)
        self._cancels.pop(run_id, None)
        self._live.pop(run_id, None)
        self._wake.set()
