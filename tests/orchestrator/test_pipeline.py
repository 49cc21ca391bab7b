"""execute_run under a RunPolicy: timeouts keep partial results, transient failures retry.

The load runs for real against a local target. Browser crashes cannot be caused on demand, so
the retry and discovery-timeout tests replace ``discover`` with a stand-in that fails or hangs;
the browser test at the end cancels a real discovery.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

import pytest
from playwright.async_api import Error as PlaywrightError

from loadscout.errors import RunFailed, TargetError, TransientFailure
from loadscout.flows.model import FlowSet
from loadscout.metrics.live import LiveStats
from loadscout.metrics.summary import RunSummary
from loadscout.orchestrator import pipeline
from loadscout.orchestrator.observer import Observers
from loadscout.orchestrator.options import RunOptions
from loadscout.orchestrator.policy import PhaseTimeout, RunPolicy
from loadscout.settings import default_chromium
from loadscout.status import RunStatus
from tests.orchestrator.tiny_target import TinyTarget, tiny_target


class Recording:
    def __init__(self) -> None:
        self.statuses: list[tuple[RunStatus, str]] = []
        self.notes: list[str] = []
        self.result: RunSummary | None = None

    async def on_status(self, status: RunStatus, reason: str) -> None:
        self.statuses.append((status, reason))

    async def on_note(self, status: RunStatus, reason: str) -> None:
        self.notes.append(reason)

    async def on_flows(self, flowset: FlowSet) -> None:
        pass

    def on_discovery_progress(self, message: str) -> None:
        pass

    def on_load_progress(self, stats: LiveStats) -> None:
        pass

    async def on_result(self, summary: RunSummary) -> None:
        self.result = summary


def _spec(tiny: TinyTarget, *, discover: bool = False, **overrides: Any) -> pipeline.RunSpec:
    body = tiny.run_body(**overrides)
    if discover:
        body.pop("flowset")
    spec = RunOptions.from_document(body).spec("1", chromium_path=default_chromium())
    return replace(spec, plan=spec.plan.model_copy(update={"workers": 0}))  # in-process users


async def test_load_timeout_fails_the_run_keeping_partial_results(tiny: TinyTarget) -> None:
    seen = Recording()
    with pytest.raises(PhaseTimeout, match=r"load exceeded its 0\.8 s timeout"):
        await pipeline.execute_run(
            _spec(tiny, duration_s=30), Observers([seen]), policy=RunPolicy(load_timeout_s=0.8)
        )
    assert [s for s, _ in seen.statuses] == [RunStatus.LOADING, RunStatus.FAILED]
    assert seen.result is not None and seen.result.totals.requests > 0
    assert seen.result.status == "failed"


async def test_whole_run_timeout_caps_every_phase(tiny: TinyTarget) -> None:
    seen = Recording()
    started = time.monotonic()
    with pytest.raises(PhaseTimeout, match=r"the run exceeded its 0\.8 s timeout during load"):
        await pipeline.execute_run(
            _spec(tiny, duration_s=30),
            Observers([seen]),
            policy=RunPolicy(load_timeout_s=60, run_timeout_s=0.8),
        )
    assert time.monotonic() - started < 5
    assert seen.result is not None and seen.result.totals.requests > 0


def _fake_discover(monkeypatch: pytest.MonkeyPatch, behaviours: list[Any]) -> list[str]:
    """Replace discovery: each call takes the next behaviour (an exception, "hang" or flows)."""
    calls: list[str] = []

    async def fake(options: Any, *, on_progress: Any = None, replayer: Any = None) -> FlowSet:
        behaviour = behaviours[min(len(calls), len(behaviours) - 1)]
        calls.append("called")
        if behaviour == "hang":
            try:
                await asyncio.sleep(3600)
            finally:
                calls.append("cleaned up")
        if isinstance(behaviour, BaseException):
            raise behaviour
        assert isinstance(behaviour, FlowSet)
        return behaviour

    monkeypatch.setattr(pipeline, "discover", fake)
    return calls


async def test_a_transient_discovery_failure_is_retried(
    tiny: TinyTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_discover(monkeypatch, [PlaywrightError("Browser closed"), tiny.flowset()])
    seen = Recording()
    summary = await pipeline.execute_run(
        _spec(tiny, discover=True),
        Observers([seen]),
        policy=RunPolicy(max_attempts=2, retry_delay_s=0.01),
    )
    assert summary.status == "completed" and len(calls) == 2
    assert [s for s, _ in seen.statuses] == [
        RunStatus.DISCOVERING,
        RunStatus.LOADING,
        RunStatus.COMPLETED,
    ]
    assert len(seen.notes) == 1 and "discovery attempt 1 of 2 failed" in seen.notes[0]


@pytest.mark.parametrize(
    ("error", "attempts", "calls_made"),
    [
        (PlaywrightError("Target crashed"), 3, 3),
        (TransientFailure("worker 1 died"), 2, 2),
        (TargetError("no such host"), 3, 1),
        (RunFailed("found nothing"), 3, 1),
    ],
)
async def test_retries_are_bounded_and_only_for_transient_failures(
    tiny: TinyTarget,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    attempts: int,
    calls_made: int,
) -> None:
    calls = _fake_discover(monkeypatch, [error])
    seen = Recording()
    with pytest.raises((RunFailed, TargetError)):
        await pipeline.execute_run(
            _spec(tiny, discover=True),
            Observers([seen]),
            policy=RunPolicy(max_attempts=attempts, retry_delay_s=0.01),
        )
    assert len(calls) == calls_made
    assert len(seen.notes) == calls_made - 1
    assert seen.statuses[-1][0] is RunStatus.FAILED


async def test_discovery_timeout_stops_discovery(
    tiny: TinyTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_discover(monkeypatch, ["hang"])
    seen = Recording()
    with pytest.raises(PhaseTimeout, match=r"discovery exceeded its 0\.3 s timeout"):
        await pipeline.execute_run(
            _spec(tiny, discover=True),
            Observers([seen]),
            policy=RunPolicy(discovery_timeout_s=0.3, max_attempts=3),
        )
    assert calls == ["called", "cleaned up"]  # timeouts are not retried
    assert seen.statuses[-1] == (RunStatus.FAILED, "discovery exceeded its 0.3 s timeout")


async def _cancel_when_hanging(target: TinyTarget, cancel: asyncio.Event) -> float:
    """Cancel once discovery waits on the slow page (or after 30 s)."""
    for _ in range(3000):
        if target.hits["/slow"]:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)
    cancel.set()
    return time.monotonic()


@pytest.mark.browser
async def test_cancel_stops_a_real_discovery_within_two_seconds() -> None:
    with tiny_target(slow_s=20) as slow:  # discovery hangs on /slow until cancelled
        seen, cancel = Recording(), asyncio.Event()
        spec = _spec(slow, discover=True, max_pages=5)
        canceller = asyncio.create_task(_cancel_when_hanging(slow, cancel))
        summary = await pipeline.execute_run(spec, Observers([seen]), cancel=cancel)
        took = time.monotonic() - await canceller
    assert slow.hits["/slow"] >= 1, slow.hits
    assert summary.status == "cancelled"
    assert [s for s, _ in seen.statuses] == [RunStatus.DISCOVERING, RunStatus.CANCELLED]
    assert took < 2.0


async def test_a_failed_load_is_never_attempted_again(
    tiny: TinyTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its requests reached the target: a second load would send them twice."""
    calls: list[int] = []

    async def broken_load(*_: object, **__: object) -> None:
        calls.append(1)
        raise OSError("network went away")

    monkeypatch.setattr(pipeline, "run_load", broken_load)
    with pytest.raises(RunFailed, match="network went away"):
        await pipeline.execute_run(
            _spec(tiny), Observers([Recording()]), policy=RunPolicy(max_attempts=3)
        )
    assert calls == [1]
