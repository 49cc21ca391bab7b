"""One run from start to finish: discover (unless flows are given), load, summarise.

Each phase runs under the run's policy (orchestrator/policy.py): a timeout per phase and one for
the whole run, bounded retries of transient failures, and cancel. A cancelled or timed-out load
keeps the partial results measured so far.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from loadscout.discovery.engine import discover
from loadscout.discovery.options import DiscoveryConfig
from loadscout.discovery.probe import probe_target
from loadscout.errors import LoadscoutError, RunFailed
from loadscout.flows.model import DiscoveryReport, FlowSet
from loadscout.load.replay import replay_flow
from loadscout.load.runner import run_load
from loadscout.metrics.summary import LoadOutcome, RunSummary
from loadscout.orchestrator.observer import Observers
from loadscout.orchestrator.policy import (
    PhaseStopped,
    PhaseTimeout,
    RunPolicy,
    is_transient,
    run_phase,
    set_after,
)
from loadscout.plan.egress import EgressPolicy, check_url
from loadscout.plan.profiles import LoadPlan
from loadscout.status import RunStatus, transition

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class RunSpec:
    """What to run: flows from discovery (``discovery``) or given up front (``flowset``)."""

    run_id: str
    target_url: str
    plan: LoadPlan
    discovery: DiscoveryConfig | None = None
    flowset: FlowSet | None = None
    ray_address: str | None = None  # run the load on this Ray cluster (load/cluster.py)
    ray_nodes: int | None = None

    def __post_init__(self) -> None:
        if (self.discovery is None) == (self.flowset is None):
            raise ValueError("a RunSpec needs exactly one of discovery options or a flowset")


async def check_target(
    url: str, allowed_hosts: frozenset[str] = frozenset(), egress: EgressPolicy | None = None
) -> None:
    """Fail with TargetError unless ``url`` answers with an HTML page: before any run starts.
    The egress policy is checked first (EgressRefused), then holds the probe's every hop."""
    if egress is not None:
        await check_url(egress, url)
    await probe_target(url, allowed_hosts=allowed_hosts, egress=egress)


async def discover_flows(
    config: DiscoveryConfig, *, on_progress: Callable[[str], None] | None = None
) -> FlowSet:
    """One discovery, its flows verified by replaying them as the load engine will: what a
    run's discovery phase does, and all that ``loadscout discover`` does."""
    return await discover(config, on_progress=on_progress, replayer=replay_flow)


