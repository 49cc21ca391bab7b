"""A thin wrapper over HdrHistogram: latencies in microseconds in, milliseconds out.

HDR keeps every percentile within 0.1 % (3 significant digits) in fixed memory and merges
losslessly, which is what lets workers record independently and an aggregator add them up.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate, islice
from operator import mul

from hdrh.histogram import HdrHistogram

from loadscout.metrics.summary import LatencySummary

LOWEST_US = 1
HIGHEST_US = 60_000_000
SIGNIFICANT_DIGITS = 3


class LatencyHistogram:
    """Mergeable latency distribution; values outside 1 µs..60 s are clamped, never dropped."""

    __slots__ = ("_h",)

    def __init__(self, _hdr: HdrHistogram | None = None) -> None:
        self._h = _hdr or HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS)

    def record_us(self, value_us: int, count: int = 1) -> None:
        if value_us < LOWEST_US:
            value_us = LOWEST_US
        elif value_us > HIGHEST_US:
            value_us = HIGHEST_US
        self._h.record_value(value_us, count)

    def record_values(self, values: list[int]) -> None:
        """Record a batch (the recorder's, once a second): each distinct value once, its bucket
        computed inline exactly as HdrHistogram's ``record_value`` does, which costs five
        Python calls per value there."""
        if not values:
            return
        h = self._h
        counts = h.counts
        mask, unit = h.sub_bucket_mask, h.unit_magnitude
        half_mag, half = h.sub_bucket_half_count_magnitude, h.sub_bucket_half_count
        for value, count in Counter(values).items():
            if value < LOWEST_US:
                value = LOWEST_US
            elif value > HIGHEST_US:
                value = HIGHEST_US
            bucket = (value | mask).bit_length() - unit - half_mag - 1
            counts[((bucket + 1) << half_mag) + (value >> (bucket + unit)) - half] += count
        h.total_count += len(values)
        h.min_value = min(h.min_value, max(LOWEST_US, min(values)))
        h.max_value = max(h.max_value, min(HIGHEST_US, max(values)))

    def merge(self, other: LatencyHistogram) -> None:
        """Add ``other``'s samples into this histogram (lossless)."""
        if other.count:
            self._h.add(other._h)

    @property
    def count(self) -> int:
        return int(self._h.get_total_count())

    def percentile_ms(self, percentile: float) -> float:
        return self.percentiles_ms((percentile,))[0]

    def percentiles_ms(self, percentiles: Sequence[float]) -> list[float]:
        """Several percentiles from one running sum of the buckets, summed in C (the same
        values as HdrHistogram's own ``get_value_at_percentile``, which walks every bucket
        in Python once per call): the live view asks for a dozen every second."""
        total = self.count
        if not total:
            return [0.0] * len(percentiles)
        first, counts = self._counts()
        running = list(accumulate(counts))
        highs = _layout(self._h)[0]
        out = []
        for p in percentiles:
            target = max(int(min(p, 100.0) / 100.0 * total + 0.5), 1)
            at = first + min(bisect_left(running, target), len(running) - 1)
            out.append(highs[at] / 1000.0)
        return out

    def max_ms(self) -> float:
        return float(self._h.get_max_value()) / 1000.0 if self.count else 0.0

    def mean_ms(self) -> float:
        """Each response counted at the middle of its bucket."""
        total = self.count
        if not total:
            return 0.0
        first, counts = self._counts()
        sums = islice(_layout(self._h)[1], first, None)
        twice_us: int = sum(map(mul, counts, sums))
        return twice_us / 2 / total / 1000.0

    def summary(self) -> LatencySummary:
        """Percentiles, max and mean; all None for an empty histogram."""
        if not self.count:
            return LatencySummary()
        p50, p90, p95, p99 = self.percentiles_ms((50, 90, 95, 99))
        return LatencySummary(
            p50=p50,
            p90=p90,
            p95=p95,
            p99=p99,
            max=self.max_ms(),
            mean=round(self.mean_ms(), 3),
        )

    def distribution(self) -> list[tuple[float, int]]:
        """(upper bound ms, responses) on a 1-2-5 scale from 1 ms up to the slowest response;
        every response is in exactly one bucket (HDR buckets go by their lowest value)."""
        if not self.count:
            return []
        bounds = _bounds_ms(self.max_ms())
        counts = [0] * len(bounds)
        at = 0
        for low, _high, count in self._nonzero():
            while at < len(bounds) - 1 and low / 1000.0 > bounds[at]:
                at += 1
            counts[at] += count
        return list(zip(bounds, counts, strict=True))

    def _counts(self) -> tuple[int, list[int]]:
        """The index of the first bucket holding samples, and the counts from there to the
        last that does: copied and trimmed in C (indexing the ctypes array costs a Python
        call per bucket, of thousands mostly empty)."""
        h = self._h
        if h.word_size != 8:
            counts = list(h.counts[: h.counts_len])
            return 0, counts
        raw = bytes(memoryview(h.counts).cast("B")[: h.counts_len * 8])
        first = (len(raw) - len(raw.lstrip(b"\0"))) // 8
        end = (len(raw.rstrip(b"\0")) + 7) // 8
        if end <= first:
            return 0, [0]
        return first, memoryview(raw).cast("Q")[first:end].tolist()

    def _nonzero(self) -> list[tuple[int, int, int]]:
        """(lowest value, highest value, count) of every bucket holding samples, in order."""
        h = self._h
        half_mag = h.sub_bucket_half_count_magnitude
        unit_mag = h.unit_magnitude
        out = []
        for index, count in enumerate(h.counts[: h.counts_len]):
            if count:
                low = h.get_value_from_index(index)
                size = 1 << (unit_mag + max(0, (index >> half_mag) - 1))
                out.append((low, low + size - 1, count))
        return out

    def encode(self) -> bytes:
        """The compressed HDR wire format, for snapshots that cross process boundaries."""
        return bytes(self._h.encode())

    @classmethod
    def decode(cls, data: bytes) -> LatencyHistogram:
        return cls(HdrHistogram.decode(data))


_LAYOUTS: dict[tuple[int, int, int, int], tuple[list[int], list[int]]] = {}


def _layout(h: HdrHistogram) -> tuple[list[int], list[int]]:
    """Per bucket index of histograms shaped like ``h``: its highest value, and its lowest
    plus highest (twice its middle); worked out once per shape."""
    key = (h.counts_len, h.unit_magnitude, h.sub_bucket_half_count_magnitude, h.sub_bucket_count)
    found = _LAYOUTS.get(key)
    if found is None:
        half_mag, unit_mag = h.sub_bucket_half_count_magnitude, h.unit_magnitude
        highs, sums = [], []
        for index in range(h.counts_len):
            low = h.get_value_from_index(index)
            high = low + (1 << (unit_mag + max(0, (index >> half_mag) - 1))) - 1
            highs.append(high)
            sums.append(low + high)
        found = _LAYOUTS[key] = (highs, sums)
    return found


def _bounds_ms(top_ms: float) -> list[float]:
    """1, 2, 5, 10, 20, 50, ... ms until a bound reaches ``top_ms``."""
    bounds: list[float] = []
    decade = 1.0
    while not bounds or bounds[-1] < top_ms:
        bounds += [decade * m for m in (1, 2, 5)]
        decade *= 10
    while len(bounds) > 1 and bounds[-2] >= top_ms:
        bounds.pop()
    return bounds
