"""Merges recorder snapshots (from one worker or many) into live stats and the final outcome.

Snapshots are deltas, so merging is addition; HDR histograms add losslessly, which makes the
result of N workers identical to one worker that recorded everything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from loadscout.flows.url_patterns import endpoint_key
from loadscout.metrics.catalog import StepInfo
from loadscout.metrics.histogram import LatencyHistogram
from loadscout.metrics.journey_tally import JourneyTally
from loadscout.metrics.live import LiveStats, LiveStep
from loadscout.metrics.snapshot import SecondDelta, Snapshot, StepDelta
from loadscout.metrics.summary import (
    LOW_SAMPLE,
    DistributionBucket,
    EndpointSummary,
    ErrorSummary,
    LatencySummary,
    LoadOutcome,
    StepSummary,
    TimePoint,
    Totals,
)

LIVE_STEPS = 8  # steps in the live view: each costs a percentile pass per tick
_EXAMPLE = re.compile(r"^(?P<method>[A-Z]+) (?P<url>\S+): (?P<message>.*)$", re.S)


class _Counts:
    __slots__ = (
        "connect",
        "errors",
        "hist",
        "hist_raw",
        "redirects",
        "requests",
        "retried",
        "tls",
        "ttfb",
    )

    def __init__(self) -> None:
        self.requests = 0
        self.errors = 0
        self.retried = 0
        self.redirects = 0
        self.hist = LatencyHistogram()
        self.hist_raw: LatencyHistogram | None = None  # only in open-model runs
        self.ttfb: LatencyHistogram | None = None  # where the HTTP client measures them
        self.connect: LatencyHistogram | None = None
        self.tls: LatencyHistogram | None = None  # https only

    def add(self, requests: int, errors: int, histogram: bytes, raw: bytes = b"") -> None:
        self.requests += requests
        self.errors += errors
        self.hist.merge(LatencyHistogram.decode(histogram))
        if raw:
            if self.hist_raw is None:
                self.hist_raw = LatencyHistogram()
            self.hist_raw.merge(LatencyHistogram.decode(raw))

    def add_timings(self, step: StepDelta) -> None:
        """What only steps carry: timings, retries and redirects."""
        self.retried += step.retried
        self.redirects += step.redirects
        self.ttfb = _merged(self.ttfb, step.histogram_ttfb)
        self.connect = _merged(self.connect, step.histogram_connect)
        self.tls = _merged(self.tls, step.histogram_tls)

    def merge(self, other: _Counts) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.hist.merge(other.hist)
        if other.hist_raw is not None:
            if self.hist_raw is None:
                self.hist_raw = LatencyHistogram()
            self.hist_raw.merge(other.hist_raw)


_EMPTY = _Counts()


class Aggregator:
    """Cumulative state of a run, built only from snapshots."""

    def __init__(self, catalog: Sequence[StepInfo], *, workers: int = 1) -> None:
        self._catalog = list(catalog)
        self._workers = max(1, workers)
        self._covered: dict[int, float] = {}  # worker -> load-clock seconds its snapshots cover
        self._steps = [_Counts() for _ in self._catalog]
        self._total = _Counts()
        self._seconds: dict[int, _Counts] = {}
        # (step, kind) -> (count, first example)
        self._kinds: dict[tuple[int, str], tuple[int, str]] = {}
        self._active: dict[int, dict[int, tuple[int, int]]] = {}  # worker -> t -> (max, last)
        self.dropped_iterations = 0
        self.assets_skipped = 0
        self.journeys = JourneyTally()

    @property
    def catalog(self) -> list[StepInfo]:
        return self._catalog

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def requests(self) -> int:
        return self._total.requests

    def counts(self, steps: Sequence[int] | None = None) -> tuple[int, int, LatencyHistogram]:
        """Requests, errors and the latency histogram of ``steps`` (all when None), merged."""
        if steps is None:
            total = self._total
            return total.requests, total.errors, total.hist
        merged = _Counts()
        for i in steps:
            merged.merge(self._steps[i])
        return merged.requests, merged.errors, merged.hist

    def add(self, snapshot: Snapshot) -> None:
        if snapshot.journeys is not None:
            self.journeys.merge(snapshot.journeys)
        self.dropped_iterations += snapshot.dropped_iterations
        self.assets_skipped += snapshot.assets_skipped
        covered = self._covered.get(snapshot.worker, 0.0)
        self._covered[snapshot.worker] = max(covered, snapshot.covered_s)
        for step in snapshot.steps:
            self._add_step(step)
        active = self._active.setdefault(snapshot.worker, {})
        for second in snapshot.seconds:
            self._add_second(second, active)

    def complete_second(self) -> int:
        """The latest second every worker has reported in full (-1: none yet)."""
        if len(self._covered) < self._workers:
            return -1
        return int(min(self._covered.values())) - 1

    def live(self, *, elapsed_s: float, duration_s: float) -> LiveStats:
        """Totals so far, and the latest complete second as ``point`` (its rate is ``rps``)."""
        t = min(self.complete_second(), int(elapsed_s) - 1)
        point = None
        if t >= 0:
            users = _active_series(self._active, t)[t]
            point = _point(t, self._seconds.get(t) or _EMPTY, 1.0, users)
        p50, p95, p99 = _percentiles(self._total.hist, (50, 95, 99))
        busiest = sorted(range(len(self._steps)), key=lambda i: -self._steps[i].requests)
        steps = []
        for i in busiest[:LIVE_STEPS]:
            counts, info = self._steps[i], self._catalog[i]
            if not counts.requests:
                break
            s50, s95 = _percentiles(counts.hist, (50, 95))
            steps.append(
                LiveStep(
                    flow=info.flow,
                    name=info.name,
                    requests=counts.requests,
                    errors=counts.errors,
                    p50_ms=s50,
                    p95_ms=s95,
                )
            )
        return LiveStats(
            elapsed_s=round(elapsed_s, 3),
            duration_s=duration_s,
            active_users=sum(_latest(by_t)[1] for by_t in self._active.values()),
            requests=self._total.requests,
            errors=self._total.errors,
            rps=point.rps if point else 0.0,
            p50_ms=p50,
            p95_ms=p95,
            p99_ms=p99,
            dropped_iterations=self.dropped_iterations,
            steps=steps,
            point=point,
        )

    def outcome(self, *, duration_s: float, load_s: float | None = None) -> LoadOutcome:
        """The run's result; ``load_s`` (default ``duration_s``) is how long load was generated.

        The timeseries spans ``load_s``; responses that arrived later (requests in flight at
        the stop) are folded into its last second.
        """
        total = self._total
        return LoadOutcome(
            duration_s=round(duration_s, 3),
            totals=Totals(
                requests=total.requests,
                errors=total.errors,
                error_rate=total.errors / total.requests if total.requests else 0.0,
                rps=round(total.requests / duration_s, 3) if duration_s > 0 else 0.0,
                latency_ms=total.hist.summary(),
                latency_uncorrected_ms=_raw_summary(total),
                dropped_iterations=self.dropped_iterations,
                ttfb_ms=_summary(total.ttfb),
                connect_ms=_summary(total.connect),
                tls_ms=_summary(total.tls),
                assets_skipped=self.assets_skipped,
            ),
            steps=[_step_summary(i, c) for i, c in zip(self._catalog, self._steps, strict=True)],
            errors=[
                _error(self._catalog[step], kind, count, example)
                for (step, kind), (count, example) in sorted(
                    self._kinds.items(), key=lambda kv: (-kv[1][0], kv[0])
                )
            ],
            timeseries=self._timeseries(duration_s if load_s is None else load_s),
            endpoints=self._endpoints(),
            latency_distribution=[
                DistributionBucket(le_ms=le, count=n) for le, n in total.hist.distribution()
            ],
        )

    def _endpoints(self) -> list[EndpointSummary]:
        """Steps merged per method and URL pattern (histograms merged, not percentiles
        averaged), busiest first; page assets stay one entry."""
        merged: dict[tuple[str, str], _Counts] = {}
        for info, counts in zip(self._catalog, self._steps, strict=True):
            key = endpoint_key(info.method, info.url)
            merged.setdefault(key, _Counts()).merge(counts)
        rows = [_endpoint(key, c) for key, c in merged.items() if c.requests]
        return sorted(rows, key=lambda e: (-e.requests, e.method, e.pattern))

    def _add_step(self, step: StepDelta) -> None:
        raw = step.histogram_uncorrected
        self._steps[step.step].add(step.requests, step.errors, step.histogram, raw)
        self._total.add(step.requests, step.errors, step.histogram, raw)
        for counts in (self._steps[step.step], self._total):
            counts.add_timings(step)
        for err in step.error_kinds:
            key = (step.step, err.kind)
            count, example = self._kinds.get(key, (0, err.example))
            self._kinds[key] = (count + err.count, example)

    def _add_second(self, second: SecondDelta, active: dict[int, tuple[int, int]]) -> None:
        counts = self._seconds.get(second.t)
        if counts is None:
            counts = self._seconds[second.t] = _Counts()
        counts.add(second.requests, second.errors, second.histogram)
        prev = active.get(second.t)
        peak = max(second.active_max, prev[0]) if prev else second.active_max
        active[second.t] = (peak, second.active_last)

    def _timeseries(self, load_s: float) -> list[TimePoint]:
        n = max(1, math.ceil(load_s))
        seconds = {t: c for t, c in self._seconds.items() if t < n - 1}
        last = seconds[n - 1] = _Counts()  # a fresh object: folding must not touch our state
        for t, counts in self._seconds.items():
            if t >= n - 1:
                last.requests += counts.requests
                last.errors += counts.errors
                last.hist.merge(counts.hist)
        users = _active_series(self._active, n - 1)
        points = []
        for t in range(n):
            width = min(1.0, load_s - t) if load_s > t else 1.0
            points.append(_point(t, seconds.get(t) or _EMPTY, width, users[t]))
        return points


def _percentiles(hist: LatencyHistogram, percentiles: tuple[float, ...]) -> list[float | None]:
    """Percentiles in ms, None for an empty histogram: no response is not 0 ms."""
    if not hist.count:
        return [None] * len(percentiles)
    return list(hist.percentiles_ms(percentiles))


def _point(t: int, counts: _Counts, width: float, users: int) -> TimePoint:
    """Second ``t`` (``width`` seconds of it under load); no latency without a response."""
    p50 = p95 = p99 = None
    if counts.hist.count:
        p50, p95, p99 = counts.hist.percentiles_ms((50, 95, 99))
    return TimePoint(
        t=t,
        rps=round(counts.requests / width, 3),
        errors=counts.errors,
        active_users=users,
        p50_ms=p50,
        p95_ms=p95,
        p99_ms=p99,
    )


def _error(info: StepInfo, kind: str, count: int, example: str) -> ErrorSummary:
    """One error group, its example split into a readable message and the URL requested."""
    match = _EXAMPLE.match(example)
    status = int(kind[5:]) if kind.startswith("http_") and kind[5:].isdigit() else None
    return ErrorSummary(
        kind=kind,
        count=count,
        example=example,
        flow=info.flow,
        step=info.name,
        status=status,
        message=match["message"] if match else example,
        url=match["url"] if match else info.url,
    )


def _latest(by_t: dict[int, tuple[int, int]]) -> tuple[int, int]:
    return by_t[max(by_t)] if by_t else (0, 0)


def _active_series(active: dict[int, dict[int, tuple[int, int]]], last_t: int) -> list[int]:
    """Users per second summed over workers; a worker's silent second carries its last count."""
    series = [0] * (last_t + 1)
    for by_t in active.values():
        carried = 0
        for t in range(last_t + 1):
            seen = by_t.get(t)
            if seen is None:
                series[t] += carried
            else:
                series[t] += seen[0]
                carried = seen[1]
    return series


