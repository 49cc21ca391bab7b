"""One run from start to finish: discover (unless flows are given), load, summarise."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from loadscout.discovery.crawler import discover
from loadscout.discovery.options import DiscoveryOptions
from loadscout.errors import LoadscoutError, RunFailed
from loadscout.flows.model import DiscoveryReport, FlowSet
from loadscout.load.runner import run_load
from loadscout.metrics.summary import LoadOutcome, RunSummary
from loadscout.orchestrator.observer import Observers
from loadscout.orchestrator.status import RunStatus, transition
from loadscout.plan.profiles import LoadPlan


@dataclass(frozen=True, kw_only=True)
class RunSpec:
    """What to run: flows from discovery (``discovery``) or given up front (``flowset``)."""

    run_id: str
    target_url: str
    plan: LoadPlan
    discovery: DiscoveryOptions | None = None
    flowset: FlowSet | None = None

    def __post_init__(self) -> None:
        if (self.discovery is None) == (self.flowset is None):
            raise ValueError("a RunSpec needs exactly one of discovery options or a flowset")


class _Run:
    """Holds the status of one run so every change goes through the transition table."""

    def __init__(self, spec: RunSpec, observers: Observers, cancel: asyncio.Event) -> None:
        self.spec = spec
        self.observers = observers
        self.cancel = cancel
        self.status = RunStatus.QUEUED
        self.started_at = datetime.now(UTC)

    async def move(self, new: RunStatus, reason: str = "") -> None:
        self.status = transition(self.status, new)
        await self.observers.on_status(new, reason)

    async def flows(self) -> FlowSet:
        if self.spec.flowset is not None:
            return self.spec.flowset
        assert self.spec.discovery is not None
        await self.move(RunStatus.DISCOVERING)
        flowset = await discover(
            self.spec.discovery, on_progress=self.observers.on_discovery_progress
        )
        if not flowset.flows:
            raise RunFailed(f"discovery found no flows to replay at {self.spec.target_url}")
        return flowset

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
                "errors": outcome.errors,
                "timeseries": outcome.timeseries,
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
            reason=reason,
            **extra,
        )


async def execute_run(
    spec: RunSpec, observers: Observers, *, cancel: asyncio.Event | None = None
) -> RunSummary:
    """Run the pipeline; on failure the run is recorded as failed and the error re-raised."""
    run = _Run(spec, observers, cancel or asyncio.Event())
    flowset: FlowSet | None = None
    try:
        flowset = await run.flows()
        await observers.on_flows(flowset)
        if run.cancel.is_set():
            return await _finish(run, flowset, None, RunStatus.CANCELLED, "cancelled by user")
        await run.move(RunStatus.LOADING)
        outcome = await run_load(
            flowset, spec.plan, on_progress=observers.on_load_progress, cancel=run.cancel
        )
    except LoadscoutError as err:
        await _finish(run, flowset, None, RunStatus.FAILED, str(err))
        raise
    except asyncio.CancelledError:
        await _finish(run, flowset, None, RunStatus.CANCELLED, "run task cancelled")
        raise
    except Exception as err:  # a bug or an unexpected crash: keep the record, report it
        await _finish(run, flowset, None, RunStatus.FAILED, f"internal error: {err!r}")
        raise RunFailed(f"run {spec.run_id} failed: {err!r}") from err
    if run.cancel.is_set():
        return await _finish(run, flowset, outcome, RunStatus.CANCELLED, "cancelled by user")
    return await _finish(run, flowset, outcome, RunStatus.COMPLETED, "")


async def _finish(
    run: _Run, flowset: FlowSet | None, outcome: LoadOutcome | None, status: RunStatus, reason: str
) -> RunSummary:
    await run.move(status, reason)
    summary = run.summary(flowset, outcome, reason)
    await run.observers.on_result(summary)
    return summary
