"""A thin wrapper over HdrHistogram: latencies in microseconds in, milliseconds out.

HDR keeps every percentile within 0.1 % (3 significant digits) in fixed memory and merges
losslessly, which is what lets workers record independently and an aggregator add them up.
"""

from __future__ import annotations

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

    def record_us(self, value_us: int) -> None:
        if value_us < LOWEST_US:
            value_us = LOWEST_US
        elif value_us > HIGHEST_US:
            value_us = HIGHEST_US
        self._h.record_value(value_us)

    def merge(self, other: LatencyHistogram) -> None:
        """Add ``other``'s samples into this histogram (lossless)."""
        if other.count:
            self._h.add(other._h)

    @property
    def count(self) -> int:
        return int(self._h.get_total_count())

    def percentile_ms(self, percentile: float) -> float:
        if not self.count:
            return 0.0
        return float(self._h.get_value_at_percentile(percentile)) / 1000.0

    def max_ms(self) -> float:
        return float(self._h.get_max_value()) / 1000.0 if self.count else 0.0

    def mean_ms(self) -> float:
        return float(self._h.get_mean_value()) / 1000.0 if self.count else 0.0

    def summary(self) -> LatencySummary:
        return LatencySummary(
            p50=self.percentile_ms(50),
            p90=self.percentile_ms(90),
            p95=self.percentile_ms(95),
            p99=self.percentile_ms(99),
            max=self.max_ms(),
            mean=round(self.mean_ms(), 3),
        )

    def encode(self) -> bytes:
        """The compressed HDR wire format, for snapshots that cross process boundaries."""
        return bytes(self._h.encode())

    @classmethod
    def decode(cls, data: bytes) -> LatencyHistogram:
        return cls(HdrHistogram.decode(data))