def _step_summary(info: StepInfo, counts: _Counts) -> StepSummary:
    return StepSummary(
        flow=info.flow,
        name=info.name,
        method=info.method,
        url=info.url,
        requests=counts.requests,
        errors=counts.errors,
        retried=counts.retried,
        redirects=counts.redirects,
        latency_ms=counts.hist.summary(),
        latency_uncorrected_ms=_raw_summary(counts),
        ttfb_ms=_summary(counts.ttfb),
        connect_ms=_summary(counts.connect),
        tls_ms=_summary(counts.tls),
    )


def _endpoint(key: tuple[str, str], counts: _Counts) -> EndpointSummary:
    samples = counts.hist.count
    return EndpointSummary(
        method=key[0],
        pattern=key[1],
        requests=counts.requests,
        errors=counts.errors,
        error_rate=counts.errors / counts.requests if counts.requests else 0.0,
        latency_ms=counts.hist.summary(),
        samples=samples,
        low_sample=samples < LOW_SAMPLE,
    )


def _merged(hist: LatencyHistogram | None, encoded: bytes) -> LatencyHistogram | None:
    """``hist`` with ``encoded``'s samples added; created on the first samples."""
    if not encoded:
        return hist
    hist = hist or LatencyHistogram()
    hist.merge(LatencyHistogram.decode(encoded))
    return hist


def _summary(hist: LatencyHistogram | None) -> LatencySummary | None:
    return None if hist is None else hist.summary()


def _raw_summary(counts: _Counts) -> LatencySummary | None:
    return None if counts.hist_raw is None else counts.hist_raw.summary()
