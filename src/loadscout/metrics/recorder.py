"""Per-worker recording: the only metrics code on the request hot path.

A recorder belongs to one worker (one event loop) and is not thread-safe. It counts requests,
errors by kind and latencies per step and per wall-clock second, and tracks active users; the
runner drains it into :class:`Snapshot` deltas about once a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from loadscout.metrics.histogram import LatencyHistogram
from loadscout.metrics.snapshot import ErrorCount, SecondDelta, Snapshot, StepDelta

NS_PER_S = 1_000_000_000


class _ErrorEntry:
    __slots__ = ("count", "example")

    def __init__(self, example: str) -> None:
        self.count = 1
        self.example = example


class _StepStats:
    __slots__ = ("errors", "hist", "kinds", "requests")

    def __init__(self) -> None:
        self.requests = 0
        self.errors = 0
        self.hist = LatencyHistogram()
        self.kinds: dict[str, _ErrorEntry] = {}


class _SecondStats:
    __slots__ = ("active_last", "active_max", "errors", "hist", "requests")

    def __init__(self, active: int) -> None:
        self.requests = 0
        self.errors = 0
        self.hist = LatencyHistogram()
        self.active_max = active
        self.active_last = active


class Recorder:
    """Records outcomes of requests; ``snapshot()`` returns and resets what was recorded.

    Every request attempt is recorded exactly once: ``response`` when the target answered
    (its latency is recorded, even when a check failed), ``failure`` when no response arrived
    (connection errors, timeouts, a step that could not be rendered; no latency).
    """

    def __init__(
        self,
        *,
        start_ns: int,
        worker: int = 0,
        clock: Callable[[], int] = time.perf_counter_ns,
    ) -> None:
        self._start_ns = start_ns
        self._worker = worker
        self._clock = clock
        self._active = 0
        self._steps: dict[int, _StepStats] = {}
        self._seconds: dict[int, _SecondStats] = {}

    @property
    def active_users(self) -> int:
        return self._active

    def user_started(self) -> None:
        self._active += 1
        self._observe_active(self._clock())

    def user_stopped(self) -> None:
        self._active -= 1
        self._observe_active(self._clock())

    def response(
        self, step: int, start_ns: int, end_ns: int, kind: str | None = None, example: str = ""
    ) -> None:
        """A response arrived; ``kind`` set means it failed a check (``http_500``, ...)."""
        latency_us = (end_ns - start_ns) // 1000
        stats = self._step(step)
        stats.requests += 1
        stats.hist.record_us(latency_us)
        second = self._second(end_ns)
        second.requests += 1
        second.hist.record_us(latency_us)
        if kind is not None:
            self._error(stats, second, kind, example)

    def failure(self, step: int, kind: str, example: str, end_ns: int | None = None) -> None:
        """A request attempt that got no response (or could not be sent)."""
        stats = self._step(step)
        stats.requests += 1
        second = self._second(self._clock() if end_ns is None else end_ns)
        second.requests += 1
        self._error(stats, second, kind, example)

    def snapshot(self) -> Snapshot:
        """Everything recorded since the previous snapshot, then start afresh."""
        self._observe_active(self._clock())
        steps = tuple(_step_delta(i, s) for i, s in sorted(self._steps.items()))
        seconds = tuple(_second_delta(t, s) for t, s in sorted(self._seconds.items()))
        self._steps = {}
        self._seconds = {}
        return Snapshot(worker=self._worker, steps=steps, seconds=seconds)

    def _step(self, step: int) -> _StepStats:
        stats = self._steps.get(step)
        if stats is None:
            stats = self._steps[step] = _StepStats()
        return stats

    def _second(self, now_ns: int) -> _SecondStats:
        t = max(0, (now_ns - self._start_ns) // NS_PER_S)
        second = self._seconds.get(t)
        if second is None:
            second = self._seconds[t] = _SecondStats(self._active)
        return second

    def _observe_active(self, now_ns: int) -> None:
        second = self._second(now_ns)
        second.active_last = self._active
        if self._active > second.active_max:
            second.active_max = self._active

    @staticmethod
    def _error(stats: _StepStats, second: _SecondStats, kind: str, example: str) -> None:
        stats.errors += 1
        second.errors += 1
        entry = stats.kinds.get(kind)
        if entry is None:
            stats.kinds[kind] = _ErrorEntry(example)
        else:
            entry.count += 1


def _step_delta(step: int, s: _StepStats) -> StepDelta:
    kinds = tuple(ErrorCount(kind=k, count=e.count, example=e.example) for k, e in s.kinds.items())
    return StepDelta(
        step=step,
        requests=s.requests,
        errors=s.errors,
        histogram=s.hist.encode(),
        error_kinds=kinds,
    )


def _second_delta(t: int, s: _SecondStats) -> SecondDelta:
    return SecondDelta(
        t=t,
        requests=s.requests,
        errors=s.errors,
        histogram=s.hist.encode(),
        active_max=s.active_max,
        active_last=s.active_last,
    )
