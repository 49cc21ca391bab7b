"""Per-worker recording: the only metrics code on the request hot path.

A recorder belongs to one worker (one event loop) and is not thread-safe. The hot path only
counts and appends a latency in microseconds to a list for (second, step); histograms are
filled once a second in :meth:`Recorder.snapshot` from value counts, which is exact (HDR
buckets are a function of the value) and several times cheaper than a histogram insert per
request.

Open-model runs (``corrected=True``) keep two latencies per response: from the *intended*
start of the iteration (coordinated-omission corrected, the headline figure) and from the
moment the request was actually sent (uncorrected).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from loadscout.metrics.histogram import LatencyHistogram
from loadscout.metrics.journey_tally import JourneyTally
from loadscout.metrics.snapshot import ErrorCount, SecondDelta, Snapshot, StepDelta

NS_PER_S = 1_000_000_000


class _ErrorEntry:
    __slots__ = ("count", "example")

    def __init__(self, example: str) -> None:
        self.count = 1
        self.example = example


class _Cell:
    """One step within one second."""

    __slots__ = ("connect", "errors", "kinds", "lat", "lat_raw", "requests", "tls", "ttfb")

    def __init__(self) -> None:
        self.requests = 0
        self.errors = 0
        self.lat: list[int] = []
        self.lat_raw: list[int] = []
        self.ttfb: list[int] = []
        self.connect: list[int] = []
        self.tls: list[int] = []
        self.kinds: dict[str, _ErrorEntry] = {}


class _Second:
    __slots__ = ("active_last", "active_max", "cells")

    def __init__(self, active: int) -> None:
        self.cells: dict[int, _Cell] = {}
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
        corrected: bool = False,
    ) -> None:
        self._start_ns = start_ns
        self._worker = worker
        self._clock = clock
        self._corrected = corrected
        self._active = 0
        self._dropped = 0
        self._assets_skipped = 0
        self._resent: dict[int, list[int]] = {}  # step -> [retried, redirects]
        self._seconds: dict[int, _Second] = {}
        self._now = _Second(0)  # the second of the latest record, between these bounds:
        self._now_from = self._now_to = -1
        self.journeys = JourneyTally()  # sent whole with the final snapshot

    @property
    def active_users(self) -> int:
        return self._active

    def user_started(self) -> None:
        self._active += 1
        self._observe_active(self._clock())

    def user_stopped(self) -> None:
        self._active -= 1
        self._observe_active(self._clock())

    def dropped(self, count: int = 1) -> None:
        """Iterations an open-model schedule wanted but could not start (no free user)."""
        self._dropped += count

    def assets_skipped(self, count: int) -> None:
        """Page assets not fetched because their URL is outside the run's scope."""
        self._assets_skipped += count

    def response(
        self,
        step: int,
        start_ns: int,
        end_ns: int,
        kind: str | None = None,
        example: str = "",
        intended_ns: int | None = None,
        ttfb_ns: int = 0,
        connect_ns: int = 0,
        tls_ns: int = 0,
    ) -> None:
        """A response arrived; ``kind`` set means it failed a check (``http_500``, ...).

        ``intended_ns`` is when the request should have been sent (open model); the corrected
        latency counts from there. ``ttfb_ns``, ``connect_ns`` (TCP) and ``tls_ns`` (0: unknown,
        plain http, or a kept-alive connection) are what the HTTP client measured.
        """
        second = self._now
        if not self._now_from <= end_ns < self._now_to:
            second = self._second(end_ns)
        cell = second.cells.get(step) or self._new_cell(second, step)
        cell.requests += 1
        if self._corrected:
            # never below the uncorrected figure, even for a request sent a little early
            base = start_ns if intended_ns is None or intended_ns > start_ns else intended_ns
            cell.lat.append((end_ns - base) // 1000)
            cell.lat_raw.append((end_ns - start_ns) // 1000)
        else:
            cell.lat.append((end_ns - start_ns) // 1000)
        if ttfb_ns:
            cell.ttfb.append(ttfb_ns // 1000)
        if connect_ns:
            cell.connect.append(connect_ns // 1000)
        if tls_ns:
            cell.tls.append(tls_ns // 1000)
        if kind is not None:
            self._error(cell, kind, example)

    def failure(self, step: int, kind: str, example: str, end_ns: int | None = None) -> None:
        """A request attempt that got no response (or could not be sent)."""
        cell = self._cell(step, self._clock() if end_ns is None else end_ns)
        cell.requests += 1
        self._error(cell, kind, example)

    def resent(self, step: int, retried: int, redirects: int) -> None:
        """Of the requests just recorded for ``step``, how many were retries of an attempt
        lost with its connection and how many redirect hops: reported beside the step."""
        counts = self._resent.get(step)
        if counts is None:
            counts = self._resent[step] = [0, 0]
        counts[0] += retried
        counts[1] += redirects

    def snapshot(self, *, final: bool = False) -> Snapshot:
        """Everything recorded since the previous snapshot, then start afresh."""
        now_ns = self._clock()
        self._observe_active(now_ns)
        seconds, self._seconds = self._seconds, {}
        self._now_to = -1  # the remembered second went with them
        dropped, self._dropped = self._dropped, 0
        skipped, self._assets_skipped = self._assets_skipped, 0
        steps: dict[int, _StepAcc] = {}
        second_deltas = []
        for t in sorted(seconds):
            sec = seconds[t]
            acc = _SecondAcc()
            for step, cell in sec.cells.items():
                lat = LatencyHistogram()  # filled once, merged into the step's and the second's
                lat.record_values(cell.lat)
                by_step = steps.get(step)
                if by_step is None:
                    by_step = steps[step] = _StepAcc()
                by_step.add(cell, lat, self._corrected)
                acc.add(cell, lat)
            second_deltas.append(acc.second(t, sec))
        resent, self._resent = self._resent, {}
        for step, (retried, redirects) in resent.items():
            by_step = steps.get(step)
            if by_step is None:
                by_step = steps[step] = _StepAcc()
            by_step.retried, by_step.redirects = retried, redirects
        return Snapshot(
            worker=self._worker,
            steps=tuple(steps[i].step(i, self._corrected) for i in sorted(steps)),
            seconds=tuple(second_deltas),
            dropped_iterations=dropped,
            assets_skipped=skipped,
            final=final,
            covered_s=max(0.0, (now_ns - self._start_ns) / NS_PER_S),
            journeys=self.journeys if final and self.journeys else None,
        )

    def _cell(self, step: int, now_ns: int) -> _Cell:
        second = self._second(now_ns)
        return second.cells.get(step) or self._new_cell(second, step)

    @staticmethod
    def _new_cell(second: _Second, step: int) -> _Cell:
        cell = second.cells[step] = _Cell()
        return cell

    def _second(self, now_ns: int) -> _Second:
        """The second ``now_ns`` falls in; remembered with its bounds, as most records that
        follow fall in the same one."""
        t = max(0, (now_ns - self._start_ns) // NS_PER_S)
        second = self._seconds.get(t)
        if second is None:
            second = self._seconds[t] = _Second(self._active)
        self._now = second
        self._now_from = self._start_ns + t * NS_PER_S if t else -1
        self._now_to = self._start_ns + (t + 1) * NS_PER_S
        return second

    def _observe_active(self, now_ns: int) -> None:
        second = self._second(now_ns)
        second.active_last = self._active
        if self._active > second.active_max:
            second.active_max = self._active

    @staticmethod
    def _error(cell: _Cell, kind: str, example: str) -> None:
        cell.errors += 1
        entry = cell.kinds.get(kind)
        if entry is None:
            cell.kinds[kind] = _ErrorEntry(example)
        else:
            entry.count += 1


class _StepAcc:
    """Sums the cells of one step over seconds."""

    __slots__ = (
        "connect",
        "errors",
        "hist",
        "hist_raw",
        "kinds",
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
        self.hist_raw = LatencyHistogram()
        self.ttfb = LatencyHistogram()
        self.connect = LatencyHistogram()
        self.tls = LatencyHistogram()
        self.kinds: dict[str, _ErrorEntry] = {}

    def add(self, cell: _Cell, lat: LatencyHistogram, corrected: bool) -> None:
        """Add ``cell``, whose latencies ``lat`` holds already."""
        self.requests += cell.requests
        self.errors += cell.errors
        self.hist.merge(lat)
        if corrected:
            self.hist_raw.record_values(cell.lat_raw)
        self.ttfb.record_values(cell.ttfb)
        self.connect.record_values(cell.connect)
        self.tls.record_values(cell.tls)
        for kind, entry in cell.kinds.items():
            mine = self.kinds.get(kind)
            if mine is None:
                mine = self.kinds[kind] = _ErrorEntry(entry.example)
                mine.count = 0
            mine.count += entry.count

    def step(self, step: int, corrected: bool) -> StepDelta:
        kinds = tuple(
            ErrorCount(kind=k, count=e.count, example=e.example) for k, e in self.kinds.items()
        )
        return StepDelta(
            step=step,
            requests=self.requests,
            errors=self.errors,
            histogram=self.hist.encode(),
            error_kinds=kinds,
            histogram_uncorrected=self.hist_raw.encode() if corrected else b"",
            histogram_ttfb=self.ttfb.encode() if self.ttfb.count else b"",
            histogram_connect=self.connect.encode() if self.connect.count else b"",
            histogram_tls=self.tls.encode() if self.tls.count else b"",
            retried=self.retried,
            redirects=self.redirects,
        )


class _SecondAcc:
    """Sums the cells of one second over steps: counts and latency only."""

    __slots__ = ("errors", "hist", "requests")

    def __init__(self) -> None:
        self.requests = 0
        self.errors = 0
        self.hist = LatencyHistogram()

    def add(self, cell: _Cell, lat: LatencyHistogram) -> None:
        self.requests += cell.requests
        self.errors += cell.errors
        self.hist.merge(lat)

    def second(self, t: int, sec: _Second) -> SecondDelta:
        return SecondDelta(
            t=t,
            requests=self.requests,
            errors=self.errors,
            histogram=self.hist.encode(),
            active_max=sec.active_max,
            active_last=sec.active_last,
        )