class _Run:
    """Holds the status of one run so every change goes through the transition table."""

    def __init__(
        self, spec: RunSpec, observers: Observers, cancel: asyncio.Event, policy: RunPolicy
    ) -> None:
        self.spec = spec
        self.observers = observers
        self.cancel = cancel
        self.policy = policy
        self.status = RunStatus.QUEUED
        self.started_at = datetime.now(UTC)
        loop = asyncio.get_running_loop()
        self._clock = loop.time
        self._deadline = (
            None if policy.run_timeout_s is None else loop.time() + policy.run_timeout_s
        )

    async def move(self, new: RunStatus, reason: str = "") -> None:
        self.status = transition(self.status, new)
        await self.observers.on_status(new, reason)

    def budget(self, phase_timeout_s: float | None) -> float | None:
        """The time a phase may take: its own timeout, capped by what is left of the run's."""
        if self._deadline is None:
            return phase_timeout_s
        left = max(0.0, self._deadline - self._clock())
        return left if phase_timeout_s is None else min(left, phase_timeout_s)

    def timeout_reason(self, phase: str, phase_timeout_s: float | None) -> str:
        if self._deadline is not None and self._clock() >= self._deadline - 0.05:
            return f"the run exceeded its {self.policy.run_timeout_s:g} s timeout during {phase}"
        return f"{phase} exceeded its {phase_timeout_s:g} s timeout"

    async def attempt(self, phase: str, number: int, err: BaseException) -> bool:
        """Whether to try ``phase`` again after ``err``; notes the retry in the run's history."""
        if not is_transient(err) or number >= self.policy.max_attempts or self.cancel.is_set():
            return False
        reason = (
            f"{phase} attempt {number} of {self.policy.max_attempts} failed ({err!r}); retrying"
        )
        log.warning("run %s: %s", self.spec.run_id, reason)
        await self.observers.on_note(self.status, reason)
        await asyncio.sleep(self.policy.retry_delay_s)
        return True

    async def flows(self) -> FlowSet:
        if self.spec.flowset is not None:
            return self.spec.flowset
        assert self.spec.discovery is not None
        await self.move(RunStatus.DISCOVERING)
        number = 0
        while True:
            number += 1
            try:
                flowset = await self._discover_once()
                break
            except (PhaseStopped, PhaseTimeout):
                raise
            except Exception as err:
                if not await self.attempt("discovery", number, err):
                    raise
        if not flowset.flows and not flowset.journeys:
            raise RunFailed(f"discovery found no flows to replay at {self.spec.target_url}")
        return flowset

    async def _discover_once(self) -> FlowSet:
        assert self.spec.discovery is not None
        timeout = self.policy.discovery_timeout_s
        work = discover_flows(self.spec.discovery, on_progress=self.observers.on_discovery_progress)
        try:
            return await run_phase(
                work, stop=self.cancel, timeout_s=self.budget(timeout), what="discovery"
            )
        except PhaseTimeout:
            raise PhaseTimeout(self.timeout_reason("discovery", timeout)) from None

    async def load(self, flowset: FlowSet) -> tuple[LoadOutcome, str]:
        """Run the load once; the reason is empty unless a timeout cut it short (partial
        outcome). Never attempted again: its requests reached the target, and a second load
        would send them twice while reporting one (a lost worker gives partial results)."""
        stop = asyncio.Event()
        timeout = self.policy.load_timeout_s
        watchdog = asyncio.create_task(set_after(stop, self.cancel, self.budget(timeout)))
        try:
            outcome = await run_load(
                flowset,
                self.spec.plan,
                on_progress=self.observers.on_load_progress,
                cancel=stop,
                ray_address=self.spec.ray_address,
                ray_nodes=self.spec.ray_nodes,
            )
        finally:
            watchdog.cancel()
        timed_out = watchdog.done() and not watchdog.cancelled() and watchdog.result()
        return outcome, self.timeout_reason("load", timeout) if timed_out else ""

    def summary(
        self, flowset: FlowSet | None, outcome: LoadOutcome | None, reason: str
    ) -> RunSummary:
        discovery = (flowset.discovery if flowset else None) or DiscoveryReport()
        extra = (
            {}
            if outcome is None
            else {
                "duration_s": outcome.duration_s,
                "totals": outcome.totals,
                "steps": outcome.steps,
                "endpoints": outcome.endpoints,
                "latency_distribution": outcome.latency_distribution,
                "errors": outcome.errors,
                "timeseries": outcome.timeseries,
                "thresholds": outcome.thresholds,
                "verdict": outcome.verdict,
                "realism": outcome.realism,
                "partial": outcome.partial,
                "nodes": outcome.nodes,
            }
        )
        return RunSummary(
            run_id=self.spec.run_id,
            target_url=self.spec.target_url,
            status=str(self.status),
            started_at=self.started_at,
            finished_at=datetime.now(UTC),
            users=self.spec.plan.profile.users,
            discovery=discovery,
            reason=reason or (outcome.aborted if outcome is not None else ""),
            **extra,
        )


async def execute_run(
    spec: RunSpec,
    observers: Observers,
    *,
    cancel: asyncio.Event | None = None,
    policy: RunPolicy | None = None,
) -> RunSummary:
    """Run the pipeline; on failure the run is recorded as failed and the error re-raised."""
    run = _Run(spec, observers, cancel or asyncio.Event(), policy or RunPolicy())
    flowset: FlowSet | None = None
    try:
        flowset = await run.flows()
        await observers.on_flows(flowset)
        if run.cancel.is_set():
            return await _finish(run, flowset, None, RunStatus.CANCELLED, "cancelled by user")
        await run.move(RunStatus.LOADING)
        outcome, timeout_reason = await run.load(flowset)
    except PhaseStopped:
        return await _finish(run, flowset, None, RunStatus.CANCELLED, "cancelled by user")
    except LoadscoutError as err:
        await _finish(run, flowset, None, RunStatus.FAILED, str(err))
        raise
    except asyncio.CancelledError:
        await _finish(run, flowset, None, RunStatus.CANCELLED, "run task cancelled")
        raise
    except Exception as err:  # a bug or an unexpected crash: keep the record, report it
        await _finish(run, flowset, None, RunStatus.FAILED, f"internal error: {err!r}")
        raise RunFailed(f"run {spec.run_id} failed: {err!r}") from err
    if timeout_reason:
        await _finish(run, flowset, outcome, RunStatus.FAILED, timeout_reason)
        raise PhaseTimeout(timeout_reason)
    if run.cancel.is_set():
        return await _finish(run, flowset, outcome, RunStatus.CANCELLED, "cancelled by user")
    return await _finish(run, flowset, outcome, RunStatus.COMPLETED, "")


async def _finish(
    run: _Run, flowset: FlowSet | None, outcome: LoadOutcome | None, status: RunStatus, reason: str
) -> RunSummary:
    """Store the result before announcing the final status: a finished run always has one."""
    run.status = transition(run.status, status)
    summary = run.summary(flowset, outcome, reason)
    await run.observers.on_result(summary)
    await run.observers.on_status(status, reason)
    return summary
